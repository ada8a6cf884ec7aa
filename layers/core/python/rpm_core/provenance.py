"""Who and how: the provenance fields every written item carries.

``createdBy``/``updatedBy`` name a user id (or a device id for readings), ``requestId`` the
request that caused the write. The audit trail, device-data versioning and the patient's
access report are built from these fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from rpm_core.clock import now_iso


@dataclass(frozen=True)
class Actor:
    id: str
    request_id: str
    kind: Literal["user", "device", "system"] = "user"


def created(actor: Actor, at: str | None = None) -> dict[str, Any]:
    moment = at or now_iso()
    return {
        "createdAt": moment,
        "updatedAt": moment,
        "createdBy": actor.id,
        "updatedBy": actor.id,
        "actorKind": actor.kind,
        "requestId": actor.request_id,
    }


def updated(actor: Actor, at: str | None = None) -> dict[str, Any]:
    return {
        "updatedAt": at or now_iso(),
        "updatedBy": actor.id,
        "actorKind": actor.kind,
        "requestId": actor.request_id,
    }


def deleted(actor: Actor, at: str | None = None) -> dict[str, Any]:
    """Stamped on an item just before it is deleted, so the stream's old image names the actor."""
    return {"deletedAt": at or now_iso(), "deletedBy": actor.id, "actorKind": actor.kind, "requestId": actor.request_id}
