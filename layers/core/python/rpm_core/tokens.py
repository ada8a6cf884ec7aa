"""Verification of a Cognito access token inside a function, for the one entry that API Gateway's JWT
authorizer cannot guard: a WebSocket ``$connect`` (the token comes in its query string).

What the HTTP API's JWT authorizer checks, this checks the same way: an RS256 signature by a key of the
user pool's JWKS, the issuer, the audience (``client_id`` for access tokens) and the expiry. What the
two entries share after that (``token_use``, the user's role and status, the session's revocation) is
``rpm_core.services.sessions.authenticate``, called by both.

Standard library only, by choice: the functions carry no JWT or crypto library (it would cost every
cold start of the ``$connect`` function the import of ``cryptography``). RS256 verification is one
modular exponentiation with the public key and a comparison with the expected PKCS #1 v1.5 encoding
of the SHA-256 digest, exactly as RFC 8017 §8.2.2 prescribes (the signature is *encoded and compared*,
never parsed, which rules out the padding-parsing flaws of hand-written verifiers). The keys are
fetched once per process and again only for a ``kid`` not seen before (at most once a minute).
Tests hold this verifier against pyjwt's answers for real, forged, expired and ``alg: none`` tokens.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from rpm_core.config import process_cache, settings
from rpm_core.errors import Unauthorized

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
"""The DER prefix of a SHA-256 DigestInfo (RFC 8017 §9.2, note 1)."""
LEEWAY_SECONDS = 0
JWKS_REFRESH_SECONDS = 60
MIN_MODULUS_BITS = 2048


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int(text: str) -> int:
    return int.from_bytes(_b64url(text), "big")


@dataclass(frozen=True)
class RsaPublicKey:
    n: int
    e: int

    def verifies(self, message: bytes, signature: bytes) -> bool:
        """RSASSA-PKCS1-v1_5-VERIFY with SHA-256 (RFC 8017 §8.2.2)."""
        size = (self.n.bit_length() + 7) // 8
        if len(signature) != size:
            return False
        s = int.from_bytes(signature, "big")
        if s >= self.n:
            return False
        encoded = pow(s, self.e, self.n).to_bytes(size, "big")
        digest_info = SHA256_DIGEST_INFO + hashlib.sha256(message).digest()
        expected = b"\x00\x01" + b"\xff" * (size - len(digest_info) - 3) + b"\x00" + digest_info
        return hmac.compare_digest(encoded, expected)


def keys_of(jwks: dict[str, Any]) -> dict[str, RsaPublicKey]:
    """The RSA signing keys of a JWKS document, by ``kid`` (others are ignored)."""
    keys: dict[str, RsaPublicKey] = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig" or not jwk.get("kid"):
            continue
        key = RsaPublicKey(n=_int(jwk["n"]), e=_int(jwk["e"]))
        if key.n.bit_length() >= MIN_MODULUS_BITS:
            keys[str(jwk["kid"])] = key
    return keys


def fetch_jwks(url: str) -> dict[str, Any]:
    if not url.startswith(("https://", "http://")):
        raise ValueError("the JWKS URL must be http(s)")
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - scheme checked above
        document: dict[str, Any] = json.loads(response.read())
    return document


@dataclass
class AccessTokenVerifier:
    jwks_url: str
    issuer: str
    client_id: str
    _keys: dict[str, RsaPublicKey] = field(default_factory=dict)
    _fetched_at: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _key(self, kid: str) -> RsaPublicKey | None:
        with self._lock:
            if kid not in self._keys and time.monotonic() - self._fetched_at >= JWKS_REFRESH_SECONDS:
                self._keys = keys_of(fetch_jwks(self.jwks_url))
                self._fetched_at = time.monotonic()
            return self._keys.get(kid)

    def claims(self, token: str) -> dict[str, Any]:
        """The token's claims if API Gateway's JWT authorizer would pass it; Unauthorized otherwise."""
        try:
            head, payload, signature = token.split(".")
            header = json.loads(_b64url(head))
            claims: dict[str, Any] = json.loads(_b64url(payload))
            raw_signature = _b64url(signature)
        except (ValueError, TypeError) as error:  # binascii.Error and JSONDecodeError are ValueErrors
            raise Unauthorized("The token is not valid.") from error
        if not isinstance(header, dict) or header.get("alg") != "RS256" or not isinstance(claims, dict):
            raise Unauthorized("The token is not valid.")
        key = self._key(str(header.get("kid", "")))
        if key is None or not key.verifies(f"{head}.{payload}".encode(), raw_signature):
            raise Unauthorized("The token is not valid.")
        if claims.get("iss") != self.issuer:
            raise Unauthorized("The token is not valid.")
        audience = claims["aud"] if "aud" in claims else claims.get("client_id")  # API Gateway's order
        if audience != self.client_id:
            raise Unauthorized("The token is not valid for this API.")
        expires = claims.get("exp")
        if not isinstance(expires, int | float) or expires + LEEWAY_SECONDS <= time.time():
            raise Unauthorized("The token has expired.")
        if not isinstance(claims.get("iat"), int | float) or not claims.get("sub"):
            raise Unauthorized("The token is not valid.")
        return claims


@process_cache
def access_token_verifier() -> AccessTokenVerifier:
    config = settings()
    return AccessTokenVerifier(config.jwks_url, config.token_issuer, config.user_pool_client_id)
