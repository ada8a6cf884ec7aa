"""``make bench``'s cold-start probes measure what they claim (no timing here): the function's fresh process answers
its first request as the gateway does, and the baseline's replays the AWS calls that cold request made."""

from __future__ import annotations

import pickle
import subprocess
from pathlib import Path
from types import SimpleNamespace

from werkzeug.test import Client

from bench.cold import REQUESTS, ColdStarts, function_probe
from infra import catalog
from infra.local.stack import LocalStack
from tests.support.cast import Cast


def test_every_http_function_has_a_cold_first_request() -> None:
    assert {request.function for request in REQUESTS} == {f.name for f in catalog.FUNCTIONS if f.kind == "http"}


def test_a_cold_probe_answers_its_request_and_its_baseline_replays_the_same_calls(
    stack: LocalStack, cast: Cast, tmp_path: Path
) -> None:
    session = SimpleNamespace(
        stack=stack, client=Client(stack.gateway), clinician=cast.clinician, admin=cast.admin,
        patient_id=cast.patient.patient_id,
    )  # fmt: skip
    request = next(request for request in REQUESTS if request.function == "patients")
    name, function, baseline = ColdStarts()._prepare(session, request, tmp_path)
    assert name == "patients"
    with (tmp_path / "patients.pickle").open("rb") as file:
        calls = pickle.load(file)["calls"]  # noqa: S301  (written by the probe)
    operations = {(service, operation) for service, operation, _ in calls}
    assert ("dynamodb", "GetItem") in operations or ("dynamodb", "BatchGetItem") in operations, operations
    assert all(service == "dynamodb" for service, _, _ in calls), operations
    for probe in (function, baseline):  # each exits non-zero on a wrong answer or a failed call
        assert probe.timed() > 0
    assert function.environment["AWS_LAMBDA_FUNCTION_NAME"] == "rpm-patients"  # its deployed variables
    expecting_404 = [
        *function.command[:2],
        function_probe(catalog.function("patients"), 404, False),
        *function.command[3:],
    ]
    assert subprocess.run(expecting_404, env=function.environment, capture_output=True).returncode != 0  # noqa: S603
