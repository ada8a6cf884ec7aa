"""What the FHIR surface serves, declared once: the CapabilityStatement is built from it, and a test holds the
fhir function's routes to it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rpm_core.fhir.search import DEFAULT_COUNT, MAX_COUNT

FHIR_VERSION = "4.0.1"
EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
PATIENT_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"
PATIENT = ("patient", "reference", "The patient (id or Patient/<id>); a patient's own when a patient asks")


@dataclass(frozen=True)
class Served:
    type: str
    read: bool = False
    search: tuple[tuple[str, str, str], ...] = ()
    """(name, type, documentation) of each search parameter (``_count`` is accepted by every search)."""
    profiles: tuple[str, ...] = ()


SERVED: tuple[Served, ...] = (
    Served("Patient", read=True, search=()),
    Served(
        "Observation",
        read=True,
        search=(
            PATIENT,
            ("category", "token", "vital-signs or laboratory"),
            ("code", "token", "system|code (LOINC), e.g. http://loinc.org|85354-9"),
            ("date", "date", "effective time, with eq, gt, lt, ge or le; repeat for a range"),
        ),
        profiles=tuple(
            f"http://hl7.org/fhir/StructureDefinition/{name}"
            for name in ("bp", "heartrate", "oxygensat", "bodyweight", "bodytemp")
        ),
    ),
    Served("Device", search=(PATIENT,)),
    Served("DiagnosticReport", search=(PATIENT,)),
    Served("CarePlan", search=(PATIENT,)),
    Served("Appointment", search=(PATIENT,)),
)
BY_TYPE = {served.type: served for served in SERVED}
EXPORT_TYPES: tuple[str, ...] = tuple(served.type for served in SERVED)
"""What a bulk export writes (``_type`` chooses among them), in this order."""


def search_parameters(resource_type: str) -> tuple[str, ...]:
    return tuple(name for name, _, _ in BY_TYPE[resource_type].search)


def routes() -> set[str]:
    """The route keys these declarations imply (the fhir function must serve exactly these)."""
    keys = {"GET /fhir/metadata", "GET /fhir/$export", "GET /fhir/Patient/{id}/$export"}
    keys |= {"GET /fhir/$export-status/{jobId}", "DELETE /fhir/$export-status/{jobId}"}
    for served in SERVED:
        keys.add(f"GET /fhir/{served.type}")
        if served.read:
            keys.add(f"GET /fhir/{served.type}/{{id}}")
    return keys


def capability_statement(base_url: str, published: str) -> dict[str, Any]:
    resources = []
    for served in SERVED:
        entry: dict[str, Any] = {
            "type": served.type,
            "interaction": ([{"code": "read"}] if served.read else []) + [{"code": "search-type"}],
            "searchParam": [{"name": name, "type": kind, "documentation": text} for name, kind, text in served.search],
        }
        if served.profiles:
            entry["supportedProfile"] = list(served.profiles)
        if served.type == "Patient":
            entry["operation"] = [{"name": "export", "definition": PATIENT_EXPORT_DEFINITION}]
        if not entry["searchParam"]:
            del entry["searchParam"]
        resources.append(entry)
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": published,
        "publisher": "Remote Patient Monitoring backend",
        "kind": "instance",
        "software": {"name": "rpm-backend"},
        "implementation": {"description": "Read-only FHIR R4 views and bulk export", "url": base_url + "/fhir"},
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": f"Searches answer Bundles of type searchset (_count 1..{MAX_COUNT}, default "
                f"{DEFAULT_COUNT}; total omitted; the next link carries a tamper-checked cursor).",
                "security": {
                    "cors": False,
                    "description": "Authorization: Bearer <Cognito access token>; only /fhir/metadata is public.",
                },
                "resource": resources,
                "operation": [{"name": "export", "definition": EXPORT_DEFINITION}],
            }
        ],
    }
