from enum import StrEnum


class DeviceDataGlucometerSource(StrEnum):
    DEVICE = "device"
    MANUAL = "manual"

    def __str__(self) -> str:
        return str(self.value)
