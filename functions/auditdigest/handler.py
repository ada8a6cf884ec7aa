"""Audit digests: every hour (an EventBridge schedule), a digest of every audit chain's head is anchored in
the Object Lock bucket, naming the previous digest's hash; ``{"digest": true}`` makes one at once
(``aws lambda invoke``). This is the only function that may write there, and it writes each digest once
(``If-None-Match: *``; the bucket policy refuses any other put): ``GET /audit-logs/verify`` reports a digest
key holding a second version as tampering.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger

from rpm_core import cold_start
from rpm_core.services import audit_digests

logger = Logger(service="rpm-auditdigest")


@logger.inject_lambda_context(log_event=False)
def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    digest = audit_digests.write_digest(force=bool(event.get("digest")))
    if digest:
        logger.info("digest anchored", extra={"number": digest["number"], "shards": len(digest["heads"])})
    return {"digest": digest["number"] if digest else None}


cold_start.end()
