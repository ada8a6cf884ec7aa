"""Retention and legal hold of messages and attachments.

Messages and attachment items carry a DynamoDB TTL (``expiresAt``, epoch seconds) of their creation
plus the retention period; accepted attachment objects carry the tag ``retention=standard``, the only
objects the bucket's lifecycle expiration applies to. A legal hold on a thread removes the TTL of its
messages and of the attachments they carry, and re-tags those objects ``retention=legal-hold`` (which
the lifecycle rule does not match); releasing it restores both, unless another held thread carries the
same attachment (an attachment keeps the set of threads that hold it).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from rpm_core.config import settings
from rpm_core.data import attachments as attachment_store
from rpm_core.data import messages as message_store
from rpm_core.data import threads as thread_store
from rpm_core.data.resources import LEGAL_HOLD_TAG, RETENTION_TAG


def expires_at(created_at: str) -> int:
    """Epoch seconds at which an item created at ``created_at`` (ISO 8601) is purged."""
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return int((moment + timedelta(days=settings().retention_days)).timestamp())


def hold_attachment(attachment_id: str, thread_id: str, *, held: bool) -> None:
    """Records (or releases) ``thread_id``'s hold on the attachment, and keeps or expires it accordingly."""
    item = attachment_store.change_holds(attachment_id, thread_id, held=held)
    if item is None:
        return
    kept = bool(item.get("holds"))
    attachment_store.set_expiry(attachment_id, None if kept else expires_at(str(item["createdAt"])))
    if item.get("status") == "available":
        attachment_store.tag_object(
            str(item["objectKey"]), item.get("objectVersion"), LEGAL_HOLD_TAG if kept else RETENTION_TAG
        )


def apply_thread_hold(thread_id: str) -> int:
    """Brings every message and attachment of the thread in line with its current hold; returns how many
    messages it changed. Idempotent: it reads the hold again, so records handled late or twice converge."""
    thread = thread_store.get_thread(thread_id)
    if thread is None:
        return 0
    held = bool(thread.get("legalHold"))
    changed = 0
    attachment_ids: dict[str, None] = {}
    for message in message_store.all_messages(thread_id):
        has_expiry = "expiresAt" in message
        if held and has_expiry:
            message_store.set_expiry(thread_id, message["messageId"], None)
            changed += 1
        elif not held and not has_expiry:
            message_store.set_expiry(thread_id, message["messageId"], expires_at(str(message["sentAt"])))
            changed += 1
        attachment_ids.update(dict.fromkeys(message.get("attachments") or ()))
    for attachment_id in attachment_ids:
        hold_attachment(attachment_id, thread_id, held=held)
    return changed


def hold_changed(old: dict[str, Any] | None, new: dict[str, Any] | None) -> bool:
    return bool((old or {}).get("legalHold")) != bool((new or {}).get("legalHold"))
