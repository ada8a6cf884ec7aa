"""Cognito user pool: sign-up, confirmation, tokens and group membership.

Cognito's error codes are translated into this module's own exceptions (``IdentityError`` and its
kinds), so that nothing above it knows Cognito's vocabulary; ``rpm_core.services.accounts`` turns
them into problems.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from rpm_core.config import settings
from rpm_core.data.aws import cognito
from rpm_core.data.items import error_code


class IdentityError(Exception):
    """A refusal by the identity provider, named for what it means to a caller."""


class IdentityThrottled(IdentityError):
    pass


class EmailTaken(IdentityError):
    pass


class WeakPassword(IdentityError):
    pass


class SignUpRejected(IdentityError):
    pass


class InvalidConfirmation(IdentityError):
    pass


class NotConfirmed(IdentityError):
    pass


class InvalidCredentials(IdentityError):
    pass


class InvalidRefreshToken(IdentityError):
    pass


class InvalidAuthorizationCode(IdentityError):
    """The hosted sign-in refused a code exchange: an unknown, used or expired code, a code verifier that does
    not match its challenge, or another redirect URI than the code was issued for (OAuth ``invalid_grant``)."""


class IdentityUnavailable(IdentityError):
    """The hosted sign-in did not answer, or answered with an error of its own."""


class ChallengeRequired(IdentityError):
    def __init__(self, challenge: str) -> None:
        super().__init__(challenge)
        self.challenge = challenge


_THROTTLED = {"TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"}


@dataclass(frozen=True)
class Tokens:
    access_token: str
    id_token: str
    refresh_token: str | None
    expires_in: int


def _tokens(result: dict[str, Any]) -> Tokens:
    return Tokens(
        access_token=result["AccessToken"],
        id_token=result["IdToken"],
        refresh_token=result.get("RefreshToken"),
        expires_in=int(result.get("ExpiresIn", 0)),
    )


def _raise_throttled(error: ClientError) -> None:
    if error_code(error) in _THROTTLED:
        raise IdentityThrottled() from error


def sign_up(email: str, password: str, display_name: str) -> str:
    config = settings()
    try:
        response = cognito().sign_up(
            ClientId=config.signup_client_id,  # the one client that may write email and name
            Username=email,
            Password=password,
            UserAttributes=[{"Name": "email", "Value": email}, {"Name": "name", "Value": display_name}],
        )
    except ClientError as error:
        _raise_throttled(error)
        code = error_code(error)
        if code in {"UsernameExistsException", "AliasExistsException"}:
            raise EmailTaken() from error
        if code == "InvalidPasswordException":
            raise WeakPassword() from error
        if code == "InvalidParameterException":
            raise SignUpRejected() from error
        raise
    if config.auto_confirm_signup:  # a development pool: the address is taken as verified, as a code would
        cognito().admin_confirm_sign_up(UserPoolId=config.user_pool_id, Username=email)
        cognito().admin_update_user_attributes(
            UserPoolId=config.user_pool_id,
            Username=email,
            UserAttributes=[{"Name": "email_verified", "Value": "true"}],
        )
    return str(response["UserSub"])


def verifies_at_sign_up() -> bool:
    """A development pool confirms sign-ups itself and takes the address as verified (``sign_up``)."""
    return settings().auto_confirm_signup


def confirm_sign_up(email: str, code: str) -> None:
    try:
        cognito().confirm_sign_up(ClientId=settings().signup_client_id, Username=email, ConfirmationCode=code)
    except ClientError as error:
        _raise_throttled(error)
        if error_code(error) == "NotAuthorizedException":  # already confirmed: confirming is idempotent
            return
        if error_code(error) in {
            "CodeMismatchException",
            "ExpiredCodeException",
            "UserNotFoundException",
            "InvalidParameterException",
        }:
            raise InvalidConfirmation() from error
        raise


def log_in(email: str, password: str) -> Tokens:
    try:
        response = cognito().initiate_auth(
            ClientId=settings().user_pool_client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": email, "PASSWORD": password},
        )
    except ClientError as error:
        _raise_throttled(error)
        if error_code(error) == "UserNotConfirmedException":
            raise NotConfirmed() from error
        if error_code(error) in {
            "NotAuthorizedException",
            "UserNotFoundException",
            "PasswordResetRequiredException",
            "InvalidParameterException",
        }:
            raise InvalidCredentials() from error
        raise
    return _authenticated(response)


def refresh(refresh_token: str) -> Tokens:
    """New tokens of the client that issued ``refresh_token`` (a refresh token is bound to its client: the app
    client's, or the single sign-on client's for a federated session; Cognito's refresh tokens are opaque, so
    each is asked in turn)."""
    clients = settings().token_client_ids
    for client_id in clients:
        try:
            response = cognito().initiate_auth(
                ClientId=client_id,
                AuthFlow="REFRESH_TOKEN_AUTH",
                AuthParameters={"REFRESH_TOKEN": refresh_token},
            )
        except ClientError as error:
            _raise_throttled(error)
            if error_code(error) in {"NotAuthorizedException", "UserNotFoundException", "InvalidParameterException"}:
                if client_id == clients[-1]:
                    raise InvalidRefreshToken() from error
                continue
            raise
        return _authenticated(response)
    raise InvalidRefreshToken()


def revoke_refresh_token(refresh_token: str) -> None:
    """Revokes a refresh token and every access token it issued (``RevokeToken``; the clients have token
    revocation on), at the client that issued it. A token Cognito does not know is nothing to revoke
    (RFC 7009 §2.2)."""
    for client_id in settings().token_client_ids:
        try:
            cognito().revoke_token(Token=refresh_token, ClientId=client_id)
        except ClientError as error:
            _raise_throttled(error)
            if error_code(error) in {
                "UnauthorizedException",
                "NotAuthorizedException",  # a token of the other client
                "UnsupportedTokenTypeException",
                "InvalidParameterException",
            }:
                continue
            raise
        return


TOKEN_EXCHANGE_TIMEOUT_SECONDS = 4
"""Within the function's 10 s, with room for the sign-in's own writes."""


def exchange_code(code: str, code_verifier: str, redirect_uri: str) -> Tokens:
    """The hosted sign-in's tokens for an authorization code (``/oauth2/token``, RFC 6749 §4.1.3 with PKCE's
    ``code_verifier``, RFC 7636 §4.5), for the single sign-on client (public: no secret; PKCE binds the code
    to whoever started the sign-in)."""
    config = settings()
    url = config.sso_domain_url.rstrip("/") + "/oauth2/token"
    if not url.startswith(("https://", "http://127.0.0.1", "http://localhost")):
        raise IdentityUnavailable("the hosted sign-in must be reached over https")
    form = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "client_id": config.sso_client_id or "",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url, data=form, method="POST", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TOKEN_EXCHANGE_TIMEOUT_SECONDS) as response:  # noqa: S310
            body = json.loads(response.read())
    except urllib.error.HTTPError as error:
        if error.code == 429:
            raise IdentityThrottled() from error
        if 400 <= error.code < 500:  # invalid_grant, invalid_request, unauthorized_client: the code is no good
            raise InvalidAuthorizationCode() from error
        raise IdentityUnavailable(f"the hosted sign-in answered {error.code}") from error
    except (urllib.error.URLError, TimeoutError, ValueError) as error:
        raise IdentityUnavailable("the hosted sign-in did not answer") from error
    try:
        return Tokens(
            access_token=str(body["access_token"]),
            id_token=str(body["id_token"]),
            refresh_token=body.get("refresh_token"),
            expires_in=int(body.get("expires_in", 0)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise IdentityUnavailable("the hosted sign-in's answer holds no tokens") from error


def _authenticated(response: dict[str, Any]) -> Tokens:
    result = response.get("AuthenticationResult")
    if not result:  # a challenge (new password, MFA) this API does not drive
        raise ChallengeRequired(str(response.get("ChallengeName", "unknown")))
    return _tokens(result)


def set_group(user_id: str, group: str | None, *, previous: str | None) -> None:
    """Moves the user into ``group`` (and out of ``previous``): Cognito mirrors the role. ``user_id``: what
    Cognito knows the user by: the ``sub`` of a password user, a federated user's Cognito name
    (``<provider>_<subject>``; Cognito takes no ``sub`` of a federated user there)."""
    pool = settings().user_pool_id
    if previous and previous != group:
        try:
            cognito().admin_remove_user_from_group(UserPoolId=pool, Username=user_id, GroupName=previous)
        except ClientError as error:
            if error_code(error) != "UserNotFoundException":
                raise
    if group:
        cognito().admin_add_user_to_group(UserPoolId=pool, Username=user_id, GroupName=group)


def create_confirmed_user(email: str, password: str, display_name: str) -> str:
    """Creates a user with a permanent password (the first admin); returns its id."""
    pool = settings().user_pool_id
    try:
        response = cognito().admin_create_user(
            UserPoolId=pool,
            Username=email,
            UserAttributes=[
                {"Name": "email", "Value": email},
                {"Name": "email_verified", "Value": "true"},
                {"Name": "name", "Value": display_name},
            ],
            MessageAction="SUPPRESS",
        )
    except ClientError as error:
        if error_code(error) in {"UsernameExistsException", "AliasExistsException"}:
            raise EmailTaken() from error
        raise
    try:
        cognito().admin_set_user_password(UserPoolId=pool, Username=email, Password=password, Permanent=True)
    except ClientError as error:
        cognito().admin_delete_user(UserPoolId=pool, Username=email)  # no half-made admin is left behind
        if error_code(error) == "InvalidPasswordException":
            raise WeakPassword() from error
        raise
    attributes = {attr["Name"]: attr["Value"] for attr in response["User"].get("Attributes", [])}
    return str(attributes.get("sub") or response["User"]["Username"])


def disable_user(user_id: str) -> None:
    """No sign-in any more (``AdminDisableUser``), and every session signed out (``AdminUserGlobalSignOut``:
    its refresh tokens refused, its access tokens refused by Cognito's own API). A user Cognito does not
    know has nothing to disable."""
    pool = settings().user_pool_id
    try:
        cognito().admin_disable_user(UserPoolId=pool, Username=user_id)
        cognito().admin_user_global_sign_out(UserPoolId=pool, Username=user_id)
    except ClientError as error:
        if error_code(error) != "UserNotFoundException":
            raise


def enable_user(user_id: str) -> None:
    try:
        cognito().admin_enable_user(UserPoolId=settings().user_pool_id, Username=user_id)
    except ClientError as error:
        if error_code(error) != "UserNotFoundException":
            raise


def delete_user(user_id: str) -> None:
    cognito().admin_delete_user(UserPoolId=settings().user_pool_id, Username=user_id)


def verified_user_id(email: str) -> str | None:
    """The user signing in with this email, if the pool has verified it (``email_verified``), else None."""
    try:
        response = cognito().admin_get_user(UserPoolId=settings().user_pool_id, Username=email)
    except ClientError as error:
        if error_code(error) == "UserNotFoundException":
            return None
        raise
    attributes = {attr["Name"]: attr["Value"] for attr in response.get("UserAttributes", [])}
    if attributes.get("email_verified") != "true" or not response.get("Enabled", True):
        return None
    return str(attributes.get("sub") or response["Username"])


def find_user_id(email: str) -> str | None:
    try:
        response = cognito().admin_get_user(UserPoolId=settings().user_pool_id, Username=email)
    except ClientError as error:
        if error_code(error) == "UserNotFoundException":
            return None
        raise
    attributes = {attr["Name"]: attr["Value"] for attr in response.get("UserAttributes", [])}
    return str(attributes.get("sub") or response["Username"])
