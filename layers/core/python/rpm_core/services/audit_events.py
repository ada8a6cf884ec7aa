"""Security and device events: what no table change shows (logins, failed logins, logouts, a device's
certificate issued or deactivated), one entry each."""

from __future__ import annotations

import hashlib
from typing import Any

from rpm_core.config import settings
from rpm_core.provenance import Actor
from rpm_core.services import audit_chain
from rpm_core.services.audit_entries import new_entry


def record_event(
    action: str,
    *,
    actor: str,
    entity_type: str,
    entity_id: str,
    summary: str,
    actor_kind: str = "user",
    patient_id: str | None = None,
    request_id: str | None = None,
    source_ip: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Appends one entry for an event no table change shows (a login, a certificate deactivated…)."""
    entry = new_entry(
        action=action,
        actor=actor,
        actor_kind=actor_kind,
        entity_type=entity_type,
        entity_id=entity_id,
        summary=summary,
        patient_id=patient_id,
        request_id=request_id,
        source_ip=source_ip,
        metadata=metadata,
    )
    (stored,) = audit_chain.append([entry])
    return stored


def email_fingerprint(email: str) -> str:
    """A failed login names no account: a salted hash of the address tried, the same for an address
    with or without an account (repeated attempts on one address can be correlated, nothing more)."""
    salt = f"rpm-login|{settings().region}|{settings().user_pool_id}|"
    return hashlib.sha256((salt + email.strip().lower()).encode()).hexdigest()[:32]


def record_login(user_id: str, *, request_id: str | None, source_ip: str | None) -> None:
    record_event(
        "login",
        actor=user_id,
        entity_type="User",
        entity_id=user_id,
        summary=f"User {user_id} signed in",
        request_id=request_id,
        source_ip=source_ip,
    )


def record_failed_login(email: str, *, request_id: str | None, source_ip: str | None) -> None:
    fingerprint = email_fingerprint(email)
    record_event(
        "login_failed",
        actor="anonymous",
        actor_kind="anonymous",
        entity_type="Login",
        entity_id=fingerprint,
        summary="A sign-in failed (wrong credentials or no such account)",
        request_id=request_id,
        source_ip=source_ip,
    )


def record_logout(user_id: str, *, request_id: str | None, source_ip: str | None) -> None:
    record_event(
        "logout",
        actor=user_id,
        entity_type="User",
        entity_id=user_id,
        summary=f"User {user_id} signed out (session revoked)",
        request_id=request_id,
        source_ip=source_ip,
    )


def record_device_event(
    actor: Actor, *, device_id: str, patient_id: str, provisioned: bool, source_ip: str | None = None
) -> dict[str, Any]:
    """For the devices function: a device's certificate issued (provisioned) or deactivated. The Devices
    table's own changes are audited from its stream; this entry records the IoT side, which no table shows."""
    action = "device_provisioned" if provisioned else "device_deactivated"
    return record_event(
        action,
        actor=actor.id,
        actor_kind=actor.kind,
        entity_type="Device",
        entity_id=device_id,
        summary=f"Device {device_id} of patient {patient_id}: {action.replace('_', ' ')} by {actor.id}",
        patient_id=patient_id,
        request_id=actor.request_id,
        source_ip=source_ip,
    )
