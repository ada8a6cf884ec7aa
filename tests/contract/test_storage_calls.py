"""Storage calls per request, counted with botocore event hooks (authorizer included)."""

from __future__ import annotations

import pytest

from tests.support.api import Api
from tests.support.cast import Cast
from tests.support.storage import StorageCalls


@pytest.mark.parametrize("caller", ["admin", "patient", "clinician"])
def test_get_patient_makes_at_most_two_dynamodb_calls(
    api: Api, cast: Cast, storage_calls: StorageCalls, caller: str
) -> None:
    token = getattr(cast, caller).access_token
    storage_calls.clear()
    response = api.get(f"/patients/{cast.patient.patient_id}", token=token)
    assert response.status == 200
    assert len(storage_calls) <= 2, storage_calls.operations


def test_invisible_patient_costs_no_more(api: Api, cast: Cast, storage_calls: StorageCalls) -> None:
    storage_calls.clear()
    assert api.get(f"/patients/{cast.other_patient.patient_id}", token=cast.patient.access_token).status == 404
    assert storage_calls.operations == ["BatchGetItem"]  # the authorizer only: a patient's own id is known


@pytest.mark.parametrize(
    ("path", "caller", "budget"),
    [("/me", "patient", 2), ("/patients", "admin", 2), ("/patients", "clinician", 3), ("/admin/users", "admin", 2)],
)
def test_request_budgets(
    api: Api, cast: Cast, storage_calls: StorageCalls, path: str, caller: str, budget: int
) -> None:
    storage_calls.clear()
    assert api.get(path, token=getattr(cast, caller).access_token).status == 200
    assert len(storage_calls) <= budget, storage_calls.operations
    assert "Scan" not in storage_calls.operations


# --- messaging: O(page), whatever the number of threads or messages ------------------------------


@pytest.fixture(scope="module")
def conversation(api: Api, cast: Cast) -> str:
    """A thread of the cast's patient with a few messages, each delivered already."""
    created = api.post("/threads", token=cast.patient.access_token, json={"patientId": cast.patient.patient_id})
    thread_id = str(created.json()["threadId"])
    for i in range(3):
        body = {"recipient": cast.patient.user_id, "body": f"budget {i}"}
        assert api.post(f"/threads/{thread_id}/messages", token=cast.clinician.access_token, json=body).status == 201
    assert api.get(f"/threads/{thread_id}/messages", token=cast.patient.access_token).status == 200
    return thread_id


@pytest.mark.parametrize("caller", ["patient", "clinician"])
def test_thread_list_is_one_query_and_one_batch(
    api: Api, cast: Cast, storage_calls: StorageCalls, conversation: str, caller: str
) -> None:
    storage_calls.clear()
    response = api.get("/threads?limit=20", token=getattr(cast, caller).access_token)
    assert response.status == 200
    assert conversation in [t["threadId"] for t in response.json()["items"]]
    # the principal; the caller's member rows by activity; the threads and (clinicians) their care-team seats
    assert storage_calls.operations == ["BatchGetItem", "Query", "BatchGetItem"]


@pytest.mark.parametrize(("caller", "grant"), [("patient", "GetItem"), ("clinician", "BatchGetItem")])
def test_message_list_costs_four_calls(
    api: Api, cast: Cast, storage_calls: StorageCalls, conversation: str, caller: str, grant: str
) -> None:
    storage_calls.clear()
    response = api.get(f"/threads/{conversation}/messages?limit=50", token=getattr(cast, caller).access_token)
    assert response.status == 200
    assert len(response.json()["items"]) == 3
    # the principal; the thread; access.patient_grant on its patient; the page
    assert storage_calls.operations == ["BatchGetItem", "GetItem", grant, "Query"]


def test_delivering_a_page_costs_one_transaction(
    api: Api, cast: Cast, storage_calls: StorageCalls, conversation: str
) -> None:
    for i in range(4):
        body = {"recipient": cast.patient.user_id, "body": f"more {i}"}
        assert api.post(f"/threads/{conversation}/messages", token=cast.clinician.access_token, json=body).status == 201
    storage_calls.clear()
    response = api.get(f"/threads/{conversation}/messages", token=cast.patient.access_token)
    assert [m["status"] for m in response.json()["items"][:4]] == ["delivered"] * 4
    assert storage_calls.operations == ["BatchGetItem", "GetItem", "GetItem", "Query", "TransactWriteItems"]
