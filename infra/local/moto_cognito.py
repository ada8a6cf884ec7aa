"""Cognito's ``RevokeToken`` and ``DeleteUser``, which moto does not serve, its global sign-out by ``sub``,
its pre-token-generation trigger and its access-token scopes, for the local stack.

AWS (the app client has token revocation on): the refresh token no longer refreshes, and the access
and ID tokens it issued are refused by Cognito's own API; an unknown token is no error (RFC 7009 §2.2),
a token of another client is ``UnauthorizedException``. moto keeps a pool's refresh tokens as
``token → (client id, username, origin_jti)`` and refuses a refresh token mapped to ``None`` (what its
own global sign-out does); this stand-in does the same for one token, and forgets the access tokens of
that session (``origin_jti``), as AWS does.

``AdminUserGlobalSignOut`` accepts the user's ``sub`` (what the API knows a user by) in AWS and in moto,
but moto then signs out the tokens kept under that very name, while it keeps them under the name given
at sign-in (the email): nobody is signed out. This signs out every token of the user it found, as AWS does.

moto calls no trigger. The local stack registers the user pool's pre-token-generation function
(``PRE_TOKEN_GENERATION``): every access token moto issues (sign-in and refresh) is made from that
function's answer to Cognito's version 2 event, its scopes suppressed or added as the answer says. And
moto checks no scope: here, as in AWS, an operation authorized by an access token alone (``GetUser``,
``UpdateUserAttributes``, ``DeleteUser``, ...) is refused unless the token carries
``aws.cognito.signin.user.admin``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

from moto.cognitoidp.exceptions import NotAuthorizedError
from moto.cognitoidp.models import CognitoIdpBackend, CognitoIdpUserPool
from moto.cognitoidp.responses import CognitoIdpResponse
from moto.cognitoidp.utils import flatten_attrs
from moto.core.responses import ActionResult, EmptyResult

_installed: list[bool] = []


SELF_SERVICE_SCOPE = "aws.cognito.signin.user.admin"
PRE_TOKEN_GENERATION: list[Callable[[dict[str, Any]], dict[str, Any]]] = []
"""The user pool's pre-token-generation trigger (at most one), as the local stack registered it."""
ACCESS_TOKEN_OPERATIONS = (
    "get_user",
    "update_user_attributes",
    "delete_user_attributes",
    "change_password",
    "global_sign_out",
    "set_user_mfa_preference",
    "associate_software_token",
    "verify_software_token",
    "get_user_attribute_verification_code",
    "verify_user_attribute",
    "delete_user",
)
"""Cognito's operations authorized by an access token (``AccessToken``), by moto's response method name."""


def _claims(token: str) -> dict[str, Any]:
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError):
        return {}
    return claims if isinstance(claims, dict) else {}


def _origin_jti(access_token: str) -> str | None:
    found = _claims(access_token).get("origin_jti")
    return str(found) if found else None


def token_generation_event(
    *, region: str, user_pool_id: str, username: str, client_id: str, attributes: dict[str, str], groups: list[str]
) -> dict[str, Any]:
    """Cognito's version 2 pre-token-generation event for a sign-in of ``username`` at ``client_id``."""
    return {
        "version": "2",
        "triggerSource": "TokenGeneration_Authentication",
        "region": region,
        "userPoolId": user_pool_id,
        "userName": username,
        "callerContext": {"awsSdkVersion": "local", "clientId": client_id},
        "request": {
            "userAttributes": attributes,
            "groupConfiguration": {"groupsToOverride": groups, "iamRolesToOverride": [], "preferredRole": None},
            "scopes": [SELF_SERVICE_SCOPE],
        },
        "response": {"claimsAndScopeOverrideDetails": None},
    }


def create_access_token(self: CognitoIdpUserPool, client_id: str, username: str, origin_jti: str) -> tuple[str, int]:
    """moto's own (an access token of the client, kept as issued), with the trigger's answer applied."""
    claims: dict[str, Any] = {"origin_jti": origin_jti}
    scopes = [SELF_SERVICE_SCOPE]
    user = self._get_user(username)
    if user.groups:
        claims["cognito:groups"] = [group.group_name for group in user.groups]
    for trigger in PRE_TOKEN_GENERATION:
        event = token_generation_event(
            region=self.region,
            user_pool_id=self.id,
            username=user.username,
            client_id=client_id,
            attributes=flatten_attrs(user.attributes),
            groups=[group.group_name for group in user.groups],
        )
        answer = trigger(event)
        override = ((answer.get("response") or {}).get("claimsAndScopeOverrideDetails") or {}).get(
            "accessTokenGeneration"
        ) or {}
        suppressed = set(override.get("scopesToSuppress") or ())
        scopes = [scope for scope in scopes if scope not in suppressed] + list(override.get("scopesToAdd") or ())
        claims.update(override.get("claimsToAddOrOverride") or {})
        for name in override.get("claimsToSuppress") or ():
            claims.pop(name, None)
    if scopes:
        claims["scope"] = " ".join(scopes)
    access_token, expires_in = self.create_jwt(client_id, username, "access", extra_data=claims)
    self.access_tokens[access_token] = (client_id, username)
    return access_token, expires_in


def _scope_checked(operation: Callable[[CognitoIdpResponse], Any]) -> Callable[[CognitoIdpResponse], Any]:
    def checked(self: CognitoIdpResponse) -> Any:
        token = self._get_param("AccessToken")
        if token and SELF_SERVICE_SCOPE not in str(_claims(token).get("scope", "")).split():
            raise NotAuthorizedError("Access Token does not have required scopes")
        return operation(self)

    return checked


def _delete_user(self: CognitoIdpResponse) -> ActionResult:
    token = self._get_param("AccessToken")
    for pool in self.backend.user_pools.values():
        if token in pool.access_tokens:
            _, username = pool.access_tokens[token]
            self.backend.admin_delete_user(pool.id, username)
            return EmptyResult()
    raise NotAuthorizedError(token)


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
    """Adds the actions to moto's Cognito in this process (the local stack runs moto's server in-process)."""
    if _installed:
        return
    CognitoIdpResponse.revoke_token = _revoke_token  # type: ignore[attr-defined]
    CognitoIdpResponse.delete_user = _delete_user  # type: ignore[attr-defined]
    CognitoIdpBackend.admin_user_global_sign_out = admin_user_global_sign_out  # type: ignore[method-assign]
    CognitoIdpUserPool.create_access_token = create_access_token  # type: ignore[method-assign]
    for name in ACCESS_TOKEN_OPERATIONS:
        operation = getattr(CognitoIdpResponse, name, None)
        if operation is not None:
            setattr(CognitoIdpResponse, name, _scope_checked(operation))
    _installed.append(True)
