"""The sample events in ``events/``: one for every function and route, exactly what the gateway
builds, and each one served by its function without a server error."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import catalog
from infra.local.invoke import ACCESS_TOKEN_PLACEHOLDER, fill_placeholders
from infra.local.stack import LocalStack
from tests.support.cast import Cast

EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"
EVENT_FILES = sorted(EVENTS_DIR.glob("*/*.json"))
HTTP_EVENT_FILES = [path for path in EVENT_FILES if catalog.function(path.parent.name).kind == "http"]
AUTHORIZER = next(spec.name for spec in catalog.FUNCTIONS if spec.kind == "authorizer")
AUTHORIZER_EVENT_FILES = [path for path in EVENT_FILES if path.parent.name == AUTHORIZER]

EXPECTED_STATUS = {
    "auth/confirm.json": 400,  # the sample email has no account
    "auth/log_in.json": 200,
    "auth/log_out.json": 204,
    "auth/refresh.json": 401,  # the sample refresh token is a placeholder
    "auth/sign_up.json": 201,
    "docs/openapi_json.json": 200,
    "docs/playground.json": 200,
    "docs/unknown_route.json": 404,
    "patients/assign_clinician.json": 404,  # the placeholder patient does not exist
    "patients/care_team.json": 404,
    "patients/create_patient.json": 201,
    "patients/get_patient.json": 404,
    "patients/list_patients.json": 200,
    "patients/remove_clinician.json": 404,
    "patients/update_patient.json": 404,
    "users/change_role.json": 404,  # the placeholder user does not exist
    "users/list_users.json": 200,
    "users/me.json": 200,
    "devices/provision_device.json": 404,  # the placeholder patient does not exist
    "devices/list_devices.json": 404,
    "devices/deactivate_device.json": 404,
    "devices/publish_reading.json": 404,
    "devices/list_readings.json": 404,
    "devices/get_reading.json": 404,
    "devices/reading_versions.json": 404,
    "devices/correct_reading.json": 404,
    "devices/reading_days.json": 404,
    "devices/rejected_readings.json": 200,
    "monitoring/put_thresholds.json": 404,
    "monitoring/get_thresholds.json": 404,
    "monitoring/list_logs.json": 404,
    "monitoring/create_log.json": 404,
    "monitoring/update_log.json": 404,
    "monitoring/list_alerts.json": 200,
}
"""What each sample answers on the test stack, with the admin as caller."""


def _generator() -> ModuleType:
    """``events/generate.py``, loaded from its file (``events`` is a folder, not a package)."""
    spec = importlib.util.spec_from_file_location("events_generate", EVENTS_DIR / "generate.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _load(path: Path) -> dict[str, Any]:
    event: dict[str, Any] = json.loads(path.read_text())
    return event


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def test_every_function_has_an_event() -> None:
    folders = {path.parent.name for path in EVENT_FILES}
    assert {spec.name for spec in catalog.FUNCTIONS} <= folders
    assert folders <= {spec.name for spec in catalog.FUNCTIONS}, "an events/ folder names no function"


def test_every_route_has_an_event_of_its_function() -> None:
    covered = {(path.parent.name, _load(path)["routeKey"]) for path in HTTP_EVENT_FILES}
    missing = [route.route_key for route in catalog.http_routes() if (route.function, route.route_key) not in covered]
    assert not missing, f"no sample event for {missing}: add a Sample to events/generate.py"
    default_function = next(spec.name for spec in catalog.FUNCTIONS if spec.serves_default_route)
    assert (default_function, "$default") in covered


def test_the_files_are_what_the_gateway_builds() -> None:
    generate = _generator()
    expected = {name: generate.render(event) for name, event in generate.all_events().items()}
    assert sorted(expected) == [_name(path) for path in EVENT_FILES]
    stale = [name for name, text in expected.items() if (EVENTS_DIR / name).read_text() != text]
    assert not stale, f"{stale} differ from what the gateway builds: run python -m events.generate"


def test_protected_route_events_carry_the_principal_context() -> None:
    public = {route.route_key for route in catalog.http_routes() if route.public}
    for path in HTTP_EVENT_FILES:
        event = _load(path)
        context = event["requestContext"].get("authorizer", {}).get("lambda")
        if event["routeKey"] in public or event["routeKey"] == "$default":
            assert context is None, _name(path)
        else:
            assert context, _name(path)
            assert {"userId", "role", "status", "sessionId", "sessionExpiresAt"} <= set(context), _name(path)


@pytest.mark.parametrize("path", HTTP_EVENT_FILES, ids=_name)
def test_http_event_is_served_without_a_server_error(stack: LocalStack, cast: Cast, path: Path) -> None:
    event = fill_placeholders(_load(path), cast.admin.user_id, cast.admin.access_token)
    result = stack.runtime.invoke(path.parent.name, event)
    assert result["statusCode"] == EXPECTED_STATUS[_name(path)], result
    if _name(path) == "users/me.json":
        assert json.loads(result["body"])["userId"] == cast.admin.user_id


@pytest.mark.parametrize("path", AUTHORIZER_EVENT_FILES, ids=_name)
def test_authorizer_event_with_a_real_token_is_authorized(stack: LocalStack, cast: Cast, path: Path) -> None:
    event = fill_placeholders(_load(path), cast.admin.user_id, cast.admin.access_token)
    result = stack.runtime.invoke(AUTHORIZER, event)
    assert result["isAuthorized"] is True
    assert result["context"]["userId"] == cast.admin.user_id
    assert result["context"]["role"] == "admin"


@pytest.mark.parametrize("path", AUTHORIZER_EVENT_FILES, ids=_name)
def test_authorizer_event_with_a_garbage_token_is_unauthorized(stack: LocalStack, path: Path) -> None:
    event = json.loads(path.read_text().replace(ACCESS_TOKEN_PLACEHOLDER, "not-a-jwt"))
    with pytest.raises(Exception, match=r"^Unauthorized$"):
        stack.runtime.invoke(AUTHORIZER, event)


def test_the_ingest_batch_sample_is_served_with_no_failures(stack: LocalStack) -> None:
    """The sample batch names a device no stack has: every record is rejected (kept, with its reason), none fails."""
    event = _load(EVENTS_DIR / "ingest" / "sqs_batch.json")
    assert stack.runtime.invoke("ingest", event) == {"batchItemFailures": []}
    output = _load(EVENTS_DIR / "ingest" / "topic_rule_output.json")
    assert {"deviceId", "receivedAt", "messageId", "deviceType", "recordedAt", "dataPayload"} == set(output)
