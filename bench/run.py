"""The request path's overhead, call counts and cold starts, as ratios against same-run baselines.

For each route case: the median latency of the request through the local gateway (the same
handlers, the JWT check, the routing, validation and serialization) ÷ the median latency of the
very DynamoDB calls that request made, replayed directly with boto3 against the same moto; the
DynamoDB calls and Lambda invocations per request. For each function: the median wall time of a
fresh process importing its handler module ÷ that of a fresh process importing boto3.
Absolute times are this machine's and moto's, not AWS's: compare the ratios.

Cases are declared in ``CASE_BUILDERS`` (one function per capability, given the seeded ``World``),
each with its goal; a capability adds its cases there.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from infra.paths import ROOT, use_lambda_paths

use_lambda_paths()

import boto3  # noqa: E402
from botocore import xform_name  # noqa: E402
from werkzeug.test import Client  # noqa: E402

import catalog  # noqa: E402
from infra.local.stack import LocalStack  # noqa: E402
from rpm_core.config import settings  # noqa: E402
from rpm_core.data.aws import dynamodb_client  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Account, assign, create_profile, log_in, new_clinician, new_patient  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
DEFAULT_REQUESTS = 200
WARM_UP = 10
IMPORT_RUNS = 7
LATENCY_GOAL = 1.3
COLD_IMPORT_GOAL = 2.0
SEEDED_PROFILES = 60


@dataclass
class World:
    """What the cases call with: accounts and records seeded once per run."""

    stack: LocalStack
    api: Api
    admin: Account
    clinician: Account
    patient: Account
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RouteCase:
    name: str
    method: str
    path: str
    token: str
    expected_status: int = 200
    calls_goal: int | None = None
    """The DynamoDB calls per request the route is designed for (None: report only)."""


def core_cases(world: World) -> list[RouteCase]:
    patient_id = str(world.patient.patient_id)
    return [
        RouteCase("GET /me", "GET", "/me", world.patient.access_token, calls_goal=1),
        RouteCase("GET /patients/{id} (admin)", "GET", f"/patients/{patient_id}", world.admin.access_token, 200, 1),
        RouteCase("GET /patients/{id} (patient)", "GET", f"/patients/{patient_id}", world.patient.access_token, 200, 1),
        RouteCase(
            "GET /patients/{id} (clinician)", "GET", f"/patients/{patient_id}", world.clinician.access_token, 200, 1
        ),
        RouteCase("GET /patients?limit=50 (admin)", "GET", "/patients?limit=50", world.admin.access_token, 200, 2),
        RouteCase("GET /patients (clinician)", "GET", "/patients", world.clinician.access_token, 200, 3),
        RouteCase("GET /admin/users?limit=50", "GET", "/admin/users?limit=50", world.admin.access_token, 200, 2),
    ]


def clinical_cases(world: World) -> list[RouteCase]:
    patient_id = str(world.patient.patient_id)
    token = world.clinician.access_token
    return [
        RouteCase("GET /patients/{id}/lab-results", "GET", f"/patients/{patient_id}/lab-results", token, 200, 2),
        RouteCase(
            "GET /patients/{id}/treatment-plans", "GET", f"/patients/{patient_id}/treatment-plans", token, 200, 2
        ),
    ]


def messaging_cases(world: World) -> list[RouteCase]:
    return [RouteCase("GET /threads", "GET", "/threads", world.patient.access_token, 200, 3)]


CASE_BUILDERS: list[Callable[[World], list[RouteCase]]] = [core_cases, clinical_cases, messaging_cases]


@dataclass
class CapturedCall:
    operation: str
    params: dict[str, Any]


class CallRecorder:
    """The DynamoDB calls made on this thread (the gateway serves requests in-process), with their
    parameters as the code passed them, so that they can be replayed as they were."""

    def __init__(self) -> None:
        self.calls: list[CapturedCall] = []
        self._thread = threading.current_thread()

    def _record(self, params: dict[str, Any], model: Any, **_: Any) -> None:
        # the request as sent: DynamoDB's JSON protocol body, which a low-level client takes as its parameters
        if threading.current_thread() is self._thread:
            self.calls.append(CapturedCall(model.name, json.loads(params["body"])))

    @contextlib.contextmanager
    def recording(self) -> Iterator[CallRecorder]:
        events = dynamodb_client().meta.events
        events.register("before-call.dynamodb.*", self._record, unique_id="bench-calls")
        try:
            yield self
        finally:
            events.unregister("before-call.dynamodb.*", unique_id="bench-calls")


class InvocationCounter:
    def __init__(self, stack: LocalStack) -> None:
        self.count = 0
        self._runtime = stack.runtime
        self._invoke = stack.runtime.invoke

    @contextlib.contextmanager
    def counting(self) -> Iterator[InvocationCounter]:
        def counted(name: str, event: dict[str, Any], timeout_seconds: int = 30) -> Any:
            self.count += 1
            return self._invoke(name, event, timeout_seconds)

        self._runtime.invoke = counted  # type: ignore[method-assign]
        try:
            yield self
        finally:
            self._runtime.invoke = self._invoke  # type: ignore[method-assign]


def _send(client: Client, case: RouteCase) -> None:
    response = client.open(case.path, method=case.method, headers={"Authorization": f"Bearer {case.token}"})
    response.close()
    if response.status_code != case.expected_status:
        raise RuntimeError(f"{case.name}: {response.status_code}, expected {case.expected_status}")


def _median_ms(action: Callable[[], None], runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def measure_route(world: World, client: Client, case: RouteCase, requests: int) -> dict[str, Any]:
    for _ in range(WARM_UP):
        _send(client, case)
    with CallRecorder().recording() as recorder, InvocationCounter(world.stack).counting() as invocations:
        _send(client, case)
    raw_client = boto3.client("dynamodb", region_name=settings().region)
    replays = [(getattr(raw_client, xform_name(call.operation)), call.params) for call in recorder.calls]

    def replay() -> None:
        for method, params in replays:
            method(**params)

    through_gateway = _median_ms(lambda: _send(client, case), requests)
    raw = _median_ms(replay, requests)
    return {
        "gateway_ms": through_gateway,
        "raw_ms": raw,
        "ratio": through_gateway / raw if raw else float("inf"),
        "calls": len(recorder.calls),
        "operations": [call.operation for call in recorder.calls],
        "invocations": invocations.count,
    }


def _import_seconds(statement: str) -> float:
    python_path = os.pathsep.join(str(ROOT / part) for part in (".", "layers/core/python", "functions"))
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 - this interpreter, fixed statements
        [sys.executable, "-c", statement], env={"PYTHONPATH": python_path}, check=True, capture_output=True
    )
    return time.perf_counter() - started


def cold_imports() -> dict[str, dict[str, float]]:
    """Per function: median fresh-process import time ÷ that of ``import boto3``, runs interleaved."""
    modules = [spec.module for spec in catalog.FUNCTIONS]
    samples: dict[str, list[float]] = {name: [] for name in ["boto3", *modules]}
    for _ in range(IMPORT_RUNS):
        for name in samples:
            samples[name].append(_import_seconds(f"import {name}"))
    baseline = statistics.median(samples["boto3"])
    return {
        name: {"seconds": statistics.median(times), "ratio": statistics.median(times) / baseline}
        for name, times in samples.items()
    }


def seed(stack: LocalStack) -> World:
    api = Api(stack.gateway)
    admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
    clinician = new_clinician(api, admin)
    patient = new_patient(api, admin)
    assign(api, admin, str(patient.patient_id), clinician)
    for _ in range(SEEDED_PROFILES):
        create_profile(api, admin.access_token)
    return World(stack, api, admin, clinician, patient)


def results_of(routes: dict[str, dict[str, Any]], imports: dict[str, dict[str, float]]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for name, route in routes.items():
        case_goal = route.pop("calls_goal")
        results[f"{name}: latency ÷ its raw DynamoDB calls"] = {
            "value": round(route["ratio"], 2),
            "goal": LATENCY_GOAL,
            "unit": "ratio",
        }
        results[f"{name}: DynamoDB calls"] = {"value": route["calls"], "goal": case_goal, "unit": "calls/request"}
        results[f"{name}: Lambda invocations"] = {
            "value": route["invocations"],
            "goal": 1,
            "unit": "invocations/request",
        }
        results[f"{name}: median through the gateway"] = {
            "value": round(route["gateway_ms"], 2),
            "goal": None,
            "unit": "ms (this machine, moto)",
        }
        results[f"{name}: median of the raw calls"] = {
            "value": round(route["raw_ms"], 2),
            "goal": None,
            "unit": "ms (this machine, moto)",
        }
    for name, figures in imports.items():
        if name == "boto3":
            results["cold import of boto3 (baseline)"] = {
                "value": round(figures["seconds"], 3),
                "goal": None,
                "unit": "s (this machine)",
            }
            continue
        results[f"cold import {name} ÷ boto3"] = {
            "value": round(figures["ratio"], 2),
            "goal": COLD_IMPORT_GOAL,
            "unit": "ratio",
        }
    return results


def render(results: dict[str, Any]) -> str:
    width = max(len(name) for name in results)
    lines = [f"{'figure':<{width}}  {'value':>9}  {'goal':>6}  unit", f"{'-' * width}  {'-' * 9}  {'-' * 6}  ----"]
    for name, figure in results.items():
        goal = "" if figure["goal"] is None else f"{figure['goal']:g}"
        lines.append(f"{name:<{width}}  {figure['value']:>9g}  {goal:>6}  {figure['unit']}")
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Overhead, calls and cold starts of the request path")
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="requests per route")
    options = parser.parse_args(arguments)
    started = time.perf_counter()
    print("cold imports ...", file=sys.stderr, flush=True)
    imports = cold_imports()
    print(f"starting a local stack; {options.requests} requests per route ...", file=sys.stderr, flush=True)
    stack = LocalStack(port=0).start()
    try:
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            world = seed(stack)
            stack.drain()
            client = Client(stack.gateway)
            routes = {}
            for build in CASE_BUILDERS:
                for case in build(world):
                    routes[case.name] = {
                        **measure_route(world, client, case, options.requests),
                        "calls_goal": case.calls_goal,
                    }
    finally:
        stack.stop()
    results = results_of(routes, imports)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(render(results))
    print(
        f"\n{options.requests} requests per route after {WARM_UP} warm-up requests; {IMPORT_RUNS} fresh "
        f"processes per import; results in {RESULTS.relative_to(ROOT)}; total {time.perf_counter() - started:.0f} s"
    )


if __name__ == "__main__":
    main()
