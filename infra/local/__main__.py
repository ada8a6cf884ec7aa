"""``make dev``: run the whole backend locally until Ctrl-C."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
import time

from infra.paths import use_lambda_paths

use_lambda_paths()

from infra.local.stack import DEFAULT_ADMIN_EMAIL, DEFAULT_ADMIN_PASSWORD, LocalStack  # noqa: E402
from rpm_core.errors import ProblemError  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the RPM backend locally on moto.")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "3000")))
    parser.add_argument(
        "--ws-port", type=int, default=int(os.environ["WS_PORT"]) if os.environ.get("WS_PORT") else None,
        help="the WebSocket API's port (default: the API's port + 1)",
    )  # fmt: skip
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "0")))
    parser.add_argument(
        "--ws-management-port", type=int, default=int(os.environ.get("WS_MANAGEMENT_PORT", "0")),
        help="the WebSocket Management API stand-in's port (default: a free one)",
    )  # fmt: skip
    parser.add_argument(
        "--sso-port", type=int, default=int(os.environ.get("SSO_PORT", "0")),
        help="the hosted sign-in's port (default: a free one)",
    )  # fmt: skip
    parser.add_argument(
        "--demo", action="store_true", help="load the demo practice first (make demo): 25 patients, 90 days, ~4 min"
    )
    parser.add_argument("--demo-patients", type=int, default=25, help="patients in the demo practice (1..)")
    parser.add_argument("--demo-days", type=int, default=90, help="days of history in the demo practice (1..90)")
    arguments = parser.parse_args()
    if arguments.ws_port is None:  # 0 (a free port) stays 0
        arguments.ws_port = arguments.port + 1 if arguments.port else 0
    if not 1 <= arguments.demo_days <= 90 or arguments.demo_patients < 1:
        parser.error("--demo-days takes 1..90 and --demo-patients at least 1")
    started = time.perf_counter()
    email = os.environ.get("RPM_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL)
    password = os.environ.get("RPM_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
    local = LocalStack(
        host=arguments.host,
        port=arguments.port,
        moto_port=arguments.moto_port,
        ws_port=arguments.ws_port,
        ws_management_port=arguments.ws_management_port,
        sso_port=arguments.sso_port,
        admin_email=email,
        admin_password=password,
        request_log=True,
    )
    try:
        stack = local.start()
    except OSError as error:
        raise SystemExit(
            f"Cannot listen on {arguments.host}: a port of PORT={arguments.port}, WS_PORT={arguments.ws_port}, "
            f"MOTO_PORT, WS_MANAGEMENT_PORT or SSO_PORT is taken ({error.strerror}); "
            "choose other ports, for example: make dev PORT=3100 WS_PORT=3101"
        ) from error
    except ProblemError as error:
        raise SystemExit(f"Cannot create the first admin {email}: {error.detail}") from error
    demo_logins = ""
    if arguments.demo:
        demo_logins = load_demo(stack, arguments.demo_patients, arguments.demo_days)
    print(
        f"""
RPM backend running locally (ready in {time.perf_counter() - started:.1f} s)

  Web app          {stack.app_url}   (sign in as the first admin below; `make web` rebuilt it if needed)
  API base URL     {stack.base_url}
  OpenAPI / docs   {stack.base_url}/openapi.json   {stack.base_url}/docs
  WebSocket API    {stack.ws_url}/?token=<accessToken>   (WS_PORT; live events)
  WS management    {stack.websocket_apis["Live"].management_endpoint}   (the notifier's Management API)
  AWS endpoint     {stack.moto_endpoint}   (moto: point any boto3 client here, region us-east-1)
  First admin      {email} / {password}   (RPM_ADMIN_EMAIL / RPM_ADMIN_PASSWORD)
  Hosted sign-in   {stack.sso.hosted.base_url}   (single sign-on: provider {", ".join(stack.sso.providers)}; users
                   clinician / Clinician-Passw0rd! (group rpm-clinicians), patient / Patient-Passw0rd!)

Try:
  curl -s -X POST {stack.base_url}/auth/login -H 'content-type: application/json' \\
       -d '{{"email": "{email}", "password": "{password}"}}'

Listen for live events:
  .venv/bin/rpmctl listen --api {stack.base_url} --ws {stack.ws_url} --email {email} --password '<password>'

Ctrl-C stops it (all data is in memory).{demo_logins}
""",
        flush=True,
    )
    stopped = threading.Event()
    for stop_signal in (signal.SIGINT, signal.SIGTERM):  # Ctrl-C even where the parent ignores SIGINT
        signal.signal(stop_signal, lambda *_: stopped.set())
    try:
        while not stopped.wait(1.0):  # wakes each second, so a signal another thread received is handled too
            pass
    finally:
        stack.stop()
        print("stopped", flush=True)


def load_demo(stack: LocalStack, patients: int, days: int) -> str:
    """Loads the demo practice quietly (progress lines only); returns its logins for the banner."""
    from infra.local import demo, demo_cohort

    print(f"Loading the demo practice ({patients} patients, {days} days) through the API and IoT publish …", flush=True)
    started, request_log = time.perf_counter(), stack.gateway.log
    stack.gateway.log = None
    logging.disable(logging.INFO)  # the functions' own INFO lines, thousands of them
    try:
        summary = demo.load(stack, patients_count=patients, days=days)
    except demo.DemoError as error:
        stack.stop()
        raise SystemExit(f"The demo practice could not be loaded: {error}") from error
    finally:
        logging.disable(logging.NOTSET)
        stack.gateway.log = request_log
    logins = "\n".join(f"  {role:<10} {email} / {password}" for role, email, password in summary.logins)
    lines = "\n".join(summary.lines())
    return (
        f"\n\n{lines}\n  loaded in {time.perf_counter() - started:.0f} s; sign in as:\n{logins}\n"
        f"  (every patient: their name as first.last@{demo_cohort.DOMAIN}, password {demo_cohort.PASSWORD})"
    )


if __name__ == "__main__":
    main()
