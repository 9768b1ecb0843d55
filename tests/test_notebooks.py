"""Specifications of the committed notebooks: thin, parameterised, stored without outputs."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
NAMES = ("measure", "portfolio", "explore")
EXPECTED_PARAMETERS = {
    "measure": {"params_file", "out_dir", "project_root"},
    "portfolio": {"run_dir", "lang"},
    "explore": {"params_file", "project_root", "freq", "min_cell", "lang"},
}


def load(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_committed_without_outputs(name):
    for cell in load(name).cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


@pytest.mark.parametrize("name", NAMES)
def test_notebook_is_valid_and_pinned_to_the_evalkit_kernel(name):
    nb = load(name)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "evalkit"


@pytest.mark.parametrize("name", NAMES)
def test_exactly_one_cell_is_tagged_parameters(name):
    tagged = [c for c in load(name).cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


@pytest.mark.parametrize("name", NAMES)
def test_every_parameter_has_a_type_default_and_help_comment(name):
    found = papermill.inspect_notebook(str(NOTEBOOKS / f"{name}.ipynb"))
    assert set(found) == EXPECTED_PARAMETERS[name]
    for p in found.values():
        assert p["inferred_type_name"] in ("str", "int")
        assert p["default"] is not None
        assert len(p["help"]) > 10


@pytest.mark.parametrize("name", NAMES)
def test_code_cells_are_thin_calls_without_loops_ifs_or_definitions(name):
    banned = (
        ast.For,
        ast.While,
        ast.If,
        ast.IfExp,
        ast.FunctionDef,
        ast.ClassDef,
        ast.Try,
        ast.ListComp,
        ast.DictComp,
        ast.With,
    )
    for cell in load(name).cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        tree = ast.parse(cell.source)
        assert len(tree.body) <= 2, cell.source
        assert not any(isinstance(node, banned) for node in ast.walk(tree)), cell.source


def test_measure_notebook_shows_every_report_section_in_order():
    calls = [c.source for c in load("measure").cells if c.source.startswith("sections.")]
    assert [c.split("(")[0].removeprefix("sections.") for c in calls] == [
        "title",
        "summary",
        "followup",
        "estimates",
        "effect_path",
        "subgroups",
        "diagnostics",
        "costs",
        "goals",
        "appendix",
        "glossary",
        "footer",
    ]


# --- run with their defaults, as an evaluator in JupyterLab would (kernels start here) --------


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    from e2e_run import small_run

    project = small_run(tmp_path_factory.getbasetemp()).project
    (project / "notebooks").mkdir(exist_ok=True)
    return project


def test_measure_notebook_runs_top_to_bottom_with_its_defaults(project, monkeypatch):
    monkeypatch.delenv("EVALKIT_PSEUDONYM_KEY", raising=False)
    out = project / "notebooks" / "measure_out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "measure.ipynb"),
        str(out),
        cwd=str(project / "notebooks"),
        kernel_name="evalkit",
        progress_bar=False,
    )
    import json

    results = json.loads((project / "reports" / "interactive" / "jobbspar_vard.json").read_text())
    assert results["status"] == "ok"
    shown = [
        o
        for c in nbformat.read(out, as_version=4).cells
        if c.cell_type == "code"
        for o in c.outputs
        if "text/html" in o.get("data", {})
    ]
    assert len(shown) >= 10


def test_explore_notebook_runs_with_its_defaults_and_shows_tables(project, monkeypatch):
    monkeypatch.delenv("EVALKIT_PSEUDONYM_KEY", raising=False)
    out = project / "notebooks" / "explore_out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "explore.ipynb"),
        str(out),
        cwd=str(project / "notebooks"),
        kernel_name="evalkit",
        progress_bar=False,
    )
    tables = [
        o
        for c in nbformat.read(out, as_version=4).cells
        if c.cell_type == "code"
        for o in c.outputs
        if "<table" in o.get("data", {}).get("text/html", "")
    ]
    assert len(tables) >= 4
