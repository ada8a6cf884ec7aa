"""Shares: a patient (or an admin for them) lets someone else read the patient's records until a date.

A share names an email. It is active for the user who signs in with that email once the pool has verified
it: at once when that user exists, else when they sign up or confirm the address. While active and not
expired it is a grant in ``rpm_core.services.access`` (``Relation.SHARE``: ``SHARED_RECORDS``, read-only);
revoking it or its expiry ends it at once. Every change of a share is audited from the Shares table's
stream; every read through one names it (``metadata.grantId``).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from rpm_core.auth import Principal
from rpm_core.clock import iso, now
from rpm_core.data import grants as grant_store
from rpm_core.data import identity
from rpm_core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from rpm_core.models.grants import Share, ShareCreate, ShareStatus
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import reads
from rpm_core.services.access import PatientGrant, Relation, patient_grant


def _owner_grant(principal: Principal, patient_id: str) -> PatientGrant:
    """The patient themself or an admin: who may share the patient's records (the care team may not)."""
    grant = patient_grant(principal, patient_id)
    if grant.relation not in (Relation.SELF, Relation.ADMIN):
        raise Forbidden("Only the patient or an admin may share the patient's records.")
    return grant


def _epoch(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp())


def status_of(item: dict[str, Any], moment: datetime | None = None) -> ShareStatus:
    """The stored status, or ``expired`` for a live share past its end."""
    stored: ShareStatus = item["status"]
    if stored in grant_store.LIVE_STATUSES and _epoch(item["expiresAt"]) <= int((moment or now()).timestamp()):
        return "expired"
    return stored


def _view(item: dict[str, Any]) -> Share:
    return Share(
        objectId=item["shareId"],
        patient=item["patientId"],
        email=item["email"],
        grantee=item.get("grantee"),
        status=status_of(item),
        expiresAt=item["expiresAt"],
        createdAt=item["createdAt"],
        updatedAt=item["updatedAt"],
    )


def create_share(principal: Principal, patient_id: str, request: ShareCreate, request_id: str) -> Share:
    owner = _owner_grant(principal, patient_id)
    if request.expiresAt <= now():
        raise ValidationFailed(
            "A share ends in the future.", errors=[{"loc": ["body", "expiresAt"], "msg": "must be in the future"}]
        )
    email = str(request.email).strip().lower()
    live = [
        s
        for s in grant_store.shares_to(email)
        if s["patientId"] == patient_id and status_of(s) in ("pending", "active")
    ]
    if live:
        raise Conflict("This email already holds a live share of the patient: revoke it first.")
    grantee = identity.verified_user_id(email)
    if grantee and grantee == owner.patient.get("userId"):
        raise ValidationFailed(
            "The patient sees their own records already.",
            errors=[{"loc": ["body", "email"], "msg": "the patient's own"}],
        )
    share_id = str(uuid.uuid4())
    item = {
        "patientId": patient_id,
        "shareId": share_id,
        "email": email,
        "status": "active" if grantee else "pending",
        "expiresAt": iso(request.expiresAt),
        **({"grantee": grantee} if grantee else {}),
        **created(Actor(principal.user_id, request_id)),
    }
    grant_store.create_share(item, grant_expires_at=_epoch(item["expiresAt"]) if grantee else None)
    return _view(item)


def list_shares(
    principal: Principal, patient_id: str, *, limit: int, cursor: str | None
) -> tuple[list[Share], str | None]:
    owner = _owner_grant(principal, patient_id)
    page = grant_store.list_shares(patient_id, limit=limit, cursor=cursor, scope=f"shares|{patient_id}")
    found = [_view(item) for item in page.items]
    reads.of_patient(owner, "Share", [share.objectId for share in found])
    return found, page.next_cursor


def revoke_share(principal: Principal, patient_id: str, share_id: str, request_id: str) -> None:
    """Ends the share at once; a share already ended stays as it is (DELETE is idempotent)."""
    _owner_grant(principal, patient_id)
    item = grant_store.get_share(patient_id, share_id)
    if item is None:
        raise NotFound(f"Share {share_id} was not found.")
    if item["status"] not in grant_store.LIVE_STATUSES:
        return
    try:
        grant_store.revoke_share(item, stamp=updated(Actor(principal.user_id, request_id)))
    except grant_store.ShareChanged:
        current = grant_store.get_share(patient_id, share_id)
        if current is None or current["status"] in grant_store.LIVE_STATUSES:
            raise Conflict("The share changed meanwhile; try again.") from None


def take_pending(user_id: str, email: str, request_id: str) -> int:
    """The user's email is verified: the pending, unexpired shares made to it become theirs. Returns how many."""
    taken = 0
    for item in grant_store.shares_to(email.strip().lower()):
        if status_of(item) != "pending":
            continue
        try:
            grant_store.activate_share(
                item, user_id, expires_at=_epoch(item["expiresAt"]), stamp=updated(Actor(user_id, request_id))
            )
            taken += 1
        except grant_store.ShareChanged:
            continue  # revoked or taken meanwhile
    return taken


def shared_patient_ids(principal: Principal, *, limit: int, cursor: str | None) -> tuple[list[str], str | None]:
    """The patients whose active, unexpired share the caller holds (a caregiver's patient list)."""
    scope = f"patients|{principal.user_id}|{principal.role}"
    page = grant_store.grants_of(principal.user_id, limit=limit, cursor=cursor, scope=scope)
    moment = int(now().timestamp())
    ids = [str(g["patientId"]) for g in page.items if g.get("shareId") and int(g.get("shareExpiresAt", 0)) > moment]
    return ids, page.next_cursor
