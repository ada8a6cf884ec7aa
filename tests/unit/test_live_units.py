"""The in-function token verifier (held against pyjwt), the notice rules and coalescing."""

from __future__ import annotations

import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from rpm_core import tokens
from rpm_core.errors import Unauthorized
from rpm_core.services.notifications import SOURCES, Change, Notice, created, first_in_window

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
CLIENT = "client-123"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
def verifier(monkeypatch: pytest.MonkeyPatch) -> tokens.AccessTokenVerifier:
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
    monkeypatch.setattr(tokens, "fetch_jwks", lambda url: {"keys": [{**jwk, "kid": "k1", "use": "sig"}]})
    return tokens.AccessTokenVerifier("https://example.invalid/jwks.json", ISSUER, CLIENT)


def token(key: Any = KEY, kid: str = "k1", alg: str = "RS256", **overrides: Any) -> str:
    now = int(time.time())
    claims = {"sub": "u1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access", "origin_jti": "s1",
              "iat": now, "exp": now + 600, **overrides}  # fmt: skip
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def test_a_good_token_verifies_as_pyjwt_verifies_it(verifier: tokens.AccessTokenVerifier) -> None:
    good = token()
    assert verifier.claims(good) == jwt.decode(good, KEY.public_key(), algorithms=["RS256"], issuer=ISSUER)


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(lambda: token(key=OTHER_KEY), id="other key"),
        pytest.param(lambda: token(kid="unknown"), id="unknown kid"),
        pytest.param(lambda: token(iss="https://evil.example"), id="issuer"),
        pytest.param(lambda: token(client_id="other"), id="client"),
        pytest.param(lambda: token(aud="other"), id="audience"),
        pytest.param(lambda: token(exp=int(time.time()) - 1), id="expired"),
        pytest.param(lambda: token(alg="HS256", key="secret-used-as-hmac-key-of-32-bytes!"), id="HS256"),
        pytest.param(lambda: token()[:-4] + "AAAA", id="tampered signature"),
        pytest.param(
            lambda: token().split(".")[0] + "." + token(sub="u2").split(".")[1] + "." + token().split(".")[2],
            id="swapped payload",
        ),
        pytest.param(lambda: "e30.e30.", id="alg none"),
        pytest.param(lambda: "not-a-jwt", id="garbage"),
    ],
)
def test_anything_else_is_refused(verifier: tokens.AccessTokenVerifier, bad: Any) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(bad())


def test_small_or_non_rsa_keys_are_ignored() -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the point of the test
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(small.public_key()))
    assert tokens.keys_of({"keys": [{**jwk, "kid": "s"}, {"kty": "EC", "kid": "e"}]}) == {}


def test_messages_announce_to_their_recipient_on_insert_only() -> None:
    rule = SOURCES["Messages"].rule
    item = {"threadId": "t", "messageId": "m", "patientId": "p", "recipient": "u", "body": "x", "createdAt": "c"}
    assert rule(Change("INSERT", item, None)) == Notice("message.created", "p", "m", "recipient", "c", recipient="u")
    assert rule(Change("MODIFY", {**item, "status": "read"}, item)) is None


def test_lab_results_announce_when_they_become_final_and_not_their_snapshots() -> None:
    rule = SOURCES["LabResults"].rule
    draft = {"patientId": "p", "recordKey": "result#r", "labResultId": "r", "status": "preliminary"}
    final = {**draft, "status": "final", "updatedAt": "t"}
    assert rule(Change("INSERT", draft, None)) is None
    assert rule(Change("MODIFY", final, draft)) == Notice("labresult.final", "p", "r", "patient_and_care_team", "t")
    assert rule(Change("MODIFY", {**final, "units": "%"}, final)) is None
    assert rule(Change("INSERT", {**final, "recordKey": "result#r#v#2"}, None)) is None


def test_coalescing_lets_one_notice_per_patient_per_window() -> None:
    rule = created("devicedata.created", "dataId", "care_team", coalesce_seconds=1)
    notices = [rule(Change("INSERT", {"patientId": p, "dataId": str(i)}, None)) for i, p in enumerate("aab")]
    first, second, other = (n for n in notices if n)
    assert first_in_window(first, now=1000.1)
    assert not first_in_window(second, now=1000.9)
    assert first_in_window(other, now=1000.9)
    assert first_in_window(second, now=1001.0)
