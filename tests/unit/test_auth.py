"""Access-token checks end to end: API Gateway's JWT authorizer (locally ``infra.local.jwt_authorizer``)
then the function's ``rpm_core.auth.access_claims``; the bearer header; the principal's role flags."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from infra.local.jwt_authorizer import JwtAuthorizer, bearer_token
from rpm_core.auth import AccessClaims, Principal, access_claims
from rpm_core.errors import Unauthorized

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_unit"
CLIENT_ID = "unit-client"
POOL_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "user-1",
        "iss": ISSUER,
        "client_id": CLIENT_ID,
        "token_use": "access",
        "origin_jti": "session-1",
        "iat": now,
        "exp": now + 900,
        "cognito:groups": ["patient"],
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def _token(key: Any = POOL_KEY, algorithm: str = "RS256", **overrides: Any) -> str:
    return jwt.encode(_claims(**overrides), key, algorithm=algorithm, headers={"kid": "unit-kid"})


class TokenVerifier:
    """What a protected request goes through: API Gateway's JWT check, then the entrypoint's claims check."""

    def __init__(self, jwks_url: str, issuer: str, client_id: str) -> None:
        self.authorizer = JwtAuthorizer(jwks_url, issuer, (client_id,))
        self.client_id = client_id

    def verify(self, token: str) -> AccessClaims:
        return access_claims(self.authorizer.claims(token), (self.client_id,))


@pytest.fixture
def verifier(monkeypatch: pytest.MonkeyPatch) -> TokenVerifier:
    """A verifier whose JWKS holds the pool's public key (no network)."""
    asked: list[str] = []

    def signing_key(self: jwt.PyJWKClient, token: str) -> Any:
        asked.append(token)
        return SimpleNamespace(key=POOL_KEY.public_key())

    monkeypatch.setattr(jwt.PyJWKClient, "get_signing_key_from_jwt", signing_key)
    return TokenVerifier("http://127.0.0.1:9/jwks.json", ISSUER, CLIENT_ID)


def test_a_valid_access_token_names_user_session_and_expiry(verifier: TokenVerifier) -> None:
    expires = int(time.time()) + 600
    claims = verifier.verify(_token(exp=expires))
    assert (claims.user_id, claims.session_id, claims.expires_at) == ("user-1", "session-1", expires)


def _rejected(verifier: TokenVerifier, token: str) -> Unauthorized:
    with pytest.raises(Unauthorized) as raised:
        verifier.verify(token)
    assert raised.value.status == 401
    return raised.value


def test_alg_none_is_rejected(verifier: TokenVerifier) -> None:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    _rejected(verifier, f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(_claims())}.")


def test_hs256_signed_with_the_public_key_is_rejected(verifier: TokenVerifier) -> None:
    """The classic algorithm-confusion forgery: HMAC keyed with the RSA public key."""
    header = base64.urlsafe_b64encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()).rstrip(b"=")
    payload = base64.urlsafe_b64encode(json.dumps(_claims()).encode()).rstrip(b"=")
    public_pem = POOL_KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    mac = hmac.new(public_pem, header + b"." + payload, hashlib.sha256).digest()
    signature = base64.urlsafe_b64encode(mac).rstrip(b"=")
    _rejected(verifier, b".".join([header, payload, signature]).decode())


def test_another_key_is_rejected(verifier: TokenVerifier) -> None:
    _rejected(verifier, _token(key=OTHER_KEY))


def test_an_id_token_is_rejected(verifier: TokenVerifier) -> None:
    error = _rejected(verifier, _token(token_use="id"))
    assert "access token" in error.detail


def test_another_client_is_rejected(verifier: TokenVerifier) -> None:
    _rejected(verifier, _token(client_id="other-client"))


def test_another_issuer_is_rejected(verifier: TokenVerifier) -> None:
    _rejected(verifier, _token(iss="https://cognito-idp.us-east-1.amazonaws.com/us-east-1_other"))


def test_an_expired_token_says_so(verifier: TokenVerifier) -> None:
    now = int(time.time())
    error = _rejected(verifier, _token(iat=now - 7200, exp=now - 3600))
    assert "expired" in error.detail


@pytest.mark.parametrize("claim", ["exp", "sub", "token_use", "client_id", "origin_jti"])
def test_a_required_claim_missing_is_rejected(verifier: TokenVerifier, claim: str) -> None:
    overrides: dict[str, Any] = {claim: None}
    _rejected(verifier, _token(**overrides))


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "a.b"])
def test_garbage_is_rejected(verifier: TokenVerifier, token: str) -> None:
    _rejected(verifier, token)


def test_an_unknown_key_id_is_rejected(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_key(self: jwt.PyJWKClient, token: str) -> Any:
        raise jwt.PyJWKClientError("Unable to find a signing key that matches")

    monkeypatch.setattr(jwt.PyJWKClient, "get_signing_key_from_jwt", no_key)
    _rejected(TokenVerifier("http://127.0.0.1:9/jwks.json", ISSUER, CLIENT_ID), _token())


# --- bearer_token ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"Authorization": "Bearer abc"},
        {"authorization": "bearer abc"},
        {"AUTHORIZATION": "Bearer   abc  "},
    ],
)
def test_bearer_token_is_read_case_insensitively(headers: dict[str, str]) -> None:
    assert bearer_token(headers) == "abc"


@pytest.mark.parametrize(
    "headers",
    [
        None,
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer   "},
        {"Authorization": "Basic abc"},
        {"Authorization": "abc"},
        {"X-Token": "Bearer abc"},
    ],
)
def test_missing_or_other_schemes_are_unauthorized(headers: dict[str, str] | None) -> None:
    with pytest.raises(Unauthorized):
        bearer_token(headers)


# --- Principal ---------------------------------------------------------------------------------


def test_the_jwt_authorizer_passes_every_claim_as_a_string(verifier: TokenVerifier) -> None:
    claims = verifier.authorizer.claims(_token())
    assert all(isinstance(value, str) for value in claims.values())
    assert claims["exp"].isdigit()


def test_api_gateway_accepts_an_id_token_of_the_client_but_the_function_does_not(verifier: TokenVerifier) -> None:
    id_claims = verifier.authorizer.claims(_token(token_use="id", client_id=None, aud=CLIENT_ID))
    with pytest.raises(Unauthorized, match="access token"):
        access_claims(id_claims, (CLIENT_ID,))


@pytest.mark.parametrize(
    "claims",
    [
        {},
        {"token_use": "access", "client_id": CLIENT_ID},
        {"token_use": "access", "client_id": CLIENT_ID, "sub": "u", "origin_jti": "s", "exp": "soon"},
    ],
)
def test_claims_missing_or_malformed_are_unauthorized(claims: dict[str, Any]) -> None:
    with pytest.raises(Unauthorized):
        access_claims(claims, (CLIENT_ID,))


@pytest.mark.parametrize(
    ("role", "status", "flags"),
    [
        ("admin", "active", (True, False, False)),
        ("clinician", "active", (False, True, False)),
        ("patient", "active", (False, False, True)),
        ("clinician", "pending_approval", (False, False, False)),
        ("admin", "disabled", (False, False, False)),
    ],
)
def test_role_flags_need_an_active_account(role: Any, status: Any, flags: tuple[bool, bool, bool]) -> None:
    principal = Principal("u", role, status, "s", 0)
    assert (principal.is_admin, principal.is_clinician, principal.is_patient) == flags


# --- logout at Cognito (moto has no RevokeToken: the call itself is held to its shape) ----------


@pytest.fixture
def stubbed_cognito(monkeypatch: pytest.MonkeyPatch) -> Any:
    import boto3
    from botocore.stub import Stubber

    from rpm_core import config
    from rpm_core.data import identity

    monkeypatch.setenv("USER_POOL_CLIENT_ID", "app-client")
    monkeypatch.setenv("USER_POOL_ID", "us-east-1_unit")
    monkeypatch.delenv("USER_POOL_SSO_CLIENT_ID", raising=False)  # one client (a deployment without single sign-on)
    config.reset_process_caches()
    client = boto3.client("cognito-idp", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
    monkeypatch.setattr(identity, "cognito", lambda: client)
    with Stubber(client) as stubber:
        yield stubber
    config.reset_process_caches()


def test_logout_revokes_the_refresh_token_with_the_app_client(stubbed_cognito: Any) -> None:
    from rpm_core.data import identity

    stubbed_cognito.add_response("revoke_token", {}, {"Token": "refresh-1", "ClientId": "app-client"})
    identity.revoke_refresh_token("refresh-1")
    stubbed_cognito.assert_no_pending_responses()


@pytest.mark.parametrize(
    "code", ["UnauthorizedException", "UnsupportedTokenTypeException", "InvalidParameterException"]
)
def test_a_refresh_token_cognito_does_not_take_is_nothing_to_revoke(stubbed_cognito: Any, code: str) -> None:
    from rpm_core.data import identity

    stubbed_cognito.add_client_error("revoke_token", service_error_code=code, http_status_code=400)
    identity.revoke_refresh_token("refresh-2")


def test_a_refresh_token_of_the_sso_client_is_revoked_there(
    stubbed_cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rpm_core import config
    from rpm_core.data import identity

    monkeypatch.setenv("USER_POOL_SSO_CLIENT_ID", "sso-client")
    config.reset_process_caches()
    stubbed_cognito.add_client_error(
        "revoke_token", service_error_code="UnauthorizedException", http_status_code=400,
        expected_params={"Token": "refresh-3", "ClientId": "app-client"},
    )  # fmt: skip
    stubbed_cognito.add_response("revoke_token", {}, {"Token": "refresh-3", "ClientId": "sso-client"})
    identity.revoke_refresh_token("refresh-3")
    stubbed_cognito.assert_no_pending_responses()


def test_a_refresh_token_of_the_sso_client_refreshes_there(
    stubbed_cognito: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rpm_core import config
    from rpm_core.data import identity

    monkeypatch.setenv("USER_POOL_SSO_CLIENT_ID", "sso-client")
    config.reset_process_caches()
    parameters = {"AuthFlow": "REFRESH_TOKEN_AUTH", "AuthParameters": {"REFRESH_TOKEN": "refresh-4"}}
    stubbed_cognito.add_client_error(
        "initiate_auth", service_error_code="NotAuthorizedException", http_status_code=400,
        expected_params={**parameters, "ClientId": "app-client"},
    )  # fmt: skip
    result = {"AccessToken": "a", "IdToken": "i", "ExpiresIn": 900, "TokenType": "Bearer"}
    stubbed_cognito.add_response(
        "initiate_auth", {"AuthenticationResult": result}, {**parameters, "ClientId": "sso-client"}
    )
    assert identity.refresh("refresh-4").access_token == "a"
    stubbed_cognito.assert_no_pending_responses()


def test_a_throttled_revocation_is_a_429_to_retry(stubbed_cognito: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rpm_core.data import sessions
    from rpm_core.errors import Throttled
    from rpm_core.services import audit_events
    from rpm_core.services import sessions as session_service

    monkeypatch.setenv("SESSION_LIFETIME_SECONDS", "86400")
    ended: list[str] = []
    monkeypatch.setattr(sessions, "revoke_session", lambda session_id, **_: ended.append(session_id))
    monkeypatch.setattr(audit_events, "record_logout", lambda *_, **__: None)
    stubbed_cognito.add_client_error(
        "revoke_token", service_error_code="TooManyRequestsException", http_status_code=400
    )
    with pytest.raises(Throttled):
        session_service.log_out(Principal("u", "patient", "active", "s-1", 0), "r", refresh_token="refresh-3")
    assert ended == ["s-1"]  # ended here first; the retry revokes at Cognito
