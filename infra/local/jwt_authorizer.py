"""API Gateway's JWT authorizer, locally: the check the HTTP API makes before any function runs.

Verifies the bearer token's RS256 signature against the user pool's JWKS (moto's), its issuer,
its audience (``aud``, or ``client_id`` where there is no ``aud``, as in Cognito access tokens; so
API Gateway accepts the pool's ID tokens too, and the function refuses them by ``token_use``) and
its expiry, then hands the claims to the function as ``requestContext.authorizer.jwt.claims``
(strings, as API Gateway sends them). What API Gateway cannot check (``token_use``, the user's
role and status, revocation) the function's entrypoint checks. pyjwt lives here and in the
tests, not in the functions.
"""

from __future__ import annotations

from typing import Any

import jwt

from rpm_core.errors import Unauthorized

REQUIRED_CLAIMS = ("exp", "iat", "sub", "iss")


def bearer_token(headers: Any) -> str:
    for name, value in (headers or {}).items():
        if name.lower() == "authorization" and value:
            scheme, _, token = value.partition(" ")
            if scheme.lower() == "bearer" and token.strip():
                return token.strip()
    raise Unauthorized("Sign in first: send Authorization: Bearer <accessToken>.")


class JwtAuthorizer:
    def __init__(self, jwks_url: str, issuer: str, audiences: tuple[str, ...]) -> None:
        """``audiences``: the app client, and the single sign-on client where providers are declared (as the
        deployed authorizer's ``jwtAudience`` lists them)."""
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=3600, timeout=5)
        self._issuer = issuer
        self._audiences = audiences

    def claims(self, token: str) -> dict[str, str]:
        """The verified claims, as the JWT authorizer passes them on; Unauthorized otherwise."""
        try:
            if jwt.get_unverified_header(token).get("alg") != "RS256":
                raise Unauthorized("The token is not valid.")
            key = self._jwks.get_signing_key_from_jwt(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                issuer=self._issuer,
                options={"require": list(REQUIRED_CLAIMS), "verify_aud": False},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized("The token is not valid.") from exc
        audience = claims["aud"] if "aud" in claims else claims.get("client_id")  # API Gateway's order
        if audience not in self._audiences:
            raise Unauthorized("The token is not valid for this API.")
        return {name: value if isinstance(value, str) else str(value) for name, value in claims.items()}
