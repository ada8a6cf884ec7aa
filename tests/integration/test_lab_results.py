"""Lab results: /patients/{patientId}/lab-results[/{labResultId}[/versions]]."""

from __future__ import annotations

from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.integration.test_messaging import PNG, declare, upload
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Account, Cast, assign, create_profile, new_clinician

FIELDS = {
    "objectId",
    "patient",
    "orderedBy",
    "testCode",
    "testName",
    "resultValue",
    "units",
    "referenceRange",
    "status",
    "publishedAt",
    "attachments",
    "version",
    "reason",
    "createdBy",
    "updatedBy",
    "createdAt",
    "updatedAt",
}


def _team(api: Api, cast: Cast) -> tuple[str, Account]:
    """A fresh patient with a clinician of their own on the care team."""
    patient_id = str(create_profile(api, cast.admin.access_token)["objectId"])
    clinician = new_clinician(api, cast.admin)
    assign(api, cast.admin, patient_id, clinician)
    return patient_id, clinician


def _create(api: Api, token: str, patient_id: str, **fields: Any) -> dict[str, Any]:
    response = api.post(f"/patients/{patient_id}/lab-results", token=token, json={"testName": "Potassium", **fields})
    assert response.status == 201, response
    body: dict[str, Any] = response.json()
    return body


def _patch(
    api: Api, token: str, patient_id: str, lab_id: str, if_match: str | None = None, **fields: Any
) -> ApiResponse:
    headers = {"If-Match": if_match} if if_match is not None else None
    return api.patch(f"/patients/{patient_id}/lab-results/{lab_id}", token=token, json=fields, headers=headers)


def _versions(api: Api, token: str, patient_id: str, lab_id: str) -> list[dict[str, Any]]:
    response = api.get(f"/patients/{patient_id}/lab-results/{lab_id}/versions?limit=100", token=token)
    assert response.status == 200, response
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_the_care_team_records_a_preliminary_result(api: Api, cast: Cast) -> None:
    patient, clinician = cast.patient.patient_id, cast.clinician
    assert patient
    response = api.post(
        f"/patients/{patient}/lab-results",
        token=clinician.access_token,
        json={
            "testCode": "2823-3",
            "testName": "Potassium",
            "resultValue": 4.1,
            "units": "mmol/L",
            "referenceRange": "3.5-5.1",
            "orderedBy": clinician.user_id,
        },
    )
    assert response.status == 201, response
    body = response.json()
    assert set(body) == FIELDS
    assert response.headers["etag"] == '"1"'
    assert (body["status"], body["version"], body["publishedAt"]) == ("preliminary", 1, None)
    assert (body["resultValue"], body["units"], body["patient"]) == (4.1, "mmol/L", patient)
    assert body["createdBy"] == body["updatedBy"] == clinician.user_id
    assert body["createdAt"].endswith("Z")
    fetched = api.get(f"/patients/{patient}/lab-results/{body['objectId']}", token=cast.patient.access_token)
    assert fetched.status == 200
    assert fetched.json() == body
    assert fetched.headers["etag"] == '"1"'


def test_finalize_and_amend_keep_every_version(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    created = _create(api, token, patient, resultValue=4.1, units="mmol/L")
    lab = created["objectId"]

    final = _patch(api, token, patient, lab, '"1"', status="final")
    assert final.status == 200, final
    assert final.json()["status"] == "final"
    assert final.json()["version"] == 2
    assert final.headers["etag"] == '"2"'
    published = final.json()["publishedAt"]
    assert published
    assert published.endswith("Z")

    amended = _patch(api, token, patient, lab, "2", status="amended", resultValue=4.4, reason="Analyser recalibrated")
    assert amended.status == 200, amended
    assert (amended.json()["status"], amended.json()["version"], amended.json()["resultValue"]) == ("amended", 3, 4.4)
    assert amended.json()["publishedAt"] == published  # published once, when it became final
    assert amended.json()["reason"] == "Analyser recalibrated"

    # any number of amendments, by anyone on the care team or an admin
    again = _patch(api, cast.admin.access_token, patient, lab, None, resultValue="4.5", reason="Transcription error")
    assert again.status == 200, again
    assert (again.json()["status"], again.json()["version"], again.json()["resultValue"]) == ("amended", 4, "4.5")
    assert again.json()["updatedBy"] == cast.admin.user_id
    assert again.json()["createdBy"] == clinician.user_id

    versions = _versions(api, token, patient, lab)
    assert [v["version"] for v in versions] == [1, 2, 3, 4]
    assert [v["status"] for v in versions] == ["preliminary", "final", "amended", "amended"]
    assert [v["resultValue"] for v in versions] == [4.1, 4.1, 4.4, "4.5"]
    assert [v.get("reason") for v in versions] == [None, None, "Analyser recalibrated", "Transcription error"]
    assert [v["updatedBy"] for v in versions] == [clinician.user_id] * 3 + [cast.admin.user_id]
    assert all(v["createdBy"] == clinician.user_id for v in versions)
    assert len({v["requestId"] for v in versions}) == 4
    assert versions[-1] | {"requestId": None} == again.json() | {"requestId": None}
    # the patient reads the history too; the versions page like every list
    first = api.get(f"/patients/{patient}/lab-results/{lab}/versions?limit=3", token=cast.admin.access_token).json()
    assert [v["version"] for v in first["items"]] == [1, 2, 3]
    rest = api.get(
        f"/patients/{patient}/lab-results/{lab}/versions?limit=3&cursor={first['nextCursor']}",
        token=cast.admin.access_token,
    ).json()
    assert [v["version"] for v in rest["items"]] == [4]
    assert rest["nextCursor"] is None


def test_a_stale_if_match_is_refused_and_changes_nothing(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    lab = _create(api, clinician.access_token, patient)["objectId"]
    assert _patch(api, clinician.access_token, patient, lab, '"1"', units="mmol/L").status == 200
    for stale in ('"1"', "1", 'W/"1"', '"7"', "not-a-version"):
        assert_problem(_patch(api, clinician.access_token, patient, lab, stale, units="mg/dL"), 412)
    assert _versions(api, clinician.access_token, patient, lab)[-1]["version"] == 2
    assert _patch(api, clinician.access_token, patient, lab, "*", units="mg/dL").json()["version"] == 3
    assert _patch(api, clinician.access_token, patient, lab, 'W/"3"', units="g/L").json()["version"] == 4


def test_a_result_may_be_published_at_once(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    body = _create(api, clinician.access_token, patient, status="final", resultValue=7)
    assert body["status"] == "final"
    assert body["publishedAt"] == body["createdAt"]
    assert body["resultValue"] == 7


@pytest.mark.parametrize(
    ("path", "change", "status"),
    [
        (["final"], {"status": "preliminary"}, 409),
        (["final"], {"status": "cancelled"}, 409),
        (["final"], {"status": "final", "units": "g/L"}, 409),
        (["final"], {"units": "g/L"}, 409),  # a final result changes only by an amendment
        (["final", "amended"], {"status": "final", "reason": "x"}, 409),
        (["final", "amended"], {"status": "preliminary", "reason": "x"}, 409),
        (["cancelled"], {"status": "final"}, 409),
        (["cancelled"], {"status": "preliminary"}, 409),
        (["cancelled"], {"units": "g/L"}, 409),
        ([], {"status": "amended", "reason": "too early"}, 409),
        (["final"], {"status": "amended", "units": "g/L"}, 422),  # an amendment needs a reason
    ],
)
def test_bad_transitions(api: Api, cast: Cast, path: list[str], change: dict[str, Any], status: int) -> None:
    patient, clinician = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    lab = _create(api, clinician, patient)["objectId"]
    for step in path:
        assert (
            _patch(api, clinician, patient, lab, status=step, reason="steps" if step == "amended" else None).status
            == 200
        )
    before = _versions(api, clinician, patient, lab)
    assert_problem(_patch(api, clinician, patient, lab, **change), status)
    assert _versions(api, clinician, patient, lab) == before


def test_a_draft_may_be_edited_and_a_change_to_nothing_makes_no_version(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    lab = _create(api, clinician.access_token, patient, units="mmol/L")["objectId"]
    edited = _patch(api, clinician.access_token, patient, lab, resultValue=5, units=None)
    assert edited.status == 200
    assert (edited.json()["resultValue"], edited.json()["units"], edited.json()["version"]) == (5, None, 2)
    same = _patch(api, clinician.access_token, patient, lab, resultValue=5)
    assert same.json()["version"] == 2
    cancelled = _patch(api, clinician.access_token, patient, lab, status="cancelled")
    assert (cancelled.json()["status"], cancelled.json()["publishedAt"]) == ("cancelled", None)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"testName": ""},
        {"testName": "A", "status": "amended"},
        {"testName": "A", "status": "cancelled"},
        {"testName": "A", "resultValue": True},
        {"testName": "A", "resultValue": {"value": 1}},
        {"testName": "A", "publishedAt": "2025-01-01T00:00:00Z"},
        {"testName": "A", "version": 4},
        {"testName": "A", "attachments": ["a b"]},
        {"testName": "A", "attachments": [f"a{i}" for i in range(21)]},
        {"testName": "A", "orderedBy": "x" * 200},
    ],
)
def test_create_validation(api: Api, cast: Cast, body: dict[str, Any]) -> None:
    response = api.post(
        f"/patients/{cast.patient.patient_id}/lab-results", token=cast.clinician.access_token, json=body
    )
    assert_problem(response, 422)


def test_non_finite_numbers_are_refused(api: Api, cast: Cast) -> None:
    for number in ("NaN", "Infinity", "-Infinity"):
        response = api.post(
            f"/patients/{cast.patient.patient_id}/lab-results",
            token=cast.clinician.access_token,
            data=f'{{"testName": "A", "resultValue": {number}}}',
            headers={"Content-Type": "application/json"},
        )
        assert response.status in (400, 422), response
        assert_problem(response, response.status)


@pytest.mark.parametrize("change", [{"testName": None}, {"status": None}, {"reason": ""}, {"unknown": 1}])
def test_update_validation(api: Api, cast: Cast, change: dict[str, Any]) -> None:
    patient, token = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    lab = _create(api, token, patient)["objectId"]
    assert_problem(_patch(api, token, patient, lab, **change), 422)


def test_list_is_newest_published_first_then_drafts(api: Api, cast: Cast) -> None:
    patient, clinician = _team(api, cast)
    token = clinician.access_token
    draft_old = _create(api, token, patient, testName="Draft old")["objectId"]
    published_first = _create(api, token, patient, testName="Published first")["objectId"]
    published_second = _create(api, token, patient, testName="Published second", status="final")["objectId"]
    draft_new = _create(api, token, patient, testName="Draft new")["objectId"]
    assert _patch(api, token, patient, published_first, status="final").status == 200  # published last: newest
    listed: list[str] = []
    cursor = None
    for _ in range(10):
        query = "limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = api.get(f"/patients/{patient}/lab-results?{query}", token=cast.admin.access_token).json()
        listed += [item["objectId"] for item in page["items"]]
        cursor = page["nextCursor"]
        if not cursor:
            break
    assert listed == [published_first, published_second, draft_new, draft_old]
    items = api.get(f"/patients/{patient}/lab-results", token=token).json()["items"]
    assert [item["status"] for item in items] == ["final", "final", "preliminary", "preliminary"]


def test_outsiders_get_404_and_the_patient_403_on_writes(api: Api, cast: Cast) -> None:
    patient, token = cast.patient.patient_id, cast.clinician.access_token
    assert patient
    lab = _create(api, token, patient)["objectId"]
    base = f"/patients/{patient}/lab-results"
    for outsider in (cast.other_patient, cast.unassigned_clinician, cast.pending_clinician):
        assert_problem(api.get(f"{base}/{lab}", token=outsider.access_token), 404)
        assert_problem(api.get(f"{base}/{lab}/versions", token=outsider.access_token), 404)
        assert_problem(api.get(base, token=outsider.access_token), 404)
        assert_problem(_patch(api, outsider.access_token, patient, lab, status="final"), 404)
        assert_problem(api.post(base, token=outsider.access_token, json={"testName": "X"}), 404)
    assert_problem(_patch(api, cast.patient.access_token, patient, lab, status="final"), 403)
    assert_problem(api.post(base, token=cast.patient.access_token, json={"testName": "X"}), 403)
    # a result of another patient is not found under this one
    other = str(create_profile(api, cast.admin.access_token)["objectId"])
    foreign = _create(api, cast.admin.access_token, other)["objectId"]
    assert_problem(api.get(f"{base}/{foreign}", token=token), 404)
    assert_problem(api.get(f"{base}/{foreign}/versions", token=token), 404)
    assert_problem(_patch(api, token, patient, foreign, status="final"), 404)
    assert_problem(api.get(f"{base}/no-such-result", token=token), 404)


def test_attachments_are_this_patients_available_ones_and_ordered_by_an_active_clinician(
    api: Api, stack: LocalStack, cast: Cast
) -> None:
    """API.md, Clinical records: ``attachments`` must be this patient's attachments and ``orderedBy`` an active
    clinician (422 otherwise), on create and on change."""
    patient, clinician = _team(api, cast)
    other_patient, other_clinician = _team(api, cast)
    token, path = clinician.access_token, f"/patients/{patient}/lab-results"
    mine = upload(api, stack, clinician, patient, PNG, "image/png")
    theirs = upload(api, stack, other_clinician, other_patient, PNG, "image/png")
    assert mine["status"] == theirs["status"] == "available"
    pending = declare(api, clinician, patient, PNG, "image/png")["attachmentId"]
    outsider = new_clinician(api, cast.admin)  # active, on no care team of this patient: may order
    pending_clinician = cast.pending_clinician
    bad: list[tuple[dict[str, Any], list[Any]]] = [
        ({"attachments": [theirs["attachmentId"]]}, ["body", "attachments", 0]),
        ({"attachments": [mine["attachmentId"], pending]}, ["body", "attachments", 1]),
        ({"attachments": ["no-such-attachment"]}, ["body", "attachments", 0]),
        ({"attachments": [mine["attachmentId"], mine["attachmentId"]]}, ["body", "attachments"]),
        ({"orderedBy": cast.patient.user_id}, ["body", "orderedBy"]),
        ({"orderedBy": pending_clinician.user_id}, ["body", "orderedBy"]),
        ({"orderedBy": cast.admin.user_id}, ["body", "orderedBy"]),
        ({"orderedBy": "no-such-user"}, ["body", "orderedBy"]),
    ]
    for fields, loc in bad:
        problem = assert_problem(api.post(path, token=token, json={"testName": "Sodium", **fields}), 422)
        assert loc in [error["loc"] for error in problem["errors"]], (fields, problem)
    assert api.get(path, token=token).json()["items"] == []

    good = {"attachments": [mine["attachmentId"]], "orderedBy": outsider.user_id}
    created = _create(api, token, patient, **good)
    assert (created["attachments"], created["orderedBy"]) == (good["attachments"], good["orderedBy"])
    lab = created["objectId"]
    for fields, loc in bad:
        problem = assert_problem(_patch(api, token, patient, lab, **fields), 422)
        assert loc in [error["loc"] for error in problem["errors"]], (fields, problem)
    assert [v["version"] for v in _versions(api, token, patient, lab)] == [1]
    changed = _patch(api, token, patient, lab, orderedBy=clinician.user_id, attachments=[])
    assert changed.status == 200, changed
    assert (changed.json()["orderedBy"], changed.json()["attachments"]) == (clinician.user_id, [])
