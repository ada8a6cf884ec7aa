"""Accounts: sign-up, login, roles, and the first admin.

Cognito holds credentials and mirrors the role as a group; the Users table holds the role and
status the API decides on (read by the authorizer on every request, so a role change or a
clinician's approval takes effect at once, without waiting for new tokens).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rpm_core.auth import Principal, Role, UserStatus
from rpm_core.data import identity
from rpm_core.data import users as user_store
from rpm_core.data.pagination import Page
from rpm_core.errors import (
    BadRequest,
    Conflict,
    Forbidden,
    NotFound,
    ProblemError,
    ServiceUnavailable,
    Throttled,
    Unauthorized,
    ValidationFailed,
)
from rpm_core.models.users import ACTIVE_AT_SIGN_UP, Me, SignupRequest, SignupResponse, TokenResponse, User
from rpm_core.provenance import Actor, created, updated
from rpm_core.services import audit_events, patients, reads, sessions, shares
from rpm_core.services.access import require_admin

PASSWORD_POLICY = "at least 12 characters with upper and lower case letters, a number and a symbol"  # noqa: S105
IDENTITY_PROBLEMS: dict[type[identity.IdentityError], ProblemError] = {
    identity.IdentityThrottled: Throttled("Too many attempts; try again later."),
    identity.InvalidAuthorizationCode: BadRequest(
        "The authorization code is not valid: unknown, used or expired, issued for another redirect URI, or "
        "the code verifier does not match its challenge."
    ),
    identity.IdentityUnavailable: ServiceUnavailable("The hosted sign-in cannot be reached now; try again shortly."),
    identity.EmailTaken: Conflict("An account with this email already exists."),
    identity.WeakPassword: ValidationFailed(
        f"The password does not meet the password policy: {PASSWORD_POLICY}.",
        errors=[{"loc": ["body", "password"], "msg": PASSWORD_POLICY, "type": "password_policy"}],
    ),
    identity.SignUpRejected: ValidationFailed("The sign-up was rejected by the identity provider."),
    identity.InvalidConfirmation: BadRequest("The confirmation code is not valid for this email."),
    identity.NotConfirmed: Forbidden("Confirm your email address first (POST /auth/confirm)."),
    identity.InvalidCredentials: Unauthorized("The email or password is not correct."),
    identity.InvalidRefreshToken: Unauthorized("The refresh token is not valid."),
}
"""What each refusal of the identity provider means to the caller."""


@contextmanager
def identity_problems() -> Iterator[None]:
    """The identity provider's refusals as the problems the contract names."""
    try:
        yield
    except identity.ChallengeRequired as error:
        raise Unauthorized(
            f"Sign-in needs the {error.challenge} challenge, which this API does not support."
        ) from error
    except identity.IdentityError as error:
        problem = IDENTITY_PROBLEMS[type(error)]
        raise type(problem)(problem.detail, errors=problem.errors) from error


def _normalize_email(email: str) -> str:
    return email.strip().lower()


def sign_up(request: SignupRequest, request_id: str) -> SignupResponse:
    email = _normalize_email(str(request.email))
    with identity_problems():
        user_id = identity.sign_up(email, request.password, request.displayName)
    status: UserStatus = "active" if request.role in ACTIVE_AT_SIGN_UP else "pending_approval"
    try:
        if status == "active":
            identity.set_group(user_id, request.role, previous=None)
        user_store.put_new_user(
            {
                "userId": user_id,
                "email": email,
                "displayName": request.displayName,
                "role": request.role,
                "status": status,
                **created(Actor(user_id, request_id)),
            }
        )
    except Exception:
        identity.delete_user(user_id)  # no half-made account: the same sign-up can be retried
        raise
    if identity.verifies_at_sign_up():  # the address counts as verified at once: shares made to it are theirs
        shares.take_pending(user_id, email, request_id)
    return SignupResponse(userId=user_id, email=email, role=request.role, status=status)


def confirm(email: str, code: str, request_id: str) -> None:
    """Confirms the address; its user then takes the shares made to it."""
    address = _normalize_email(email)
    with identity_problems():
        identity.confirm_sign_up(address, code)
        user_id = identity.verified_user_id(address)
    if user_id:
        shares.take_pending(user_id, address, request_id)


def token_response(tokens: identity.Tokens) -> TokenResponse:
    return TokenResponse(
        accessToken=tokens.access_token,
        idToken=tokens.id_token,
        refreshToken=tokens.refresh_token,
        expiresIn=tokens.expires_in,
    )


def log_in(email: str, password: str, request_id: str | None = None, source_ip: str | None = None) -> TokenResponse:
    """Signs in; the audit trail records the login, or the failed attempt without naming the account."""
    email = _normalize_email(email)
    with identity_problems():
        try:
            tokens = identity.log_in(email, password)
        except identity.InvalidCredentials:
            audit_events.record_failed_login(email, request_id=request_id, source_ip=source_ip)
            raise
    audit_events.record_login(_token_subject(tokens.access_token), request_id=request_id, source_ip=source_ip)
    return token_response(tokens)


def _token_subject(access_token: str) -> str:
    """The user id (``sub``) of a token Cognito just issued to us (over TLS: no need to verify it again)."""
    payload = access_token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    return str(claims["sub"])


def refresh(refresh_token: str) -> TokenResponse:
    with identity_problems():
        tokens = identity.refresh(refresh_token)
    sessions.ensure_session_active(tokens.access_token)
    return token_response(tokens)


def _user(item: dict[str, Any]) -> User:
    return User(objectId=item["userId"], **{k: v for k, v in item.items() if k in User.model_fields})


def me(principal: Principal) -> Me:
    item = user_store.get_user(principal.user_id)
    if item is None:
        raise NotFound("Your account record was not found.")
    found = Me(**{k: v for k, v in item.items() if k in Me.model_fields})
    reads.across_patients(principal, "User", [(found.patientId, found.userId)])  # a patient's own account
    return found


def list_users(
    principal: Principal, *, role: str | None, limit: int, cursor: str | None
) -> tuple[list[User], str | None]:
    require_admin(principal)
    page: Page = user_store.list_users(
        role=role, limit=limit, cursor=cursor, scope=f"users|{principal.user_id}|{role or ''}"
    )
    users = [_user(item) for item in page.items]
    reads.across_patients(principal, "User", ((user.patientId, user.objectId) for user in users))
    return users, page.next_cursor


def change_role(principal: Principal, user_id: str, role: Role, request_id: str) -> User:
    require_admin(principal)
    if user_id == principal.user_id:
        raise Conflict("Admins cannot change their own role (ask another admin).")
    current = user_store.get_user(user_id)
    if current is None:
        raise NotFound(f"User {user_id} was not found.")
    becomes_staff = role != "patient"
    if current["role"] == "patient" and becomes_staff and current.get("patientId"):
        raise Conflict("This user has a patient profile; a patient account cannot become staff.")
    previous_group = current["role"] if current.get("status") == "active" else None
    cognito_name = user_store.cognito_username(current)
    identity.set_group(cognito_name, role, previous=previous_group)
    actor = Actor(principal.user_id, request_id)
    try:
        # the condition closes the race with a profile being linked meanwhile
        item = user_store.update_user(
            user_id, {"role": role, "status": "active", **updated(actor)}, unlinked=becomes_staff
        )
    except user_store.UserChangedMeanwhile as error:
        identity.set_group(cognito_name, previous_group, previous=role)  # undo the group move
        raise Conflict("This user has a patient profile; a patient account cannot become staff.") from error
    if current["role"] == "clinician" and role != "clinician":
        patients.remove_from_all_care_teams(user_id, actor)  # access ends with the role
    return _user(item)


def create_admin(email: str, password: str, display_name: str = "Administrator") -> tuple[str, bool]:
    """Creates the first admin unless an account with that email exists. Returns (user id, created)."""
    email = _normalize_email(email)
    existing = identity.find_user_id(email)
    if existing:
        return existing, False
    with identity_problems():
        user_id = identity.create_confirmed_user(email, password, display_name)
    identity.set_group(user_id, "admin", previous=None)
    user_store.put_new_user(
        {
            "userId": user_id,
            "email": email,
            "displayName": display_name,
            "role": "admin",
            "status": "active",
            **created(Actor("system", "bootstrap", kind="system")),
        }
    )
    return user_id, True
