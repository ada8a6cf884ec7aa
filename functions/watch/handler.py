"""The watch: every 5 minutes (an EventBridge schedule) no-data alerts for patients gone quiet and escalation
of alerts left open, each run reading only what became due (``rpm_core.services.watch``). ``rpmctl tick watch``
runs one tick at once locally; deployed, ``aws lambda invoke`` with any event does the same."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from aws_lambda_powertools import Logger

from rpm_core import cold_start
from rpm_core.services import watch

logger = Logger(service="rpm-watch")


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    result = asdict(watch.run(str(getattr(context, "aws_request_id", "") or event.get("id") or "schedule")))
    logger.info("watch run", extra=result)
    return result


cold_start.end()
