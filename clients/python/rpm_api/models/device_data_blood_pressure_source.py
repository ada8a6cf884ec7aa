from enum import StrEnum


class DeviceDataBloodPressureSource(StrEnum):
    DEVICE = "device"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
