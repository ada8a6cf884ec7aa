"""The bench's helpers (no timing here: ``make bench`` measures, tests never assert on time)."""

from __future__ import annotations

from typing import Any

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


# bench.emulator: moto's index queries served from sorted partitions answer as moto's own ---------------


def _readings_table() -> Any:
    """A moto table declared as DeviceData (two sparse indexes), outside any server."""
    from moto.dynamodb.models.table import Table

    from rpm_core.data.tables import DEVICE_DATA

    keys = {key.name: key for index in DEVICE_DATA.indexes for key in (index.partition_key, index.sort_key)}
    keys.update({DEVICE_DATA.partition_key.name: DEVICE_DATA.partition_key})
    assert DEVICE_DATA.sort_key
    keys[DEVICE_DATA.sort_key.name] = DEVICE_DATA.sort_key
    table = Table(
        "bench-readings",
        "123456789012",
        "us-east-1",
        [{"AttributeName": "dataId", "KeyType": "HASH"}, {"AttributeName": "version", "KeyType": "RANGE"}],
        [{"AttributeName": key.name, "AttributeType": key.type} for key in keys.values() if key],
        billing_mode="PAY_PER_REQUEST",
        global_indexes=[
            {
                "IndexName": index.name,
                "KeySchema": [
                    {"AttributeName": index.partition_key.name, "KeyType": "HASH"},
                    {"AttributeName": index.sort_key.name, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index in DEVICE_DATA.indexes
            if index.sort_key
        ],
        streams={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )
    for n in range(60):
        patient = "p1" if n % 3 else "p2"
        at = f"2026-01-{1 + n % 20:02d}T00:00:00.000Z"
        item = {"dataId": {"S": f"d{n:03d}"}, "version": {"N": str(1 + n % 2)}, "patientId": {"S": patient}}
        if n % 7:  # the rest are earlier versions: not on the list indexes
            item |= {"latestOf": {"S": patient}, "listAt": {"S": f"{at}#d{n:03d}"}}
        table.put_item(item)
    return table


def _answers(table: Any, queries: Any, fast: bool, **query: Any) -> list[Any]:
    """Every page of the query (following LastEvaluatedKey): items, ScannedCount and the key of each."""
    from moto.dynamodb.models.table import Table

    pages: list[Any] = []
    start = None
    while True:
        arguments = (
            query.get("hash"),
            query.get("op"),
            query.get("values", []),
            query.get("limit"),
            start,
            query.get("forward", True),
            None,
            "byPatient",
            False,
            None,
        )
        conditions = {"hash_key_conditions": [("latestOf", query["hash"])], "range_key_conditions": query.get("range")}
        if fast:
            items, scanned, last = queries.query(Table.query, table, *arguments, **conditions)
        else:
            items, scanned, last = Table.query(table, *arguments, **conditions)
        pages.append(([item.to_json() for item in items], scanned, last and {k: v.to_json() for k, v in last.items()}))
        if not last:
            return pages
        start = pages[-1][2]


def test_indexed_queries_answer_page_for_page_as_moto() -> None:
    from moto.dynamodb.models.dynamo_type import DynamoType

    from bench.emulator import IndexedQueries

    table = _readings_table()
    queries = IndexedQueries(frozenset({table.name}))
    p1 = DynamoType({"S": "p1"})
    between = [DynamoType({"S": "2026-01-05"}), DynamoType({"S": "2026-01-12~"})]
    cases: list[dict[str, Any]] = [
        {"hash": p1, "limit": 50, "forward": False},
        {"hash": p1, "limit": 7, "forward": False},
        {"hash": p1, "limit": 7},
        {"hash": p1},
        {"hash": DynamoType({"S": "p2"}), "limit": 4, "forward": False},
        {"hash": DynamoType({"S": "nobody"}), "limit": 4},
        {"hash": p1, "limit": 3, "op": "BETWEEN", "values": between, "range": [("listAt", "BETWEEN", between)]},
        {
            "hash": p1,
            "limit": 5,
            "forward": False,
            "op": ">=",
            "values": between[:1],
            "range": [("listAt", ">=", between[:1])],
        },
    ]
    for query in cases:
        assert _answers(table, queries, True, **query) == _answers(table, queries, False, **query), query
    assert queries.served > len(cases)
    table.put_item({"dataId": {"S": "new"}, "version": {"N": "1"}, "latestOf": {"S": "p1"}, "listAt": {"S": "2027"}})
    newest = _answers(table, queries, True, hash=p1, limit=1, forward=False)[0][0]
    assert newest[0]["Attributes"]["dataId"] == {"S": "new"}  # a write is seen (the snapshot is taken again)


def test_devices_cases_are_registered() -> None:
    from bench import devices

    names = {case.name for case in REGISTRY}
    assert {devices.IngestBatches().name, devices.DeviceDataLists().name, devices.AlertLists().name} <= names


def test_the_cost_model_counts_write_units_per_index_and_doubles_transactions() -> None:
    from bench.cost import Meter

    meter = Meter()
    small = {"patientId": {"S": "p"}, "logId": {"S": "l"}}
    meter._write_units("PutItem", {"TableName": "rpm-local-Thresholds", "Item": small})
    assert meter.write_units == 1  # a table without an index: one unit for an item under 1 KB
    meter._write_units(
        "TransactWriteItems", {"TransactItems": [{"Put": {"TableName": "rpm-local-Thresholds", "Item": small}}]}
    )
    assert meter.write_units == 3  # a transactional write counts two


def test_the_cost_model_bills_users_and_fixed_lines_whatever_the_traffic() -> None:
    from bench import prices
    from bench.cost import Meter, PerOperation, bill

    idle = {"reading": (PerOperation(Meter(), times=1), 0.0)}
    lines = bill(idle, patients=1_000)
    assert lines["Cognito (Plus, monthly active users)"] == 1_010 * prices.COGNITO_PLUS_MAU  # and 10 clinicians
    assert lines["DynamoDB requests"] == 0
    assert (
        bill(idle, patients=10_000)["CloudWatch alarms, metrics, dashboard"]
        == lines["CloudWatch alarms, metrics, dashboard"]
    )
