from enum import StrEnum


class MonitoringLogStatus(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    OPEN = "open"
    RECORDED = "recorded"
    RESOLVED = "resolved"

    def __str__(self) -> str:
        return str(self.value)
