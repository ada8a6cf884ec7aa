from enum import StrEnum


class MonitoringLogKind(StrEnum):
    ALERT = "alert"
    INTERACTION = "interaction"
    NOTE = "note"
    REVIEW = "review"

    def __str__(self) -> str:
        return str(self.value)
