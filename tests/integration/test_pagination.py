"""Lists: limit bounds, walking pages with nextCursor, and tamper-checked cursors."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from tests.support.api import Api, assert_problem
from tests.support.cast import Account, Cast, assign, create_profile, log_in, new_clinician, new_patient, sign_up


def _page(api: Api, token: str, path: str, **query: str | int) -> dict[str, Any]:
    sep = "&" if "?" in path else "?"
    query_string = "&".join(f"{name}={quote(str(value), safe='')}" for name, value in query.items())
    response = api.get(f"{path}{sep}{query_string}" if query_string else path, token=token)
    assert response.status == 200, response
    body: dict[str, Any] = response.json()
    assert set(body) == {"items", "nextCursor"}
    return body


def _walk(api: Api, token: str, path: str, limit: int, max_pages: int = 1000) -> tuple[list[dict[str, Any]], int]:
    items: list[dict[str, Any]] = []
    cursor: str | None = None
    for pages in range(1, max_pages + 1):
        body = _page(api, token, path, limit=limit, **({"cursor": cursor} if cursor else {}))
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["nextCursor"]
        if cursor is None:
            return items, pages
        assert isinstance(cursor, str)
        assert cursor
    raise AssertionError(f"{path} did not end within {max_pages} pages")


def _first_cursor(api: Api, token: str, path: str) -> str:
    body = _page(api, token, path, limit=1)
    assert body["nextCursor"], f"{path} has a single item; the test needs two"
    cursor: str = body["nextCursor"]
    return cursor


def _tampered(cursor: str) -> str:
    """Changes the first character of the payload (always meaningful, unlike the last base64 character)."""
    first = "B" if cursor[0] != "B" else "C"
    return first + cursor[1:]


# --- limit -------------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["0", "101", "-1", "abc"])
@pytest.mark.parametrize("path", ["/patients", "/admin/users"])
def test_limit_out_of_bounds_is_a_validation_problem(api: Api, cast: Cast, path: str, limit: str) -> None:
    problem = assert_problem(api.get(f"{path}?limit={limit}", token=cast.admin.access_token), 422)
    assert ["query", "limit"] in [error["loc"] for error in problem["errors"]]


def test_limit_bounds_are_inclusive(api: Api, cast: Cast) -> None:
    assert len(_page(api, cast.admin.access_token, "/patients", limit=1)["items"]) == 1
    assert len(_page(api, cast.admin.access_token, "/patients", limit=100)["items"]) <= 100


def test_care_team_limit_is_validated(api: Api, cast: Cast) -> None:
    assert cast.patient.patient_id
    path = f"/patients/{cast.patient.patient_id}/care-team?limit=0"
    assert_problem(api.get(path, token=cast.admin.access_token), 422)


# --- walking pages -----------------------------------------------------------------------------


def test_admin_walks_every_patient_page_by_page(api: Api, cast: Cast) -> None:
    mine = {str(create_profile(api, cast.admin.access_token)["objectId"]) for _ in range(3)}
    walked, pages = _walk(api, cast.admin.access_token, "/patients", limit=2)
    ids = [item["objectId"] for item in walked]
    assert len(ids) == len(set(ids)), "a profile appeared on two pages"
    assert mine <= set(ids)
    assert pages >= 2
    whole, _ = _walk(api, cast.admin.access_token, "/patients", limit=100)
    assert [item["objectId"] for item in whole] == ids


def test_default_page_size_is_fifty(api: Api, cast: Cast) -> None:
    for _ in range(51 - len(_page(api, cast.admin.access_token, "/patients", limit=100)["items"])):
        create_profile(api, cast.admin.access_token)
    body = _page(api, cast.admin.access_token, "/patients")
    assert len(body["items"]) == 50
    assert body["nextCursor"]


def test_admin_users_paginate(api: Api, cast: Cast) -> None:
    clinicians = {sign_up(api, "clinician").user_id for _ in range(3)}
    walked, pages = _walk(api, cast.admin.access_token, "/admin/users?role=clinician", limit=2)
    ids = [user["userId"] for user in walked]
    assert len(ids) == len(set(ids))
    assert clinicians <= set(ids)
    assert pages >= 2
    assert {user["role"] for user in walked} == {"clinician"}
    everyone, _ = _walk(api, cast.admin.access_token, "/admin/users", limit=3)
    assert set(ids) <= {user["userId"] for user in everyone}


def test_care_team_paginates(api: Api, cast: Cast) -> None:
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    team = {new_clinician(api, cast.admin).user_id for _ in range(3)}
    for clinician_id in team:
        response = api.put(f"/patients/{patient_id}/care-team/{clinician_id}", token=cast.admin.access_token)
        assert response.status == 204, response
    walked, pages = _walk(api, cast.admin.access_token, f"/patients/{patient_id}/care-team", limit=2)
    assert sorted(member["clinician"] for member in walked) == sorted(team)
    assert pages >= 2


def test_clinician_lists_exactly_their_care_team_patients(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    own = str(create_profile(api, clinician.access_token)["objectId"])
    assigned = [new_patient(api, cast.admin).patient_id for _ in range(2)]
    for patient_id in assigned:
        assert patient_id
        assign(api, cast.admin, patient_id, clinician)
    create_profile(api, cast.admin.access_token)  # someone else's patient
    walked, pages = _walk(api, clinician.access_token, "/patients", limit=2)
    assert sorted(item["objectId"] for item in walked) == sorted([own, *[str(p) for p in assigned]])
    assert pages >= 2
    assert len(_page(api, clinician.access_token, "/patients", limit=100)["items"]) == 3


# --- cursors -----------------------------------------------------------------------------------


def test_a_cursor_replayed_by_another_user_is_rejected(api: Api, cast: Cast) -> None:
    cursor = _first_cursor(api, cast.admin.access_token, "/patients")
    other_admin = log_in(api, sign_up(api, "clinician"))
    assert (
        api.put(
            f"/admin/users/{other_admin.user_id}/role", token=cast.admin.access_token, json={"role": "admin"}
        ).status
        == 200
    )
    assert_problem(api.get(f"/patients?limit=1&cursor={quote(cursor)}", token=other_admin.access_token), 400)
    # and its owner may still use it
    assert api.get(f"/patients?limit=1&cursor={quote(cursor)}", token=cast.admin.access_token).status == 200


def test_a_clinicians_cursor_is_rejected_for_another_clinician(api: Api, cast: Cast) -> None:
    clinician = new_clinician(api, cast.admin)
    for _ in range(2):
        create_profile(api, clinician.access_token)
    cursor = _first_cursor(api, clinician.access_token, "/patients")
    other = new_clinician(api, cast.admin)
    create_profile(api, other.access_token)
    assert_problem(api.get(f"/patients?limit=1&cursor={quote(cursor)}", token=other.access_token), 400)


def test_a_cursor_is_bound_to_its_list(api: Api, cast: Cast) -> None:
    users_cursor = _first_cursor(api, cast.admin.access_token, "/admin/users?role=clinician")
    assert_problem(
        api.get(f"/admin/users?role=patient&limit=1&cursor={quote(users_cursor)}", token=cast.admin.access_token), 400
    )
    assert_problem(api.get(f"/admin/users?limit=1&cursor={quote(users_cursor)}", token=cast.admin.access_token), 400)
    assert_problem(api.get(f"/patients?limit=1&cursor={quote(users_cursor)}", token=cast.admin.access_token), 400)


def test_a_cursor_from_one_care_team_is_rejected_for_another(api: Api, cast: Cast) -> None:
    first = str(create_profile(api, cast.admin.access_token)["objectId"])
    second = str(create_profile(api, cast.admin.access_token)["objectId"])
    for patient_id in (first, second):
        for _ in range(2):
            assign(api, cast.admin, patient_id, new_clinician(api, cast.admin))
    cursor = _first_cursor(api, cast.admin.access_token, f"/patients/{first}/care-team")
    assert_problem(
        api.get(f"/patients/{second}/care-team?limit=1&cursor={quote(cursor)}", token=cast.admin.access_token), 400
    )


def test_a_tampered_cursor_is_rejected(api: Api, cast: Cast) -> None:
    cursor = _first_cursor(api, cast.admin.access_token, "/patients")
    for forged in (_tampered(cursor), cursor + "A", cursor.split(".")[0] + "." + cursor.split(".")[0], cursor[:-4]):
        assert forged != cursor
        assert_problem(api.get(f"/patients?limit=1&cursor={quote(forged)}", token=cast.admin.access_token), 400)


@pytest.mark.parametrize("garbage", ["garbage", "a.b", "....", "eyJwYXRpZW50SWQiOiJ4In0", "%%%", "eyJ9.AAAA", "null"])
def test_a_garbage_cursor_is_rejected(api: Api, cast: Cast, garbage: str) -> None:
    assert_problem(api.get(f"/patients?cursor={quote(garbage)}", token=cast.admin.access_token), 400)
    assert_problem(api.get(f"/admin/users?cursor={quote(garbage)}", token=cast.admin.access_token), 400)


@pytest.mark.parametrize("who", ["patient", "patient_without_profile", "pending_clinician"])
def test_a_garbage_cursor_is_rejected_for_every_caller(api: Api, cast: Cast, who: str) -> None:
    account: Account
    if who == "patient":
        account = new_patient(api, cast.admin)
    elif who == "patient_without_profile":
        account = log_in(api, sign_up(api, "patient"))
    else:
        account = log_in(api, sign_up(api, "clinician"))
    assert_problem(api.get("/patients?cursor=garbage", token=account.access_token), 400)


def test_a_cursor_kept_across_a_role_change_is_a_client_error(api: Api, cast: Cast) -> None:
    """A clinician's cursor replayed after becoming admin must not reach storage as a wrong start key (5xx)."""
    clinician = new_clinician(api, cast.admin)
    for _ in range(2):
        create_profile(api, clinician.access_token)
    cursor = _first_cursor(api, clinician.access_token, "/patients")
    assert (
        api.put(f"/admin/users/{clinician.user_id}/role", token=cast.admin.access_token, json={"role": "admin"}).status
        == 200
    )
    assert_problem(api.get(f"/patients?limit=1&cursor={quote(cursor)}", token=clinician.access_token), 400)
