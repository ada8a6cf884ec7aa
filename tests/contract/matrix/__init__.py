"""The authorization matrix, one module per function: ``matrix/<function>.py`` holds ``CASES``,
how to call each of that function's routes and what every kind of caller gets.

``tests/contract/test_authorization_matrix.py`` collects the modules and runs every route ×
every caller; a route without a case (or a function without a module) fails, so a new route
cannot ship without its authorization decided. A module may add callers of its own
(``EXTRA_CALLERS``: name → how that caller gets a token, e.g. a thread participant) that fit its
resource; its cases then name what each extra caller gets.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.support.api import Api
from tests.support.cast import Account, Cast, create_profile, log_in, sign_up

BAD_TOKENS = ("expired", "bad_signature", "alg_none", "id_token", "revoked")
GRANTEES = ("caregiver", "caregiver_revoked", "caregiver_expired", "break_glass_clinician", "break_glass_expired")
"""Beyond the care team (``Cast.grantees``): a share of the cast's patient active, revoked, expired; a break-glass
window on that patient open and over."""
FEDERATED = ("federated_clinician",)
"""Signed in through single sign-on (the local OpenID provider), a clinician approved by the role mapping
(``rpm-clinicians`` → ``clinician_approved``), on no care team: everywhere what a password clinician on no care
team gets (``unassigned_clinician``)."""
IDENTITIES = (
    "patient_self",
    "other_patient",
    "assigned_clinician",
    "unassigned_clinician",
    "pending_clinician",
    "admin",
    *GRANTEES,
    *FEDERATED,
)
CALLERS = ("anonymous", *BAD_TOKENS, *IDENTITIES)

TokenFor = Callable[[Api, Cast], str]
"""How an extra caller of a module (``EXTRA_CALLERS``) gets its bearer token."""


@dataclass
class Request:
    method: str
    path: str
    json: Any = None
    headers: dict[str, str] | None = None


@dataclass
class Case:
    """How to call a route, and what each identity gets. Bad tokens get 401 on protected routes."""

    build: Callable[[Api, Cast], Request]
    expected: dict[str, int] = field(default_factory=dict)
    public_status: int | None = None
    fresh_session: bool = False


def same(status: int) -> dict[str, int]:
    return dict.fromkeys(IDENTITIES, status)


def admin_only(admin_status: int) -> dict[str, int]:
    return {**same(403), "admin": admin_status}


def visible(status: int, hidden: int = 404, *, shared: bool = False) -> dict[str, int]:
    """Readable by the patient, their care team, admins and a clinician inside a break-glass window, and with
    ``shared`` (the records a share covers) by the holder of an active share; hidden (404) from everyone else.
    A share's holder knows the patient: a record the share does not cover is a 403."""
    return {
        "patient_self": status,
        "other_patient": hidden,
        "assigned_clinician": status,
        "unassigned_clinician": hidden,
        "pending_clinician": hidden,
        "admin": status,
        "caregiver": status if shared else 403,
        "caregiver_revoked": hidden,
        "caregiver_expired": hidden,
        "break_glass_clinician": status,
        "break_glass_expired": hidden,
        "federated_clinician": hidden,
    }


def care_team_writes(status: int, patient_self: int = 403, hidden: int = 404) -> dict[str, int]:
    """Clinical writes: the care team and admins; the patient, a share's holder and a break-glass clinician see
    the record but may not write it."""
    return {**visible(status, hidden), "patient_self": patient_self, "caregiver": 403, "break_glass_clinician": 403}


def read_only_grantees(expected: dict[str, int]) -> dict[str, int]:
    """A write that ``visible`` would let through: refused to a share's holder and a break-glass clinician."""
    return {**expected, "caregiver": 403, "break_glass_clinician": 403}


def fresh_account(api: Api, _: Cast) -> Account:
    return log_in(api, sign_up(api, "patient"))


def scratch_patient(api: Api, cast: Cast) -> str:
    """A new profile nobody but admins can see: for routes whose effect must not touch the cast."""
    return str(create_profile(api, cast.admin.access_token)["objectId"])
