"""Verification of a Cognito access token inside a function, for the one entry that API Gateway's JWT
authorizer cannot guard: a WebSocket ``$connect`` with ``?token=`` (clients with a ticket of ``POST
/live/tickets`` present no token at all).

What the HTTP API's JWT authorizer checks, this checks the same way, with PyJWT (and ``cryptography``
for RS256): a signature by a key of the user pool's JWKS, ``alg`` RS256 only, the issuer, the audience
(``client_id`` for access tokens) and the expiry, with ``exp``, ``iat``, ``iss``, ``sub``, ``client_id``
and ``token_use`` required and a future ``iat`` or ``nbf`` refused. Before PyJWT sees a token, it must be
three segments of the base64url alphabet (nothing silently dropped) of at most 8 KB, and its header
must name a ``kid`` and no ``crit`` extension (none is understood here). What the two entries share
after that (``token_use``, the user's role and status, the session's revocation) is
``rpm_core.services.sessions.authenticate``, called by both.

Keys: ``PyJWKClient`` keeps the JWKS for an hour (then fetches it again, so a key the pool retired
stops verifying), never caches a key beyond its set, and refetches for an unknown ``kid`` at most once a
minute (a flood of made-up ``kid``s costs one request a minute). A JWKS that cannot be fetched is a 503
(try again), never a crash or a 401 the client would take for a bad token.

Imported only by the ``$connect`` path (``sessions.authenticate_token``), so no cold start of any
function loads PyJWT or ``cryptography`` (``tests/unit/test_packaged_handlers.py``).
"""

from __future__ import annotations

import re
from typing import Any

import jwt

from rpm_core.config import process_cache, settings
from rpm_core.errors import ServiceUnavailable, Unauthorized

MAX_TOKEN_CHARACTERS = 8192
"""A Cognito access token is about 1 KB; 8 KB leaves room for many groups, and bounds the work."""
ALGORITHMS = ["RS256"]
REQUIRED_CLAIMS = ("exp", "iat", "iss", "sub", "client_id", "token_use")
KEY_LIFESPAN_SECONDS = 3600
UNKNOWN_KID_REFETCH_SECONDS = 60
JWKS_TIMEOUT_SECONDS = 5
MIN_MODULUS_BITS = 2048
LEEWAY_SECONDS = 0
SHAPE = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")
"""A JWS in compact form, strictly base64url (RFC 7515 §7.1, RFC 4648 §5, no padding)."""


def _invalid(detail: str = "The token is not valid.") -> Unauthorized:
    return Unauthorized(detail)


class AccessTokenVerifier:
    def __init__(self, jwks_url: str, issuer: str, client_ids: tuple[str, ...]) -> None:
        self.issuer = issuer
        self.client_ids = client_ids
        self._keys = jwt.PyJWKClient(
            jwks_url,
            cache_keys=False,  # its LRU never expires: keys would outlive their set
            cache_jwk_set=True,
            lifespan=KEY_LIFESPAN_SECONDS,
            cooldown_duration=UNKNOWN_KID_REFETCH_SECONDS,
            timeout=JWKS_TIMEOUT_SECONDS,
        )

    def _signing_key(self, kid: str) -> Any:
        try:
            self._keys.get_signing_keys()  # the pool's set, fetched now unless kept from the last hour
        except (jwt.PyJWKClientError, jwt.PyJWKSetError) as error:
            raise ServiceUnavailable("The sign-in keys cannot be fetched now; try again shortly.") from error
        try:
            found = self._keys.get_signing_key(kid)  # an unknown kid: the set again, at most once a minute
        except (jwt.PyJWKClientConnectionError, jwt.PyJWKSetError) as error:
            raise ServiceUnavailable("The sign-in keys cannot be fetched now; try again shortly.") from error
        except jwt.PyJWKClientError as error:
            raise _invalid() from error
        key = found.key
        if found.key_type != "RSA" or getattr(key, "key_size", 0) < MIN_MODULUS_BITS:
            raise _invalid()
        return key

    def claims(self, token: str) -> dict[str, Any]:
        """The token's claims if API Gateway's JWT authorizer would pass it; Unauthorized otherwise,
        ServiceUnavailable while the pool's keys cannot be fetched."""
        if not isinstance(token, str) or len(token) > MAX_TOKEN_CHARACTERS or not SHAPE.fullmatch(token):
            raise _invalid()
        try:
            header = jwt.get_unverified_header(token)
        except (jwt.PyJWTError, ValueError, TypeError, RecursionError) as error:
            raise _invalid() from error
        kid = header.get("kid")
        if header.get("alg") not in ALGORITHMS or "crit" in header or not isinstance(kid, str) or not kid:
            raise _invalid()
        key = self._signing_key(kid)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=ALGORITHMS,
                issuer=self.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": list(REQUIRED_CLAIMS), "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as error:
            raise _invalid("The token has expired.") from error
        except (jwt.PyJWTError, ValueError, TypeError, OverflowError, RecursionError) as error:
            raise _invalid() from error
        audience = claims["aud"] if "aud" in claims else claims.get("client_id")  # API Gateway's order
        if audience not in self.client_ids:
            raise _invalid("The token is not valid for this API.")
        return claims


@process_cache
def access_token_verifier() -> AccessTokenVerifier:
    config = settings()
    return AccessTokenVerifier(config.jwks_url, config.token_issuer, config.token_client_ids)
