"""Builds the third-party dependency layer for Lambda (python3.12, arm64) from uv.lock.

The layer holds exactly the lock's runtime dependencies (``[project].dependencies`` and what they
need; no extra, not the project itself, whose code is the core layer): ``uv export`` writes them with
their hashes, ``uv pip install --target`` installs them from binary wheels for the layer's platform
into ``build/layers/deps/python``, through uv's cache (the one ``make install`` filled: pure-Python
wheels are not downloaded again). A stamp beside the layer keeps the hash of the exported
requirements, the target and this module (the recipe); the build is skipped while it matches.

The same build for ``HOST`` (this interpreter, this machine) gives the tests a layer they can import.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from infra.paths import BUILD_DIR, ROOT

DEPS_LAYER_BUILD_DIR = BUILD_DIR / "layers" / "deps"
STAMP_SUFFIX = ".requirements.sha256"
"""The stamp sits beside the layer folder, so that it is not part of the layer."""


@dataclass(frozen=True)
class Target:
    """Whom the layer is built for: uv's ``--python-version`` and ``--python-platform``, or this interpreter."""

    name: str
    python_version: str | None = None
    python_platform: str | None = None
    """None (both): the interpreter running this code, on this machine."""


LAMBDA = Target("lambda-python3.12-arm64", python_version="3.12", python_platform="aarch64-manylinux_2_28")
"""Lambda's python3.12 runtime on arm64 runs on Amazon Linux 2023 (glibc 2.34): manylinux 2014 (2.17)
up to 2.28 wheels load there."""
HOST = Target("host")


def uv_command(*args: str) -> list[str]:
    """uv as installed into this interpreter's environment (the Makefile pins its version)."""
    return [sys.executable, "-m", "uv", *args]


def exported_requirements(project: Path = ROOT) -> str:
    """The lock's runtime dependencies with hashes; ``--locked``: a lock behind pyproject.toml is an error."""
    command = uv_command(
        "export", "--quiet", "--locked", "--no-dev", "--no-emit-project", "--no-header", "--no-annotate",
        "--format", "requirements.txt", "--project", str(project),
    )  # fmt: skip
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603 - fixed argv


def install_command(requirements_file: Path, target_dir: Path, target: Target = LAMBDA) -> list[str]:
    platform = []
    if target.python_version:
        platform += ["--python-version", target.python_version]
    if target.python_platform:
        platform += ["--python-platform", target.python_platform]
    return uv_command(
        "pip", "install", "--quiet", "--python", sys.executable, *platform, "--only-binary", ":all:",
        "--require-hashes", "--no-deps", "--no-compile", "--target", str(target_dir), "-r", str(requirements_file),
    )  # fmt: skip


def recipe_hash(requirements: str, target: Target) -> str:
    recipe = {
        "requirements": requirements,
        "target": [target.python_version, target.python_platform],
        "command": install_command(Path("requirements.txt"), Path("target"), target)[3:],
        "builder": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),  # this module: how the layer is made
    }
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def build_deps_layer(
    out_dir: Path = DEPS_LAYER_BUILD_DIR, target: Target = LAMBDA, requirements: str | None = None
) -> Path:
    """The layer folder (holding ``python/``), rebuilt only when the locked requirements or the recipe changed."""
    requirements = exported_requirements() if requirements is None else requirements
    stamp = out_dir.with_name(out_dir.name + STAMP_SUFFIX)
    digest = recipe_hash(requirements, target)
    python_dir = out_dir / "python"
    if python_dir.is_dir() and stamp.is_file() and stamp.read_text().strip() == digest:
        return out_dir
    shutil.rmtree(out_dir, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    python_dir.mkdir(parents=True)
    requirements_file = out_dir.with_name(out_dir.name + ".requirements.txt")
    requirements_file.write_text(requirements)
    subprocess.run(install_command(requirements_file, python_dir, target), check=True)  # noqa: S603 - fixed argv
    drop_console_scripts(python_dir)
    (python_dir / ".lock").unlink(missing_ok=True)  # uv's lock on the target folder
    for cache in python_dir.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    stamp.write_text(digest + "\n")
    return out_dir


def drop_console_scripts(python_dir: Path) -> None:
    """Console scripts are not importable and their shebang names the building interpreter's path: they
    go, and so do their lines in each RECORD, so the layer (and its asset hash) is the same on every machine."""
    shutil.rmtree(python_dir / "bin", ignore_errors=True)
    for record in python_dir.glob("*.dist-info/RECORD"):
        lines = record.read_text().splitlines(keepends=True)
        record.write_text("".join(line for line in lines if not line.startswith("bin/")))


if __name__ == "__main__":
    print(build_deps_layer())
