"""Single sign-on: the federated identity providers, the authorization code flow with PKCE through Cognito's
hosted sign-in, and a federated user's role from the provider's groups.

The flow (RFC 6749 §4.1, RFC 7636): the client makes a code verifier and its S256 challenge, asks
``authorize_url`` (the hosted sign-in's ``/oauth2/authorize``, straight to the named provider), the user signs in
there, the hosted sign-in redirects to the client's redirect URI with a code, and ``sign_in`` exchanges the code
and the verifier for Cognito's tokens: the same tokens as a password sign-in, refused, refreshed and revoked the
same way. The redirect URI must be one the single sign-on client declares (``ssoCallbackUrls``): nobody can have
a code sent elsewhere through this API.

A federated user's first sign-in makes their account as sign-up does (the Users record, the Cognito group of an
active role, the shares waiting for a verified email): its role is what the deployment maps the provider's groups
to (``map_role``). The provider's groups arrive in Cognito's ``custom:idp_groups`` attribute (attribute mapping,
``infra.constructs.auth``) and so in the ID token the exchange returns. From then on the account is like any
other: an admin changes its role, approves a pending clinician or disables it; a later sign-in does not remap it.
Why here and not in a Cognito trigger: moving the user into a group needs the user pool, which a trigger of that
pool cannot be granted without a circular dependency; and every federated session of this API starts here (a
token got around it has no account, and is refused as any token of an unknown user).
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from rpm_core.auth import Role, UserStatus
from rpm_core.config import settings
from rpm_core.data import identity
from rpm_core.data import users as user_store
from rpm_core.errors import BadRequest, NotFound, ValidationFailed
from rpm_core.models.users import CODE_VERIFIER as VERIFIER_PATTERN
from rpm_core.models.users import TokenResponse
from rpm_core.provenance import Actor, created
from rpm_core.services import audit_events, shares
from rpm_core.services.accounts import identity_problems, token_response
from rpm_core.services.sessions import ensure_session_active, unverified_claims

MAPPED_ROLES: dict[str, tuple[Role, UserStatus]] = {
    "admin": ("admin", "active"),
    "clinician_approved": ("clinician", "active"),
    "clinician": ("clinician", "pending_approval"),
    "caregiver": ("caregiver", "active"),
    "patient": ("patient", "active"),
}
"""What a mapping may name, most privileged first: a user in several mapped groups gets the first that applies."""
UNMAPPED: tuple[Role, UserStatus] = MAPPED_ROLES["patient"]
GROUPS_ATTRIBUTE = "custom:idp_groups"
"""The user pool attribute the providers' group claim (or SAML attribute) is mapped to."""
CODE_VERIFIER = re.compile(VERIFIER_PATTERN)
CODE = re.compile(r"[A-Za-z0-9\-._~]{1,4096}")
"""An OAuth code: unreserved characters only (so nothing else reaches the token endpoint's form)."""
OAUTH_SCOPES = ("openid", "email", "profile")
"""What the single sign-on client asks of Cognito: no ``aws.cognito.signin.user.admin``."""


@dataclass(frozen=True)
class Provider:
    name: str
    type: str
    roles: Mapping[str, str]


def providers() -> tuple[Provider, ...]:
    declared = json.loads(settings().sso_providers)
    return tuple(Provider(str(p["name"]), str(p["type"]), dict(p.get("roles") or {})) for p in declared)


def provider(name: str) -> Provider:
    for found in providers():
        if found.name.lower() == name.lower():
            return found
    raise NotFound(f"No identity provider is named {name!r}.")


def callback_urls() -> tuple[str, ...]:
    return tuple(str(url) for url in json.loads(settings().sso_callback_urls))


def _require_callback(redirect_uri: str) -> None:
    if redirect_uri not in callback_urls():
        raise ValidationFailed(
            "The redirect URI is not one this deployment declares (ssoCallbackUrls).",
            errors=[{"loc": ["query", "redirectUri"], "msg": "not a declared callback URL", "type": "redirect_uri"}],
        )


def authorize_url(name: str, *, redirect_uri: str, code_challenge: str, state: str | None) -> str:
    """Where the client's browser goes to sign in with provider ``name``: the hosted sign-in's authorize
    endpoint, straight to that provider (``identity_provider``), for a code bound to the S256 challenge."""
    found = provider(name)
    _require_callback(redirect_uri)
    config = settings()
    query = {
        "response_type": "code",
        "client_id": config.sso_client_id or "",
        "redirect_uri": redirect_uri,
        "identity_provider": found.name,
        "scope": " ".join(OAUTH_SCOPES),
        "state": state or secrets.token_urlsafe(24),
        "code_challenge": code_challenge,
        "code_challenge_method": "S256",
    }
    return f"{config.sso_domain_url.rstrip('/')}/oauth2/authorize?{urlencode(query)}"


def groups_of(value: Any) -> tuple[str, ...]:
    """The provider's groups as Cognito keeps them in a string attribute: a JSON list, Cognito's rendering of a
    multi-valued claim (``[a, b]``), or one group (or several separated by commas)."""
    if value is None:
        return ()
    if isinstance(value, list):
        return tuple(str(item).strip() for item in value if str(item).strip())
    text = str(value).strip()
    try:
        parsed = json.loads(text)
    except ValueError:
        parsed = None
    if isinstance(parsed, list):
        return groups_of(parsed)
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return tuple(item.strip().strip('"') for item in text.split(",") if item.strip().strip('"'))


def map_role(groups: Iterable[str], mapping: Mapping[str, str]) -> tuple[Role, UserStatus]:
    """The role (and status) of a federated user in ``groups``: the most privileged their groups map to
    (``MAPPED_ROLES``'s order), a ``patient`` if none is mapped."""
    mapped = {mapping[group] for group in groups if group in mapping}
    for name, role in MAPPED_ROLES.items():
        if name in mapped:
            return role
    return UNMAPPED


def _identity(claims: Mapping[str, Any]) -> dict[str, Any] | None:
    """The federated identity of an ID token (Cognito's ``identities`` claim), if it is one."""
    identities = claims.get("identities")
    if isinstance(identities, str):
        try:
            identities = json.loads(identities)
        except ValueError:
            return None
    if isinstance(identities, list) and identities and isinstance(identities[0], dict):
        return identities[0]
    return None


def sign_in(
    code: str, code_verifier: str, redirect_uri: str, request_id: str, source_ip: str | None = None
) -> TokenResponse:
    """Tokens for a code of the hosted sign-in; a federated user's first sign-in makes their account."""
    if not providers():
        raise NotFound("Single sign-on is not configured for this deployment.")
    if redirect_uri not in callback_urls():
        raise BadRequest("The redirect URI is not one this deployment declares (ssoCallbackUrls).")
    if not CODE_VERIFIER.fullmatch(code_verifier) or not CODE.fullmatch(code):
        raise BadRequest("The code or the code verifier is not valid (RFC 7636: 43 to 128 unreserved characters).")
    with identity_problems():
        tokens = identity.exchange_code(code, code_verifier, redirect_uri)
    claims = unverified_claims(tokens.id_token)  # from Cognito itself, over TLS
    user_id = str(claims["sub"])
    if user_store.get_user(user_id) is None:
        _provision(user_id, claims, request_id)
    ensure_session_active(tokens.access_token)  # a disabled account's sign-in ends here, as a refresh would
    audit_events.record_login(user_id, request_id=request_id, source_ip=source_ip)
    return token_response(tokens)


def _provision(user_id: str, claims: Mapping[str, Any], request_id: str) -> None:
    federated = _identity(claims)
    if federated is None:  # the single sign-on client signs in federated users only
        raise ValidationFailed("The code is not of a federated sign-in.")
    source = provider(str(federated.get("providerName", "")))
    role, status = map_role(groups_of(claims.get(GROUPS_ATTRIBUTE)), source.roles)
    email = str(claims.get("email") or "").strip().lower()
    cognito_name = f"{source.name}_{federated.get('userId')}"
    if status == "active":
        identity.set_group(cognito_name, role, previous=None)
    try:
        user_store.put_new_user(
            {
                "userId": user_id,
                "email": email,
                "displayName": str(claims.get("name") or email or "Federated user")[:200],
                "role": role,
                "status": status,
                "identityProvider": source.name,
                "cognitoUsername": cognito_name,
                **created(Actor(user_id, request_id)),
            }
        )
    except user_store.UserExists:  # two first sign-ins at once: the other made the account
        return
    if email and str(claims.get("email_verified", "")).lower() == "true":
        shares.take_pending(user_id, email, request_id)
