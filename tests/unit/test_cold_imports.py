"""What a cold start imports: every function's handler module, in a fresh process with no environment
(CDK synth and the docs function import them all), loads no token library and no X-Ray SDK."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from infra import catalog

ROOT = Path(__file__).resolve().parents[2]
NOT_ON_A_COLD_START = ("jwt", "aws_xray_sdk", "cryptography", "moto", "aws_cdk", "werkzeug")
"""Token verification is API Gateway's (the JWT authorizer); Lambda's active tracing needs no SDK;
the rest belongs to the local stack, the CDK app and the tests."""


@pytest.mark.parametrize("module", [spec.module for spec in catalog.FUNCTIONS])
def test_a_handler_module_imports_without_environment_and_without_heavy_libraries(module: str) -> None:
    probe = (
        f"import sys, json; import {module}; print(json.dumps(sorted({{name.split('.')[0] for name in sys.modules}})))"
    )
    python_path = os.pathsep.join(str(ROOT / part) for part in (".", "layers/core/python", "functions"))
    result = subprocess.run(  # noqa: S603 - the test's own interpreter and a fixed probe
        [sys.executable, "-c", probe],
        env={"PYTHONPATH": python_path, "PATH": os.environ.get("PATH", "")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert loaded.isdisjoint(NOT_ON_A_COLD_START), sorted(loaded & set(NOT_ON_A_COLD_START))
