from enum import StrEnum


class LabResultCreateStatus(StrEnum):
    FINAL = "final"
    PRELIMINARY = "preliminary"

    def __str__(self) -> str:
        return str(self.value)
