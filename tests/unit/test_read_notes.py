"""rpm_core.services.reads and audit_reads: what a request let its caller see, noted by the services and
turned into one read entry per patient when the request ends (no storage: the entries before they join a
chain; the write, its single storage call and the fail-closed answer are tested through the API in
tests/integration/test_audit.py and tests/contract/test_audit_coverage.py)."""

from __future__ import annotations

from rpm_core.auth import Principal, Role
from rpm_core.context import NotedRead, RequestContext, request_scope
from rpm_core.services import audit_reads, reads
from rpm_core.services.access import PatientGrant, Relation


def _principal(role: Role, user_id: str = "u-1", patient_id: str | None = None) -> Principal:
    return Principal(
        user_id=user_id, role=role, status="active", session_id="s", session_expires_at=0, patient_id=patient_id
    )


def _request(principal: Principal) -> RequestContext:
    return RequestContext(request_id="r-1", source_ip="10.0.0.1", principal=principal, via="GET /things")


def test_a_patient_s_records_are_noted_under_the_grant_each_id_once() -> None:
    grant = PatientGrant(patient={"patientId": "p-1"}, relation=Relation.CARE_TEAM)
    with request_scope(_request(_principal("clinician"))) as request:
        reads.of_patient(grant, "LabResult", ["l-1", "l-1", "l-2"])  # a result's versions share its id
        reads.of_patient(grant, "Threshold")
    assert request.reads == [
        NotedRead("p-1", "LabResult", ("l-1", "l-2"), "care_team"),
        NotedRead("p-1", "Threshold", (), "care_team"),
    ]


def test_a_list_across_patients_is_one_note_per_patient_and_skips_records_of_no_patient() -> None:
    with request_scope(_request(_principal("admin"))) as request:
        reads.across_patients(_principal("admin"), "User", [("p-1", "u-a"), (None, "u-staff"), ("p-2", "u-b")])
    assert request.reads == [NotedRead("p-1", "User", ("u-a",), "admin"), NotedRead("p-2", "User", ("u-b",), "admin")]


def test_outside_a_request_nothing_is_noted() -> None:
    reads.of_patient(PatientGrant(patient={"patientId": "p-1"}, relation=Relation.SELF), "Patient", ["p-1"])
    request = _request(_principal("patient", patient_id="p-1"))
    assert audit_reads.entries(request) == []


def test_the_entries_are_one_per_patient_with_who_what_and_where() -> None:
    request = _request(_principal("clinician", user_id="u-clin"))
    request.reads += [
        NotedRead("p-1", "MonitoringLog", ("m-1",), "care_team"),
        NotedRead("p-2", "MonitoringLog", ("m-2", "m-3"), "care_team"),
        NotedRead("p-1", "MonitoringLog", ("m-4", "m-1"), "care_team"),  # noted twice in one request: one entry
        NotedRead("p-3", "MonitoringLog", (), "care_team"),
    ]
    entries = audit_reads.entries(request)
    assert [(e["patientId"], e["entityId"], e["metadata"]["entityIds"]) for e in entries] == [
        ("p-1", "p-1", ["m-1", "m-4"]),  # several records: the entry names the patient
        ("p-2", "p-2", ["m-2", "m-3"]),
        ("p-3", "p-3", []),
    ]
    first = entries[0]
    assert (first["action"], first["actor"], first["entityType"]) == ("read", "u-clin", "MonitoringLog")
    assert (first["requestId"], first["sourceIp"], first["metadata"]["route"]) == ("r-1", "10.0.0.1", "GET /things")
    assert first["summary"] == "2 MonitoringLog record(s) of patient p-1 read via GET /things"
    assert entries[2]["summary"] == "no MonitoringLog record(s) of patient p-3 read via GET /things"


def test_one_record_is_named_by_its_own_id() -> None:
    request = _request(_principal("patient", user_id="u-p", patient_id="p-1"))
    request.reads.append(NotedRead("p-1", "Attachment", ("a-1",), "self"))
    (entry,) = audit_reads.entries(request)
    assert (entry["entityId"], entry["entityKey"]) == ("a-1", "Attachment#a-1")
