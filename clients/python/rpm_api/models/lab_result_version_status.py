from enum import StrEnum


class LabResultVersionStatus(StrEnum):
    AMENDED = "amended"
    CANCELLED = "cancelled"
    FINAL = "final"
    PRELIMINARY = "preliminary"

    def __str__(self) -> str:
        return str(self.value)
