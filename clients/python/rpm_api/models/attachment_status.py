from enum import StrEnum


class AttachmentStatus(StrEnum):
    AVAILABLE = "available"
    PENDING = "pending"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
