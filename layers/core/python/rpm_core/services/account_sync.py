"""Cognito follows the API's decision on an account: a user whose status becomes ``disabled`` in the Users
table (read on every request, so refused by this API at once) is disabled at Cognito and signed out of
every session there, so that no token of theirs keeps working on Cognito's own API and no sign-in
mints new ones; a user enabled again may sign in again.

Driven by the Users table's stream (the ``accountsync`` function), so it holds whoever sets the status.
"""

from __future__ import annotations

from typing import Any, Literal

from rpm_core.data import identity
from rpm_core.data.users import cognito_username

Followed = Literal["disabled", "enabled"]
DISABLED = "disabled"


def follow(before: dict[str, Any] | None, after: dict[str, Any] | None) -> Followed | None:
    """What Cognito was told for one change of a user's record (``None``: nothing to follow)."""
    if after is None:  # removed: nothing left to follow
        return None
    was, now = (before or {}).get("status"), after.get("status")
    if now == DISABLED and was != DISABLED:
        identity.disable_user(cognito_username(after))
        return "disabled"
    if was == DISABLED and now != DISABLED:
        identity.enable_user(cognito_username(after))
        return "enabled"
    return None
