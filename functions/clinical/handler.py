"""Clinical records: lab results, treatment plans and appointments (``/patients/{patientId}/…``, ``/appointments``)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.docs import Cursor, Limit, PathId, route
from rpm_core.models.clinical import (
    Appointment,
    AppointmentCreate,
    AppointmentUpdate,
    LabResult,
    LabResultCreate,
    LabResultUpdate,
    LabResultVersion,
    PlanStatus,
    TreatmentPlan,
    TreatmentPlanCreate,
    TreatmentPlanUpdate,
)
from rpm_core.models.common import Identifier, ListResponse, Timestamp
from rpm_core.services import appointments, lab_results, treatment_plans

router = APIGatewayHttpRouter()
LABS, PLANS, VISITS = ["lab results"], ["treatment plans"], ["appointments"]
JSON = "application/json"

IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=64, description="The version (ETag) the change is based on; 412 if stale"),
]
From = Annotated[Timestamp | None, Query(alias="from", description="Appointments starting at or after (with offset)")]
To = Annotated[Timestamp | None, Query(alias="to", description="Appointments starting before (with offset)")]


def _versioned(result: LabResult, status_code: int = 200) -> Response[LabResult]:
    return Response(status_code=status_code, content_type=JSON, body=result, headers={"ETag": lab_results.etag(result)})


# --- lab results ---------------------------------------------------------------------------------


@router.post(
    "/patients/<patientId>/lab-results",
    **route(
        "Record a lab result (care team)",
        status_code=201,
        problems=(404, 409),
        tags=LABS,
        operation_id="createLabResult",
    ),
)
def create_lab_result(patientId: PathId, request: LabResultCreate) -> Response[LabResult]:
    result = lab_results.create(context.principal(), patientId, request, context.request_id())
    return _versioned(result, 201)


@router.get(
    "/patients/<patientId>/lab-results",
    **route(
        "The patient's lab results: newest publishedAt first, drafts after",
        problems=(404,),
        tags=LABS,
        reads="LabResult",
        operation_id="listLabResults",
    ),
)
def list_lab_results(patientId: PathId, limit: Limit = 50, cursor: Cursor = None) -> ListResponse[LabResult]:
    items, next_cursor = lab_results.list_results(context.principal(), patientId, limit=limit, cursor=cursor)
    return ListResponse[LabResult](items=items, nextCursor=next_cursor)


@router.get(
    "/patients/<patientId>/lab-results/<labResultId>",
    **route(
        "One lab result (its version is the ETag)",
        problems=(404,),
        tags=LABS,
        reads="LabResult",
        operation_id="getLabResult",
    ),
)
def get_lab_result(patientId: PathId, labResultId: PathId) -> Response[LabResult]:
    return _versioned(lab_results.get(context.principal(), patientId, labResultId))


@router.patch(
    "/patients/<patientId>/lab-results/<labResultId>",
    **route(
        "Change, finalize, amend or cancel a lab result (care team)",
        problems=(404, 409, 412),
        tags=LABS,
        description="Every change makes a new version; send `If-Match: <version>` to refuse a stale change (412).",
        operation_id="updateLabResult",
    ),
)
def update_lab_result(
    patientId: PathId, labResultId: PathId, request: LabResultUpdate, if_match: IfMatch = None
) -> Response[LabResult]:
    result = lab_results.update(
        context.principal(), patientId, labResultId, request, context.request_id(), if_match=if_match
    )
    return _versioned(result)


@router.get(
    "/patients/<patientId>/lab-results/<labResultId>/versions",
    **route(
        "Every version of a lab result, oldest first, with who changed it and why",
        problems=(404,),
        tags=LABS,
        reads="LabResult",
        operation_id="listLabResultVersions",
    ),
)
def lab_result_versions(
    patientId: PathId, labResultId: PathId, limit: Limit = 50, cursor: Cursor = None
) -> ListResponse[LabResultVersion]:
    items, next_cursor = lab_results.versions(context.principal(), patientId, labResultId, limit=limit, cursor=cursor)
    return ListResponse[LabResultVersion](items=items, nextCursor=next_cursor)


# --- treatment plans -----------------------------------------------------------------------------


@router.post(
    "/patients/<patientId>/treatment-plans",
    **route(
        "Write a treatment plan (care team)",
        status_code=201,
        problems=(404, 409),
        tags=PLANS,
        operation_id="createTreatmentPlan",
    ),
)
def create_treatment_plan(patientId: PathId, request: TreatmentPlanCreate) -> TreatmentPlan:
    return treatment_plans.create(context.principal(), patientId, request, context.request_id())


@router.get(
    "/patients/<patientId>/treatment-plans",
    **route(
        "The patient's treatment plans, newest first; ?status=active gives the active one",
        problems=(404,),
        tags=PLANS,
        reads="TreatmentPlan",
        operation_id="listTreatmentPlans",
    ),
)
def list_treatment_plans(
    patientId: PathId,
    status: Annotated[PlanStatus | None, Query(description="Only plans in this status")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[TreatmentPlan]:
    items, next_cursor = treatment_plans.list_plans(
        context.principal(), patientId, status=status, limit=limit, cursor=cursor
    )
    return ListResponse[TreatmentPlan](items=items, nextCursor=next_cursor)


@router.get(
    "/patients/<patientId>/treatment-plans/<planId>",
    **route("One treatment plan", problems=(404,), tags=PLANS, reads="TreatmentPlan", operation_id="getTreatmentPlan"),
)
def get_treatment_plan(patientId: PathId, planId: PathId) -> TreatmentPlan:
    return treatment_plans.get(context.principal(), patientId, planId)


@router.patch(
    "/patients/<patientId>/treatment-plans/<planId>",
    **route(
        "Change, activate, complete or cancel a treatment plan (care team)",
        problems=(404, 409),
        tags=PLANS,
        description="Activating a plan completes the patient's previously active plan in the same transaction.",
        operation_id="updateTreatmentPlan",
    ),
)
def update_treatment_plan(patientId: PathId, planId: PathId, request: TreatmentPlanUpdate) -> TreatmentPlan:
    return treatment_plans.update(context.principal(), patientId, planId, request, context.request_id())


# --- appointments --------------------------------------------------------------------------------


@router.post(
    "/patients/<patientId>/appointments",
    **route(
        "Book an appointment (care team)",
        status_code=201,
        problems=(404, 409),
        tags=VISITS,
        description="409 when the provider already has an appointment in that time, or is not an approved "
        "clinician on the patient's care team.",
        operation_id="bookAppointment",
    ),
)
def create_appointment(patientId: PathId, request: AppointmentCreate) -> Appointment:
    return appointments.create(context.principal(), patientId, request, context.request_id())


@router.get(
    "/patients/<patientId>/appointments",
    **route(
        "The patient's appointments by start time",
        problems=(404,),
        tags=VISITS,
        reads="Appointment",
        operation_id="listPatientAppointments",
    ),
)
def list_patient_appointments(
    patientId: PathId, start_from: From = None, start_to: To = None, limit: Limit = 50, cursor: Cursor = None
) -> ListResponse[Appointment]:
    items, next_cursor = appointments.list_for_patient(
        context.principal(), patientId, start_from=start_from, start_to=start_to, limit=limit, cursor=cursor
    )
    return ListResponse[Appointment](items=items, nextCursor=next_cursor)


@router.patch(
    "/patients/<patientId>/appointments/<appointmentId>",
    **route(
        "Reschedule, complete, cancel or mark a no-show (care team)",
        problems=(404, 409),
        tags=VISITS,
        operation_id="updateAppointment",
    ),
)
def update_appointment(patientId: PathId, appointmentId: PathId, request: AppointmentUpdate) -> Appointment:
    return appointments.update(context.principal(), patientId, appointmentId, request, context.request_id())


@router.get(
    "/appointments",
    **route(
        "The caller's own schedule as provider, by start time",
        tags=VISITS,
        description="Clinicians see their own schedule; an admin may name any `provider`.",
        reads="Appointment",
        operation_id="listAppointments",
    ),
)
def schedule(
    start_from: From = None,
    start_to: To = None,
    provider: Annotated[Identifier | None, Query(description="Admins: whose schedule")] = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> ListResponse[Appointment]:
    items, next_cursor = appointments.schedule(
        context.principal(), provider=provider, start_from=start_from, start_to=start_to, limit=limit, cursor=cursor
    )
    return ListResponse[Appointment](items=items, nextCursor=next_cursor)


app = http.resolver(router, service="clinical")
lambda_handler = http.entrypoint(app, service="clinical")

lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
