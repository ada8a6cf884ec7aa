from enum import StrEnum


class MonitoringLogCreateKind(StrEnum):
    INTERACTION = "interaction"
    NOTE = "note"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
