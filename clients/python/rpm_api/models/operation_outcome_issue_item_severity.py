from enum import StrEnum


class OperationOutcomeIssueItemSeverity(StrEnum):
    ERROR = "error"
    FATAL = "fatal"
    INFORMATION = "information"
    WARNING = "warning"

    def __str__(self) -> str:
        return str(self.value)
