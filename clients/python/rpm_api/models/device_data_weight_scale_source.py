from enum import StrEnum


class DeviceDataWeightScaleSource(StrEnum):
    DEVICE = "device"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
