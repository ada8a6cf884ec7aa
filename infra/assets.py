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

from infra.paths import BUILD_DIR, CORE_LAYER_DIR, FUNCTIONS_DIR, ROOT

if TYPE_CHECKING:
    from infra.catalog import FunctionSpec

ASSETS_DIR = BUILD_DIR / "assets"
CORE_PACKAGE = "rpm_core"
SKIPPED_SUFFIXES = (".pyc", ".pyo", ".egg-info")
NODE_MODULES = ROOT / "node_modules"


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


def _stage(source: Path, into: Path, key: str, inner: str, extra: dict[Path, Path] | None = None) -> Path:
    """``into/<key>-<digest>/<inner>/`` holding the files of ``source`` (and ``extra``: a path in ``inner`` →
    the file to copy there); made once per content."""
    files = source_files(source)
    extra = extra or {}
    digest = digest_of(source, files)
    if extra:  # each extra file by its place in the asset and its bytes (never where it was installed)
        extras = hashlib.sha256(digest.encode())
        for relative, origin in sorted(extra.items()):
            extras.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(origin.read_bytes()).digest())
        digest = extras.hexdigest()
    staged = into / f"{key}-{digest[:16]}"
    if staged.is_dir():
        return staged
    into.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=into))
    copies = [(source / relative, partial / inner / relative) for relative in files]
    copies += [(origin, partial / inner / relative) for relative, origin in extra.items()]
    for origin, copy in copies:
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(origin, copy)
    try:
        os.rename(partial, staged)
    except OSError:  # another process staged the same content first
        shutil.rmtree(partial, ignore_errors=True)
    for stale in into.glob(f"{key}-*"):  # earlier contents of the same asset
        if stale != staged:
            shutil.rmtree(stale, ignore_errors=True)
    return staged


NPM_FILES = "npm-files.txt"
"""A function folder's list of files it serves from pinned npm packages (``package.json``), one
``<package>/<path>`` a line: staged into its asset as ``<name>/npm/<package>/<path>`` (GraphiQL)."""


def npm_files(name: str) -> dict[Path, Path]:
    """The npm files the function's asset carries: path in the asset's package → the installed file."""
    listing = FUNCTIONS_DIR / name / NPM_FILES
    if not listing.is_file():
        return {}
    found: dict[Path, Path] = {}
    for line in listing.read_text(encoding="utf-8").split():
        installed = NODE_MODULES / line
        if not installed.is_file():
            raise FileNotFoundError(f"{installed} is missing: install the npm packages (make install-npm)")
        found[Path("npm") / line] = installed
    return found


def stage_function_asset(spec: FunctionSpec | str, into: Path = ASSETS_DIR) -> Path:
    """The folder to package as the function's code: it holds ``<name>/`` (``functions/<name>``) alone, with
    the npm files it lists (``NPM_FILES``)."""
    name = spec if isinstance(spec, str) else spec.name
    return _stage(FUNCTIONS_DIR / name, into / "functions", name, name, npm_files(name))


def stage_core_layer(into: Path = ASSETS_DIR) -> Path:
    """The folder to package as the core layer: it holds ``python/rpm_core``."""
    return _stage(CORE_LAYER_DIR / "python" / CORE_PACKAGE, into / "layers", "core", f"python/{CORE_PACKAGE}")
