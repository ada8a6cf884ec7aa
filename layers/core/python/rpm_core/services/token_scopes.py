"""Which scopes the access tokens this API issues carry: none of Cognito's self-service.

With ``aws.cognito.signin.user.admin`` (what Cognito grants every token of a password sign-in) an access
token is enough to call Cognito's own user API: ``DeleteUser``, ``UpdateUserAttributes``,
``GlobalSignOut``, MFA settings. A token stolen from a browser would then outlive its 15 minutes as a
deleted or rewritten account. This API owns every change of an account (its routes, the audit trail), so
its tokens carry no self-service scope: the user pool's pre-token-generation trigger (the ``tokens``
function) suppresses it, and Cognito refuses those calls with ``NotAuthorizedException``.
"""

from __future__ import annotations

SELF_SERVICE_SCOPE = "aws.cognito.signin.user.admin"
SUPPRESSED_SCOPES: tuple[str, ...] = (SELF_SERVICE_SCOPE,)


def access_token_override() -> dict[str, list[str]]:
    """What Cognito's version 2 trigger answers for the access token (``accessTokenGeneration``)."""
    return {"scopesToSuppress": list(SUPPRESSED_SCOPES)}
