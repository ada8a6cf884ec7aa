from enum import StrEnum


class DeviceDevicetype(StrEnum):
    BLOOD_PRESSURE = "blood_pressure"
    GLUCOMETER = "glucometer"
    HEART_RATE = "heart_rate"
    PULSE_OXIMETER = "pulse_oximeter"
    THERMOMETER = "thermometer"
    WEIGHT_SCALE = "weight_scale"

    def __str__(self) -> str:
        return str(self.value)
