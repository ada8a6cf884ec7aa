"""Cognito's ``RevokeToken``, which moto does not serve, and its global sign-out by ``sub``, for the local stack.

AWS (the app client has token revocation on): the refresh token no longer refreshes, and the access
and ID tokens it issued are refused by Cognito's own API; an unknown token is no error (RFC 7009 §2.2),
a token of another client is ``UnauthorizedException``. moto keeps a pool's refresh tokens as
``token → (client id, username, origin_jti)`` and refuses a refresh token mapped to ``None`` (what its
own global sign-out does); this stand-in does the same for one token, and forgets the access tokens of
that session (``origin_jti``), as AWS does.

``AdminUserGlobalSignOut`` accepts the user's ``sub`` (what the API knows a user by) in AWS and in moto,
but moto then signs out the tokens kept under that very name, while it keeps them under the name given
at sign-in (the email): nobody is signed out. This signs out every token of the user it found, as AWS does.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.core.responses import ActionResult, EmptyResult

_installed: list[bool] = []


def _origin_jti(access_token: str) -> str | None:
    try:
        payload = access_token.split(".")[1]
        claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return None
    return str(claims.get("origin_jti")) if claims.get("origin_jti") else None


def revoke_token(backend: CognitoIdpBackend, token: str, client_id: str) -> None:
    for pool in backend.user_pools.values():
        entry = pool.refresh_tokens.get(token)
        if entry is None:
            continue
        issued_to, _, origin_jti = entry
        if issued_to != client_id:
            raise NotAuthorizedError("The token was not issued to this client.")
        pool.refresh_tokens[token] = None
        for access_token in [t for t in pool.access_tokens if _origin_jti(t) == origin_jti]:
            pool.access_tokens.pop(access_token, None)
        return


def _revoke_token(self: CognitoIdpResponse) -> ActionResult:
    revoke_token(self.backend, self._get_param("Token"), self._get_param("ClientId"))
    return EmptyResult()


def admin_user_global_sign_out(self: CognitoIdpBackend, user_pool_id: str, username: str) -> None:
    pool = self.describe_user_pool(user_pool_id)
    user = self.admin_get_user(user_pool_id, username)
    for token, entry in list(pool.refresh_tokens.items()):
        if entry is not None and pool._get_user(entry[1]) is user:
            pool.refresh_tokens[token] = None
    for access_token, (_, name) in list(pool.access_tokens.items()):
        if pool._get_user(name) is user:
            pool.access_tokens.pop(access_token, None)


def install() -> None:
    """Adds the action to moto's Cognito in this process (the local stack runs moto's server in-process)."""
    if _installed:
        return
    CognitoIdpResponse.revoke_token = _revoke_token  # type: ignore[attr-defined]
    CognitoIdpBackend.admin_user_global_sign_out = admin_user_global_sign_out  # type: ignore[method-assign]
    _installed.append(True)
