"""Every route × every kind of caller → the expected status.

Generated from the route table the functions declare: a route without an entry in
``EXPECTED`` fails, so a new route cannot ship without its authorization decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

import catalog
from tests.support.api import Api
from tests.support.cast import Account, Cast, create_profile, log_in, new_clinician, sign_up, unique_email, unique_mrn

BAD_TOKENS = ("expired", "bad_signature", "alg_none", "id_token", "revoked")
IDENTITIES = (
    "patient_self",
    "other_patient",
    "assigned_clinician",
    "unassigned_clinician",
    "pending_clinician",
    "admin",
)
CALLERS = ("anonymous", *BAD_TOKENS, *IDENTITIES)


@dataclass
class Request:
    method: str
    path: str
    json: Any = None


@dataclass
class Case:
    """How to call a route, and what each identity gets. Bad tokens get 401 on protected routes."""

    build: Callable[[Api, Cast], Request]
    expected: dict[str, int] = field(default_factory=dict)
    public_status: int | None = None
    fresh_session: bool = False


def _same(status: int) -> dict[str, int]:
    return dict.fromkeys(IDENTITIES, status)


def _admin_only(admin_status: int) -> dict[str, int]:
    return {**_same(403), "admin": admin_status}


def _visible(status: int, hidden: int = 404) -> dict[str, int]:
    return {
        "patient_self": status,
        "other_patient": hidden,
        "assigned_clinician": status,
        "unassigned_clinician": hidden,
        "pending_clinician": hidden,
        "admin": status,
    }


def _fresh_account(api: Api, _: Cast) -> Account:
    return log_in(api, sign_up(api, "patient"))


EXPECTED: dict[str, Case] = {
    "POST /auth/signup": Case(
        lambda api, c: Request(
            "POST",
            "/auth/signup",
            {"email": unique_email("matrix"), "password": "Matrix-Passw0rd!", "displayName": "Matrix"},
        ),
        public_status=201,
    ),
    "POST /auth/confirm": Case(
        lambda api, c: Request("POST", "/auth/confirm", {"email": c.patient.email, "code": "123456"}), public_status=204
    ),
    "POST /auth/login": Case(
        lambda api, c: Request("POST", "/auth/login", {"email": c.patient.email, "password": c.patient.password}),
        public_status=200,
    ),
    "POST /auth/refresh": Case(
        lambda api, c: Request("POST", "/auth/refresh", {"refreshToken": _fresh_account(api, c).refresh_token}),
        public_status=200,
    ),
    "POST /auth/logout": Case(lambda api, c: Request("POST", "/auth/logout"), _same(204), fresh_session=True),
    "GET /me": Case(lambda api, c: Request("GET", "/me"), _same(200)),
    "GET /admin/users": Case(lambda api, c: Request("GET", "/admin/users?role=clinician&limit=5"), _admin_only(200)),
    "PUT /admin/users/{userId}/role": Case(
        lambda api, c: Request("PUT", f"/admin/users/{sign_up(api, 'clinician').user_id}/role", {"role": "clinician"}),
        _admin_only(200),
    ),
    "POST /patients": Case(
        lambda api, c: Request("POST", "/patients", {"medicalRecordNumber": unique_mrn(), "displayName": "New"}),
        {
            "patient_self": 409,
            "other_patient": 409,
            "assigned_clinician": 201,
            "unassigned_clinician": 201,
            "pending_clinician": 403,
            "admin": 201,
        },
    ),
    "GET /patients": Case(lambda api, c: Request("GET", "/patients"), _same(200)),
    "GET /patients/{patientId}": Case(
        lambda api, c: Request("GET", f"/patients/{c.patient.patient_id}"), _visible(200)
    ),
    "PATCH /patients/{patientId}": Case(
        lambda api, c: Request("PATCH", f"/patients/{c.patient.patient_id}", {"displayName": "Renamed"}), _visible(200)
    ),
    "GET /patients/{patientId}/care-team": Case(
        lambda api, c: Request("GET", f"/patients/{c.patient.patient_id}/care-team"), _visible(200)
    ),
    "PUT /patients/{patientId}/care-team/{clinicianId}": Case(
        lambda api, c: Request(
            "PUT", f"/patients/{_scratch_patient(api, c)}/care-team/{new_clinician(api, c.admin).user_id}"
        ),
        _admin_only(204),
    ),
    "DELETE /patients/{patientId}/care-team/{clinicianId}": Case(
        lambda api, c: Request(
            "DELETE", f"/patients/{_scratch_patient(api, c)}/care-team/{c.unassigned_clinician.user_id}"
        ),
        _admin_only(204),
    ),
    "GET /openapi.json": Case(lambda api, c: Request("GET", "/openapi.json"), public_status=200),
    "GET /docs": Case(lambda api, c: Request("GET", "/docs"), public_status=200),
    "GET /docs/{asset}": Case(lambda api, c: Request("GET", "/docs/playground.js"), public_status=200),
}


def _scratch_patient(api: Api, cast: Cast) -> str:
    return str(create_profile(api, cast.admin.access_token)["objectId"])


def _caller_token(api: Api, cast: Cast, caller: str, fresh_session: bool) -> str | None:
    if caller == "anonymous":
        return None
    if caller in BAD_TOKENS:
        return cast.tokens[caller]
    account = {
        "patient_self": cast.patient,
        "other_patient": cast.other_patient,
        "assigned_clinician": cast.clinician,
        "unassigned_clinician": cast.unassigned_clinician,
        "pending_clinician": cast.pending_clinician,
        "admin": cast.admin,
    }[caller]
    if fresh_session:
        return log_in(api, Account(account.email, account.password, account.user_id)).access_token
    return account.access_token


ROUTES = [route for route in catalog.http_routes()]


def test_every_route_has_an_entry() -> None:
    missing = sorted({route.route_key for route in ROUTES} - set(EXPECTED))
    stale = sorted(set(EXPECTED) - {route.route_key for route in ROUTES})
    assert not missing, f"routes without an authorization entry: {missing}"
    assert not stale, f"entries for routes that are not served: {stale}"


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route_key", [route.route_key for route in ROUTES])
def test_authorization(api: Api, cast: Cast, route_key: str, caller: str) -> None:
    case = EXPECTED.get(route_key)
    if case is None:
        pytest.fail(f"{route_key} has no entry in the authorization matrix")
    route = next(route for route in ROUTES if route.route_key == route_key)
    assert route.public == (case.public_status is not None), "the matrix and the route disagree on public"
    if case.public_status is not None:
        expected = case.public_status
    elif caller == "anonymous" or caller in BAD_TOKENS:
        expected = 401
    else:
        expected = case.expected[caller]
    request = case.build(api, cast)
    token = _caller_token(api, cast, caller, case.fresh_session)
    response = api.request(request.method, request.path, token=token, json=request.json)
    assert response.status == expected, f"{route_key} as {caller}: {response}"
    if response.status >= 400:
        assert response.content_type == "application/problem+json"
        assert response.json()["status"] == expected
    documented = _openapi(api)["paths"][route.path][route.method.lower()]["responses"]
    assert str(response.status) in documented, f"{route_key} answered {response.status}, which its OpenAPI entry omits"


_DOCUMENT: dict[str, Any] = {}


def _openapi(api: Api) -> dict[str, Any]:
    if not _DOCUMENT:
        _DOCUMENT.update(api.get("/openapi.json").json())
    return _DOCUMENT
