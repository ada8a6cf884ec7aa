"""The upload verifier: decides ``available`` or ``rejected`` for an uploaded attachment.

Run for each object-created notification of the Attachments bucket (S3 → SQS → the ``uploadverifier``
function). The stored object must have the declared size and Content-Type, and its first bytes must be
a file of the declared type; with malware protection on, GuardDuty must have tagged it clean (the
notification is retried until its verdict is there). Accepted: the checked version is recorded (only it
is ever served) and tagged for retention. Rejected: that version is deleted for good. A later PUT to the same key (the
upload URL lives a few minutes more) is deleted too: a decided attachment never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rpm_core.clock import now_iso
from rpm_core.config import settings
from rpm_core.data import attachments as attachment_store
from rpm_core.data.resources import LEGAL_HOLD_TAG, MALWARE_CLEAN, MALWARE_SCAN_TAG, RETENTION_TAG
from rpm_core.provenance import Actor, updated

HEAD_BYTES = 4096
VERIFIER = "upload-verifier"
HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
TEXT_CONTROLS = set(range(0x00, 0x09)) | {0x0B, 0x0C} | set(range(0x0E, 0x20)) | {0x7F}

Verdict = Literal["available", "rejected", "ignored", "deleted", "unchanged"]


def _is_text(head: bytes, complete: bool) -> bool:
    """UTF-8 without control characters (tabs and line breaks allowed). A multi-byte character cut by
    the end of ``head`` is fine when the object goes on."""
    if any(byte in TEXT_CONTROLS for byte in head):
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return not complete and error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def signature_matches(content_type: str, head: bytes, *, complete: bool) -> bool:
    """Whether the object's first bytes are a file of ``content_type`` (``complete``: head is the whole object)."""
    if content_type == "application/pdf":
        return head.startswith(b"%PDF-")
    if content_type == "image/png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if content_type == "image/jpeg":
        return head.startswith(b"\xff\xd8\xff")
    if content_type == "image/heic":
        return len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS
    if content_type == "text/plain":
        return _is_text(head, complete)
    return False


class ScanPending(Exception):
    """GuardDuty has not tagged the upload with its verdict yet: the notification is delivered again later."""


@dataclass(frozen=True)
class Check:
    verdict: Verdict
    reason: str | None = None


def _malware(key: str, stored: attachment_store.StoredObject) -> str | None:
    """With malware protection on: None when GuardDuty found the upload clean, else why it is refused (a threat,
    or a scan that could not be made); raises ScanPending while the verdict is not there."""
    if not settings().malware_scan_required:
        return None
    verdict = attachment_store.tag_value(key, stored.version, MALWARE_SCAN_TAG)
    if verdict is None:
        raise ScanPending(key)
    if verdict == MALWARE_CLEAN:
        return None
    return "malware" if verdict == "THREATS_FOUND" else "unscanned"


def _problem(item: dict[str, object], stored: attachment_store.StoredObject) -> str | None:
    if stored.size != int(str(item["sizeBytes"])):
        return "size"
    if stored.content_type.split(";")[0].strip().lower() != item["contentType"]:
        return "content-type"
    if not signature_matches(str(item["contentType"]), stored.head, complete=stored.size <= len(stored.head)):
        return "content"
    return None


def verify_upload(key: str, version: str | None, *, request_id: str) -> Check:
    """Checks one created object; safe to run twice for the same notification."""
    attachment_id = attachment_store.attachment_id_of(key)
    if attachment_id is None:
        return Check("ignored")
    item = attachment_store.get_attachment(attachment_id, consistent=True)
    stored = attachment_store.stored_object(key, version=version, head_bytes=HEAD_BYTES)
    if stored is None:
        return Check("ignored")  # deleted meanwhile (a retry after the delete below)
    if item is None:  # no declaration made this key: nobody gets to keep it
        attachment_store.delete_object(key, stored.version)
        return Check("deleted")
    if item.get("status") != "pending":
        return _after_decision(item, stored)
    reason = _problem(item, stored) or _malware(key, stored)
    stamp = updated(Actor(VERIFIER, request_id, kind="system"))
    try:
        if reason is None:
            decided = attachment_store.decide(
                attachment_id,
                {"status": "available", "objectVersion": stored.version, "verifiedAt": now_iso(), **stamp},
            )
            return _after_decision(decided, stored)
        attachment_store.decide(
            attachment_id, {"status": "rejected", "rejectReason": reason, "verifiedAt": now_iso(), **stamp}
        )
    except attachment_store.AlreadyDecided:
        fresh = attachment_store.get_attachment(attachment_id, consistent=True)
        return _after_decision(fresh or item, stored)
    attachment_store.delete_object(key, stored.version)
    return Check("rejected", reason)


def _after_decision(item: dict[str, object], stored: attachment_store.StoredObject) -> Check:
    """A decided attachment: the checked version is tagged (again: retries converge); any other goes."""
    key = str(item["objectKey"])
    if item.get("status") == "available" and stored.version == item.get("objectVersion"):
        attachment_store.tag_object(key, stored.version, LEGAL_HOLD_TAG if item.get("holds") else RETENTION_TAG)
        return Check("available")
    attachment_store.delete_object(key, stored.version)
    return Check("rejected" if item.get("status") == "rejected" else "deleted", str(item.get("rejectReason") or ""))
