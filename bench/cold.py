"""Cold starts as Lambda pays them: a fresh process that imports a function and answers its first request, against a
fresh process that imports boto3 and makes the same AWS calls with plain clients (the least a Lambda doing that
request's storage work must pay).

``make bench``'s ``cold_import.*`` figures time the import alone; these time what a caller waits for on a cold start
(the init and the first invocation), where the import's share is joined by what only the first request pays:
building the clients, pydantic's validators of the models it uses, the resolver's per-route setup. Each function's
request is sent once through the local stack first (so the data exists); one untimed cold run then records the AWS
calls a cold first request makes (a cold start fetches what a warm one has cached); timed runs alternate the
function's and the baseline's processes, so a busy moment of a shared machine hurts both alike.
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cases import LAMBDA_RUNTIME_API, Request, send
from bench.core import DONE_MARK, Figure, fresh_process_seconds, register
from infra import catalog
from infra.paths import CORE_LAYER_DIR, FUNCTIONS_DIR
from rpm_core import cold_start

COLD_START_GOAL = 1.5

_CONTEXT = """
import uuid
class Context:
    function_name = "rpm-{name}"
    memory_limit_in_mb = 512
    function_version = "$LATEST"
    invoked_function_arn = "arn:aws:lambda:us-east-1:000000000000:function:rpm-{name}"
    log_group_name = "/aws/lambda/rpm-{name}"
    log_stream_name = "bench"
    aws_request_id = str(uuid.uuid4())
    def get_remaining_time_in_millis(self):
        return 10000
"""

FUNCTION_PROBE = """
import pickle, sys
with open(sys.argv[1], "rb") as file:
    event = pickle.load(file)["event"]
{record}
import {module} as function
{context}
answer = function.lambda_handler(event, Context())
if answer.get("statusCode") != {status}:
    raise SystemExit(f"{name}: {{answer.get('statusCode')}}, expected {status}")
{dump}
"""

RECORD = """
import boto3
calls = []
def _record(params, model, context=None, **_):
    if not (context or {}).get("is_presign_request"):  # a presigned URL is signed, not sent
        calls.append((model.service_model.service_name, model.name, __import__("copy").deepcopy(params)))
boto3.setup_default_session()
boto3.DEFAULT_SESSION.events.register_last("before-parameter-build", _record)
"""

DUMP = """
with open(sys.argv[2], "wb") as file:
    pickle.dump(calls, file)
"""

BASELINE_PROBE = """
import pickle, sys
with open(sys.argv[1], "rb") as file:
    calls = pickle.load(file)["calls"]
import boto3
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
config = Config(retries={"mode": "standard", "max_attempts": 3}, parameter_validation=False)  # as the functions'
REFUSED = {"ConditionalCheckFailedException", "TransactionCanceledException"}
clients = {}
for service, operation, params in calls:
    client = clients.get(service) or clients.setdefault(service, boto3.client(service, config=config))
    try:
        getattr(client, xform_name(operation))(**params)
    except ClientError as error:  # a replayed conditional write (the audit trail's next entry) is refused: as costly
        if error.response["Error"]["Code"] not in REFUSED:
            raise
"""
"""The least a Lambda making the same calls pays: boto3, its clients (configured as the functions' are), the calls;
with the collector running, as in a Lambda that does not pause it (a baseline paused too would put every ratio
about 0.2 higher)."""


@dataclass(frozen=True)
class ColdRequest:
    """A function's first request: sent through the local stack as ``caller`` from the session."""

    function: str
    method: str
    path: Callable[[Any], str]
    caller: Callable[[Any], str | None]
    body: Callable[[Any], str | None] = lambda session: None
    status: int = 200


def _clinician(session: Any) -> str:
    return str(session.clinician.access_token)


def _admin(session: Any) -> str:
    return str(session.admin.access_token)


def _sign_in(session: Any) -> str:
    return json.dumps({"email": session.clinician.email, "password": session.clinician.password})


def _patient(path: str) -> Callable[[Any], str]:
    return lambda session: path.format(patient=session.patient_id)


REQUESTS = (
    ColdRequest("auth", "POST", lambda s: "/auth/login", lambda s: None, _sign_in),
    ColdRequest("users", "GET", lambda s: "/me", _clinician),
    ColdRequest("patients", "GET", _patient("/patients/{patient}"), _clinician),
    ColdRequest("devices", "GET", _patient("/patients/{patient}/device-data?limit=50"), _clinician),
    ColdRequest("monitoring", "GET", lambda s: "/alerts", _clinician),
    ColdRequest("reports", "GET", lambda s: "/reports/rpm-billing?month=" + time.strftime("%Y-%m"), _clinician),
    ColdRequest("messaging", "GET", lambda s: "/threads", _clinician),
    ColdRequest("clinical", "GET", _patient("/patients/{patient}/lab-results"), _clinician),
    ColdRequest("audit", "GET", _patient("/patients/{patient}/access-log"), _admin),
    ColdRequest("sharing", "GET", _patient("/patients/{patient}/shares"), _admin),
    ColdRequest("fhirapi", "GET", _patient("/fhir/Patient/{patient}"), _clinician),
    ColdRequest("docs", "GET", lambda s: "/health", lambda s: None),
    ColdRequest(
        "graphqlapi",
        "POST",
        lambda s: "/graphql",
        _clinician,
        lambda s: json.dumps(
            {
                "query": "query($id: ID!) { patient(id: $id) { objectId displayName } }",
                "variables": {"id": s.patient_id},
            }
        ),
    ),
)


def captured_event(session: Any, request: ColdRequest) -> dict[str, Any]:
    """The event the local gateway gives the function for ``request`` (sent once, answered as expected)."""
    runtime = session.stack.runtime
    events: list[tuple[str, dict[str, Any]]] = []
    original = runtime.invoke

    def invoke(name: str, event: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        events.append((name, event))
        return original(name, event, *args, **kwargs)

    runtime.invoke = invoke
    try:
        sent = Request(request.method, request.path(session), request.caller(session), request.body(session))
        send(session, sent, request.status, f"cold {request.function}")
    finally:
        del runtime.invoke
    return next(event for name, event in events if name == request.function)


@dataclass(frozen=True)
class Probe:
    """A fresh process: its command and environment."""

    command: list[str]
    environment: dict[str, str]

    def timed(self) -> float:
        return fresh_process_seconds(self.command, self.environment)


def function_probe(spec: catalog.FunctionSpec, status: int, recording: bool) -> str:
    return FUNCTION_PROBE.format(
        module=spec.module,
        status=status,
        name=spec.name,
        context=_CONTEXT.format(name=spec.name),
        record=RECORD if recording else "",
        dump=DUMP if recording else "",
    )


def environment(function_environment: dict[str, str]) -> dict[str, str]:
    """The function's deployed variables (with the local endpoints), on the Lambda's import path."""
    path = os.pathsep.join(map(str, (CORE_LAYER_DIR / "python", FUNCTIONS_DIR)))
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "SYSTEMROOT") if name in os.environ}
    lambda_runtime = {cold_start.RUNTIME_API: LAMBDA_RUNTIME_API}
    return {**keep, **function_environment, **lambda_runtime, "PYTHONPATH": path, "POWERTOOLS_LOG_LEVEL": "WARNING"}


@dataclass(frozen=True)
class ColdStarts:
    """Per HTTP function, fresh-process init + first request ÷ fresh-process ``import boto3`` + the same AWS calls."""

    name: str = "cold starts (init + first request)"
    runs: int = 5

    def run(self, session: Any) -> list[Figure]:
        figures: list[Figure] = []
        with tempfile.TemporaryDirectory() as folder:
            probes = [self._prepare(session, request, Path(folder)) for request in REQUESTS]
            function_times: dict[str, list[float]] = {name: [] for name, _, _ in probes}
            baseline_times: dict[str, list[float]] = {name: [] for name, _, _ in probes}
            for _ in range(self.runs):  # interleaved, so that a busy moment hurts both alike
                for name, function, baseline in probes:
                    function_times[name].append(function.timed())
                    baseline_times[name].append(baseline.timed())
        for name, _, _ in probes:
            cold, floor = statistics.median(function_times[name]), statistics.median(baseline_times[name])
            figures.append(Figure(f"cold_start.{name}", cold / floor, "x boto3 + the same calls", COLD_START_GOAL))
            figures.append(Figure(f"cold_start.{name}.ms", cold * 1000, "ms (this machine)"))
        return figures

    def _prepare(self, session: Any, request: ColdRequest, folder: Path) -> tuple[str, Probe, Probe]:
        spec = catalog.function(request.function)
        event = captured_event(session, request)
        inputs, recorded = folder / f"{spec.name}.pickle", folder / f"{spec.name}.calls"
        with inputs.open("wb") as file:
            pickle.dump({"event": event, "calls": []}, file)
        variables = environment(session.stack.function_environment(spec))
        recording = [sys.executable, "-c", function_probe(spec, request.status, True), str(inputs), str(recorded)]
        subprocess.run(recording, env=variables, check=True, stdout=subprocess.DEVNULL)  # noqa: S603
        with recorded.open("rb") as file:
            calls = pickle.load(file)  # noqa: S301  (written by the recording run above)
        with inputs.open("wb") as file:
            pickle.dump({"event": event, "calls": calls}, file)
        function = Probe(
            [sys.executable, "-c", function_probe(spec, request.status, False) + DONE_MARK, str(inputs)], variables
        )
        baseline = Probe([sys.executable, "-c", BASELINE_PROBE + DONE_MARK, str(inputs)], variables)
        return spec.name, function, baseline


register(ColdStarts())
