"""Threads, messages and attachments.

Participants are the patient and their care team; admins see that threads exist (legal hold) but
take part in none (403); everyone else gets 404. The extra caller ``removed_clinician`` was on the
patient's care team and was taken off it: they get what any outsider gets, at once.
"""

from __future__ import annotations

from tests.contract.matrix import Case, Request, TokenFor, admin_only, same, visible
from tests.support.api import Api
from tests.support.cast import Cast, new_clinician

ADMIN_NOT_A_PARTICIPANT = 403


def removed_clinician(api: Api, cast: Cast) -> str:
    clinician = new_clinician(api, cast.admin)
    path = f"/patients/{cast.patient.patient_id}/care-team/{clinician.user_id}"
    assert api.put(path, token=cast.admin.access_token).status == 204
    assert api.delete(path, token=cast.admin.access_token).status == 204
    return clinician.access_token


EXTRA_CALLERS: dict[str, TokenFor] = {"removed_clinician": removed_clinician}


def thread(api: Api, cast: Cast) -> str:
    response = api.post("/threads", token=cast.patient.access_token, json={"patientId": cast.patient.patient_id})
    assert response.status == 201, response
    return str(response.json()["threadId"])


def message_to_patient(api: Api, cast: Cast) -> tuple[str, str]:
    thread_id = thread(api, cast)
    response = api.post(
        f"/threads/{thread_id}/messages",
        token=cast.clinician.access_token,
        json={"recipient": cast.patient.user_id, "body": "Matrix"},
    )
    assert response.status == 201, response
    return thread_id, str(response.json()["objectId"])


def attachment(api: Api, cast: Cast) -> str:
    response = api.post(
        "/attachments",
        token=cast.patient.access_token,
        json={"patientId": cast.patient.patient_id, "fileName": "a.txt", "contentType": "text/plain", "sizeBytes": 5},
    )
    assert response.status == 201, response
    return str(response.json()["attachmentId"])


def participants(status: int) -> dict[str, int]:
    return {
        **visible(status),
        "admin": ADMIN_NOT_A_PARTICIPANT,
        "break_glass_clinician": 403,  # reads the patient's records; takes part in no conversation
        "removed_clinician": 404,
    }


def _message_request(api: Api, cast: Cast) -> Request:
    # the recipient is the assigned clinician: they may not write to themselves (422); the patient may
    return Request(
        "POST", f"/threads/{thread(api, cast)}/messages", {"recipient": cast.clinician.user_id, "body": "Matrix"}
    )


def _read_request(api: Api, cast: Cast) -> Request:
    thread_id, message_id = message_to_patient(api, cast)
    return Request("POST", f"/threads/{thread_id}/messages/{message_id}/read")


CASES: dict[str, Case] = {
    "POST /threads": Case(
        lambda api, c: Request("POST", "/threads", {"patientId": c.patient.patient_id, "subject": "Matrix"}),
        participants(201),
    ),
    "GET /threads": Case(lambda api, c: Request("GET", "/threads"), {**same(200), "removed_clinician": 200}),
    "POST /threads/{threadId}/messages": Case(_message_request, {**participants(201), "assigned_clinician": 422}),
    "GET /threads/{threadId}/messages": Case(
        lambda api, c: Request("GET", f"/threads/{thread(api, c)}/messages"), participants(200)
    ),
    "POST /threads/{threadId}/messages/{messageId}/read": Case(
        _read_request, {**participants(200), "assigned_clinician": 403}
    ),
    "PUT /threads/{threadId}/legal-hold": Case(
        lambda api, c: Request("PUT", f"/threads/{thread(api, c)}/legal-hold", {"hold": False}),
        {**admin_only(200), "removed_clinician": 403},
    ),
    "POST /attachments": Case(
        lambda api, c: Request(
            "POST",
            "/attachments",
            {"patientId": c.patient.patient_id, "fileName": "a.pdf", "contentType": "application/pdf", "sizeBytes": 9},
        ),
        {**visible(201), "break_glass_clinician": 403, "removed_clinician": 404},
    ),
    "GET /attachments/{attachmentId}": Case(
        lambda api, c: Request("GET", f"/attachments/{attachment(api, c)}"), {**visible(200), "removed_clinician": 404}
    ),
}
