"""FHIR bulk export jobs from the ExportJobs queue (one per invocation): ``rpm_core.services.export_runs`` writes
the NDJSON files and, when the invocation's time runs low, puts the job back on the queue with a checkpoint. A run
that fails is delivered again; after its last delivery the job is marked failed (its status answers 500).
Logs carry the job id and counts only."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from aws_lambda_powertools import Logger

from rpm_core import cold_start
from rpm_core.data.resources import EXPORT_JOBS
from rpm_core.services import export_runs

logger = Logger(service="rpm-exportworker")


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    for record in event.get("Records") or []:
        message = json.loads(record.get("body") or "{}")
        job_id = str(message.get("jobId") or "")
        try:
            result = export_runs.run(
                job_id, message.get("checkpoint"), lambda: context.get_remaining_time_in_millis() / 1000
            )
        except Exception:
            deliveries = int((record.get("attributes") or {}).get("ApproximateReceiveCount") or 1)
            if deliveries >= EXPORT_JOBS.max_receive_count:  # the last try: the job goes to the dead letter
                export_runs.fail(job_id)
            raise
        logger.info("export run", extra={"job_id": job_id, **asdict(result)})
    return {"batchItemFailures": []}  # a failing run raises: SQS delivers the job again, then to its dead letter


cold_start.end()
