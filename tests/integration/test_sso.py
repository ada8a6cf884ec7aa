"""Single sign-on (API.md): providers, authorize (PKCE, S256), the code exchange, the mapped role, and a
federated session refreshed, revoked and audited as a password user's."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Account, Cast, log_in
from tests.support.sso import (
    REDIRECT_URI,
    authorize,
    code_for,
    idp_user,
    pkce_pair,
    query_of,
    signed_in,
    sso_sign_in,
)


def _exchange(api: Api, code: str, verifier: str, redirect_uri: str = REDIRECT_URI) -> Any:
    return api.post("/auth/sso/token", json={"code": code, "codeVerifier": verifier, "redirectUri": redirect_uri})


def test_providers_are_listed_without_a_token(api: Api) -> None:
    response = api.get("/auth/sso/providers")
    assert response.status == 200, response
    assert response.json() == {"items": [{"name": "LocalIdP", "type": "oidc"}]}


def test_authorize_redirects_to_the_hosted_sign_in_with_pkce(api: Api, stack: LocalStack) -> None:
    _, challenge = pkce_pair()
    location = authorize(api, "LocalIdP", challenge=challenge)
    assert location.startswith(stack.sso.hosted.base_url + "/oauth2/authorize?")
    query = query_of(location)
    assert query == {
        "response_type": "code",
        "client_id": stack.sso.client_id,
        "redirect_uri": REDIRECT_URI,
        "identity_provider": "LocalIdP",
        "scope": "openid email profile",
        "state": "st4te-xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }


def test_authorize_makes_a_state_when_the_client_sends_none(api: Api) -> None:
    _, challenge = pkce_pair()
    response = api.get(f"/auth/sso/LocalIdP/authorize?redirectUri={REDIRECT_URI}&codeChallenge={challenge}")
    assert response.status == 302, response
    assert len(query_of(response.headers["location"])["state"]) >= 16


def test_an_unknown_provider_is_a_404(api: Api) -> None:
    _, challenge = pkce_pair()
    response = api.get(f"/auth/sso/Nobody/authorize?redirectUri={REDIRECT_URI}&codeChallenge={challenge}")
    assert response.status == 404, response
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [
        "",  # nothing
        f"redirectUri={REDIRECT_URI}",  # no challenge
        "codeChallenge=" + "a" * 43,  # no redirect URI
        f"redirectUri={REDIRECT_URI}&codeChallenge=short",  # not an S256 challenge
        "redirectUri=https://evil.example.com/cb&codeChallenge=" + "a" * 43,  # not a declared callback
    ],
)
def test_bad_authorize_parameters_are_refused(api: Api, query: str) -> None:
    response = api.get(f"/auth/sso/LocalIdP/authorize?{query}")
    assert response.status in (400, 422), response
    assert response.content_type == "application/problem+json"
    assert "location" not in response.headers


def test_the_whole_flow_gives_tokens_and_the_mapped_role(api: Api, stack: LocalStack) -> None:
    account = sso_sign_in(api, stack, ["staff", "rpm-clinicians"])
    me = api.get("/me", token=account.access_token).json()
    assert me["role"] == "clinician"
    assert me["status"] == "active"
    assert me["email"] == account.email
    alerts = api.get("/alerts", token=account.access_token)
    assert alerts.status == 200, alerts  # an active clinician's route


@pytest.mark.parametrize(
    ("groups", "role", "status"),
    [
        ([], "patient", "active"),
        (["somewhere-else"], "patient", "active"),
        (["rpm-clinicians-pending"], "clinician", "pending_approval"),
        (["rpm-caregivers"], "caregiver", "active"),
        (["rpm-caregivers", "rpm-admins"], "admin", "active"),
    ],
)
def test_groups_map_to_roles(api: Api, stack: LocalStack, groups: list[str], role: str, status: str) -> None:
    username, _ = idp_user(stack, groups)
    account = signed_in(api, stack, username)
    me = api.get("/me", token=account.access_token).json()
    assert (me["role"], me["status"]) == (role, status)
    cognito_name = f"LocalIdP_{stack.sso.provider.users[username].subject}"  # Cognito's name for a federated user
    found = stack.client("cognito-idp").admin_list_groups_for_user(UserPoolId=stack.user_pool_id, Username=cognito_name)
    expected = [role] if status == "active" else []
    assert [group["GroupName"] for group in found["Groups"]] == expected


def test_a_pending_federated_clinician_is_approved_by_an_admin(api: Api, stack: LocalStack, cast: Cast) -> None:
    account = sso_sign_in(api, stack, ["rpm-clinicians-pending"])
    assert api.get("/alerts", token=account.access_token).status == 403
    response = api.put(
        f"/admin/users/{account.user_id}/role", token=cast.admin.access_token, json={"role": "clinician"}
    )
    assert response.status == 200, response
    assert api.get("/alerts", token=account.access_token).status == 200


def test_a_second_sign_in_is_the_same_account(api: Api, stack: LocalStack) -> None:
    username, _ = idp_user(stack, ["rpm-caregivers"])
    first = code_for(api, stack, username)
    second = code_for(api, stack, username)
    one = _exchange(api, first.code, first.verifier).json()
    two = _exchange(api, second.code, second.verifier).json()
    me_one = api.get("/me", token=one["accessToken"]).json()
    me_two = api.get("/me", token=two["accessToken"]).json()
    assert me_one["userId"] == me_two["userId"]
    assert me_two["role"] == "caregiver"


def test_a_wrong_verifier_is_refused_and_uses_the_code(api: Api, stack: LocalStack) -> None:
    username, _ = idp_user(stack, [])
    code = code_for(api, stack, username)
    wrong, _ = pkce_pair()
    refused = _exchange(api, code.code, wrong)
    assert refused.status in (400, 401), refused
    assert refused.content_type == "application/problem+json"
    again = _exchange(api, code.code, code.verifier)  # a code is used once, whatever the outcome
    assert again.status in (400, 401), again


def test_a_code_is_used_once(api: Api, stack: LocalStack) -> None:
    username, _ = idp_user(stack, [])
    code = code_for(api, stack, username)
    assert _exchange(api, code.code, code.verifier).status == 200
    replay = _exchange(api, code.code, code.verifier)
    assert replay.status in (400, 401), replay


@pytest.mark.parametrize(
    "body",
    [
        {"code": "made-up-code", "codeVerifier": "v" * 43, "redirectUri": REDIRECT_URI},
        {"code": "made-up-code", "codeVerifier": "wrong-verifier", "redirectUri": REDIRECT_URI},  # not RFC 7636's
        {"code": "not a code!", "codeVerifier": "v" * 43, "redirectUri": REDIRECT_URI},
        {"code": "made-up-code", "codeVerifier": "v" * 43, "redirectUri": "https://evil.example.com/cb"},
    ],
)
def test_an_invalid_grant_is_a_400(api: Api, body: dict[str, str]) -> None:
    response = api.post("/auth/sso/token", json=body)
    assert response.status == 400, response
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("body", [{"codeVerifier": "v" * 43, "redirectUri": REDIRECT_URI}, {}, {"code": ""}])
def test_a_malformed_exchange_is_a_422(api: Api, body: dict[str, str]) -> None:
    response = api.post("/auth/sso/token", json=body)
    assert response.status == 422, response
    assert response.content_type == "application/problem+json"


def test_another_redirect_uri_than_the_codes_is_refused(api: Api, stack: LocalStack) -> None:
    username, _ = idp_user(stack, [])
    code = code_for(api, stack, username)
    response = _exchange(api, code.code, code.verifier, "rpm://auth/callback")  # declared, but not the code's
    assert response.status in (400, 401), response


def test_a_federated_session_refreshes_and_logs_out_as_a_password_one(api: Api, stack: LocalStack) -> None:
    account = sso_sign_in(api, stack, ["rpm-clinicians"])
    refreshed = api.post("/auth/refresh", json={"refreshToken": account.refresh_token})
    assert refreshed.status == 200, refreshed
    new_access = refreshed.json()["accessToken"]
    assert api.get("/me", token=new_access).status == 200
    out = api.post("/auth/logout", token=account.access_token, json={"refreshToken": account.refresh_token})
    assert out.status == 204, out
    assert api.get("/me", token=account.access_token).status == 401
    assert api.get("/me", token=new_access).status == 401  # the session, across refreshes
    assert api.post("/auth/refresh", json={"refreshToken": account.refresh_token}).status == 401
    # revoked at Cognito too: its own API refuses the refresh token
    cognito = stack.client("cognito-idp")
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.initiate_auth(
            ClientId=stack.sso.client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": account.refresh_token},
        )


def test_federated_tokens_carry_no_self_service_scope(api: Api, stack: LocalStack) -> None:
    account = sso_sign_in(api, stack, [])
    cognito = stack.client("cognito-idp")
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.update_user_attributes(
            AccessToken=account.access_token, UserAttributes=[{"Name": "custom:idp_groups", "Value": "rpm-admins"}]
        )


def test_sign_in_and_logout_are_audited(api: Api, stack: LocalStack, cast: Cast) -> None:
    account = sso_sign_in(api, stack, ["rpm-caregivers"])
    assert api.post("/auth/logout", token=account.access_token).status == 204
    entries = api.get(f"/audit-logs?actor={account.user_id}", token=cast.admin.access_token)
    assert entries.status == 200, entries
    actions = {entry["action"] for entry in entries.json()["items"]}
    assert {"login", "logout"} <= actions


def test_a_disabled_federated_account_is_refused(api: Api, stack: LocalStack) -> None:
    username, _ = idp_user(stack, ["rpm-caregivers"])
    first = code_for(api, stack, username)
    body = _exchange(api, first.code, first.verifier).json()
    user_id = api.get("/me", token=body["accessToken"]).json()["userId"]
    stack.client("dynamodb").update_item(
        TableName=stack.table_names["Users"],
        Key={"userId": {"S": user_id}},
        UpdateExpression="SET #s = :d",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":d": {"S": "disabled"}},
    )
    assert api.get("/me", token=body["accessToken"]).status == 401
    again = code_for(api, stack, username)
    assert _exchange(api, again.code, again.verifier).status == 401
    stack.drain()  # the accountsync function follows the Users table: Cognito disables its federated user too
    cognito_name = f"LocalIdP_{stack.sso.provider.users[username].subject}"
    found = stack.client("cognito-idp").admin_get_user(UserPoolId=stack.user_pool_id, Username=cognito_name)
    assert found["Enabled"] is False


def test_a_password_login_is_unaffected(api: Api, cast: Cast) -> None:
    admin = log_in(api, Account(cast.admin.email, cast.admin.password, cast.admin.user_id))
    assert api.get("/me", token=admin.access_token).json()["role"] == "admin"
