"""FHIR R4 (``/fhir/...``): read-only views of the same records as REST, and bulk export.

Every answer is ``application/fhir+json`` (the export manifest: ``application/json``, as the Bulk Data IG says);
every error an OperationOutcome with the HTTP status (``rpm_core.api.fhir.as_fhir``). Searches read their
parameters strictly (an unknown one is a 400) through ``rpm_core.fhir.search``; the services decide visibility
and note the reads, as for REST.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.openapi.params import Header, Path, Query
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from fhirapi import bundles
from rpm_core import cold_start, context
from rpm_core.api import http
from rpm_core.api.fhir import FHIR_JSON, as_fhir, fhir_route
from rpm_core.clock import now_iso
from rpm_core.errors import NotFound
from rpm_core.fhir import capabilities, search
from rpm_core.services import fhir as views

router = APIGatewayHttpRouter()
ResourceId = Annotated[str, Path(description="The resource's logical id")]
Count = Annotated[str | None, Query(alias="_count", description="Page size, 1..100 (default 50)")]
PageCursor = Annotated[str | None, Query(alias="_cursor", max_length=4096, description="From the next link")]
PatientParam = Annotated[str | None, Query(alias="patient", description="Patient id or Patient/<id>")]
Category = Annotated[list[str] | None, Query(alias="category", description="vital-signs or laboratory")]
CodeParam = Annotated[list[str] | None, Query(alias="code", description="system|code, e.g. http://loinc.org|8867-4")]
DateParam = Annotated[list[str] | None, Query(alias="date", description="e.g. ge2026-01-01 (repeat for a range)")]
Prefer = Annotated[str | None, Header(alias="prefer", max_length=256, description="respond-async (required)")]
TypeParam = Annotated[list[str] | None, Query(alias="_type", description="Resource types, comma-separated")]
Since = Annotated[str | None, Query(alias="_since", description="Only resources changed since (FHIR instant)")]
OutputFormat = Annotated[str | None, Query(alias="_outputFormat", description="application/fhir+ndjson")]
BUNDLE = {"description": "A Bundle of type searchset", "content": {FHIR_JSON: {"schema": {"type": "object"}}}}
ACCEPTED = {
    "description": "Accepted: the job's status URL is in Content-Location",
    "headers": {"Content-Location": {"schema": {"type": "string"}, "description": "/fhir/$export-status/{jobId}"}},
    "content": {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}},
}
STATUS = {
    "description": "The export completed: its manifest {transactionTime, request, requiresAccessToken: false, "
    "output: [{type, url, count}], error: []}; each url a short-lived signed link to an NDJSON file",
    "content": {"application/json": {"schema": {"type": "object"}}},
}
RUNNING = {
    "description": "The export is still running",
    "headers": {
        "X-Progress": {"schema": {"type": "string"}, "description": "How far it got"},
        "Retry-After": {"schema": {"type": "string"}, "description": "Seconds before asking again"},
    },
    "content": {FHIR_JSON: {"schema": {"$ref": "#/components/schemas/OperationOutcome"}}},
}


def _answer(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(status_code=status, content_type=FHIR_JSON, body=json.dumps(body), headers=headers)


def _query() -> dict[str, str]:
    return dict(router.current_event.query_string_parameters or {})


def _base() -> str:
    event = router.current_event
    return bundles.base_url(dict(event.headers or {}), event.request_context.domain_name)


def _bundle(resources: list[dict[str, Any]], next_cursor: str | None) -> Response[str]:
    path = router.current_event.raw_path
    body = bundles.searchset(resources, base=_base(), path=path, query=_query(), next_cursor=next_cursor)
    return _answer(body)


def _patient_search(resource_type: str) -> tuple[str, int, str | None]:
    """The searched patient, _count and _cursor of a search by patient (strict: nothing else)."""
    given = _query()
    search.check_names(given, capabilities.search_parameters(resource_type))
    named = given.get("patient")
    patient = search.reference_id(named, "Patient", "patient") if named else None
    patient_id = views.patient_of_search(context.principal(), patient)
    return patient_id, search.count(given.get("_count")), given.get("_cursor") or None


@router.get(
    "/fhir/metadata",
    **fhir_route("The CapabilityStatement: what this FHIR server serves", public=True, operation_id="fhirMetadata"),
)
def metadata() -> Response[str]:
    return _answer(capabilities.capability_statement(_base(), now_iso()[:10]))


@router.get(
    "/fhir/Patient",
    **fhir_route("Patients the caller may see", operation_id="searchFhirPatients", reads="Patient", success=BUNDLE),
)
def search_patients(_count: Count = None, _cursor: PageCursor = None) -> Response[str]:
    given = _query()
    search.check_names(given, capabilities.search_parameters("Patient"))
    found, next_cursor = views.search_patients(
        context.principal(), count=search.count(given.get("_count")), cursor=given.get("_cursor") or None
    )
    return _bundle(found, next_cursor)


@router.get(
    "/fhir/Patient/<id>",
    **fhir_route("A patient (identifier: the MRN)", problems=(404,), operation_id="readFhirPatient", reads="Patient"),
)
def read_patient(id: ResourceId) -> Response[str]:
    return _answer(views.read_patient(context.principal(), _id(id)))


@router.get(
    "/fhir/Observation",
    **fhir_route(
        "Readings (HL7 Vital Signs profiles) and lab results as Observations",
        problems=(404,),
        operation_id="searchFhirObservations",
        reads="DeviceData",
        success=BUNDLE,
        description="Readings first (newest recordedAt first), then lab results; category, code and date narrow "
        "them. The next link carries the same tamper-checked cursor as the REST lists.",
    ),
)
def search_observations(
    patient: PatientParam = None,
    category: Category = None,
    code: CodeParam = None,
    date: DateParam = None,
    _count: Count = None,
    _cursor: PageCursor = None,
) -> Response[str]:
    given = _query()
    search.check_names(given, capabilities.search_parameters("Observation"))
    named = given.get("patient")
    principal = context.principal()
    query = views.ObservationSearch(
        patient_id=views.patient_of_search(
            principal, search.reference_id(named, "Patient", "patient") if named else None
        ),
        categories=search.categories(given["category"], views.CATEGORIES) if "category" in given else None,
        codes=tuple(search.token(v, "code") for v in search.values(given["code"])) if "code" in given else None,
        dates=search.date_range(given.get("date")),
        count=search.count(given.get("_count")),
        cursor=given.get("_cursor") or None,
    )
    return _bundle(*views.search_observations(principal, query))


@router.get(
    "/fhir/Observation/<id>",
    **fhir_route(
        "A reading or a lab result as an Observation",
        problems=(404,),
        operation_id="readFhirObservation",
        reads="DeviceData",
    ),
)
def read_observation(id: ResourceId) -> Response[str]:
    return _answer(views.read_observation(context.principal(), _id(id)))


def _searched_by_patient(resource_type: str, operation_id: str, summary: str, reads: str) -> Any:
    def serve(patient: PatientParam = None, _count: Count = None, _cursor: PageCursor = None) -> Response[str]:
        patient_id, count, cursor = _patient_search(resource_type)
        found, next_cursor = SEARCHES[resource_type](context.principal(), patient_id, count=count, cursor=cursor)
        return _bundle(found, next_cursor)

    serve.__name__ = f"search_{resource_type.lower()}"
    options = fhir_route(summary, problems=(403, 404), operation_id=operation_id, reads=reads, success=BUNDLE)
    return router.get(f"/fhir/{resource_type}", **options)(serve)


SEARCHES = {
    "Device": views.search_devices,
    "DiagnosticReport": views.search_reports,
    "CarePlan": views.search_care_plans,
    "Appointment": views.search_appointments,
}
_searched_by_patient("Device", "searchFhirDevices", "A patient's devices", "Device")
_searched_by_patient("DiagnosticReport", "searchFhirDiagnosticReports", "A patient's lab reports", "LabResult")
_searched_by_patient("CarePlan", "searchFhirCarePlans", "A patient's treatment plans", "TreatmentPlan")
_searched_by_patient("Appointment", "searchFhirAppointments", "A patient's appointments", "Appointment")


def _id(value: str) -> str:
    if not search.RESOURCE_ID.match(value):
        raise NotFound("No such resource.")
    return value


# --- bulk export -----------------------------------------------------------------------------------------------


def _kick_off(patient_id: str | None, prefer: str | None) -> Response[str]:
    from rpm_core.services import exports  # the export routes' own service, loaded when first asked for

    given = _query()
    request_url = bundles.page_url(_base(), router.current_event.raw_path, given)
    job = exports.kick_off(
        context.principal(),
        patient_id=patient_id,
        prefer=prefer,
        parameters=given,
        request_url=request_url,
        request_id=context.request_id(),
        source_ip=context.source_ip(),
    )
    location = f"/fhir/$export-status/{job}"
    body = {
        "resourceType": "OperationOutcome",
        "issue": [
            {"severity": "information", "code": "informational", "diagnostics": f"Export accepted; poll {location}"}
        ],
    }
    return _answer(body, 202, {"Content-Location": location})


@router.get(
    "/fhir/$export",
    **fhir_route(
        "Bulk export of every patient's data (admins)",
        status_code=202,
        operation_id="exportFhirSystem",
        success=ACCEPTED,
    ),
)
def export_system(
    prefer: Prefer = None, _type: TypeParam = None, _since: Since = None, _outputFormat: OutputFormat = None
) -> Response[str]:
    return _kick_off(None, prefer)


@router.get(
    "/fhir/Patient/<id>/$export",
    **fhir_route(
        "Bulk export of one patient's data (the patient, or an admin)",
        status_code=202,
        problems=(404,),
        operation_id="exportFhirPatient",
        success=ACCEPTED,
    ),
)
def export_patient(
    id: ResourceId,
    prefer: Prefer = None,
    _type: TypeParam = None,
    _since: Since = None,
    _outputFormat: OutputFormat = None,
) -> Response[str]:
    return _kick_off(_id(id), prefer)


STATUS_ROUTE = fhir_route(
    "An export's status: 202 while it runs, then its manifest (the job's owner or an admin)",
    problems=(404,),
    operation_id="getFhirExportStatus",
    success=STATUS,
)
STATUS_ROUTE["responses"][202] = RUNNING


@router.get("/fhir/$export-status/<jobId>", **STATUS_ROUTE)
def export_status(jobId: ResourceId) -> Response[str]:
    from rpm_core.services import exports

    status = exports.status(context.principal(), _id(jobId))
    if status.manifest is None:
        return _answer(
            {
                "resourceType": "OperationOutcome",
                "issue": [{"severity": "information", "code": "informational", "diagnostics": status.progress}],
            },
            202,
            {"X-Progress": status.progress, "Retry-After": "2"},
        )
    return Response(status_code=200, content_type="application/json", body=json.dumps(status.manifest))


@router.delete(
    "/fhir/$export-status/<jobId>",
    **fhir_route(
        "Cancel an export (its files are deleted)",
        status_code=202,
        problems=(404,),
        operation_id="cancelFhirExport",
        success=ACCEPTED | {"description": "Accepted: the export is cancelled"},
    ),
)
def cancel_export(jobId: ResourceId) -> Response[str]:
    from rpm_core.services import exports

    exports.cancel(context.principal(), _id(jobId), request_id=context.request_id())
    body = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "information", "code": "informational", "diagnostics": "Export cancelled"}],
    }
    return _answer(body, 202)


def patient_of(event: dict[str, Any]) -> str | None:
    """The patient a request is about (``Patient/{id}``, or a search's ``patient=``): its visibility rides in the
    request's first read, as for a REST route under ``/patients/{patientId}``."""
    if str(event.get("rawPath") or "").startswith("/fhir/Patient/"):
        return (event.get("pathParameters") or {}).get("id")
    named = (event.get("queryStringParameters") or {}).get("patient")
    return str(named).rsplit("/", 1)[-1] if named else None


app = http.resolver(router, service="fhir")
_respond = http.entrypoint(app, service="fhir", patient_of=patient_of)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The shared entrypoint, its problem+json errors answered as OperationOutcome."""
    return as_fhir(_respond(event, context))


lambda_handler = cold_start.ends_with_first_invocation(lambda_handler)
