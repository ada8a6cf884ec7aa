"""POST /auth/*: sign-up, confirmation, login, refresh and logout, through the HTTP API."""

from __future__ import annotations

from typing import Any

import jwt
import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import PASSWORD, Account, log_in, sign_up, unique_email


def _signup(api: Api, **fields: Any) -> ApiResponse:
    body: dict[str, Any] = {"email": unique_email("auth"), "password": PASSWORD, "displayName": "Auth Test", **fields}
    return api.post("/auth/signup", json={name: value for name, value in body.items() if value is not None})


# --- sign-up -----------------------------------------------------------------------------------


def test_signup_patient_is_active(api: Api) -> None:
    email = unique_email("signup-patient")
    response = api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": "Pat"})
    assert response.status == 201, response
    assert response.content_type == "application/json"
    body = response.json()
    assert set(body) == {"userId", "email", "role", "status"}
    assert body["userId"]
    assert body == {"userId": body["userId"], "email": email, "role": "patient", "status": "active"}


def test_signup_clinician_is_pending_approval(api: Api) -> None:
    response = _signup(api, role="clinician")
    assert response.status == 201, response
    assert response.json()["role"] == "clinician"
    assert response.json()["status"] == "pending_approval"


def test_signup_email_is_normalised_to_lower_case(api: Api) -> None:
    email = unique_email("MixedCase").upper()
    response = api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": "Upper"})
    assert response.status == 201, response
    assert response.json()["email"] == email.lower()


def test_signup_duplicate_email_is_a_conflict_whatever_its_case(api: Api) -> None:
    account = sign_up(api, "patient", prefix="dup")
    for email in (account.email, account.email.upper(), f"  {account.email.title()}  "):
        response = api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": "Again"})
        assert_problem(response, 409)


def test_signup_duplicate_email_across_roles_is_a_conflict(api: Api) -> None:
    account = sign_up(api, "patient", prefix="dup-role")
    response = api.post(
        "/auth/signup", json={"email": account.email, "password": PASSWORD, "displayName": "Again", "role": "clinician"}
    )
    assert_problem(response, 409)


@pytest.mark.parametrize("password", ["short1!A", "alllowercase-passw0rd!", "NoDigitsHere-Passw!", "NoSymbols1234Abcd"])
def test_signup_weak_password_is_a_validation_problem(api: Api, password: str) -> None:
    response = _signup(api, password=password)
    problem = assert_problem(response, 422)
    assert problem["errors"], problem
    assert any(error["loc"][-1] == "password" for error in problem["errors"]), problem
    assert password not in response.text


def test_signup_with_a_weak_password_creates_no_account(api: Api) -> None:
    email = unique_email("weak")
    assert api.post("/auth/signup", json={"email": email, "password": "weak", "displayName": "W"}).status == 422
    response = api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": "W"})
    assert response.status == 201, response


def test_signup_as_admin_is_rejected(api: Api) -> None:
    email = unique_email("would-be-admin")
    body = {"email": email, "password": PASSWORD, "displayName": "X", "role": "admin"}
    response = api.post("/auth/signup", json=body)
    problem = assert_problem(response, 422)
    assert any(error["loc"][-1] == "role" for error in problem["errors"])
    # and no account was made: the same email can still sign up as a patient
    assert api.post("/auth/signup", json={"email": email, "password": PASSWORD, "displayName": "X"}).status == 201


@pytest.mark.parametrize("missing", ["email", "password", "displayName"])
def test_signup_missing_field_names_it(api: Api, missing: str) -> None:
    body = {"email": unique_email("missing"), "password": PASSWORD, "displayName": "M"}
    del body[missing]
    problem = assert_problem(api.post("/auth/signup", json=body), 422)
    locs = [error["loc"] for error in problem["errors"]]
    assert any(loc[-1] == missing for loc in locs), locs
    assert all(error["msg"] for error in problem["errors"])


def test_signup_invalid_email_is_rejected(api: Api) -> None:
    problem = assert_problem(_signup(api, email="not-an-email"), 422)
    assert any(error["loc"][-1] == "email" for error in problem["errors"])


# --- confirm -----------------------------------------------------------------------------------


def test_confirm_answers_no_content(api: Api) -> None:
    account = sign_up(api, "patient", prefix="confirm")
    response = api.post("/auth/confirm", json={"email": account.email, "code": "123456"})
    assert response.status == 204, response
    assert response.text == ""
    log_in(api, account)  # still able to sign in


def test_confirm_without_code_is_a_validation_problem(api: Api) -> None:
    problem = assert_problem(api.post("/auth/confirm", json={"email": unique_email("c")}), 422)
    assert any(error["loc"][-1] == "code" for error in problem["errors"])


# --- login -------------------------------------------------------------------------------------


def test_login_returns_bearer_tokens(api: Api) -> None:
    account = sign_up(api, "patient", prefix="login")
    response = api.post("/auth/login", json={"email": account.email, "password": PASSWORD})
    assert response.status == 200, response
    body = response.json()
    assert body["tokenType"] == "Bearer"
    assert isinstance(body["expiresIn"], int)
    assert body["expiresIn"] > 0
    for name in ("accessToken", "idToken", "refreshToken"):
        assert isinstance(body[name], str), name
        assert body[name], name
    claims = jwt.decode(body["accessToken"], options={"verify_signature": False})
    assert claims["sub"] == account.user_id
    assert claims["token_use"] == "access"
    assert api.get("/me", token=body["accessToken"]).status == 200


def test_login_email_is_case_insensitive(api: Api) -> None:
    account = sign_up(api, "patient", prefix="login-case")
    response = api.post("/auth/login", json={"email": account.email.upper(), "password": PASSWORD})
    assert response.status == 200, response


def test_wrong_password_and_unknown_email_get_the_same_answer(api: Api) -> None:
    account = sign_up(api, "patient", prefix="wrong")
    wrong = api.post("/auth/login", json={"email": account.email, "password": PASSWORD + "x"})
    unknown = api.post("/auth/login", json={"email": unique_email("nobody"), "password": PASSWORD})
    wrong_problem, unknown_problem = assert_problem(wrong, 401), assert_problem(unknown, 401)
    wrong_problem.pop("instance", None)
    unknown_problem.pop("instance", None)
    assert wrong_problem == unknown_problem
    assert PASSWORD not in wrong.text


def test_login_missing_password_is_a_validation_problem(api: Api) -> None:
    problem = assert_problem(api.post("/auth/login", json={"email": unique_email("x")}), 422)
    assert any(error["loc"][-1] == "password" for error in problem["errors"])


# --- refresh -----------------------------------------------------------------------------------


def test_refresh_gives_a_working_access_token(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="refresh"))
    response = api.post("/auth/refresh", json={"refreshToken": account.refresh_token})
    assert response.status == 200, response
    body = response.json()
    assert body["tokenType"] == "Bearer"
    assert body["accessToken"]
    assert body["idToken"]
    assert body["expiresIn"] > 0
    me = api.get("/me", token=body["accessToken"])
    assert me.status == 200, me
    assert me.json()["userId"] == account.user_id


def test_refresh_with_a_garbage_token_is_unauthorized(api: Api) -> None:
    assert_problem(api.post("/auth/refresh", json={"refreshToken": "not-a-refresh-token"}), 401)


def test_refresh_without_token_is_a_validation_problem(api: Api) -> None:
    problem = assert_problem(api.post("/auth/refresh", json={}), 422)
    assert any(error["loc"][-1] == "refreshToken" for error in problem["errors"])


def test_sign_up_goes_through_the_sign_up_client_and_sign_in_through_the_app_client(
    api: Api, stack: LocalStack
) -> None:
    """Only the sign-up client may write ``email`` (SignUp is bound by its client's write attributes), and it
    issues no tokens: no access token can change the account's email at Cognito."""
    from infra.local.sandbox import EVENTS

    calls: list[tuple[str, str]] = []

    def record(model: Any, params: dict[str, Any] | None = None, **_: Any) -> None:
        calls.append((model.name, str((params or {}).get("ClientId"))))

    EVENTS.register("before-parameter-build.cognito-identity-provider.*", record, unique_id="test-client-ids")
    try:
        account = log_in(api, sign_up(api, "patient", prefix="clients"))
        assert api.post("/auth/confirm", json={"email": account.email, "code": "123456"}).status == 204
        assert api.post("/auth/refresh", json={"refreshToken": account.refresh_token}).status == 200
    finally:
        EVENTS.unregister("before-parameter-build.cognito-identity-provider.*", unique_id="test-client-ids")
    by_operation = {name: client for name, client in calls if client != "None"}
    assert by_operation["SignUp"] == by_operation["ConfirmSignUp"] == stack.signup_client_id
    assert by_operation["InitiateAuth"] == stack.user_pool_client_id != stack.signup_client_id
    claims = jwt.decode(account.access_token, options={"verify_signature": False})
    assert claims["client_id"] == stack.user_pool_client_id


# --- logout ------------------------------------------------------------------------------------


def test_logout_revokes_the_session_at_once(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="logout"))
    assert api.get("/me", token=account.access_token).status == 200
    response = api.post("/auth/logout", token=account.access_token)
    assert response.status == 204, response
    assert response.text == ""
    assert_problem(api.get("/me", token=account.access_token), 401)
    assert_problem(api.post("/auth/refresh", json={"refreshToken": account.refresh_token}), 401)


def test_logout_revokes_tokens_obtained_by_refresh_in_that_session(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="logout-refresh"))
    refreshed = api.post("/auth/refresh", json={"refreshToken": account.refresh_token}).json()["accessToken"]
    assert api.post("/auth/logout", token=account.access_token).status == 204
    assert_problem(api.get("/me", token=refreshed), 401)


def test_logout_leaves_other_sessions_of_the_user_working(api: Api) -> None:
    first = log_in(api, sign_up(api, "patient", prefix="two-sessions"))
    second = log_in(api, Account(first.email, first.password, first.user_id))
    assert api.post("/auth/logout", token=first.access_token).status == 204
    assert_problem(api.get("/me", token=first.access_token), 401)
    assert api.get("/me", token=second.access_token).status == 200
    refreshed = api.post("/auth/refresh", json={"refreshToken": second.refresh_token})
    assert refreshed.status == 200, refreshed
    assert api.get("/me", token=refreshed.json()["accessToken"]).status == 200


def _refresh_at_cognito(stack: LocalStack, refresh_token: str) -> str | None:
    """What a holder of the refresh token gets from Cognito itself (not through this API): an error code or None."""
    from botocore.exceptions import ClientError

    try:
        stack.client("cognito-idp").initiate_auth(
            ClientId=stack.user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return None


def test_logout_with_the_refresh_token_revokes_it_at_cognito(api: Api, stack: LocalStack) -> None:
    """A stolen refresh token must not keep minting tokens on Cognito's own API after the owner logs out."""
    first = log_in(api, sign_up(api, "patient", prefix="revoke"))
    second = log_in(api, Account(first.email, first.password, first.user_id))
    assert _refresh_at_cognito(stack, first.refresh_token) is None  # it works there until the logout
    response = api.post("/auth/logout", token=first.access_token, json={"refreshToken": first.refresh_token})
    assert response.status == 204, response
    assert _refresh_at_cognito(stack, first.refresh_token) == "NotAuthorizedException"
    assert_problem(api.post("/auth/refresh", json={"refreshToken": first.refresh_token}), 401)
    assert _refresh_at_cognito(stack, second.refresh_token) is None  # the user's other session is not touched
    assert api.get("/me", token=second.access_token).status == 200


@pytest.mark.parametrize("body", [{"refreshToken": "not-a-refresh-token"}, {}])
def test_logout_with_an_unknown_or_no_refresh_token_still_ends_the_session(api: Api, body: dict[str, str]) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="revoke-unknown"))
    assert api.post("/auth/logout", token=account.access_token, json=body).status == 204
    assert_problem(api.get("/me", token=account.access_token), 401)


def test_logout_then_login_again_works(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="relogin"))
    assert api.post("/auth/logout", token=account.access_token).status == 204
    again = log_in(api, Account(account.email, account.password, account.user_id))
    assert api.get("/me", token=again.access_token).status == 200


def test_logout_needs_a_token(api: Api) -> None:
    assert_problem(api.post("/auth/logout"), 401)


def test_id_token_is_not_accepted_as_bearer(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="idtoken"))
    assert_problem(api.get("/me", token=account.id_token), 401)


def test_a_sign_up_whose_user_record_fails_leaves_nothing_and_can_be_retried(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rpm_core.data import users as user_store

    def storage_outage(item: dict[str, object]) -> None:
        raise RuntimeError("the Users table is unavailable")

    email = unique_email("retry")
    body = {"email": email, "password": PASSWORD, "displayName": "Retry"}
    monkeypatch.setattr(user_store, "put_new_user", storage_outage)
    assert_problem(api.post("/auth/signup", json=body), 500)
    monkeypatch.undo()
    response = api.post("/auth/signup", json=body)
    assert response.status == 201, response
    assert api.post("/auth/login", json={"email": email, "password": PASSWORD}).status == 200


def _at_cognito(stack: LocalStack, operation: str, access_token: str, **parameters: Any) -> str | None:
    """What a holder of the access token gets from Cognito's own user API: an error code or None."""
    from botocore.exceptions import ClientError

    try:
        getattr(stack.client("cognito-idp"), operation)(AccessToken=access_token, **parameters)
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return None


SELF_SERVICE_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("get_user", {}),
    ("update_user_attributes", {"UserAttributes": [{"Name": "name", "Value": "Mallory"}]}),
    ("change_password", {"PreviousPassword": PASSWORD, "ProposedPassword": PASSWORD + "x"}),
    ("global_sign_out", {}),
    ("delete_user", {}),
]


@pytest.mark.parametrize(("operation", "parameters"), SELF_SERVICE_CALLS, ids=[call[0] for call in SELF_SERVICE_CALLS])
def test_a_stolen_access_token_cannot_use_cognitos_own_user_api(
    api: Api, stack: LocalStack, operation: str, parameters: dict[str, Any]
) -> None:
    """Issue 21 (1): with aws.cognito.signin.user.admin a 15-minute token could delete or rewrite the account at
    Cognito; the pool's pre-token-generation trigger (the ``tokens`` function) suppresses that scope."""
    account = log_in(api, sign_up(api, "patient", prefix="self-service"))
    assert _at_cognito(stack, operation, account.access_token, **parameters) == "NotAuthorizedException"
    refreshed = api.post("/auth/refresh", json={"refreshToken": account.refresh_token}).json()["accessToken"]
    assert _at_cognito(stack, operation, refreshed, **parameters) == "NotAuthorizedException"  # refreshes too
    me = api.get("/me", token=account.access_token)
    assert me.status == 200, me  # the account is untouched and the token still works on this API
    assert me.json()["displayName"] != "Mallory"
    assert api.post("/auth/login", json={"email": account.email, "password": account.password}).status == 200


def test_access_tokens_carry_no_self_service_scope(api: Api) -> None:
    account = log_in(api, sign_up(api, "patient", prefix="scope"))
    claims = jwt.decode(account.access_token, options={"verify_signature": False})
    assert "aws.cognito.signin.user.admin" not in str(claims.get("scope", "")).split()
    assert claims["token_use"] == "access"
    assert claims["origin_jti"]
