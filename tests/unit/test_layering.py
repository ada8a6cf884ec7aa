"""One rule for errors at the data boundary: repositories (``rpm_core.data``) raise their own
exceptions and know nothing of problems; services (``rpm_core.services``) map them to problems and
know nothing of botocore's errors. Checked on the source, so a new module cannot slip past it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "layers" / "core" / "python" / "rpm_core"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("path", sorted((CORE / "data").glob("*.py")), ids=lambda p: p.name)
def test_repositories_raise_no_problems(path: Path) -> None:
    assert not [name for name in _imports(path) if name.startswith("rpm_core.errors")]


@pytest.mark.parametrize("path", sorted((CORE / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_catch_no_aws_errors(path: Path) -> None:
    assert not [name for name in _imports(path) if name.startswith("botocore")]
    assert "error_code(" not in path.read_text()
