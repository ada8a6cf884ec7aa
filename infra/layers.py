"""Builds the third-party dependency layer for Lambda (python3.12, arm64) with plain pip.

The layer holds ``[project].dependencies`` from pyproject.toml, installed from manylinux
aarch64 wheels into ``build/layers/deps/python``. A stamp file beside it keeps the hash of the
requirement list and the pip options; the build is skipped while it matches.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from infra.paths import BUILD_DIR, ROOT

DEPS_LAYER_BUILD_DIR = BUILD_DIR / "layers" / "deps"
STAMP_SUFFIX = ".requirements.sha256"
"""The stamp sits beside the layer folder, so that it is not part of the layer."""
PYTHON_VERSION = "3.12"
PLATFORMS = ("manylinux2014_aarch64", "manylinux_2_28_aarch64")
"""Lambda's python3.12 runtime runs on Amazon Linux 2023 (glibc 2.34): both tags load there."""


def runtime_requirements(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    with pyproject.open("rb") as file:
        return sorted(tomllib.load(file)["project"]["dependencies"])


def pip_command(requirements: list[str], target: Path) -> list[str]:
    platforms = [arg for platform in PLATFORMS for arg in ("--platform", platform)]
    return [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile",
        *platforms, "--only-binary=:all:", "--python-version", PYTHON_VERSION, "--implementation", "cp",
        "--upgrade", "--target", str(target), *requirements,
    ]  # fmt: skip


def requirements_hash(requirements: list[str]) -> str:
    recipe = {"requirements": requirements, "platforms": PLATFORMS, "python": PYTHON_VERSION}
    return hashlib.sha256(json.dumps(recipe, sort_keys=True).encode()).hexdigest()


def build_deps_layer(out_dir: Path = DEPS_LAYER_BUILD_DIR, requirements: list[str] | None = None) -> Path:
    """The layer folder (holding ``python/``), rebuilt only when the requirement list changed."""
    requirements = runtime_requirements() if requirements is None else requirements
    stamp = out_dir.with_name(out_dir.name + STAMP_SUFFIX)
    digest = requirements_hash(requirements)
    target = out_dir / "python"
    if target.is_dir() and stamp.is_file() and stamp.read_text().strip() == digest:
        return out_dir
    shutil.rmtree(out_dir, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    target.mkdir(parents=True)
    subprocess.run(pip_command(requirements, target), check=True)  # noqa: S603 - fixed argv, no shell
    shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts: not importable, not needed
    for cache in target.rglob("__pycache__"):
        shutil.rmtree(cache, ignore_errors=True)
    stamp.write_text(digest + "\n")
    return out_dir


if __name__ == "__main__":
    print(build_deps_layer())
