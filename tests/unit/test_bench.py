"""The bench's helpers (no timing here: ``make bench`` measures, tests never assert on time)."""

from __future__ import annotations

from bench.cases import ROUTES
from bench.core import REGISTRY, Call, Figure, replay, retarget


def test_every_case_is_registered_once_and_declares_its_goals() -> None:
    names = [case.name for case in REGISTRY]
    assert len(names) == len(set(names))
    assert all(route in REGISTRY for route in ROUTES)
    assert all(route.dynamodb_calls_goal >= 1 for route in ROUTES)


def test_a_figure_meets_its_goal_or_has_none() -> None:
    assert Figure("a", 1.2, "x", 1.3).met is True
    assert Figure("a", 1.4, "x", 1.3).met is False
    assert Figure("a", 900.0, "requests/s", 1000, lower_is_better=False).met is False
    assert Figure("a", 3.0, "ms").met is None


def test_retarget_maps_every_table_name_and_nothing_else() -> None:
    params = {
        "TransactItems": [{"Put": {"TableName": "t-Patients", "Item": {"TableName": {"S": "t-Patients"}}}}],
        "RequestItems": {"t-Users": {"Keys": [{"pk": {"S": "t-Users"}}]}},
        "Item": {"t-Users": {"S": "an attribute named like a table"}},
    }
    assert retarget(params, {"t-Patients": "c-Patients", "t-Users": "c-Users"}) == {
        "TransactItems": [{"Put": {"TableName": "c-Patients", "Item": {"TableName": {"S": "t-Patients"}}}}],
        "RequestItems": {"c-Users": {"Keys": [{"pk": {"S": "t-Users"}}]}},
        "Item": {"t-Users": {"S": "an attribute named like a table"}},
    }


def test_replay_issues_each_call_with_the_low_level_name() -> None:
    issued: list[tuple[str, dict[str, object]]] = []

    class Client:
        def batch_get_item(self, **params: object) -> None:
            issued.append(("batch_get_item", params))

    replay(Client(), [Call("BatchGetItem", {"RequestItems": {"t": {}}})], {"t": "c"})
    assert issued == [("batch_get_item", {"RequestItems": {"c": {}}})]
