"""Latency of the local request path: ``python -m tests.bench`` (``make bench``).

Starts a local stack, creates an admin session, a clinician on one patient's care team and a
page of profiles, then sends each request ``--requests`` times through the gateway (werkzeug's
test client: the full gateway path, no socket) and prints, per route, the median and p95 latency,
the median's ratio to the baseline's, and the DynamoDB calls per request. The baseline is the
cheapest full path: an unknown route, answered 404 by ``$default`` with no authorizer and no storage.
Timings are of moto on this machine: compare routes with each other, not with AWS.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from infra.paths import use_lambda_paths

use_lambda_paths()

from werkzeug.test import Client  # noqa: E402

from infra.local.stack import LocalStack  # noqa: E402
from rpm_core.data.aws import dynamodb_client  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Account, assign, create_profile, log_in, new_clinician, unique_mrn  # noqa: E402

DEFAULT_REQUESTS = 200
WARM_UP_REQUESTS = 10
SEEDED_PROFILES = 60
"""More than one page of ``GET /patients?limit=50``, so that the list answers a full page."""


@dataclass(frozen=True)
class Case:
    label: str
    method: str
    path: str | Callable[[], str]
    token: str | None
    expected_status: int
    body: Callable[[], str] | None = None


@dataclass(frozen=True)
class Result:
    case: Case
    timings_ms: list[float]
    storage_calls: int

    @property
    def median(self) -> float:
        return statistics.median(self.timings_ms)

    @property
    def p95(self) -> float:
        return statistics.quantiles(self.timings_ms, n=20, method="inclusive")[18]


class StorageCallCounter:
    """DynamoDB calls, counted through botocore's hooks on the functions' shared client."""

    def __init__(self) -> None:
        self.count = 0

    def _record(self, **_: Any) -> None:
        self.count += 1

    @contextlib.contextmanager
    def recording(self) -> Iterator[None]:
        events = dynamodb_client().meta.events
        events.register("before-call.dynamodb.*", self._record, unique_id="bench-storage-calls")
        try:
            yield
        finally:
            events.unregister("before-call.dynamodb.*", unique_id="bench-storage-calls")


def _send(client: Client, case: Case) -> int:
    headers = {"Authorization": f"Bearer {case.token}"} if case.token else {}
    path = case.path() if callable(case.path) else case.path
    body = case.body() if case.body else None
    if body is not None:
        headers["Content-Type"] = "application/json"
    response = client.open(path, method=case.method, data=body, headers=headers)
    response.close()
    return response.status_code


def measure(client: Client, case: Case, requests: int) -> Result:
    for _ in range(WARM_UP_REQUESTS):
        status = _send(client, case)
        if status != case.expected_status:
            raise RuntimeError(f"{case.label}: {status}, expected {case.expected_status}")
    counter = StorageCallCounter()
    timings: list[float] = []
    with counter.recording():
        for _ in range(requests):
            started = time.perf_counter()
            status = _send(client, case)
            timings.append((time.perf_counter() - started) * 1000)
            if status != case.expected_status:
                raise RuntimeError(f"{case.label}: {status}, expected {case.expected_status}")
    return Result(case, timings, counter.count)


def cases(admin: Account, clinician: Account, patient_id: str) -> list[Case]:
    def new_profile() -> str:
        return f'{{"medicalRecordNumber": "{unique_mrn()}", "displayName": "Bench Patient"}}'

    return [
        Case("unknown route (baseline: $default 404)", "GET", f"/no-such-route-{uuid.uuid4().hex[:6]}", None, 404),
        Case("GET /me", "GET", "/me", admin.access_token, 200),
        Case("GET /patients/{id} (admin)", "GET", f"/patients/{patient_id}", admin.access_token, 200),
        Case("GET /patients/{id} (assigned clinician)", "GET", f"/patients/{patient_id}", clinician.access_token, 200),
        Case("GET /patients?limit=50 (admin)", "GET", "/patients?limit=50", admin.access_token, 200),
        Case("POST /patients (admin)", "POST", "/patients", admin.access_token, 201, body=new_profile),
    ]


def render(results: list[Result], requests: int) -> str:
    baseline = results[0].median
    width = max(len(result.case.label) for result in results)
    lines = [
        f"{'route':<{width}}  {'median ms':>9}  {'p95 ms':>8}  {'x baseline':>10}  {'DynamoDB calls/req':>18}",
        f"{'-' * width}  {'-' * 9}  {'-' * 8}  {'-' * 10}  {'-' * 18}",
    ]
    for result in results:
        lines.append(
            f"{result.case.label:<{width}}  {result.median:>9.2f}  {result.p95:>8.2f}  "
            f"{result.median / baseline:>10.1f}  {result.storage_calls / requests:>18.2f}"
        )
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=DEFAULT_REQUESTS, help="requests per route")
    options = parser.parse_args(arguments)
    started = time.perf_counter()
    print(f"starting a local stack; {options.requests} requests per route ...", file=sys.stderr, flush=True)
    stack = LocalStack(port=0).start()
    try:
        client = Client(stack.gateway)
        api = Api(stack.gateway)
        # Keep what the functions print (Powertools' EMF metrics lines) and warn about off the table.
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
            clinician = new_clinician(api, admin)
            patient_id = str(create_profile(api, admin.access_token)["objectId"])
            assign(api, admin, patient_id, clinician)
            for _ in range(SEEDED_PROFILES):
                create_profile(api, admin.access_token)
            results = [measure(client, case, options.requests) for case in cases(admin, clinician, patient_id)]
    finally:
        stack.stop()
    print(render(results, options.requests))
    print(
        f"\n{options.requests} requests per route after {WARM_UP_REQUESTS} warm-up requests; "
        f"moto in-process; total {time.perf_counter() - started:.1f} s"
    )


if __name__ == "__main__":
    main()
