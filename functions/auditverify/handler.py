"""Audit-chain verification, daily (an EventBridge schedule): every shard's chain over the last day is
recomputed and checked against the anchored digests, as ``GET /audit-logs/verify`` does for an admin.

It publishes ``AuditChainVerified`` (1: intact, 0: broken) in the ``RPM`` namespace; the stack's alarm fires on
a 0 and also when no value arrived in a day (the verification did not run). A broken chain is logged with the
shard and sequence number only (an audit entry names patients; its content never reaches the logs).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.metrics.functions import is_metrics_disabled

from rpm_core import cold_start
from rpm_core.clock import iso, now
from rpm_core.services import audit_verification

logger = Logger(service="rpm-auditverify")
metrics = Metrics(namespace="RPM", service="rpm-auditverify")
WINDOW = timedelta(hours=25)
"""A day and an hour: consecutive daily runs overlap, so no entry falls between two of them."""


def _verify(event: dict[str, Any], context: Any) -> dict[str, Any]:
    since = event.get("since") or iso(now() - WINDOW)  # an operator may widen the window ({"since": "..."})
    result = audit_verification.verify_chains(since=str(since))
    if not is_metrics_disabled():
        metrics.add_metric(name="AuditChainVerified", unit=MetricUnit.Count, value=1 if result.verified else 0)
        metrics.add_metric(name="AuditEntriesChecked", unit=MetricUnit.Count, value=result.entriesChecked)
    broken = result.firstBrokenEntry
    if broken is None:
        logger.info("audit chains verified", extra={"entries": result.entriesChecked, "digests": result.digestsChecked})
    else:
        logger.error("audit chain broken", extra={"shard": broken.shard, "seq": broken.seq, "reason": broken.reason})
    return {"verified": result.verified, "entriesChecked": result.entriesChecked}


_verify_and_count = metrics.log_metrics(_verify)


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return _verify(event, context) if is_metrics_disabled() else _verify_and_count(event, context)


cold_start.end()
