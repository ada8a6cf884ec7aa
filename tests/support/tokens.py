"""Forged and stale tokens, made from a real one."""

from __future__ import annotations

import base64
import gzip
import json
import time
from importlib import resources
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def _moto_private_key() -> Any:
    raw = resources.files("moto.cognitoidp").joinpath("resources/jwks-private.json.gz").read_bytes()
    key = json.loads(gzip.decompress(raw))
    return jwt.PyJWK(key["keys"][0] if "keys" in key else key).key


def expired_like(token: str) -> str:
    """Signed with the pool's real key (moto's), but expired an hour ago."""
    claims = {**_claims(token), "iat": int(time.time()) - 7200, "exp": int(time.time()) - 3600}
    return jwt.encode(
        claims, _moto_private_key(), algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]}
    )


def with_bad_signature(token: str) -> str:
    """The same claims signed with a key that is not the pool's."""
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return jwt.encode(
        _claims(token), other_key, algorithm="RS256", headers={"kid": jwt.get_unverified_header(token)["kid"]}
    )


def unsigned_like(token: str) -> str:
    """``alg: none``: the same claims with no signature at all."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(_claims(token))}."
