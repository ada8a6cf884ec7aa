"""rpm_core.auth: access-token verification, the bearer header, and the authorizer context."""

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

from rpm_core.auth import Principal, TokenVerifier, bearer_token
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


def test_principal_round_trips_through_the_authorizer_context() -> None:
    principal = Principal("u", "patient", "active", "s", 123, patient_id="p")
    context = principal.to_context()
    assert all(isinstance(value, str | int) for value in context.values())
    assert Principal.from_context(context) == principal
    without = Principal("u", "clinician", "pending_approval", "s", 123)
    assert "patientId" not in without.to_context()
    assert Principal.from_context(without.to_context()) == without


@pytest.mark.parametrize(
    "context",
    [None, {}, {"userId": "u"}, {"userId": "u", "role": "root"}, {"role": "admin"}, {"userId": "", "role": "admin"}],
)
def test_no_or_broken_context_is_unauthorized(context: dict[str, Any] | None) -> None:
    with pytest.raises(Unauthorized):
        Principal.from_context(context)


def test_missing_status_is_treated_as_disabled() -> None:
    principal = Principal.from_context({"userId": "u", "role": "admin"})
    assert not principal.active
    assert not principal.is_admin


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
