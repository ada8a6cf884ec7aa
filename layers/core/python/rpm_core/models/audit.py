"""The audit trail's entries and the verification report (API.md, "Audit")."""

from __future__ import annotations

from typing import Any

from rpm_core.models.common import ResponseModel

ACTIONS = (
    "create",
    "update",
    "delete",
    "read",
    "login",
    "login_failed",
    "logout",
    "role_change",
    "device_provisioned",
    "device_deactivated",
    "break_glass",
)
"""Actions the trail records (the contract's list is open: ``...``)."""


class AuditEntry(ResponseModel):
    """Who did what to which record, when. Ids and field names only: never a record's values."""

    objectId: str
    actor: str
    actorKind: str | None = None
    action: str
    entityType: str
    entityId: str
    patient: str | None = None
    summary: str
    metadata: dict[str, Any] | None = None
    requestId: str | None = None
    sourceIp: str | None = None
    createdAt: str
    shard: str
    seq: int
    hash: str
    prevHash: str


class AccessLogEntry(ResponseModel):
    """An entry of the patient's access log as the patient sees it: who (id and display name), what, which
    record, when; no staff IP addresses, request ids or metadata (admins read the full ``AuditEntry``)."""

    objectId: str
    actor: str
    actorName: str | None = None
    action: str
    entityType: str
    entityId: str
    createdAt: str


class BrokenEntry(ResponseModel):
    shard: str
    seq: int
    objectId: str | None = None
    reason: str


class VerifyResult(ResponseModel):
    verified: bool
    entriesChecked: int
    digestsChecked: int
    firstBrokenEntry: BrokenEntry | None = None
