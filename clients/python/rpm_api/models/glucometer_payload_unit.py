from enum import StrEnum


class GlucometerPayloadUnit(StrEnum):
    MGDL = "mg/dL"
    MMOLL = "mmol/L"

    def __str__(self) -> str:
        return str(self.value)
