"""Specifications of evalkit's layers: every import points down, and no import cycle exists.

The layers, lowest first (issue 9 item 3, DESIGN 2):

    errors, project, version  ←  data  ←  estimators  ←  diagnostics  ←  params, results  ←  audit
    ←  report, plots | pipeline  ←  explore  ←  runner, cli

A module may import its own layer and the layers below it. ``report``/``plots`` and ``pipeline``
stand side by side (rank 6) and never import each other: the notebook calls both. The package
root ``evalkit`` is the public facade: it may import anything, and modules may read names from
it only where no cycle results. Imports are read from the source (AST), including those inside
functions, so a cycle cannot hide in a function body. Only ``runner`` and ``cli`` know papermill
and Dask.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "evalkit"

#: (rank, layer, module prefixes): a module belongs to the layer of its longest matching prefix.
LAYERS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (0, "foundation", ("evalkit.errors", "evalkit.project", "evalkit.version")),
    (1, "data", ("evalkit.data",)),
    (2, "estimators", ("evalkit.estimators",)),
    (3, "diagnostics", ("evalkit.diagnostics",)),
    (4, "params", ("evalkit.params", "evalkit.results")),
    (5, "audit", ("evalkit.audit",)),
    (6, "report", ("evalkit.report", "evalkit.plots")),
    (6, "pipeline", ("evalkit.pipeline",)),
    (7, "explore", ("evalkit.explore",)),
    (8, "runner", ("evalkit.runner", "evalkit.cli")),
)
ROOT = "evalkit"
#: Third-party packages that only the top layer may import.
TOP_ONLY = {"papermill": "runner", "nbclient": "runner", "dask": "runner", "distributed": "runner"}

#: Today's known upward edges and cycles, each with why it exists and who removes it. The lead
#: empties this list at merge; a new violation fails the test, and so does an entry that no
#: longer exists (remove it then).
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Edge:
    """One import: the importing module, the imported evalkit module, and the line."""

    source: str
    target: str
    line: int


def modules(package: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    out = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(name: str, known: dict[str, Path]) -> str:
    """The module an imported name lives in: the longest known module prefix of it."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name


def _typing_only(tree: ast.AST) -> set[int]:
    """ids of import nodes under ``if TYPE_CHECKING:`` (annotations only: never run)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        test = getattr(node, "test", None)
        if isinstance(node, ast.If) and getattr(test, "id", getattr(test, "attr", "")) == (
            "TYPE_CHECKING"
        ):
            out |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
    return out


def imports(known: dict[str, Path]) -> list[Edge]:
    """Every import of an evalkit module by an evalkit module, at any depth of the source
    (imports under ``if TYPE_CHECKING:`` only feed annotations and are left out)."""
    edges = []
    for module, path in known.items():
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _typing_only(tree)
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, base] if base else parts)
                targets = [
                    f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
                ]
            for target in targets:
                if target == ROOT or target.startswith(ROOT + "."):
                    resolved = _resolve(target, known)
                    if resolved != module:
                        edges.append(Edge(module, resolved, node.lineno))
    return edges


def third_party(known: dict[str, Path]) -> list[tuple[str, str, int]]:
    """(module, top-level third-party package, line) for every non-evalkit import."""
    out = []
    for module, path in known.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                out += [(module, a.name.split(".")[0], node.lineno) for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                out.append((module, node.module.split(".")[0], node.lineno))
    return out


def layer_of(module: str) -> tuple[int, str] | None:
    """(rank, layer) of a module; None for the package root or a module no layer holds."""
    best: tuple[int, int, str] | None = None
    for rank, layer, prefixes in LAYERS:
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (
                best is None or len(prefix) > best[0]
            ):
                best = (len(prefix), rank, layer)
    return (best[1], best[2]) if best else None


def is_upward(edge: Edge) -> bool:
    """Whether an edge points to a higher layer, or across the report | pipeline pair."""
    if ROOT in (edge.source, edge.target):
        return False  # the facade: only cycles through it are wrong
    source, target = layer_of(edge.source), layer_of(edge.target)
    if source is None or target is None:
        return False  # an unplaced module fails test_every_module_belongs_to_a_layer
    (rank_s, layer_s), (rank_t, layer_t) = source, target
    return rank_t > rank_s or (rank_t == rank_s and layer_s != layer_t)


def cycles(edges: list[Edge]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for e in edges:
        graph[e.source].add(e.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def cycle_edges(edges: list[Edge]) -> set[tuple[str, str]]:
    """The edges inside an import cycle."""
    members = {m: i for i, c in enumerate(cycles(edges)) for m in c}
    return {
        (e.source, e.target)
        for e in edges
        if e.source in members and members[e.source] == members.get(e.target)
    }


def violations() -> set[tuple[str, str]]:
    """Every upward edge and every edge in a cycle, as (importer, imported)."""
    edges = imports(modules())
    return {(e.source, e.target) for e in edges if is_upward(e)} | cycle_edges(edges)


# --- the walker itself ---------------------------------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> dict[str, Path]:
    for name, text in files.items():
        path = tmp_path / "evalkit" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return modules(tmp_path / "evalkit")


def test_imports_inside_functions_are_edges(tmp_path):
    known = _package(
        tmp_path,
        {
            "__init__.py": "",
            "errors.py": "",
            "data/__init__.py": "",
            "data/sources.py": "def f():\n    from evalkit.audit import goals\n",
            "audit/__init__.py": "",
            "audit/goals.py": "",
        },
    )
    edges = imports(known)
    assert Edge("evalkit.data.sources", "evalkit.audit.goals", 2) in edges
    assert is_upward(Edge("evalkit.data.sources", "evalkit.audit.goals", 2))


def test_relative_and_from_package_imports_resolve_to_modules(tmp_path):
    known = _package(
        tmp_path,
        {
            "__init__.py": "",
            "data/__init__.py": "",
            "data/a.py": "from . import b\nfrom .b import thing\nfrom evalkit.data import b as c\n",
            "data/b.py": "thing = 1\n",
        },
    )
    targets = {(e.source, e.target) for e in imports(known)}
    assert targets == {("evalkit.data.a", "evalkit.data.b")}


def test_a_cycle_hidden_in_a_function_body_is_found(tmp_path):
    known = _package(
        tmp_path,
        {
            "__init__.py": "",
            "report/__init__.py": "",
            "report/a.py": "import evalkit.report.b\n",
            "report/b.py": "def f():\n    import evalkit.report.a\n",
        },
    )
    assert cycles(imports(known)) == [["evalkit.report.a", "evalkit.report.b"]]


def test_report_and_pipeline_never_import_each_other():
    assert is_upward(Edge("evalkit.report.sections", "evalkit.pipeline.output", 1))
    assert is_upward(Edge("evalkit.pipeline", "evalkit.report.sections", 1))
    assert not is_upward(Edge("evalkit.report.sections", "evalkit.plots.forest", 1))


def test_params_sit_below_the_pipeline_and_above_the_estimators():
    assert not is_upward(Edge("evalkit.pipeline.registers", "evalkit.params", 1))
    assert not is_upward(Edge("evalkit.params", "evalkit.estimators", 1))
    assert is_upward(Edge("evalkit.params", "evalkit.pipeline", 1))


# --- evalkit itself ------------------------------------------------------------------------------


def test_every_module_belongs_to_a_layer():
    unplaced = sorted(m for m in modules() if m != ROOT and layer_of(m) is None)
    assert not unplaced, f"place these modules in LAYERS: {unplaced}"


def test_no_module_imports_a_higher_layer_or_joins_a_cycle_beyond_the_known_list():
    new = sorted(violations() - KNOWN_VIOLATIONS)
    assert not new, "imports against the layers (importer, imported): " + ", ".join(
        f"{a} -> {b}" for a, b in new
    )


def test_known_violations_list_only_edges_that_still_exist():
    gone = sorted(KNOWN_VIOLATIONS - violations())
    assert not gone, f"fixed, remove from KNOWN_VIOLATIONS: {gone}"


@pytest.mark.parametrize("package", sorted(TOP_ONLY))
def test_only_the_runner_and_cli_import(package):
    offenders = [
        f"{m}:{line}"
        for m, top, line in third_party(modules())
        if top == package and (layer_of(m) or (0, ""))[1] != TOP_ONLY[package]
    ]
    assert not offenders, f"{package} imported below the runner: {offenders}"
