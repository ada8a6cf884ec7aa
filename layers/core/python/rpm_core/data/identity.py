"""Cognito user pool: sign-up, confirmation, tokens and group membership.

Cognito's error codes are translated into this module's own exceptions (``IdentityError`` and its
kinds), so that nothing above it knows Cognito's vocabulary; ``rpm_core.services.accounts`` turns
them into problems.
"""

from __future__ import annotations

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
    try:
        response = cognito().initiate_auth(
            ClientId=settings().user_pool_client_id,
            AuthFlow="REFRESH_TOKEN_AUTH",
            AuthParameters={"REFRESH_TOKEN": refresh_token},
        )
    except ClientError as error:
        _raise_throttled(error)
        if error_code(error) in {"NotAuthorizedException", "UserNotFoundException", "InvalidParameterException"}:
            raise InvalidRefreshToken() from error
        raise
    return _authenticated(response)


def revoke_refresh_token(refresh_token: str) -> None:
    """Revokes a refresh token of the app client and every access token it issued (``RevokeToken``; the
    client has token revocation on). A token Cognito does not know is nothing to revoke (RFC 7009 §2.2)."""
    try:
        cognito().revoke_token(Token=refresh_token, ClientId=settings().user_pool_client_id)
    except ClientError as error:
        _raise_throttled(error)
        if error_code(error) in {"UnauthorizedException", "UnsupportedTokenTypeException", "InvalidParameterException"}:
            return
        raise


def _authenticated(response: dict[str, Any]) -> Tokens:
    result = response.get("AuthenticationResult")
    if not result:  # a challenge (new password, MFA) this API does not drive
        raise ChallengeRequired(str(response.get("ChallengeName", "unknown")))
    return _tokens(result)


def set_group(user_id: str, group: str | None, *, previous: str | None) -> None:
    """Moves the user into ``group`` (and out of ``previous``): Cognito mirrors the role."""
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
