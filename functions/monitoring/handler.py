"""Thresholds, monitoring logs and alerts (``/patients/{patientId}/thresholds``, ``…/monitoring-logs``, ``/alerts``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.common import ListResponse, Timestamp
from rpm_core.models.monitoring import (
    AlertStatus,
    LogKind,
    LogStatus,
    MonitoringLog,
    MonitoringLogCreate,
    MonitoringLogUpdate,
    Severity,
    ThresholdRules,
    Thresholds,
)
from rpm_core.services import monitoring

router = APIGatewayHttpRouter()
TAGS = ["monitoring"]
From = Annotated[Timestamp | None, Query(alias="from", description="Earliest time, inclusive (ISO 8601)")]
To = Annotated[Timestamp | None, Query(alias="to", description="Latest time, inclusive (ISO 8601)")]


@router.put(
    "/patients/<patientId>/thresholds",
    **route("Replace the threshold rules", problems=(404,), tags=TAGS, operation_id="setThresholds"),
)
def put_thresholds(patientId: PathId, request: ThresholdRules) -> Thresholds:
    return monitoring.put_thresholds(context.principal(), patientId, request, context.request_id())


@router.get(
    "/patients/<patientId>/thresholds",
    **route("The threshold rules", problems=(404,), tags=TAGS, reads="Threshold", operation_id="getThresholds"),
)
def get_thresholds(patientId: PathId) -> Thresholds:
    return monitoring.get_thresholds(context.principal(), patientId)


@router.get(
    "/patients/<patientId>/monitoring-logs",
    **route(
        "Monitoring logs, newest first",
        problems=(404,),
        tags=TAGS,
        reads="MonitoringLog",
        operation_id="listMonitoringLogs",
    ),
)
def list_logs(
    patientId: PathId,
    kind: Annotated[LogKind | None, Query()] = None,
    status: Annotated[LogStatus | None, Query()] = None,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[MonitoringLog]:
    items, next_cursor = monitoring.list_logs(
        context.principal(),
        patientId,
        kind=kind,
        status=status,
        start=from_,
        end=to,
        limit=limit,
        cursor=cursor,
    )
    return ListResponse[MonitoringLog](items=items, nextCursor=next_cursor)


@router.post(
    "/patients/<patientId>/monitoring-logs",
    **route(
        "Record a review, note or interaction (care team)",
        status_code=201,
        problems=(404,),
        tags=TAGS,
        operation_id="createMonitoringLog",
    ),
)
def create_log(patientId: PathId, request: MonitoringLogCreate) -> MonitoringLog:
    return monitoring.create_log(context.principal(), patientId, request, context.request_id())


@router.patch(
    "/patients/<patientId>/monitoring-logs/<logId>",
    **route(
        "Move an alert: open → acknowledged → resolved",
        problems=(404, 409),
        tags=TAGS,
        operation_id="updateMonitoringLog",
    ),
)
def update_log(patientId: PathId, logId: PathId, request: MonitoringLogUpdate) -> MonitoringLog:
    return monitoring.update_log(context.principal(), patientId, logId, request, context.request_id())


@router.get(
    "/alerts",
    **route(
        "Alerts across the caller's patients, newest first", tags=TAGS, reads="MonitoringLog", operation_id="listAlerts"
    ),
)
def list_alerts(
    status: Annotated[AlertStatus, Query()] = "open",
    severity: Annotated[Severity | None, Query()] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[MonitoringLog]:
    items, next_cursor = monitoring.list_alerts(
        context.principal(), status=status, severity=severity, limit=limit, cursor=cursor
    )
    return ListResponse[MonitoringLog](items=items, nextCursor=next_cursor)


app = http.resolver(router, service="monitoring")
lambda_handler = http.entrypoint(app, service="monitoring")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
