from enum import StrEnum


class ListMonitoringLogsStatusType0(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    OPEN = "open"
    RECORDED = "recorded"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
