"""What each Lambda asset holds, staged on disk as ``cdk synth`` packages it (plain Python, no aws_cdk).

- A function's code: ``functions/<name>/`` and nothing else, staged as ``<into>/functions/<name>-<digest>/<name>/``.
  The asset's root holds the one package ``<name>``, so the handler string stays
  ``<name>.handler.lambda_handler``; another function's folder is not in it.
- The core layer: ``layers/core/python/rpm_core`` as ``<into>/layers/core-<digest>/python/rpm_core`` (without
  the egg-info an editable install leaves beside it).
- The dependency layer: ``infra.layers.build_deps_layer`` (from uv.lock).

Staging is content-addressed: a folder's name carries the digest of the files it holds (relative paths
and bytes), so an unchanged function is the same folder and the same asset hash on every synthesis, and
concurrent syntheses (test workers) never write into a folder another one reads: a stage is written
beside and renamed into place. Bytecode caches and dot-files are never copied.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from infra.paths import BUILD_DIR, CORE_LAYER_DIR, FUNCTIONS_DIR

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec

ASSETS_DIR = BUILD_DIR / "assets"
CORE_PACKAGE = "rpm_core"
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info")


def _skipped(name: str) -> bool:
    return name.startswith(".") or name == "__pycache__" or name.endswith(SKIPPED_SUFFIXES)


def source_files(folder: Path) -> list[Path]:
    """The files of ``folder`` an asset carries, relative to it, sorted."""
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}")

    def walk(current: Path) -> Iterator[Path]:
        for entry in sorted(current.iterdir()):
            if _skipped(entry.name):
                continue
            if entry.is_dir():
                yield from walk(entry)
            elif entry.is_file():
                yield entry.relative_to(folder)

    return list(walk(folder))


def digest_of(folder: Path, files: list[Path]) -> str:
    digest = hashlib.sha256()
    for relative in files:
        digest.update(relative.as_posix().encode() + b"\0")
        digest.update(hashlib.sha256((folder / relative).read_bytes()).digest())
    return digest.hexdigest()[:16]


def _stage(source: Path, into: Path, key: str, inner: str) -> Path:
    """``into/<key>-<digest>/<inner>/`` holding the files of ``source``; made once per content."""
    files = source_files(source)
    staged = into / f"{key}-{digest_of(source, files)}"
    if staged.is_dir():
        return staged
    into.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=into))
    for relative in files:
        copy = partial / inner / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / relative, copy)
    try:
        os.rename(partial, staged)
    except OSError:  # another process staged the same content first
        shutil.rmtree(partial, ignore_errors=True)
    for stale in into.glob(f"{key}-*"):  # earlier contents of the same asset
        if stale != staged:
            shutil.rmtree(stale, ignore_errors=True)
    return staged


def stage_function_asset(spec: FunctionSpec | str, into: Path = ASSETS_DIR) -> Path:
    """The folder to package as the function's code: it holds ``<name>/`` (``functions/<name>``) alone."""
    name = spec if isinstance(spec, str) else spec.name
    return _stage(FUNCTIONS_DIR / name, into / "functions", name, name)


def stage_core_layer(into: Path = ASSETS_DIR) -> Path:
    """The folder to package as the core layer: it holds ``python/rpm_core``."""
    return _stage(CORE_LAYER_DIR / "python" / CORE_PACKAGE, into / "layers", "core", f"python/{CORE_PACKAGE}")
