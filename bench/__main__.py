"""``python -m bench`` (``make bench``): runs every registered case, writes bench/results.json, prints a table."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infra.paths import use_lambda_paths

use_lambda_paths()

import boto3  # noqa: E402
from werkzeug.test import Client  # noqa: E402

from bench import cases, cold, devices, fhir, programme  # noqa: E402, F401  (cold, devices, fhir, programme: their cases register on import)
from bench.core import REGISTRY, Figure  # noqa: E402
from infra.local.sandbox import EVENTS  # noqa: E402
from infra.local.stack import REGION, LocalStack  # noqa: E402
from tests.support.api import Api  # noqa: E402
from tests.support.cast import Account, assign, create_profile, log_in, new_clinician  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results.json"
SEEDED_PROFILES = 60
"""More than one page of ``GET /patients?limit=50``, so that the list answers a full page."""


@dataclass
class Session:
    """What the cases share: the stack, clients, accounts and seeded ids."""

    stack: LocalStack
    requests: int
    warm_up: int
    client: Client
    storage_events: Any
    raw_client: Any
    shadow_tables: dict[str, str]
    admin: Account
    clinician: Account
    patient_id: str


def _session(stack: LocalStack, requests: int, warm_up: int) -> Session:
    api = Api(stack.gateway)
    admin = log_in(api, Account(stack.admin_email, stack.admin_password, stack.admin_user_id))
    clinician = new_clinician(api, admin)
    patient_id = str(create_profile(api, admin.access_token)["objectId"])
    assign(api, admin, patient_id, clinician)
    for _ in range(SEEDED_PROFILES):
        create_profile(api, admin.access_token)
    raw = boto3.client("dynamodb", endpoint_url=stack.moto_endpoint, region_name=REGION)
    return Session(
        stack=stack,
        requests=requests,
        warm_up=warm_up,
        client=Client(stack.gateway),
        storage_events=EVENTS,
        raw_client=raw,
        shadow_tables=cases.shadow_tables(raw, stack.table_names),
        admin=admin,
        clinician=clinician,
        patient_id=patient_id,
    )


def render(figures: list[Figure]) -> str:
    width = max(len(figure.name) for figure in figures)
    lines = [
        f"{'figure':<{width}}  {'value':>9}  {'goal':>7}  {'':4}  unit",
        f"{'-' * width}  {'-' * 9}  {'-' * 7}  ----  ----",
    ]
    for figure in figures:
        goal = "" if figure.goal is None else f"{'≤' if figure.lower_is_better else '≥'}{figure.goal:g}"
        verdict = {True: "ok", False: "MISS", None: ""}[figure.met]
        lines.append(f"{figure.name:<{width}}  {figure.value:>9.2f}  {goal:>7}  {verdict:<4}  {figure.unit}")
    return "\n".join(lines)


def main(arguments: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=100, help="measured requests per route case")
    parser.add_argument("--warm-up", type=int, default=10, help="requests per route case before measuring")
    parser.add_argument("--only", default="", help="run only the cases whose name contains this text")
    parser.add_argument("--output", type=Path, default=RESULTS)
    options = parser.parse_args(arguments)
    started = time.perf_counter()
    os.environ.setdefault("POWERTOOLS_LOG_LEVEL", "WARNING")  # the functions' INFO lines would bury the table
    print(f"starting a local stack; {options.requests} requests per route ...", file=sys.stderr, flush=True)
    stack = LocalStack(port=0).start()
    figures: list[Figure] = []
    try:
        # Keep what the functions print (Powertools' EMF lines) and warn about off the table.
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            session = _session(stack, options.requests, options.warm_up)
            for case in REGISTRY:
                if options.only in case.name:
                    print(f"  {case.name} ...", end="", file=sys.stderr, flush=True)
                    case_started = time.perf_counter()
                    figures.extend(case.run(session))
                    print(f" {time.perf_counter() - case_started:.1f} s", file=sys.stderr, flush=True)
    finally:
        stack.stop()
    options.output.write_text(
        json.dumps(
            {
                f.name: {
                    "value": round(f.value, 4),
                    "goal": f.goal,
                    "lower_is_better": f.lower_is_better,
                    "unit": f.unit,
                }
                for f in figures
            },
            indent=2,
        )
        + "\n"
    )
    print(render(figures))
    print(f"\nwritten to {options.output}; total {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
