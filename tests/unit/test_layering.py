"""The layering, checked on the source so a new module cannot slip past it.

One rule for errors at the data boundary: repositories (``rpm_core.data``) raise their own exceptions
and know nothing of problems; services (``rpm_core.services``) map them to problems and know nothing of
botocore's errors. Services never import ``rpm_core.api``; repositories import neither services nor api.
No import cycles among the first-party modules (``rpm_core``, the functions' handlers, ``infra``): every
import counts, including those under ``if TYPE_CHECKING:`` and inside functions.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "layers" / "core" / "python" / "rpm_core"
SOURCE_ROOTS = (ROOT / "layers" / "core" / "python", ROOT / "functions", ROOT)
"""Where first-party modules are imported from: the layer's ``python/``, ``functions/`` (a handler is
``<function>.handler``, as in its asset) and the repository root (``infra``)."""

Graph = Mapping[str, set[str]]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def first_party_modules() -> dict[str, Path]:
    """Module name → source file, for ``rpm_core``, every function's package and ``infra``."""
    files = [*(CORE.rglob("*.py")), *(ROOT / "functions").glob("*/*.py"), *(ROOT / "infra").rglob("*.py")]
    modules: dict[str, Path] = {}
    for path in files:
        root = next(r for r in SOURCE_ROOTS if path.is_relative_to(r))
        modules[_module_name(path, root)] = path
    return modules


def _known(name: str, modules: Mapping[str, Path]) -> str | None:
    """``name`` if it is a first-party module, else its longest first-party prefix (``x.y.f`` → ``x.y``)."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in modules:
            return ".".join(parts[:end])
    return None


def imported_modules(module: str, path: Path, modules: Mapping[str, Path]) -> set[str]:
    """The first-party modules ``module`` imports: ``from x import y`` is ``x.y`` when that is a module,
    else ``x``; relative imports resolved against the module's package."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            candidates = [f"{base}.{alias.name}" if base else alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            target = _known(candidate, modules)
            if target is not None and target != module:
                found.add(target)
    return found


@cache
def import_graph() -> dict[str, set[str]]:
    modules = first_party_modules()
    return {module: imported_modules(module, path, modules) for module, path in modules.items()}


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def a_cycle(graph: Graph, component: Iterable[str]) -> list[str]:
    """One shortest cycle through the component's first module, as the path of imports (first = last)."""
    members = set(component)
    start = min(members)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for target in sorted(graph.get(node, set()) & members):
                if target == start:
                    return [*paths[node], start]
                if target not in paths:
                    paths[target] = [*paths[node], target]
                    following.append(target)
        frontier = following
    raise AssertionError(f"{sorted(members)} is not strongly connected")


def cycles(graph: Graph) -> list[str]:
    return [" → ".join(a_cycle(graph, component)) for component in strongly_connected(graph)]


@pytest.mark.parametrize("path", sorted((CORE / "data").glob("*.py")), ids=lambda p: p.name)
def test_repositories_raise_no_problems(path: Path) -> None:
    assert not [name for name in _imports(path) if name.startswith("rpm_core.errors")]


@pytest.mark.parametrize("path", sorted((CORE / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_catch_no_aws_errors(path: Path) -> None:
    assert not [name for name in _imports(path) if name.startswith("botocore")]
    assert "error_code(" not in path.read_text()


def _imports_of_layer(layer: str) -> dict[str, set[str]]:
    return {
        module: targets
        for module, targets in import_graph().items()
        if module == layer or module.startswith(f"{layer}.")
    }


def _within(targets: Iterable[str], *layers: str) -> list[str]:
    return sorted(t for t in targets if any(t == layer or t.startswith(f"{layer}.") for layer in layers))


def test_services_never_import_the_api() -> None:
    found = {m: _within(t, "rpm_core.api") for m, t in _imports_of_layer("rpm_core.services").items()}
    assert not {m: t for m, t in found.items() if t}


def test_repositories_import_neither_services_nor_the_api() -> None:
    found = {m: _within(t, "rpm_core.services", "rpm_core.api") for m, t in _imports_of_layer("rpm_core.data").items()}
    assert not {m: t for m, t in found.items() if t}


def test_the_graph_holds_every_layer() -> None:
    graph = import_graph()
    assert {"rpm_core.context", "rpm_core.api.http", "patients.handler", "infra.constructs.functions"} <= set(graph)
    assert "rpm_core.services.audit_reads" in graph["rpm_core.api.http"]  # `from rpm_core.services import audit_reads`
    assert "rpm_core.context" in graph["rpm_core.services.reads"]  # services note reads on the request
    assert "rpm_core.services.audit_entries" in graph["rpm_core.services.audit_changes"]
    assert "rpm_core.context" in graph["rpm_core.data.request_reads"]


def test_no_import_cycles() -> None:
    assert not cycles(import_graph()), "import cycles (first = last)"


def test_a_cycle_is_named() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set()}
    assert cycles(graph) == ["a → b → c → a"]


def test_relative_imports_resolve_to_modules(tmp_path: Path) -> None:
    init, module = tmp_path / "__init__.py", tmp_path / "a.py"
    init.write_text("from . import a\n")
    module.write_text("from . import b\nfrom .c import thing\nfrom .. import d\n")
    modules = {"pkg.sub": init, "pkg.sub.a": module, "pkg.sub.b": module, "pkg.sub.c": module, "pkg.d": module}
    assert imported_modules("pkg.sub", init, modules) == {"pkg.sub.a"}
    assert imported_modules("pkg.sub.a", module, modules) == {"pkg.sub.b", "pkg.sub.c", "pkg.d"}
