"""What ``make dev`` provides, checked on the session's local stack: the tables and the user pool
from their declarations, the gateway on a real socket, IoT Core's HTTPS publish, and the CLI itself."""

from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3
import pytest

from infra.declarations import USER_POOL
from infra.local.stack import REGION, LocalStack
from rpm_core.data.tables import TABLES, Key, TableSpec

ROOT = Path(__file__).resolve().parents[2]
CLI_READY_SECONDS = 60  # a bound for a loaded 2-core machine, not a speed claim (make dev prints its own time)


def _key_schema(partition: Key, sort: Key | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": partition.name, "KeyType": "HASH"}]
    if sort:
        schema.append({"AttributeName": sort.name, "KeyType": "RANGE"})
    return schema


@pytest.mark.parametrize("spec", TABLES, ids=lambda spec: spec.name)
def test_each_declared_table_exists_as_declared(stack: LocalStack, spec: TableSpec) -> None:
    dynamodb = stack.client("dynamodb")
    table = dynamodb.describe_table(TableName=stack.table_names[spec.name])["Table"]
    assert os.environ[spec.env_var] == table["TableName"]
    assert table["KeySchema"] == _key_schema(spec.partition_key, spec.sort_key)
    types = {item["AttributeName"]: item["AttributeType"] for item in table["AttributeDefinitions"]}
    for key in (spec.partition_key, spec.sort_key, *(k for i in spec.indexes for k in (i.partition_key, i.sort_key))):
        if key is not None:
            assert types[key.name] == key.type
    indexes = {index["IndexName"]: index for index in table.get("GlobalSecondaryIndexes", [])}
    assert set(indexes) == {index.name for index in spec.indexes}
    for index in spec.indexes:
        assert indexes[index.name]["KeySchema"] == _key_schema(index.partition_key, index.sort_key)
        assert indexes[index.name]["Projection"]["ProjectionType"] == index.projection
    stream = table.get("StreamSpecification") or {}
    if spec.streamed:
        assert stream == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
        assert table["LatestStreamArn"] == stack.stream_arn(spec)
    else:
        assert not stream.get("StreamEnabled")
    ttl = dynamodb.describe_time_to_live(TableName=table["TableName"])["TimeToLiveDescription"]
    if spec.ttl_attribute:
        assert ttl == {"TimeToLiveStatus": "ENABLED", "AttributeName": spec.ttl_attribute}
    else:
        assert ttl["TimeToLiveStatus"] == "DISABLED"


def test_the_user_pool_has_the_declared_groups_password_policy_and_flows(stack: LocalStack) -> None:
    cognito = stack.client("cognito-idp")
    groups = cognito.list_groups(UserPoolId=stack.user_pool_id)["Groups"]
    assert sorted(group["GroupName"] for group in groups) == sorted(USER_POOL.groups)
    policy = cognito.describe_user_pool(UserPoolId=stack.user_pool_id)["UserPool"]["Policies"]["PasswordPolicy"]
    assert policy["MinimumLength"] == USER_POOL.password_min_length
    assert policy["RequireUppercase"] is USER_POOL.require_uppercase
    assert policy["RequireLowercase"] is USER_POOL.require_lowercase
    assert policy["RequireNumbers"] is USER_POOL.require_digits
    assert policy["RequireSymbols"] is USER_POOL.require_symbols
    client = cognito.describe_user_pool_client(UserPoolId=stack.user_pool_id, ClientId=stack.user_pool_client_id)
    assert sorted(client["UserPoolClient"]["ExplicitAuthFlows"]) == sorted(USER_POOL.auth_flows)
    assert client["UserPoolClient"]["WriteAttributes"] == ["name"]  # never email: see tests/infra/test_stack.py
    signup = cognito.describe_user_pool_client(UserPoolId=stack.user_pool_id, ClientId=stack.signup_client_id)
    assert signup["UserPoolClient"]["ExplicitAuthFlows"] == ["ALLOW_REFRESH_TOKEN_AUTH"]
    assert sorted(signup["UserPoolClient"]["WriteAttributes"]) == ["email", "name"]


def test_the_gateway_serves_the_openapi_document_on_a_real_socket(stack: LocalStack) -> None:
    with urllib.request.urlopen(f"{stack.base_url}/openapi.json", timeout=10) as response:  # noqa: S310 - local URL
        assert response.status == 200
        assert response.headers["content-type"].startswith("application/json")
        assert response.headers["apigw-requestid"]
        document = json.load(response)
    assert document["openapi"].startswith("3.1")
    assert "/patients/{patientId}" in document["paths"]


def test_an_unknown_route_is_a_problem_404_on_a_real_socket(stack: LocalStack) -> None:
    request = urllib.request.Request(f"{stack.base_url}/no-such-route")  # noqa: S310 - local URL
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(request, timeout=10)  # noqa: S310
    assert raised.value.code == 404
    assert raised.value.headers["content-type"].startswith("application/problem+json")


def _iot_data(stack: LocalStack) -> Any:
    return boto3.client("iot-data", endpoint_url=stack.base_url, region_name=REGION)


def test_an_iot_publish_without_a_matching_rule_is_accepted_and_dropped(stack: LocalStack) -> None:
    response = _iot_data(stack).publish(topic="rpm/devices/x/readings", qos=1, payload=json.dumps({"messageId": "m-1"}))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200


def _lines(stream: Any, into: queue.Queue[str]) -> None:
    for line in stream:
        into.put(line)


def test_the_cli_starts_on_port_0_and_prints_where_it_listens() -> None:
    """``python -m infra.local --port 0 --ws-port 0``: ready (the "API base URL" line), then serves; the
    Management API's and the hosted sign-in's ports are fixed when asked (``WS_MANAGEMENT_PORT``, ``SSO_PORT``)."""
    management, hosted = _free_port(), _free_port()
    environment = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "TABLE_"))}
    environment["PYTHONUNBUFFERED"] = "1"
    environment["WS_MANAGEMENT_PORT"] = str(management)
    process = subprocess.Popen(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-m", "infra.local", "--port", "0", "--ws-port", "0", "--sso-port", str(hosted)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    try:
        base_url, banner = _wait_for_base_url(lines, process)
        assert not base_url.endswith(":0")
        assert f"WS management    http://127.0.0.1:{management}/" in banner
        assert f"Hosted sign-in   http://127.0.0.1:{hosted}" in banner
        with urllib.request.urlopen(f"{base_url}/openapi.json", timeout=10) as response:  # noqa: S310 - local URL
            assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_base_url(lines: queue.Queue[str], process: subprocess.Popen[str]) -> tuple[str, str]:
    """The base URL and the banner down to the hosted sign-in's line (printed after it, at once)."""
    deadline = time.monotonic() + CLI_READY_SECONDS
    seen: list[str] = []
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.1)
        except queue.Empty:
            if process.poll() is not None:
                break
            continue
        seen.append(line)
        if "Hosted sign-in" in line:
            base = next(seen_line for seen_line in seen if "API base URL" in seen_line)
            return base.split()[-1], "".join(seen)
    raise AssertionError(f"no 'API base URL' line within {CLI_READY_SECONDS} s:\n{''.join(seen)}")
