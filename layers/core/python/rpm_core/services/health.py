"""The API's health as load balancers and uptime checks see it: reachable or not, nothing more."""

from __future__ import annotations

from rpm_core.data import health
from rpm_core.errors import ServiceUnavailable
from rpm_core.models.common import HealthStatus

RETRY_AFTER_SECONDS = 30


def check() -> HealthStatus:
    """``ok`` when storage answers; otherwise a 503 with ``Retry-After`` (which dependency failed is not said:
    an outside caller has no use for it, and an attacker would)."""
    if not health.storage_reachable():
        raise ServiceUnavailable(
            "The service cannot answer now; try again shortly.", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    return HealthStatus(status="ok")
