from enum import StrEnum


class AttachmentUploadStatus(StrEnum):
    AVAILABLE = "available"
    PENDING = "pending"
    REJECTED = "rejected"

    def __str__(self) -> str:
        return str(self.value)
