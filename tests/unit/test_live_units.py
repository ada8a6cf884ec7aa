"""The in-function token verifier (held against pyjwt), the notice rules and coalescing."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from rpm_core import tokens
from rpm_core.errors import ServiceUnavailable, Unauthorized
from rpm_core.services.notifications import SOURCES, Change, Notice, created, first_in_window

ISSUER = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_test"
CLIENT = "client-123"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk_of(key: Any, kid: str) -> dict[str, Any]:
    return {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key())), "kid": kid, "use": "sig"}


class Jwks:
    """The user pool's JWKS endpoint, on 127.0.0.1: what it serves, whether it answers, how often it was asked."""

    def __init__(self) -> None:
        self.document: dict[str, Any] = {"keys": [jwk_of(KEY, "k1")]}
        self.status = 200
        self.fetches = 0
        jwks = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                jwks.fetches += 1
                body = json.dumps(jwks.document).encode()
                self.send_response(jwks.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/.well-known/jwks.json"


class Clock:
    """``time.monotonic`` as a fresh microVM reads it: seconds since boot (``at``), moved by the test."""

    def __init__(self, at: float) -> None:
        self.at = at

    def __call__(self) -> float:
        return self.at


@pytest.fixture(scope="module")
def jwks_server() -> Iterator[Jwks]:
    server = Jwks()
    yield server
    server.server.shutdown()


@pytest.fixture
def jwks(jwks_server: Jwks) -> Jwks:
    jwks_server.document, jwks_server.status, jwks_server.fetches = {"keys": [jwk_of(KEY, "k1")]}, 200, 0
    return jwks_server


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The machine booted 5 seconds ago (the monotonic clock's origin is undefined: boot time on Linux)."""
    fake = Clock(5.0)
    monkeypatch.setattr(time, "monotonic", fake)
    return fake


@pytest.fixture
def verifier(jwks: Jwks) -> tokens.AccessTokenVerifier:
    return tokens.AccessTokenVerifier(jwks.url, ISSUER, (CLIENT,))


def token(
    key: Any = KEY, kid: str = "k1", alg: str = "RS256", headers: dict[str, Any] | None = None, **overrides: Any
) -> str:
    now = int(time.time())
    claims = {"sub": "u1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access", "origin_jti": "s1",
              "iat": now, "exp": now + 600, **overrides}  # fmt: skip
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, **(headers or {})})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def test_a_good_token_verifies_as_pyjwt_verifies_it(verifier: tokens.AccessTokenVerifier) -> None:
    good = token()
    assert verifier.claims(good) == jwt.decode(good, KEY.public_key(), algorithms=["RS256"], issuer=ISSUER)


def _resigned_header(header: dict[str, Any] | str) -> str:
    """A token whose header segment is replaced (the signature no longer matters: the header is refused first)."""
    _, payload, signature = token().split(".")
    text = header if isinstance(header, str) else json.dumps(header)
    return f"{b64(text.encode())}.{payload}.{signature}"


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
        # what the hand-written verifier let through or crashed on (issue 21, item 2)
        pytest.param(lambda: "[" * 5000, id="5000 brackets"),
        pytest.param(lambda: _resigned_header("[" * 5000), id="5000 brackets in the header"),
        pytest.param(
            lambda: _resigned_header('{"alg": "RS256", "kid": ' + "[" * 3000 + "]" * 3000 + "}"), id="deep header"
        ),
        pytest.param(lambda: _insert(token(), 1, "*"), id="non-alphabet in the payload"),
        pytest.param(lambda: _insert(token(), 2, "!"), id="non-alphabet in the signature"),
        pytest.param(lambda: _insert(token(), 2, "!!!!"), id="non-alphabet dropped would leave the signature"),
        pytest.param(lambda: _insert(token(), 2, "\n\n\n\n"), id="newlines in the signature"),
        pytest.param(lambda: _insert(token(), 0, "="), id="padding in the header"),
        pytest.param(lambda: token(nbf=int(time.time()) + 600), id="future nbf"),
        pytest.param(lambda: token(iat=int(time.time()) + 600), id="future iat"),
        pytest.param(lambda: token(headers={"crit": ["exp-ext"], "exp-ext": True}), id="crit header"),
        pytest.param(lambda: token(exp=float("nan")), id="NaN exp"),
        pytest.param(lambda: token(exp=float("inf")), id="infinite exp"),
        pytest.param(lambda: token(exp=str(int(time.time()) + 600) + "x"), id="exp not a number"),
        pytest.param(lambda: token(padding="x" * 9000), id="over 8 KB"),
        pytest.param(lambda: token(kid=""), id="empty kid"),
        pytest.param(lambda: _resigned_header({"alg": "RS256", "typ": "JWT", "kid": 7}), id="kid not a string"),
        *[
            pytest.param(lambda claim=claim: token(**{claim: None}), id=f"no {claim}")
            for claim in ("exp", "iat", "iss", "sub", "client_id", "token_use")
        ],
    ],
)
def test_anything_else_is_refused(verifier: tokens.AccessTokenVerifier, bad: Any) -> None:
    with pytest.raises(Unauthorized):
        verifier.claims(bad())


def _insert(text: str, segment: int, character: str) -> str:
    parts = text.split(".")
    middle = len(parts[segment]) // 2
    parts[segment] = parts[segment][:middle] + character + parts[segment][middle:]
    return ".".join(parts)


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_small_or_non_rsa_keys_are_refused(jwks: Jwks, verifier: tokens.AccessTokenVerifier) -> None:
    small = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 - the point of the test
    jwks.document = {"keys": [jwk_of(small, "s"), {"kty": "oct", "kid": "o", "k": b64(b"0" * 32)}]}
    with pytest.raises(Unauthorized):
        verifier.claims(token(key=small, kid="s"))
    with pytest.raises(Unauthorized):
        verifier.claims(token(alg="HS256", key="0" * 32, kid="o"))


def test_a_token_verifies_right_after_boot(clock: Clock, jwks: Jwks, verifier: tokens.AccessTokenVerifier) -> None:
    """The monotonic clock reads 5 s on a fresh microVM: the first connect fetches the keys at once."""
    assert verifier.claims(token())["sub"] == "u1"
    assert jwks.fetches == 1


def test_keys_are_fetched_again_after_an_hour(clock: Clock, jwks: Jwks, verifier: tokens.AccessTokenVerifier) -> None:
    """A key the pool retired stops verifying within the hour; the new one verifies."""
    assert verifier.claims(token())["sub"] == "u1"
    jwks.document = {"keys": [jwk_of(OTHER_KEY, "k2")]}
    clock.at += 1800
    assert verifier.claims(token())["sub"] == "u1"  # kept for the hour
    assert jwks.fetches == 1
    clock.at += 1801
    with pytest.raises(Unauthorized):
        verifier.claims(token())
    assert verifier.claims(token(key=OTHER_KEY, kid="k2"))["sub"] == "u1"
    assert jwks.fetches == 2


def test_an_unknown_kid_refetches_at_most_once_a_minute(
    clock: Clock, jwks: Jwks, verifier: tokens.AccessTokenVerifier
) -> None:
    assert verifier.claims(token())["sub"] == "u1"
    for i in range(20):
        with pytest.raises(Unauthorized):
            verifier.claims(token(kid=f"made-up-{i}"))
    assert jwks.fetches == 1  # the set was fetched moments ago
    jwks.document = {"keys": [jwk_of(KEY, "k1"), jwk_of(OTHER_KEY, "k2")]}  # the pool adds a key
    clock.at += 61
    assert verifier.claims(token(key=OTHER_KEY, kid="k2"))["sub"] == "u1"
    for i in range(20):
        with pytest.raises(Unauthorized):
            verifier.claims(token(kid=f"made-up-again-{i}"))
    assert jwks.fetches == 2


@pytest.mark.parametrize("failure", ["down", "500", "not json", "no keys"])
def test_keys_that_cannot_be_fetched_are_a_503(jwks: Jwks, failure: str) -> None:
    if failure == "down":
        url = "http://127.0.0.1:9/.well-known/jwks.json"
    else:
        url = jwks.url
        jwks.status = 500 if failure == "500" else 200
        jwks.document = {"keys": []} if failure == "no keys" else jwks.document
        if failure == "not json":
            jwks.document = ["not", "an", "object"]  # type: ignore[assignment]
    with pytest.raises(ServiceUnavailable) as raised:
        tokens.AccessTokenVerifier(url, ISSUER, (CLIENT,)).claims(token())
    assert raised.value.status == 503


def test_the_live_connect_answers_503_while_the_keys_cannot_be_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    from live.handler import ROUTES

    unreachable = tokens.AccessTokenVerifier("http://127.0.0.1:9/.well-known/jwks.json", ISSUER, (CLIENT,))
    monkeypatch.setattr(tokens, "access_token_verifier", lambda: unreachable)
    event = {
        "requestContext": {"routeKey": "$connect", "connectionId": "c="},
        "queryStringParameters": {"token": token()},
    }
    assert ROUTES["$connect"](event)["statusCode"] == 503


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
