"""Patient profiles and care teams (``/patients``)."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.common import ListResponse
from rpm_core.models.patients import CareTeamMember, PatientCreate, PatientProfile, PatientUpdate
from rpm_core.services import patients

router = APIGatewayHttpRouter()
TAGS = ["patients"]


@router.post(
    "/patients",
    **route("Create a patient profile", status_code=201, problems=(409,), tags=TAGS, operation_id="createPatient"),
)
def create_patient(request: PatientCreate) -> PatientProfile:
    return patients.create_patient(context.principal(), request, context.request_id())


@router.get(
    "/patients",
    **route("Patient profiles visible to the caller", tags=TAGS, reads="Patient", operation_id="listPatients"),
)
def list_patients(limit: Limit = 50, cursor: Cursor = None) -> ListResponse[PatientProfile]:
    items, next_cursor = patients.list_patients(context.principal(), limit=limit, cursor=cursor)
    return ListResponse[PatientProfile](items=items, nextCursor=next_cursor)


@router.get(
    "/patients/<patientId>",
    **route("One patient profile", problems=(404,), tags=TAGS, reads="Patient", operation_id="getPatient"),
)
def get_patient(patientId: PathId) -> PatientProfile:
    return patients.get_patient(context.principal(), patientId)


@router.patch(
    "/patients/<patientId>",
    **route("Change a patient profile", problems=(404, 409), tags=TAGS, operation_id="updatePatient"),
)
def update_patient(patientId: PathId, request: PatientUpdate) -> PatientProfile:
    return patients.update_patient(context.principal(), patientId, request, context.request_id())


@router.get(
    "/patients/<patientId>/care-team",
    **route("The patient's care team", problems=(404,), tags=TAGS, reads="CareTeam", operation_id="getCareTeam"),
)
def care_team(patientId: PathId, limit: Limit = 50, cursor: Cursor = None) -> ListResponse[CareTeamMember]:
    items, next_cursor = patients.care_team(context.principal(), patientId, limit=limit, cursor=cursor)
    return ListResponse[CareTeamMember](items=items, nextCursor=next_cursor)


@router.put(
    "/patients/<patientId>/care-team/<clinicianId>",
    **route(
        "Put a clinician on the care team (admin)",
        status_code=204,
        problems=(404, 409),
        tags=TAGS,
        operation_id="assignClinician",
    ),
)
def assign_clinician(patientId: PathId, clinicianId: PathId) -> Response[None]:
    patients.assign_clinician(context.principal(), patientId, clinicianId, context.request_id())
    return Response(status_code=204)


@router.delete(
    "/patients/<patientId>/care-team/<clinicianId>",
    **route(
        "Take a clinician off the care team (admin)",
        status_code=204,
        problems=(404,),
        tags=TAGS,
        operation_id="removeClinician",
    ),
)
def remove_clinician(patientId: PathId, clinicianId: PathId) -> Response[None]:
    patients.remove_clinician(context.principal(), patientId, clinicianId, context.request_id())
    return Response(status_code=204)


app = http.resolver(router, service="patients")
lambda_handler = http.entrypoint(app, service="patients")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
