"""The audit trail (``/audit-logs``, ``/patients/{patientId}/access-log``): read-only.

No route changes or deletes an entry; entries are appended by the audit writer (changes) and by
the shared request path (reads, security events).
"""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.audit import AccessLogEntry, AuditEntry, VerifyResult
from rpm_core.models.common import Identifier, ListResponse, Timestamp
from rpm_core.services import audit_queries, audit_verification

router = APIGatewayHttpRouter()
TAGS = ["audit"]
From = Annotated[Timestamp | None, Query(alias="from", description="Entries made at or after (with offset)")]
To = Annotated[Timestamp | None, Query(alias="to", description="Entries made at or before (with offset)")]


@router.get(
    "/audit-logs",
    **route("Audit entries by entity, actor or time, newest first (admin)", tags=TAGS, operation_id="listAuditLogs"),
)
def list_audit_logs(
    entityType: Annotated[Identifier | None, Query(description="e.g. Patient, LabResult, User")] = None,
    entityId: Annotated[str | None, Query(max_length=300, description="Alone or with entityType")] = None,
    actor: Annotated[str | None, Query(max_length=200, description="A user id, or system:ttl, anonymous")] = None,
    since: From = None,
    until: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[AuditEntry]:
    items, next_cursor = audit_queries.list_entries(
        context.principal(),
        entity_type=entityType,
        entity_id=entityId,
        actor=actor,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )
    return ListResponse[AuditEntry](items=items, nextCursor=next_cursor)


@router.get(
    "/audit-logs/verify",
    **route(
        "Recompute the audit chains against the anchored digests (admin)",
        tags=TAGS,
        description="Reports the first broken entry: edited, deleted, inserted, or a chain rewritten from an "
        "edited entry on (which the digests in the Object Lock bucket reveal).",
        operation_id="verifyAuditChains",
    ),
)
def verify_audit_logs(since: From = None, until: To = None) -> VerifyResult:
    return audit_verification.verify(context.principal(), since=since, until=until)


@router.get(
    "/patients/<patientId>/access-log",
    **route(
        "Who read or changed this patient's records, newest first (the patient, admins)",
        problems=(404,),
        tags=TAGS,
        operation_id="getAccessLog",
    ),
)
def access_log(
    patientId: PathId, limit: Limit = 50, cursor: Cursor = None
) -> ListResponse[AuditEntry] | ListResponse[AccessLogEntry]:
    """Admins read the full entries; the patient the reduced view (no staff IPs or request metadata)."""
    return audit_queries.access_log(context.principal(), patientId, limit=limit, cursor=cursor)


app = http.resolver(router, service="audit")
lambda_handler = http.entrypoint(app, service="audit")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
