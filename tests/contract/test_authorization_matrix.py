"""Every route × every kind of caller → the expected status.

Generated from the route table the functions declare, with the decisions kept per function in
``tests/contract/matrix/<function>.py``: a route without a case fails, so a new route cannot
ship without its authorization decided there.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType
from typing import Any

import pytest

from infra import catalog
from rpm_core.api.routes import RouteSpec
from tests.contract import matrix
from tests.contract.matrix import BAD_TOKENS, CALLERS, Case, TokenFor
from tests.support.api import Api
from tests.support.cast import Account, Cast, log_in

ROUTES = list(catalog.http_routes())
FUNCTIONS = sorted({route.function for route in ROUTES})


def _module(function: str) -> ModuleType | None:
    names = {info.name for info in pkgutil.iter_modules(matrix.__path__)}
    return importlib.import_module(f"{matrix.__name__}.{function}") if function in names else None


def _cases() -> dict[str, Case]:
    cases: dict[str, Case] = {}
    for function in FUNCTIONS:
        module = _module(function)
        cases.update(getattr(module, "CASES", {}) if module else {})
    return cases


EXPECTED = _cases()


def test_every_function_has_a_matrix_module() -> None:
    assert [f for f in FUNCTIONS if _module(f) is None] == []


def test_every_route_has_a_case_in_its_functions_module() -> None:
    for function in FUNCTIONS:
        module = _module(function)
        declared = set(getattr(module, "CASES", {}))
        served = {route.route_key for route in ROUTES if route.function == function}
        assert served - declared == set(), f"routes of {function} without an authorization case"
        assert declared - served == set(), f"cases in matrix/{function}.py for routes {function} does not serve"


def _extra_callers(function: str) -> dict[str, TokenFor]:
    module = _module(function)
    return dict(getattr(module, "EXTRA_CALLERS", {}) if module else {})


def _caller_token(api: Api, cast: Cast, route: RouteSpec, caller: str, fresh_session: bool) -> str | None:
    extra = _extra_callers(route.function)
    if caller in extra:
        return extra[caller](api, cast)
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
        **cast.grantees,
        "federated_clinician": cast.federated_clinician,
    }[caller]
    assert account is not None
    if fresh_session and caller == "federated_clinician":
        assert cast.fresh_federated_session is not None
        return cast.fresh_federated_session().access_token  # no password: a new single sign-on session
    if fresh_session:
        return log_in(api, Account(account.email, account.password, account.user_id)).access_token
    return account.access_token


CASES_TO_RUN = [(route.route_key, caller) for route in ROUTES for caller in (*CALLERS, *_extra_callers(route.function))]


@pytest.mark.parametrize(("route_key", "caller"), CASES_TO_RUN)
def test_authorization(api: Api, cast: Cast, route_key: str, caller: str) -> None:
    case = EXPECTED.get(route_key)
    if case is None:
        pytest.fail(f"{route_key} has no entry in the authorization matrix")
    route = next(route for route in ROUTES if route.route_key == route_key)
    assert route.public == (case.public_status is not None), "the matrix and the route disagree on public"
    if case.public_status is not None:
        expected = case.public_status
    elif caller in ("anonymous", *BAD_TOKENS) and caller not in case.expected:
        expected = 401
    else:
        expected = case.expected[caller]
    request = case.build(api, cast)
    token = _caller_token(api, cast, route, caller, case.fresh_session)
    response = api.request(request.method, request.path, token=token, json=request.json, headers=request.headers)
    assert response.status == expected, f"{route_key} as {caller}: {response}"
    if response.status >= 400 and route.path.startswith("/fhir/"):  # FHIR: an OperationOutcome
        assert response.content_type == "application/fhir+json"
        assert response.json()["resourceType"] == "OperationOutcome"
    elif response.status >= 400:
        assert response.content_type == "application/problem+json"
        assert response.json()["status"] == expected
    documented = _openapi(api)["paths"][route.path][route.method.lower()]["responses"]
    assert str(response.status) in documented, f"{route_key} answered {response.status}, which its OpenAPI entry omits"


_DOCUMENT: dict[str, Any] = {}


def _openapi(api: Api) -> dict[str, Any]:
    if not _DOCUMENT:
        _DOCUMENT.update(api.get("/openapi.json").json())
    return _DOCUMENT
