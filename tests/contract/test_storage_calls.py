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
