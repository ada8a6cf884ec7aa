from enum import StrEnum


class UserMessageStatus(StrEnum):
    DELIVERED = "delivered"
    READ = "read"
    SENT = "sent"

    def __str__(self) -> str:
        return str(self.value)
