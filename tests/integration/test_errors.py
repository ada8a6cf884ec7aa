"""Problem+json answers: malformed bodies, unknown routes and methods, sizes, media types, validation."""

from __future__ import annotations

import json

import pytest

from tests.support.api import Api, assert_problem
from tests.support.cast import Cast, sign_up, unique_email, unique_mrn

SECRET = "Sup3r-Secret-Passw0rd!"


def _admin_patients(api: Api, cast: Cast) -> list[str]:
    items: list[str] = []
    cursor = ""
    while True:
        path = "/patients?limit=100" + (f"&cursor={cursor}" if cursor else "")
        response = api.get(path, token=cast.admin.access_token)
        assert response.status == 200, response
        items += [item["objectId"] for item in response.json()["items"]]
        cursor = response.json()["nextCursor"]
        if not cursor:
            return items


# --- 400 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("body", ['{"email": ', "{bad json}", "{'single': 'quotes'}"])
def test_malformed_json_is_a_bad_request(api: Api, body: str) -> None:
    response = api.post("/auth/signup", data=body, headers={"Content-Type": "application/json"})
    problem = assert_problem(response, 400)
    assert problem["type"].endswith("bad-request")


def test_malformed_json_on_a_protected_route_is_a_bad_request(api: Api, cast: Cast) -> None:
    response = api.post(
        "/patients", token=cast.admin.access_token, data="{not json", headers={"Content-Type": "application/json"}
    )
    assert_problem(response, 400)


def test_a_json_body_that_is_not_an_object_is_rejected(api: Api, cast: Cast) -> None:
    for body in ("[1, 2]", '"text"', "42"):
        response = api.post(
            "/patients", token=cast.admin.access_token, data=body, headers={"Content-Type": "application/json"}
        )
        assert_problem(response, 422)


# --- 404 and 405 -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/nope", "/patients/x/unknown", "/auth", "/admin/users/x"])
def test_unknown_route_is_not_found(api: Api, path: str) -> None:
    problem = assert_problem(api.get(path), 404)
    assert problem["type"].endswith("not-found")


def test_unknown_route_with_a_token_is_not_found(api: Api, cast: Cast) -> None:
    assert_problem(api.post("/widgets", token=cast.admin.access_token, json={}), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/patients", {"GET", "POST"}),
        ("PUT", "/me", {"GET"}),
        ("GET", "/auth/login", {"POST"}),
        ("POST", "/patients/abc", {"GET", "PATCH"}),
        ("GET", "/patients/abc/care-team/def", {"PUT", "DELETE"}),
    ],
)
def test_wrong_method_on_a_known_path_is_405_with_allow(api: Api, method: str, path: str, allowed: set[str]) -> None:
    response = api.request(method, path)
    problem = assert_problem(response, 405)
    assert problem["type"].endswith("method-not-allowed")
    assert {part.strip() for part in response.headers["allow"].split(",")} == allowed


# --- 413 and 415 -------------------------------------------------------------------------------


def test_body_over_64_kib_is_too_large(api: Api, cast: Cast) -> None:
    before = _admin_patients(api, cast)
    body = json.dumps({"medicalRecordNumber": unique_mrn(), "displayName": "Big", "primaryClinic": "x" * (64 * 1024)})
    problem = assert_problem(
        api.post("/patients", token=cast.admin.access_token, data=body, headers={"Content-Type": "application/json"}),
        413,
    )
    assert problem["type"].endswith("payload-too-large")
    assert _admin_patients(api, cast) == before


def test_body_just_under_the_limit_is_not_too_large(api: Api) -> None:
    body = json.dumps({"email": unique_email("size"), "password": SECRET, "displayName": "x" * (60 * 1024)})
    response = api.post("/auth/signup", data=body, headers={"Content-Type": "application/json"})
    assert_problem(response, 422)  # too long a name: validated, not refused for size


def test_body_too_large_on_a_public_route(api: Api) -> None:
    body = json.dumps({"email": unique_email("big"), "password": SECRET, "displayName": "x" * (70 * 1024)})
    assert_problem(api.post("/auth/signup", data=body, headers={"Content-Type": "application/json"}), 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"])
def test_non_json_content_type_is_unsupported(api: Api, content_type: str) -> None:
    email = unique_email("media")
    body = json.dumps({"email": email, "password": SECRET, "displayName": "Media"})
    problem = assert_problem(api.post("/auth/signup", data=body, headers={"Content-Type": content_type}), 415)
    assert problem["type"].endswith("unsupported-media-type")
    # nothing was created: the same email signs up fine afterwards
    assert api.post("/auth/signup", json={"email": email, "password": SECRET, "displayName": "Media"}).status == 201


def test_json_with_charset_is_accepted(api: Api) -> None:
    body = json.dumps({"email": unique_email("charset"), "password": SECRET, "displayName": "Charset"})
    response = api.post("/auth/signup", data=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status == 201, response


def test_text_plain_on_a_protected_post_is_unsupported(api: Api, cast: Cast) -> None:
    before = _admin_patients(api, cast)
    body = json.dumps({"medicalRecordNumber": unique_mrn(), "displayName": "Plain"})
    assert_problem(
        api.post("/patients", token=cast.admin.access_token, data=body, headers={"Content-Type": "text/plain"}), 415
    )
    assert _admin_patients(api, cast) == before


# --- 422 ---------------------------------------------------------------------------------------


def test_validation_errors_list_loc_and_msg_and_never_echo_the_input(api: Api) -> None:
    response = api.post(
        "/auth/signup",
        json={
            "email": f"{SECRET}-not-an-email",
            "password": SECRET * 20,
            "displayName": "",
            "favouriteSecret": SECRET,
            "role": SECRET,
        },
    )
    problem = assert_problem(response, 422)
    assert problem["type"].endswith("validation")
    errors = problem["errors"]
    assert errors
    for error in errors:
        assert isinstance(error["loc"], list)
        assert error["loc"]
        assert isinstance(error["msg"], str)
        assert error["msg"]
        assert "input" not in error
        assert "ctx" not in error
    assert {tuple(error["loc"][-1:]) for error in errors} >= {
        ("email",),
        ("password",),
        ("displayName",),
        ("favouriteSecret",),
        ("role",),
    }
    assert SECRET not in response.text


def test_weak_password_is_not_echoed(api: Api) -> None:
    weak = "weakpassword"
    response = api.post("/auth/signup", json={"email": unique_email("weak"), "password": weak, "displayName": "W"})
    assert_problem(response, 422)
    assert weak not in response.text


def test_wrong_password_is_not_echoed(api: Api) -> None:
    account = sign_up(api)
    response = api.post("/auth/login", json={"email": account.email, "password": SECRET})
    assert_problem(response, 401)
    assert SECRET not in response.text


def test_query_validation_names_the_parameter(api: Api, cast: Cast) -> None:
    problem = assert_problem(api.get("/patients?limit=many", token=cast.admin.access_token), 422)
    assert ["query", "limit"] in [error["loc"] for error in problem["errors"]]


def test_a_rejected_create_changes_nothing(api: Api, cast: Cast) -> None:
    before = _admin_patients(api, cast)
    mrn = unique_mrn()
    response = api.post(
        "/patients",
        token=cast.admin.access_token,
        json={"medicalRecordNumber": mrn, "displayName": "Bad", "dateOfBirth": "2999-01-01"},
    )
    assert_problem(response, 422)
    assert _admin_patients(api, cast) == before
    # the MRN was not claimed either
    assert (
        api.post(
            "/patients", token=cast.admin.access_token, json={"medicalRecordNumber": mrn, "displayName": "Good"}
        ).status
        == 201
    )


def test_a_rejected_update_changes_nothing(api: Api, cast: Cast) -> None:
    created = api.post(
        "/patients", token=cast.admin.access_token, json={"medicalRecordNumber": unique_mrn(), "displayName": "Stable"}
    ).json()
    path = f"/patients/{created['objectId']}"
    assert_problem(
        api.patch(
            path, token=cast.admin.access_token, json={"displayName": "Changed", "contact": {"phone": "not a phone"}}
        ),
        422,
    )
    assert api.get(path, token=cast.admin.access_token).json() == created


# --- 401 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["expired", "bad_signature", "alg_none", "id_token", "revoked"])
def test_bad_tokens_get_a_problem_401(api: Api, cast: Cast, bad: str) -> None:
    problem = assert_problem(api.get("/me", token=cast.tokens[bad]), 401)
    assert problem["type"].endswith("unauthorized")


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/patients/%20", 422),
        ("GET", "/patients/..", 404),
        ("GET", "/patients/" + "x" * 300, 422),
        ("PUT", "/admin/users/%00/role", 404),  # no route pattern accepts a NUL
        ("GET", "/admin/users/%00/role", 405),
    ],
)
def test_bad_path_parameters_are_client_errors(api: Api, cast: Cast, method: str, path: str, status: int) -> None:
    body = {"role": "clinician"} if method == "PUT" else None
    assert_problem(api.request(method, path, token=cast.admin.access_token, json=body), status)


@pytest.mark.parametrize(
    ("method", "path", "needs_token"),
    [("GET", "/me", True), ("GET", "/patients", True), ("POST", "/auth/login", False), ("GET", "/openapi.json", False)],
)
def test_every_answer_forbids_caching_and_sniffing(
    api: Api, cast: Cast, method: str, path: str, needs_token: bool
) -> None:
    token = cast.patient.access_token if needs_token else None
    body = {"email": "nobody@example.com", "password": "x"} if method == "POST" else None
    response = api.request(method, path, token=token, json=body)
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["strict-transport-security"].startswith("max-age=")
