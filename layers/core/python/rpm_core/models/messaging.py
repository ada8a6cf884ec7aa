"""Threads, messages and attachments."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictBool, StringConstraints

from rpm_core.models.common import Identifier, RequestModel, ResponseModel, Text, Timestamp

MAX_BODY_CHARS = 10_000
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
MAX_ATTACHMENTS_PER_MESSAGE = 10
ALLOWED_CONTENT_TYPES = ("application/pdf", "image/png", "image/jpeg", "image/heic", "text/plain")

MessageBody = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_BODY_CHARS, pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]+$"),
]
"""Free text of 1..10,000 characters: line breaks and tabs, no other control characters."""
FileName = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f\x7f/\\]+$")]
"""A file name without a path: no slashes, no control characters."""
ContentType = Annotated[
    str, StringConstraints(min_length=3, max_length=100, pattern=r"^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")
]
MessageStatus = Literal["sent", "delivered", "read"]
AttachmentStatus = Literal["pending", "available", "rejected"]


class ThreadCreate(RequestModel):
    patientId: Identifier
    subject: Text | None = None


class Thread(ResponseModel):
    objectId: str
    threadId: str
    patient: str
    participants: list[str]
    subject: str | None = None
    legalHold: bool = False
    createdAt: Timestamp
    updatedAt: Timestamp
    lastMessageAt: Timestamp | None = None


class LegalHold(RequestModel):
    hold: StrictBool


class MessageCreate(RequestModel):
    recipient: Identifier
    body: MessageBody
    attachments: list[Identifier] = Field(default_factory=list, max_length=MAX_ATTACHMENTS_PER_MESSAGE)


class UserMessage(ResponseModel):
    objectId: str
    threadId: str
    sender: str
    recipient: str
    body: str
    attachments: list[str]
    status: MessageStatus
    sentAt: Timestamp
    deliveredAt: Timestamp | None = None
    readAt: Timestamp | None = None
    expiresAt: Timestamp | None = Field(default=None, description="When retention purges it; absent on legal hold")
    createdAt: Timestamp
    updatedAt: Timestamp


class AttachmentCreate(RequestModel):
    patientId: Identifier
    fileName: FileName
    contentType: ContentType = Field(description="One of: " + ", ".join(ALLOWED_CONTENT_TYPES))
    sizeBytes: int = Field(ge=1, description=f"At most {MAX_ATTACHMENT_BYTES} bytes (25 MB)")


class AttachmentUpload(ResponseModel):
    attachmentId: str
    uploadUrl: str
    uploadHeaders: dict[str, str] = Field(description="Send exactly these headers with the PUT to uploadUrl")
    expiresAt: Timestamp
    status: AttachmentStatus


class Attachment(ResponseModel):
    objectId: str
    attachmentId: str
    patient: str
    fileName: str
    contentType: str
    sizeBytes: int
    status: AttachmentStatus
    downloadUrl: str | None = Field(default=None, description="Only while status is available; valid 5 minutes")
    expiresAt: Timestamp | None = Field(default=None, description="When downloadUrl stops working")
    createdAt: Timestamp
    updatedAt: Timestamp
