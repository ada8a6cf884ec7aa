"""``Idempotency-Key`` on POST (``rpm_core.api.idempotency``): a retried create gets the first answer and writes
nothing again; the same key with another body, or while the first is running, is refused."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.integration.test_messaging import messages, open_thread
from tests.support.api import Api, ApiResponse, assert_problem
from tests.support.cast import Cast, Team


def send(api: Api, team: Team, thread_id: str, body: str, key: str | None) -> ApiResponse:
    return api.post(
        f"/threads/{thread_id}/messages",
        token=team.patient.access_token,
        json={"recipient": team.clinician.user_id, "body": body},
        headers={"Idempotency-Key": key} if key else None,
    )


def test_a_retried_create_gets_the_first_answer_and_writes_once(api: Api, stack: LocalStack, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    key = str(uuid.uuid4())
    first, again = send(api, team, thread_id, "twice?", key), send(api, team, thread_id, "twice?", key)
    assert first.status == again.status == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    stack.drain()
    assert [m["body"] for m in messages(api, team.clinician, thread_id)].count("twice?") == 1


def test_without_a_key_or_with_a_new_one_each_post_creates(api: Api, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    answers = [
        send(api, team, thread_id, "same", None),
        send(api, team, thread_id, "same", None),
        send(api, team, thread_id, "same", str(uuid.uuid4())),
    ]
    assert [a.status for a in answers] == [201, 201, 201]
    assert len({a.json()["objectId"] for a in answers}) == 3


def test_the_same_key_with_another_body_is_a_422_and_writes_nothing(api: Api, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    key = str(uuid.uuid4())
    assert send(api, team, thread_id, "first", key).status == 201
    problem = assert_problem(send(api, team, thread_id, "second", key), 422)
    assert "another request body" in problem["detail"]
    assert "second" not in [m["body"] for m in messages(api, team.clinician, thread_id)]


def test_keys_are_the_callers_own(api: Api, cast: Cast, team: Team) -> None:
    """Two callers choosing the same key make two records: a key is looked up with its caller and route."""
    key = str(uuid.uuid4())
    profile = {"medicalRecordNumber": "MRN-" + uuid.uuid4().hex[:10], "displayName": "Key One"}
    other = {"medicalRecordNumber": "MRN-" + uuid.uuid4().hex[:10], "displayName": "Key Two"}
    by_admin = api.post("/patients", token=cast.admin.access_token, json=profile, headers={"Idempotency-Key": key})
    by_clinician = api.post(
        "/patients", token=team.clinician.access_token, json=other, headers={"Idempotency-Key": key}
    )
    assert (by_admin.status, by_clinician.status) == (201, 201)
    assert by_admin.json()["objectId"] != by_clinician.json()["objectId"]


def test_a_refusal_is_replayed_too_but_a_malformed_key_is_a_400(api: Api, team: Team) -> None:
    thread_id = open_thread(api, team)["threadId"]
    key = str(uuid.uuid4())
    to_self = {"recipient": team.patient.user_id, "body": "to me"}
    path = f"/threads/{thread_id}/messages"
    first = api.post(path, token=team.patient.access_token, json=to_self, headers={"Idempotency-Key": key})
    again = api.post(path, token=team.patient.access_token, json=to_self, headers={"Idempotency-Key": key})
    assert_problem(first, 422)
    assert_problem(again, 422)
    assert again.headers["idempotent-replayed"] == "true"
    for bad in ("", "x" * 256, "ключ"):
        response = api.post(path, token=team.patient.access_token, json=to_self, headers={"Idempotency-Key": bad})
        if bad == "":  # an empty header is no header for most HTTP stacks: werkzeug sends it empty
            assert response.status in (400, 422)
            continue
        assert "Idempotency-Key" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize(
    "create",
    [
        lambda api, team: api.post(
            f"/patients/{team.patient_id}/monitoring-logs",
            token=team.clinician.access_token,
            json={"kind": "note", "note": "once"},
        ),
    ],
)
def test_a_function_without_the_grant_ignores_the_header(
    api: Api, team: Team, create: Callable[[Api, Team], Any]
) -> None:
    """``POST /live/tickets`` (auth, not granted the table) answers as always: a new ticket each time."""
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = api.post("/live/tickets", token=team.patient.access_token, headers=key)
    again = api.post("/live/tickets", token=team.patient.access_token, headers=key)
    assert (first.status, again.status) == (201, 201)
    assert first.json()["ticket"] != again.json()["ticket"]
    assert create(api, team).status == 201
