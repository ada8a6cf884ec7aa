"""``make dev``: run the whole backend locally until Ctrl-C."""

from __future__ import annotations

import argparse
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
    parser.add_argument("--ws-port", type=int, default=int(os.environ.get("WS_PORT", "3001")))
    parser.add_argument("--moto-port", type=int, default=int(os.environ.get("MOTO_PORT", "0")))
    arguments = parser.parse_args()
    started = time.perf_counter()
    email = os.environ.get("RPM_ADMIN_EMAIL", DEFAULT_ADMIN_EMAIL)
    password = os.environ.get("RPM_ADMIN_PASSWORD", DEFAULT_ADMIN_PASSWORD)
    local = LocalStack(
        host=arguments.host,
        port=arguments.port,
        moto_port=arguments.moto_port,
        ws_port=arguments.ws_port,
        admin_email=email,
        admin_password=password,
        request_log=True,
    )
    try:
        stack = local.start()
    except OSError as error:
        raise SystemExit(
            f"Cannot listen on {arguments.host}:{arguments.port} or :{arguments.ws_port} ({error.strerror}); "
            "choose other ports, for example: make dev PORT=3100 WS_PORT=3101"
        ) from error
    except ProblemError as error:
        raise SystemExit(f"Cannot create the first admin {email}: {error.detail}") from error
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

Ctrl-C stops it (all data is in memory).
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


if __name__ == "__main__":
    main()
