"""The user pool's pre-token-generation trigger (version 2 events: sign-in and every refresh): access tokens
without Cognito's self-service scope (``rpm_core.services.token_scopes``).

Cognito waits for it on every sign-in and refresh, so it imports nothing it does not use and makes no
call. It never logs the event: the event holds the user's attributes (email, name). An event of another
version cannot take the override: it is refused, and so is the sign-in (Cognito fails closed).
"""

from __future__ import annotations

from typing import Any

from rpm_core import cold_start
from rpm_core.services.token_scopes import access_token_override


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if str(event.get("version")) not in {"2", "3"}:  # version 1 events cannot change an access token's scopes
        raise ValueError("the pre-token-generation trigger must be configured for version 2 events")
    response = event.setdefault("response", {})
    details = response.get("claimsAndScopeOverrideDetails") or {}
    response["claimsAndScopeOverrideDetails"] = {**details, "accessTokenGeneration": access_token_override()}
    return event


cold_start.end()
