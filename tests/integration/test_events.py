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

from infra import catalog
from infra.local.invoke import fill_placeholders
from infra.local.stack import LocalStack
from rpm_core.services.sessions import unverified_claims
from tests.support.api import Api
from tests.support.cast import Cast, log_in, sign_up


def stack_api(stack: LocalStack) -> Api:
    return Api(stack.gateway)


EVENTS_DIR = Path(__file__).resolve().parents[2] / "events"
EVENT_FILES = sorted(EVENTS_DIR.glob("*/*.json"))
HTTP_EVENT_FILES = [path for path in EVENT_FILES if catalog.function(path.parent.name).kind == "http"]
BACKGROUND_EVENT_FILES = [
    path for path in EVENT_FILES if catalog.function(path.parent.name).function_kind.event_source is not None
]

EXPECTED_STATUS = {
    "audit/access_log.json": 404,  # the placeholder patient does not exist
    "audit/list_audit_logs.json": 200,
    "audit/verify.json": 200,
    "auth/confirm.json": 400,  # the sample email has no account
    "auth/log_in.json": 200,
    "auth/log_out.json": 204,
    "auth/live_ticket.json": 201,
    "auth/refresh.json": 401,  # the sample refresh token is a placeholder
    "auth/sign_up.json": 201,
    "auth/sso_authorize.json": 302,
    "auth/sso_providers.json": 200,
    "auth/sso_token.json": 400,  # the sample code is a placeholder
    "clinical/create_appointment.json": 404,  # the placeholder patient does not exist
    "clinical/create_lab_result.json": 404,
    "clinical/create_treatment_plan.json": 404,
    "clinical/get_lab_result.json": 404,
    "clinical/get_treatment_plan.json": 404,
    "clinical/lab_result_versions.json": 404,
    "clinical/list_lab_results.json": 404,
    "clinical/list_patient_appointments.json": 404,
    "clinical/list_treatment_plans.json": 404,
    "clinical/schedule.json": 200,  # the admin's own schedule (empty)
    "clinical/update_appointment.json": 404,
    "clinical/update_lab_result.json": 404,
    "clinical/update_treatment_plan.json": 404,
    "docs/openapi_json.json": 200,
    "docs/playground.json": 200,
    "docs/playground_asset.json": 200,
    "docs/health.json": 200,
    "docs/unknown_route.json": 404,
    "fhirapi/cancel_export.json": 404,  # the placeholder job does not exist
    "fhirapi/export_patient.json": 404,  # the placeholder patient does not exist
    "fhirapi/export_status.json": 404,
    "fhirapi/export_system.json": 202,  # the admin's export of every patient
    "fhirapi/metadata.json": 200,
    "fhirapi/read_observation.json": 404,
    "fhirapi/read_patient.json": 404,
    "fhirapi/search_appointments.json": 404,
    "fhirapi/search_care_plans.json": 404,
    "fhirapi/search_devices.json": 404,
    "fhirapi/search_diagnostic_reports.json": 404,
    "fhirapi/search_observations.json": 404,
    "fhirapi/search_patients.json": 200,
    "graphqlapi/dashboard.json": 200,  # the placeholder patient: null with NOT_FOUND, the rest answered
    "graphqlapi/graphiql.json": 200,
    "graphqlapi/graphiql_asset.json": 200,
    "graphqlapi/schema_sdl.json": 200,
    "messaging/create_attachment.json": 404,  # the placeholder patient does not exist
    "messaging/create_thread.json": 404,
    "messaging/get_attachment.json": 404,
    "messaging/legal_hold.json": 404,  # the placeholder thread does not exist
    "messaging/list_messages.json": 404,
    "messaging/list_threads.json": 200,
    "messaging/post_message.json": 404,
    "messaging/read_message.json": 404,
    "patients/assign_clinician.json": 404,  # the placeholder patient does not exist
    "patients/care_team.json": 404,
    "patients/create_patient.json": 201,
    "patients/get_patient.json": 404,
    "patients/list_patients.json": 200,
    "patients/remove_clinician.json": 404,
    "patients/update_patient.json": 404,
    "sharing/break_glass.json": 403,  # the admin is no clinician
    "sharing/create_share.json": 404,  # the placeholder patient does not exist
    "sharing/list_break_glass.json": 200,
    "sharing/list_shares.json": 404,
    "sharing/revoke_share.json": 404,
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
    "reports/rpm_billing.json": 200,
    "reports/rpm_billing_csv.json": 200,
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
    expected = _generator().rendered()
    assert sorted(expected) == [_name(path) for path in EVENT_FILES]
    stale = [name for name, text in expected.items() if (EVENTS_DIR / name).read_text() != text]
    assert not stale, f"{stale} differ from what the gateway builds: run python -m events.generate"


def test_protected_route_events_carry_the_jwt_authorizer_claims() -> None:
    public = {route.route_key for route in catalog.http_routes() if route.public}
    for path in HTTP_EVENT_FILES:
        event = _load(path)
        jwt = event["requestContext"].get("authorizer", {}).get("jwt")
        if event["routeKey"] in public or event["routeKey"] == "$default":
            assert jwt is None, _name(path)
        else:
            assert jwt, _name(path)
            assert {"sub", "token_use", "client_id", "origin_jti", "exp"} <= set(jwt["claims"]), _name(path)
            assert all(isinstance(value, str) for value in jwt["claims"].values()), _name(path)


@pytest.mark.parametrize("path", HTTP_EVENT_FILES, ids=_name)
def test_http_event_is_served_without_a_server_error(stack: LocalStack, cast: Cast, path: Path) -> None:
    event = fill_placeholders(_load(path), cast.admin.user_id, cast.admin.access_token, stack.user_pool_client_id)
    result = stack.runtime.invoke(path.parent.name, event)
    assert result["statusCode"] == EXPECTED_STATUS[_name(path)], result
    if _name(path) == "users/me.json":
        assert json.loads(result["body"])["userId"] == cast.admin.user_id


@pytest.mark.parametrize("path", [p for p in HTTP_EVENT_FILES if p.name == "me.json"], ids=_name)
def test_an_event_whose_session_was_revoked_is_refused_by_the_function(
    stack: LocalStack, cast: Cast, path: Path
) -> None:
    """The entrypoint, not API Gateway, refuses a revoked session: 401 problem+json from the function."""
    account = log_in(stack_api(stack), sign_up(stack_api(stack), "patient"))
    claims = unverified_claims(account.access_token)
    assert stack_api(stack).post("/auth/logout", token=account.access_token).status == 204
    event = fill_placeholders(_load(path), account.user_id, account.access_token, stack.user_pool_client_id)
    event["requestContext"]["authorizer"]["jwt"]["claims"]["origin_jti"] = claims["origin_jti"]
    result = stack.runtime.invoke(path.parent.name, event)
    assert result["statusCode"] == 401
    assert result["headers"]["Content-Type"] == "application/problem+json"


def _invocable(path: Path) -> bool:
    """A function's own event (not the payload its source carries, such as an SQS message's body)."""
    sample = next(s for s in _generator().BACKGROUND_SAMPLES if f"{s.function}/{s.name}.json" == _name(path))
    return bool(sample.invocable)


@pytest.mark.parametrize("path", [path for path in BACKGROUND_EVENT_FILES if _invocable(path)], ids=_name)
def test_background_event_is_handled_without_a_failure(stack: LocalStack, path: Path) -> None:
    from infra.local.invoke import fill_placeholders
    from rpm_core.services.accounts import log_in

    token = log_in(stack.admin_email, stack.admin_password).accessToken
    event = fill_placeholders(_load(path), stack.admin_user_id, token, stack.user_pool_client_id)
    result = stack.runtime.invoke(path.parent.name, event)
    source = catalog.function(path.parent.name).function_kind.event_source
    if source == "websocket":
        assert result["statusCode"] == 200, result  # the route answered; $connect accepted the admin's token
    elif source == "schedule":
        expected = {
            "auditdigest": {"digest"},
            "auditverify": {"verified", "entriesChecked"},
            "watch": {"due", "raised", "disarmed", "escalated"},
        }
        assert set(result) == expected[path.parent.name], result  # e.g. a digest number, or None when none was due
    elif source == "user_pool":
        assert result["response"]["claimsAndScopeOverrideDetails"]["accessTokenGeneration"], result  # the override
    else:
        assert result == {"batchItemFailures": []}


def test_the_verifier_batch_carries_the_s3_notification() -> None:
    batch = _load(EVENTS_DIR / "uploadverifier" / "attachment_uploaded.json")
    notification = _load(EVENTS_DIR / "uploadverifier" / "s3_notification.json")
    assert [json.loads(record["body"]) for record in batch["Records"]] == [notification]
    assert batch["Records"][0]["eventSource"] == "aws:sqs"


def test_the_ingest_batch_carries_the_topic_rule_output() -> None:
    batch = _load(EVENTS_DIR / "ingest" / "device_readings.json")
    output = _load(EVENTS_DIR / "ingest" / "topic_rule_output.json")
    assert json.loads(batch["Records"][0]["body"]) == output
    assert {"deviceId", "receivedAt", "messageId", "deviceType", "recordedAt", "dataPayload"} == set(output)
