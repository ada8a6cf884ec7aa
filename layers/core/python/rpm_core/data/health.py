"""Whether this function's process can reach its storage: one key read of a table it is granted."""

from __future__ import annotations

from botocore.exceptions import BotoCoreError, ClientError

from rpm_core.data.aws import table
from rpm_core.data.tables import REVOKED_SESSIONS

PROBE_KEY = {"originJti": "health-probe"}
"""A key no session has (a token's origin_jti is a UUID): the read finds nothing and costs half a read unit."""


def storage_reachable() -> bool:
    """True when a GetItem on the RevokedSessions table answers (the item's absence is an answer)."""
    try:
        table(REVOKED_SESSIONS).get_item(Key=PROBE_KEY, ProjectionExpression="originJti")
    except (BotoCoreError, ClientError):
        return False
    return True
