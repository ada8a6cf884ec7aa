"""Attachments: declared, uploaded straight to S3 through a presigned PUT, checked after the upload by
the verifier (``rpm_core.services.uploads``), and downloaded through a short presigned GET.

S3 refuses (in AWS) a PUT whose Content-Type or Content-Length differ from what the URL was signed
for; the verifier checks the stored object again (size, type, first bytes), so nothing rests on S3
alone. Only ``available`` attachments are ever served, and only the version that was checked.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import now
from rpm_core.data import attachments as attachment_store
from rpm_core.errors import Forbidden, NotFound, PayloadTooLarge, UnsupportedMediaType
from rpm_core.models.messaging import (
    ALLOWED_CONTENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    Attachment,
    AttachmentCreate,
    AttachmentUpload,
)
from rpm_core.provenance import Actor, created
from rpm_core.services import reads, retention
from rpm_core.services.access import Relation, patient_grant

UPLOAD_URL_SECONDS = 5 * 60
"""An upload URL can be replayed until it expires (each PUT up to 25 MB): five minutes, not fifteen."""
DOWNLOAD_URL_SECONDS = 5 * 60


def create_attachment(principal: Principal, request: AttachmentCreate, request_id: str) -> AttachmentUpload:
    """The patient, the care team and admins may attach a file to the patient's records (not a break-glass
    clinician, who reads only; a share covers no attachment)."""
    if patient_grant(principal, request.patientId).relation is Relation.BREAK_GLASS:
        raise Forbidden("Break-glass access reads the patient's records; it attaches nothing.")
    content_type = request.contentType.lower()
    if content_type not in ALLOWED_CONTENT_TYPES:
        raise UnsupportedMediaType(f"Attachments may be: {', '.join(ALLOWED_CONTENT_TYPES)}.")
    if request.sizeBytes > MAX_ATTACHMENT_BYTES:
        raise PayloadTooLarge(f"Attachments may be at most {MAX_ATTACHMENT_BYTES} bytes.")
    attachment_id = str(uuid.uuid4())
    key = attachment_store.object_key(attachment_id)
    stamp = created(Actor(principal.user_id, request_id))
    attachment_store.create_attachment(
        {
            "attachmentId": attachment_id,
            "patientId": request.patientId,
            "uploadedBy": principal.user_id,
            "fileName": request.fileName,
            "contentType": content_type,
            "sizeBytes": request.sizeBytes,
            "status": "pending",
            "objectKey": key,
            "expiresAt": retention.expires_at(stamp["createdAt"]),
            **stamp,
        }
    )
    url = attachment_store.upload_url(
        key, content_type=content_type, size=request.sizeBytes, expires_in=UPLOAD_URL_SECONDS
    )
    return AttachmentUpload(
        attachmentId=attachment_id,
        uploadUrl=url,
        uploadHeaders={"Content-Type": content_type, "Content-Length": str(request.sizeBytes)},
        expiresAt=now() + timedelta(seconds=UPLOAD_URL_SECONDS),
        status="pending",
    )


def attachment_view(item: dict[str, Any], download_url: str | None = None, expires_in: int = 0) -> Attachment:
    return Attachment(
        objectId=item["attachmentId"],
        attachmentId=item["attachmentId"],
        patient=item["patientId"],
        fileName=item["fileName"],
        contentType=item["contentType"],
        sizeBytes=int(item["sizeBytes"]),
        status=item["status"],
        downloadUrl=download_url,
        expiresAt=now() + timedelta(seconds=expires_in) if download_url else None,
        createdAt=item["createdAt"],
        updatedAt=item["updatedAt"],
    )


def get_attachment(principal: Principal, attachment_id: str) -> Attachment:
    """Whoever may see the patient's records; a message carrying it is seen by its thread's participants,
    who are the patient and the care team, so the same check covers both."""
    item = attachment_store.get_attachment(attachment_id)
    if item is None:
        raise NotFound(f"Attachment {attachment_id} was not found.")
    try:
        grant = patient_grant(principal, item["patientId"])
    except NotFound:
        raise NotFound(f"Attachment {attachment_id} was not found.") from None
    reads.of_patient(grant, "Attachment", [attachment_id])
    if item.get("status") != "available":
        return attachment_view(item)
    url = attachment_store.download_url(
        item["objectKey"],
        version=item.get("objectVersion"),
        content_type=item["contentType"],
        expires_in=DOWNLOAD_URL_SECONDS,
    )
    return attachment_view(item, url, DOWNLOAD_URL_SECONDS)
