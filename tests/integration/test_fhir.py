"""FHIR R4 (``/fhir``): the same records, visibility and read audit as REST, validated by real FHIR tooling
(``fhir.resources`` R4B models, the Vital Signs invariants in FHIRPath) and read by a real FHIR client
(``fhirpy``) as an EHR integration would."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import quote

from infra import catalog
from infra.local.stack import LocalStack
from rpm_core.fhir import capabilities
from tests.support.api import Api, ApiResponse
from tests.support.cast import Account, Cast
from tests.support.fhir_validation import validate, vital_signs_violations

FHIR_JSON = "application/fhir+json"


def fhir_get(api: Api, path: str, token: str | None, status: int = 200) -> dict[str, Any]:
    response = api.get(path, token=token)
    assert response.status == status, response
    assert response.content_type == FHIR_JSON, response.headers
    body: dict[str, Any] = response.json()
    if status >= 400:
        assert body["resourceType"] == "OperationOutcome"
    validate(body)
    return body


def entries(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    assert bundle["resourceType"] == "Bundle"
    assert bundle["type"] == "searchset"
    assert "total" not in bundle
    return [entry["resource"] for entry in bundle.get("entry", [])]


def link(bundle: dict[str, Any], relation: str) -> str | None:
    return next((item["url"] for item in bundle["link"] if item["relation"] == relation), None)


def relative(url: str) -> str:
    """An absolute link of the local stack as the path and query the in-process client takes."""
    assert url.startswith("http")
    rest = url.split("://", 1)[1]
    return rest[rest.index("/") :]


def test_metadata_is_public_and_states_exactly_what_is_served(api: Api) -> None:
    statement = fhir_get(api, "/fhir/metadata", None)
    assert statement["fhirVersion"] == "4.0.1"
    served = {route.route_key for route in catalog.http_routes() if route.function == "fhirapi"}
    assert served == capabilities.routes()
    stated = set()
    for resource in statement["rest"][0]["resource"]:
        codes = {interaction["code"] for interaction in resource["interaction"]}
        if "read" in codes:
            stated.add(f"GET /fhir/{resource['type']}/{{id}}")
        if "search-type" in codes:
            stated.add(f"GET /fhir/{resource['type']}")
        if any(op["name"] == "export" for op in resource.get("operation", [])):
            stated.add(f"GET /fhir/{resource['type']}/{{id}}/$export")
    if any(op["name"] == "export" for op in statement["rest"][0]["operation"]):
        stated |= {"GET /fhir/$export", "GET /fhir/$export-status/{jobId}", "DELETE /fhir/$export-status/{jobId}"}
    assert stated | {"GET /fhir/metadata"} == served


def test_without_a_token_every_other_route_is_401_operation_outcome(api: Api) -> None:
    body = fhir_get(api, "/fhir/Patient", None, 401)
    assert body["issue"][0]["code"] == "login"
    fhir_get(api, "/fhir/Observation?patient=x", None, 401)


def test_the_patient_with_their_mrn(api: Api, fhir_team: tuple[str, Account], cast: Cast) -> None:
    patient_id, clinician = fhir_team
    patient = fhir_get(api, f"/fhir/Patient/{patient_id}", clinician.access_token)
    assert patient["id"] == patient_id
    assert patient["identifier"][0]["value"].startswith("MRN-")
    fhir_get(api, f"/fhir/Patient/{patient_id}", cast.other_patient.access_token, 404)
    fhir_get(api, "/fhir/Patient/no-such-patient", clinician.access_token, 404)
    listed = entries(fhir_get(api, "/fhir/Patient", clinician.access_token))
    assert patient_id in {resource["id"] for resource in listed}


def test_every_device_types_reading_is_a_conforming_observation(
    api: Api, fhir_team: tuple[str, Account], fhir_records: dict[str, Any]
) -> None:
    patient_id, clinician = fhir_team
    for device_type, reading in fhir_records["manual"].items():
        observation = fhir_get(api, f"/fhir/Observation/{reading['objectId']}", clinician.access_token)
        assert observation["effectiveDateTime"] == reading["recordedAt"]
        assert observation["issued"] == reading["receivedAt"]
        assert observation["meta"]["versionId"] == str(reading["version"])
        if device_type == "glucometer":
            assert observation["category"][0]["coding"][0]["code"] == "laboratory"
        else:
            assert vital_signs_violations(observation) == [], device_type
    bundle = fhir_get(
        api, f"/fhir/Observation?patient={patient_id}&code=http://loinc.org|85354-9", clinician.access_token
    )
    with_device = [o for o in entries(bundle) if "device" in o]
    assert len(with_device) == 3
    assert {o["device"]["reference"] for o in with_device} == {f"Device/{fhir_records['device']['objectId']}"}


def test_search_by_category_code_and_date(
    api: Api, fhir_team: tuple[str, Account], fhir_records: dict[str, Any]
) -> None:
    patient_id, clinician = fhir_team
    token = clinician.access_token

    def search(query: str) -> list[dict[str, Any]]:
        return entries(fhir_get(api, f"/fhir/Observation?patient={patient_id}&_count=100&{query}", token))

    vitals = search("category=vital-signs")
    assert len(vitals) == 5 + 3
    assert all(o["category"][0]["coding"][0]["code"] == "vital-signs" for o in vitals)
    labs = search("category=laboratory")
    assert {o["code"]["coding"][0]["code"] for o in labs} == {"2339-0", "2823-3"}
    assert {o["id"] for o in search("code=http://loinc.org|8867-4")} == {
        fhir_records["manual"]["heart_rate"]["objectId"]
    }
    assert len(search("code=2823-3")) == 1  # the lab result by its LOINC code
    assert search("code=http://snomed.info/sct|8867-4") == []
    today = datetime.now(UTC).date().isoformat()
    recent = search(f"date=ge{today}&category=vital-signs")
    assert len(recent) == 5  # the manual readings; the device's are days old
    assert len(search(f"date=lt{today}&category=vital-signs")) == 3
    day = (datetime.now(UTC) - timedelta(days=2)).date().isoformat()
    assert len(search(f"date=eq{day}&category=vital-signs")) == 1
    assert len(search(f"date=gt{day}&date=lt{today}&category=vital-signs")) == 1
    for bad in (
        "_count=0",
        "_count=101",
        "date=yesterday",
        "date=ne2026-01-01",
        "date=2026-01-01T10:00",
        "category=imaging",
        "frobnicate=1",
        "_cursor=forged",
    ):
        outcome = fhir_get(api, f"/fhir/Observation?patient={patient_id}&{bad}", token, 400)
        assert outcome["issue"][0]["code"] == "invalid"


def test_paging_through_next_links(api: Api, fhir_team: tuple[str, Account], fhir_records: dict[str, Any]) -> None:
    patient_id, clinician = fhir_team
    url: str | None = f"/fhir/Observation?patient={patient_id}&_count=2"
    seen: list[str] = []
    pages = 0
    while url:
        bundle = fhir_get(api, url, clinician.access_token)
        assert link(bundle, "self")
        seen += [o["id"] for o in entries(bundle)]
        pages += 1
        url = link(bundle, "next")
        if url:
            assert "_cursor=" in url
            assert url.startswith("http")
            url = url.split("://", 1)[1]
            url = url[url.index("/") :]
    assert len(seen) == len(set(seen)) == 6 + 3 + 1  # every reading, then the lab result
    assert pages >= 5
    forged = f"/fhir/Observation?patient={patient_id}&_count=2&_cursor=r~{quote('eyJ4IjoxfQ.AAAA')}"
    fhir_get(api, forged, clinician.access_token, 400)


def test_the_other_searches_by_patient(
    api: Api, fhir_team: tuple[str, Account], fhir_records: dict[str, Any], cast: Cast
) -> None:
    patient_id, clinician = fhir_team
    token = clinician.access_token
    found = {
        name: entries(fhir_get(api, f"/fhir/{name}?patient=Patient/{patient_id}", token))
        for name in ("Device", "DiagnosticReport", "CarePlan", "Appointment")
    }
    assert [d["id"] for d in found["Device"]] == [fhir_records["device"]["objectId"]]
    assert found["DiagnosticReport"][0]["result"][0]["reference"].startswith("Observation/")
    assert found["CarePlan"][0]["title"] == "Walk daily"
    assert found["Appointment"][0]["status"] == "booked"
    report_observation = found["DiagnosticReport"][0]["result"][0]["reference"]
    fhir_get(api, f"/fhir/{report_observation}", token)
    fhir_get(api, f"/fhir/Device?patient={patient_id}", cast.other_patient.access_token, 404)
    fhir_get(api, "/fhir/Device", token, 400)  # a clinician names the patient


def test_a_patient_searches_their_own_records_without_naming_themselves(api: Api, cast: Cast) -> None:
    bundle = fhir_get(api, "/fhir/Observation", cast.patient.access_token)
    assert all(o["subject"]["reference"] == f"Patient/{cast.patient.patient_id}" for o in entries(bundle))


def test_reads_are_audited_as_rest_reads(
    api: Api, fhir_team: tuple[str, Account], fhir_records: dict[str, Any], cast: Cast
) -> None:
    patient_id, clinician = fhir_team
    reading = fhir_records["manual"]["heart_rate"]
    response: ApiResponse = api.get(f"/fhir/Observation/{reading['objectId']}", token=clinician.access_token)
    request_id = response.headers["apigw-requestid"]
    log = api.get(f"/audit-logs?entityId={reading['objectId']}&limit=100", token=cast.admin.access_token).json()
    mine = [entry for entry in log["items"] if entry.get("requestId") == request_id]
    assert [(e["action"], e["entityType"], e["patient"]) for e in mine] == [("read", "DeviceData", patient_id)]
    assert mine[0]["metadata"]["route"] == "GET /fhir/Observation/{id}"


def test_fhirpy_searches_and_pages_like_an_ehr(
    stack: LocalStack, fhir_team: tuple[str, Account], fhir_records: dict[str, Any]
) -> None:
    from fhirpy import SyncFHIRClient

    patient_id, clinician = fhir_team
    client = SyncFHIRClient(f"{stack.base_url}/fhir", authorization=f"Bearer {clinician.access_token}")
    patient = client.reference("Patient", patient_id).to_resource()
    assert patient["id"] == patient_id
    search = client.resources("Observation").search(patient=patient_id, category="vital-signs").limit(3)
    everything = search.fetch_all()  # follows every next link
    assert len(everything) == 8
    assert len({o["id"] for o in everything}) == 8
    for observation in everything:
        assert vital_signs_violations(observation.serialize()) == []
    first_page = search.fetch()  # _count is the most a page holds (one Query: a glucose reading is left out)
    assert 1 <= len(first_page) <= 3
