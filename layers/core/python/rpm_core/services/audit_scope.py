"""The patients a request was let see, noted by the visibility check (``access.patient_grant``) for the
read recorder (``rpm_core.services.audit_reads``): an answer that names no patient (a thread's
messages) is attributed to the patient whose records the request was granted."""

from __future__ import annotations

from contextvars import ContextVar, Token

_granted: ContextVar[list[str] | None] = ContextVar("rpm_audit_granted", default=None)


def begin() -> Token[list[str] | None]:
    return _granted.set([])


def end(token: Token[list[str] | None]) -> None:
    _granted.reset(token)


def note_patient(patient_id: str) -> None:
    """The request passed the visibility check of this patient."""
    granted = _granted.get()
    if granted is not None and patient_id not in granted:
        granted.append(patient_id)


def granted() -> list[str]:
    return list(_granted.get() or [])
