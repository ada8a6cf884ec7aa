from enum import StrEnum


class MonitoringLogReasonType0(StrEnum):
    NO_DATA = "no_data"
    THRESHOLD = "threshold"

    def __str__(self) -> str:
        return str(self.value)
