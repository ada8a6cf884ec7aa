"""Who else may see a patient (``/patients/{patientId}/shares``, ``/patients/{patientId}/break-glass``,
``/admin/break-glass``): shares to a caregiver or an outside doctor, and a clinician's audited emergency
access. The grants they open are decided where every visibility is (``rpm_core.services.access``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.common import ListResponse, Timestamp
from rpm_core.models.grants import BreakGlass, BreakGlassRequest, Share, ShareCreate
from rpm_core.services import break_glass, shares

router = APIGatewayHttpRouter()
TAGS = ["sharing"]
From = Annotated[Timestamp | None, Query(alias="from", description="Opened at or after (with offset)")]
To = Annotated[Timestamp | None, Query(alias="to", description="Opened at or before (with offset)")]


@router.post(
    "/patients/<patientId>/shares",
    **route(
        "Share the patient's records with an email until a date (the patient, admins)",
        status_code=201,
        problems=(404, 409),
        tags=TAGS,
        operation_id="createShare",
    ),
)
def create_share(patientId: PathId, request: ShareCreate) -> Share:
    return shares.create_share(context.principal(), patientId, request, context.request_id())


@router.get(
    "/patients/<patientId>/shares",
    **route(
        "The patient's shares, oldest first (the patient, admins)",
        problems=(404,),
        tags=TAGS,
        reads="Share",
        operation_id="listShares",
    ),
)
def list_shares(patientId: PathId, limit: Limit = 50, cursor: Cursor = None) -> ListResponse[Share]:
    items, next_cursor = shares.list_shares(context.principal(), patientId, limit=limit, cursor=cursor)
    return ListResponse[Share](items=items, nextCursor=next_cursor)


@router.delete(
    "/patients/<patientId>/shares/<shareId>",
    **route(
        "Revoke a share at once (the patient, admins)",
        status_code=204,
        problems=(404, 409),
        tags=TAGS,
        operation_id="revokeShare",
    ),
)
def revoke_share(patientId: PathId, shareId: PathId) -> Response[None]:
    shares.revoke_share(context.principal(), patientId, shareId, context.request_id())
    return Response(status_code=204)


@router.post(
    "/patients/<patientId>/break-glass",
    **route(
        "Read a patient's records for 60 minutes in an emergency (a clinician not on the care team)",
        status_code=201,
        problems=(404, 409),
        tags=TAGS,
        operation_id="breakGlass",
    ),
)
def open_break_glass(patientId: PathId, request: BreakGlassRequest) -> BreakGlass:
    return break_glass.open_break_glass(
        context.principal(), patientId, request, request_id=context.request_id(), source_ip=context.source_ip()
    )


@router.get(
    "/admin/break-glass",
    **route(
        "Break-glass accesses opened in a time range, newest first (admin)",
        tags=TAGS,
        reads="BreakGlass",
        operation_id="listBreakGlass",
    ),
)
def list_break_glass(
    since: From = None, until: To = None, limit: Limit = 50, cursor: Cursor = None
) -> ListResponse[BreakGlass]:
    items, next_cursor = break_glass.list_break_glass(
        context.principal(), since=since, until=until, limit=limit, cursor=cursor
    )
    return ListResponse[BreakGlass](items=items, nextCursor=next_cursor)


app = http.resolver(router, "sharing")
lambda_handler = http.entrypoint(app, "sharing")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
