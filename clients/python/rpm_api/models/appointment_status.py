from enum import StrEnum


class AppointmentStatus(StrEnum):
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    SCHEDULED = "scheduled"

    def __str__(self) -> str:
        return str(self.value)
