"""Each function runs locally as it is deployed: under its role (a call outside its ``uses`` fails as AWS
fails it), with its own environment (a resource it was not granted is a ``MissingSetting``), its own
process caches and its own context variables."""

from __future__ import annotations

import contextvars
import os
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from infra import catalog
from infra.local.stack import LocalStack
from rpm_core.config import MissingSetting, process_cache, settings
from rpm_core.data.aws import client, table
from rpm_core.data.resources import QueueSpec
from rpm_core.data.tables import PATIENTS, USERS

QUEUE = QueueSpec(name="FixtureOutsiderInbox", purpose="feeds the fixture function", batch_size=1)
OUTSIDER = catalog.FunctionSpec(
    name="fixtureoutsider",
    kind="queue",
    description="reads Users; anything else is outside its uses",
    uses=(("FixtureOutsiderInbox", "consume"), ("Users", "read")),
)
NEIGHBOUR = catalog.FunctionSpec(
    name="fixtureneighbour",
    kind="queue",
    description="another function in the same process",
    uses=(("FixtureOutsiderInbox", "consume"), ("Users", "write")),
)
_marker: contextvars.ContextVar[str | None] = contextvars.ContextVar("test_marker", default=None)


def _mark(value: str) -> None:
    _marker.set(value)


@process_cache
def _first_caller() -> str:
    return os.environ["AWS_LAMBDA_FUNCTION_NAME"]


class Probe:
    """Runs the callable a test gives it inside the function, and keeps what it returned or raised."""

    def __init__(self) -> None:
        self.body: Callable[[], Any] = lambda: None

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        try:
            return {"ok": self.body()}
        except Exception as error:
            return {"error": error}


@pytest.fixture(scope="module")
def probes(stack: LocalStack) -> dict[str, Probe]:
    found = {OUTSIDER.name: Probe(), NEIGHBOUR.name: Probe()}
    for name, probe in found.items():
        stack.runtime.register(name, probe)
    stack.declare(queues=(QUEUE,), functions=(OUTSIDER, NEIGHBOUR))
    return found


def run(stack: LocalStack, probes: dict[str, Probe], function: str, body: Callable[[], Any]) -> Any:
    probes[function].body = body
    return stack.runtime.invoke(function, {"Records": []})


def test_a_call_within_the_role_is_allowed(stack: LocalStack, probes: dict[str, Probe]) -> None:
    result = run(stack, probes, OUTSIDER.name, lambda: table(USERS).get_item(Key={"userId": "nobody"}).get("Item"))
    assert result == {"ok": None}
    users = f"arn:aws:dynamodb:us-east-1:123456789012:table/{stack.resource_names['Users']}"
    assert (OUTSIDER.name, "dynamodb:GetItem", users) in stack.iam_exercised


def test_a_write_outside_the_uses_fails_as_aws_fails_it(stack: LocalStack, probes: dict[str, Probe]) -> None:
    user_id = f"u-{uuid.uuid4().hex}"
    result = run(stack, probes, OUTSIDER.name, lambda: table(USERS).put_item(Item={"userId": user_id}))
    error = result["error"]
    assert isinstance(error, ClientError)
    assert error.response["Error"]["Code"] == "AccessDeniedException"
    assert "dynamodb:PutItem" in error.response["Error"]["Message"]
    assert "Item" not in stack.client("dynamodb").get_item(
        TableName=stack.resource_names["Users"], Key={"userId": {"S": user_id}}
    )  # refused before it was sent: nothing written


def test_each_authorization_of_a_transaction_and_an_index_query_is_checked(
    stack: LocalStack, probes: dict[str, Probe]
) -> None:
    def query_an_index_and_transact() -> Any:
        dynamo = table(USERS).client
        dynamo.query(
            TableName=settings().table_name(USERS),
            IndexName=USERS.indexes[0].name,
            KeyConditionExpression="#k = :v",
            ExpressionAttributeNames={"#k": USERS.indexes[0].partition_key.name},
            ExpressionAttributeValues={":v": "x"},
        )  # allowed: read includes the table's indexes
        return dynamo.transact_write_items(
            TransactItems=[{"Put": {"TableName": settings().table_name(USERS), "Item": {"userId": "x"}}}]
        )

    error = run(stack, probes, OUTSIDER.name, query_an_index_and_transact)["error"]
    assert isinstance(error, ClientError)
    assert "dynamodb:PutItem" in error.response["Error"]["Message"]


def test_other_services_are_checked_too(stack: LocalStack, probes: dict[str, Probe]) -> None:
    queue_url = stack.resource_names[QUEUE.name]
    error = run(stack, probes, OUTSIDER.name, lambda: client("sqs").send_message(QueueUrl=queue_url, MessageBody="x"))[
        "error"
    ]
    assert isinstance(error, ClientError)
    assert error.response["Error"]["Code"] == "AccessDenied"
    assert "sqs:SendMessage" in error.response["Error"]["Message"]


def test_a_resource_not_granted_is_a_missing_setting(stack: LocalStack, probes: dict[str, Probe]) -> None:
    assert PATIENTS.env_var in os.environ  # the process (the tests, the operator) knows it
    error = run(stack, probes, OUTSIDER.name, lambda: settings().table_name(PATIENTS))["error"]
    assert isinstance(error, MissingSetting)
    assert error.variable == PATIENTS.env_var
    assert (
        run(stack, probes, OUTSIDER.name, lambda: settings().table_name(USERS))["ok"] == stack.resource_names["Users"]
    )


def test_a_function_sees_only_its_deployed_variables(stack: LocalStack, probes: dict[str, Probe]) -> None:
    seen = run(stack, probes, OUTSIDER.name, lambda: dict(os.environ))["ok"]
    assert seen == stack.function_environment(OUTSIDER)
    assert seen["POWERTOOLS_SERVICE_NAME"] == "rpm-fixtureoutsider"
    assert "CURSOR_SECRET_ARN" not in seen  # it does not paginate
    assert "PYTHONPATH" not in seen


def test_process_caches_and_context_variables_stay_with_their_function(
    stack: LocalStack, probes: dict[str, Probe]
) -> None:
    assert run(stack, probes, OUTSIDER.name, _first_caller)["ok"] == "rpm-fixtureoutsider"
    assert run(stack, probes, NEIGHBOUR.name, _first_caller)["ok"] == "rpm-fixtureneighbour"  # not the other's value
    assert run(stack, probes, OUTSIDER.name, lambda: _mark("outsider")) == {"ok": None}
    assert run(stack, probes, NEIGHBOUR.name, _marker.get)["ok"] is None
    assert run(stack, probes, OUTSIDER.name, _marker.get)["ok"] == "outsider"  # its own, as in one container
    assert _marker.get() is None  # nor the caller's


def test_clients_are_the_functions_own(stack: LocalStack, probes: dict[str, Probe]) -> None:
    mine = run(stack, probes, OUTSIDER.name, lambda: id(client("sqs")))["ok"]
    theirs = run(stack, probes, NEIGHBOUR.name, lambda: id(client("sqs")))["ok"]
    assert mine != theirs
    assert run(stack, probes, OUTSIDER.name, lambda: id(client("sqs")))["ok"] == mine
