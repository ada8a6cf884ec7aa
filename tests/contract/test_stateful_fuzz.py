"""Schemathesis's stateful phase on the local stack: the document's OpenAPI links chain real ids (a created
patient's devices, readings, logs and plans; a thread's messages), and every answer along the way is no server
error and as documented (status, content type, schema).

The stack is the session's: the fuzzing must not change what other tests set up. A fresh clinician reaches only
what it creates (it is on no care team); the admin reaches every account and patient, so its machine starts from
creates only (no list hands it another test's patient, thread or user) and leaves the admin routes out."""

from __future__ import annotations

from collections import Counter
from typing import Any

import hypothesis
import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Account, log_in, new_clinician, unique_mrn

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXCLUDED_TAGS = ["auth", "live", "graphql", "fhir", "docs"]
"""Outside the chains the links describe: signing in and out (a fuzzed logout would end the session under test),
live tickets, GraphQL and FHIR (other contracts, with their own tests), the document itself."""
ADMIN_EXCLUDED_TAGS = ["admin", "audit", "reports"]
"""Routes over every account (role changes, rejected readings, the audit trail, billing): other tests' data."""
ADMIN_EXCLUDED_LISTS = ["listPatients", "listThreads", "listAppointments", "listAlerts"]
"""Lists whose items are other tests' records: their links would lead the admin to change them."""
SETTINGS = hypothesis.settings(
    max_examples=20,
    stateful_step_count=8,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
)
"""Bounded and derandomized: the same sequences on every run (a few hundred calls, seconds on the local stack)."""


@pytest.fixture(scope="module")
def admin(stack: LocalStack, api: Api) -> Account:
    return log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))


@pytest.fixture(scope="module")
def clinician(api: Api, admin: Account) -> Account:
    return new_clinician(api, admin)


def _schema(stack: LocalStack, caller: str) -> Any:
    schema = schemathesis.openapi.from_wsgi("/openapi.json", stack.gateway).exclude(tag=EXCLUDED_TAGS)
    if caller == "admin":
        schema = schema.exclude(tag=ADMIN_EXCLUDED_TAGS).exclude(operation_id=ADMIN_EXCLUDED_LISTS)
    schema.config.generation.update(modes=["positive"], with_security_parameters=False)
    schema.config.phases.stateful.inference.algorithms = []  # the document's links only: they are under test
    return schema


@pytest.mark.parametrize("caller", ["admin", "clinician"])
def test_the_stateful_phase_finds_no_server_error_and_no_undocumented_answer(
    stack: LocalStack, request: pytest.FixtureRequest, caller: str
) -> None:
    account: Account = request.getfixturevalue(caller)
    calls: Counter[str] = Counter()
    created: list[str] = []

    class Machine(_schema(stack, caller).as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Bearer {account.access_token}"}}

        def before_call(self, case: Any) -> None:
            """What the document cannot say: staff give a new profile a unique medical record number (the schema
            leaves it optional, for a patient's own profile); a thread or an attachment names a patient in its
            body (links map path parameters), the one this machine created last."""
            operation_id = case.operation.definition.raw.get("operationId")
            if operation_id == "createPatient" and isinstance(case.body, dict):
                case.body["medicalRecordNumber"] = unique_mrn()
            if operation_id in ("createThread", "createAttachment") and isinstance(case.body, dict) and created:
                case.body["patientId"] = created[-1]

        def after_call(self, response: Any, case: Any) -> None:
            """Also delivers what a write set in motion (streams, queues) before the next step: which links can be
            followed next must depend on the steps alone, not on the background's timing (Hypothesis refuses a run
            whose second case draws differently from the first: ``FlakyStrategyDefinition``)."""
            if case.method != "GET":
                stack.drain()
            calls[f"{case.method} {case.path} {response.status_code}"] += 1
            if case.operation.definition.raw.get("operationId") == "createPatient" and response.status_code == 201:
                created.append(response.json()["objectId"])

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    Machine.run(settings=SETTINGS)
    print(f"\n{caller}: {sum(calls.values())} calls", *sorted(calls.items()), sep="\n  ")
    assert sum(calls.values()) >= 50
    followed = [key for key in calls if "{" in key and key.split()[-1].startswith("2")]
    assert followed, "no link led to a created object"
