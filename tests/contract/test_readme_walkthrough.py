"""The README's curl walkthrough, run verbatim against the local stack over a real socket."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest

from infra.local.stack import LocalStack
from infra.paths import ROOT

BLOCK = re.compile(r"<!-- walkthrough:start -->\s*```bash\n(.*?)```\s*<!-- walkthrough:end -->", re.DOTALL)


def walkthrough() -> str:
    found = BLOCK.search((ROOT / "README.md").read_text())
    assert found, "the README has no walkthrough block"
    return found.group(1)


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_readme_walkthrough_runs_verbatim(stack: LocalStack) -> None:
    result = subprocess.run(  # noqa: S603 - the README's own script
        ["bash", "-euo", "pipefail", "-c", walkthrough()],  # noqa: S607
        env={**os.environ, "BASE": stack.base_url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert '"status":"pending_approval"' in lines[0]
    assert '"role":"clinician","status":"active"' in lines[1]
    assert lines[2] == "204"
    assert '"displayName":"Jane Doe"' in lines[3]
    assert '"patientId":' in lines[4]
    assert '"phone":"+1 555 0100"' in lines[5]
    assert '"status": 403' in lines[6]
    assert '"status": 409' in lines[7]
    assert lines[8] == "204"
    assert lines[-1] == "401"
