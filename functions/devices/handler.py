"""Devices and their data (``/patients/{patientId}/devices``, ``…/device-data``, ``…/reading-days``,
``/admin/rejected-readings``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.common import Identifier, ListResponse, Timestamp
from rpm_core.models.devices import (
    Device,
    DeviceCreate,
    DeviceData,
    DeviceDataCorrection,
    DeviceDataCreate,
    DeviceType,
    Month,
    ProvisionedDevice,
    ReadingDays,
    RejectedReading,
)
from rpm_core.services import devices, readings

router = APIGatewayHttpRouter()
TAGS = ["devices"]
From = Annotated[Timestamp | None, Query(alias="from", description="Earliest time, inclusive (ISO 8601)")]
To = Annotated[Timestamp | None, Query(alias="to", description="Latest time, inclusive (ISO 8601)")]
IfMatch = Annotated[str | None, Header(alias="if-match", max_length=64, description="The version being corrected")]


@router.post(
    "/patients/<patientId>/devices",
    **route(
        "Provision a device (credentials returned once)",
        status_code=201,
        problems=(404,),
        tags=TAGS,
        operation_id="provisionDevice",
    ),
)
def provision_device(patientId: PathId, request: DeviceCreate) -> ProvisionedDevice:
    return devices.provision(context.principal(), patientId, request, context.request_id(), context.source_ip())


@router.get(
    "/patients/<patientId>/devices",
    **route("The patient's devices", problems=(404,), tags=TAGS, reads="Device", operation_id="listDevices"),
)
def list_devices(patientId: PathId, limit: Limit = 50, cursor: Cursor = None) -> ListResponse[Device]:
    items, next_cursor = devices.list_devices(context.principal(), patientId, limit=limit, cursor=cursor)
    return ListResponse[Device](items=items, nextCursor=next_cursor)


@router.delete(
    "/patients/<patientId>/devices/<deviceId>",
    **route(
        "Deactivate a device and its certificate",
        status_code=204,
        problems=(404,),
        tags=TAGS,
        operation_id="deactivateDevice",
    ),
)
def deactivate_device(patientId: PathId, deviceId: PathId) -> Response[None]:
    devices.deactivate(context.principal(), patientId, deviceId, context.request_id(), context.source_ip())
    return Response(status_code=204)


@router.post(
    "/patients/<patientId>/device-data",
    **route(
        "Publish a reading by hand (care team)",
        status_code=201,
        problems=(404,),
        tags=TAGS,
        operation_id="publishReading",
    ),
)
def publish_reading(patientId: PathId, request: DeviceDataCreate) -> DeviceData:
    return readings.publish_manual(context.principal(), patientId, request, context.request_id())


@router.get(
    "/patients/<patientId>/device-data",
    **route(
        "Readings, newest recordedAt first",
        problems=(404,),
        tags=TAGS,
        reads="DeviceData",
        operation_id="listDeviceData",
    ),
)
def list_readings(
    patientId: PathId,
    deviceType: Annotated[DeviceType | None, Query()] = None,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[DeviceData]:
    items, next_cursor = readings.list_readings(
        context.principal(),
        patientId,
        device_type=deviceType,
        start=from_,
        end=to,
        limit=limit,
        cursor=cursor,
    )
    return ListResponse[DeviceData](items=items, nextCursor=next_cursor)


@router.get(
    "/patients/<patientId>/device-data/<dataId>",
    **route("A reading (latest version)", problems=(404,), tags=TAGS, reads="DeviceData", operation_id="getDeviceData"),
)
def get_reading(patientId: PathId, dataId: PathId) -> DeviceData:
    return readings.get_reading(context.principal(), patientId, dataId)


@router.get(
    "/patients/<patientId>/device-data/<dataId>/versions",
    **route(
        "Every version of a reading, oldest first",
        problems=(404,),
        tags=TAGS,
        reads="DeviceData",
        operation_id="listDeviceDataVersions",
    ),
)
def reading_versions(patientId: PathId, dataId: PathId) -> ListResponse[DeviceData]:
    return ListResponse[DeviceData](items=readings.reading_versions(context.principal(), patientId, dataId))


@router.patch(
    "/patients/<patientId>/device-data/<dataId>",
    **route(
        "Correct a reading (If-Match: version)", problems=(404, 412, 428), tags=TAGS, operation_id="correctReading"
    ),
)
def correct_reading(
    patientId: PathId, dataId: PathId, request: DeviceDataCorrection, if_match: IfMatch = None
) -> DeviceData:
    return readings.correct_reading(context.principal(), patientId, dataId, request, if_match, context.request_id())


@router.get(
    "/patients/<patientId>/reading-days",
    **route(
        "Days with readings in a month", problems=(404,), tags=TAGS, reads="ReadingDay", operation_id="getReadingDays"
    ),
)
def reading_days(
    patientId: PathId,
    month: Annotated[
        Month | None, Query(description="YYYY-MM (default: the current month in the patient's zone)")
    ] = None,
) -> ReadingDays:
    return readings.reading_days(context.principal(), patientId, month)


@router.get(
    "/admin/rejected-readings",
    **route(
        "Readings that were not stored (admin)",
        tags=["admin"],
        reads="RejectedReading",
        operation_id="listRejectedReadings",
    ),
)
def rejected_readings(
    deviceId: Annotated[Identifier | None, Query()] = None,
    from_: From = None,
    to: To = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[RejectedReading]:
    items, next_cursor = readings.rejected_readings(
        context.principal(), device_id=deviceId, start=from_, end=to, limit=limit, cursor=cursor
    )
    return ListResponse[RejectedReading](items=items, nextCursor=next_cursor)


app = http.resolver(router, service="devices")
lambda_handler = http.entrypoint(app, service="devices")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
