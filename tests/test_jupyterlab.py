"""JupyterLab as evaluators use it: open the measure and explore notebooks in Chromium, run all
cells from the Run menu, and find rendered tables and figures and no error output.

A temporary project (a small synthetic city, the demo params, copies of the notebooks) and a
JupyterLab server on a free port with its own settings and an ``evalkit`` kernel spec that runs
this interpreter. Screenshots go to tests/artifacts/ (gitignored).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from chromium import ARTIFACTS, chromium, require_chromium
from conftest import ROOT
from e2e_run import PERSONS

pytestmark = pytest.mark.browser

MEASURE = "jobbspar_vard"
NOTEBOOKS = ("measure", "explore")
#: Longest wait for all cells of one notebook (the measure runs every estimator).
RUN_TIMEOUT_S = 900
#: JupyterLab user settings: the notebook's kernel starts without asking, every cell is in the
#: page (no windowing), no news or update checks.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {
        "windowingMode": "none",
        "autoStartDefaultKernel": True,
    },
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}
#: The one message on stderr a run on the synthetic city prints, by design.
DEMO_KEY_NOTICE = "synthetic demo data, using the demo EVALKIT_PSEUDONYM_KEY"
#: The notebook on show (a restored workspace may keep other notebooks hidden in the page).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
CELLS_JS = """sel => Array.from(document.querySelectorAll(sel + ' .jp-CodeCell')).map(c => ({
  prompt: (c.querySelector('.jp-InputPrompt') || {}).innerText || '',
  tables: c.querySelectorAll('.jp-OutputArea-output table').length,
  images: Array.from(c.querySelectorAll('.jp-OutputArea-output img'))
    .filter(i => i.complete && i.naturalWidth > 0).length,
  errors: Array.from(c.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
    .map(e => e.innerText.slice(0, 300)),
}))"""


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab and the project folder it serves."""

    url: str
    project: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_project(root: Path) -> Path:
    """A small city, the demo params and the notebooks, laid out like a user's project."""
    from evalkit.data.synth import write_synth

    project = root / "project"
    (project / "params").mkdir(parents=True)
    (project / "notebooks").mkdir()
    write_synth(project / "data" / "demo.duckdb", persons=PERSONS)
    for name in ("defaults.yaml", f"{MEASURE}.yaml"):
        shutil.copy(ROOT / "params" / name, project / "params" / name)
    for nb in NOTEBOOKS:
        shutil.copy(ROOT / "notebooks" / f"{nb}.ipynb", project / "notebooks" / f"{nb}.ipynb")
    shutil.copytree(ROOT / "examples", project / "examples")  # the defaults' Kolada export
    return project


def jupyter_home(root: Path) -> dict[str, str]:
    """Environment of a JupyterLab with its own settings and an ``evalkit`` kernel (this Python)."""
    home = root / "jupyter"
    kernel = home / "data" / "kernels" / "evalkit"
    kernel.mkdir(parents=True)
    spec = {
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "evalkit (Python 3)",
        "language": "python",
    }
    (kernel / "kernel.json").write_text(json.dumps(spec), encoding="utf-8")
    for name, values in SETTINGS.items():
        path = home / "settings" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "EVALKIT_PSEUDONYM_KEY"}
    env.update(
        {
            "JUPYTER_PATH": str(home / "data"),
            "JUPYTER_CONFIG_DIR": str(home / "config"),
            "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "JUPYTERLAB_SETTINGS_DIR": str(home / "settings"),
            "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p),
        }
    )
    return env


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab serving the temporary project; its URL."""
    require_chromium()
    root = tmp_path_factory.mktemp("jupyterlab")
    project = make_project(root)
    port = free_port()
    log = (root / "jupyterlab.log").open("w", encoding="utf-8")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            f"--ServerApp.root_dir={project}",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--LabApp.news_url=",
            "--ServerApp.allow_root=True",
            "--LabApp.extension_manager=readonly",
        ],
        cwd=project,
        env=jupyter_home(root),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/status", timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        f"JupyterLab did not start: {(root / 'jupyterlab.log').read_text()}"
                    )
                time.sleep(0.5)
        yield Lab(url, project)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def run_all_cells(browser, url: str, notebook: str) -> dict:
    """Open a notebook in JupyterLab, choose Run ▸ Run All Cells, wait until no cell is queued.

    (After an error JupyterLab stops and leaves the later cells unnumbered: the tests see it.)
    """
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{url}/lab/tree/notebooks/{notebook}.ipynb?reset", wait_until="domcontentloaded")
    page.locator(f"{NOTEBOOK} .jp-CodeCell").first.wait_for(timeout=120_000)
    page.get_by_text("evalkit (Python 3) | Idle").wait_for(timeout=120_000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    select = page.locator(".jp-Dialog").get_by_role("button", name="Select")
    page.wait_for_timeout(1000)
    if select.count():  # the kernel dialog a reader may meet: choose the notebook's kernel
        select.click()
    n_code = sum(
        c["cell_type"] == "code"
        for c in json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text())["cells"]
    )
    page.wait_for_function(
        """([sel, n]) => { const ps = Array.from(document.querySelectorAll(
                    sel + ' .jp-CodeCell .jp-InputPrompt')).map(p => p.innerText);
                  return ps.length === n && !ps.some(p => p.includes('*'))
                    && ps.some(p => /\\[\\d+\\]/.test(p)); }""",
        arg=[NOTEBOOK, n_code],
        timeout=RUN_TIMEOUT_S * 1000,
        polling=1000,
    )
    page.wait_for_timeout(1000)  # let the last outputs render
    cells = page.evaluate(CELLS_JS, NOTEBOOK)
    page.screenshot(path=str(ARTIFACTS / f"jupyterlab-{notebook}.png"))
    figures = page.locator(f"{NOTEBOOK} .jp-OutputArea-output img")
    if figures.count():
        figures.first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / f"jupyterlab-{notebook}-figure.png"))
    page.locator(NOTEBOOK).click()
    page.keyboard.press("Control+s")  # save, so the outputs can be read from the file too
    page.wait_for_timeout(2000)
    context.close()
    return {"cells": cells, "page_errors": errors, "n_code": n_code}


@pytest.fixture(scope="module")
def ran(lab, browser) -> dict[str, dict]:
    return {nb: run_all_cells(browser, lab.url, nb) for nb in NOTEBOOKS}


def test_every_code_cell_of_both_notebooks_ran(ran):
    for nb, info in ran.items():
        assert len(info["cells"]) == info["n_code"], nb
        assert all(c["prompt"].strip("[]: ").isdigit() for c in info["cells"]), nb


def test_no_cell_shows_error_output(ran):
    shown = {
        nb: [e for c in i["cells"] for e in c["errors"] if DEMO_KEY_NOTICE not in e]
        for nb, i in ran.items()
    }
    assert shown == {nb: [] for nb in NOTEBOOKS}


def test_the_saved_notebooks_hold_outputs_and_no_error(ran, lab):
    for nb in NOTEBOOKS:
        saved = json.loads((lab.project / "notebooks" / f"{nb}.ipynb").read_text(encoding="utf-8"))
        outputs = [o for c in saved["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
        assert outputs, nb
        assert [o.get("ename") for o in outputs if o["output_type"] == "error"] == [], nb


def test_jupyterlab_itself_raised_no_page_error(ran):
    assert {nb: i["page_errors"] for nb, i in ran.items() if i["page_errors"]} == {}


def test_measure_notebook_renders_tables_and_figures(ran):
    cells = ran["measure"]["cells"]
    assert sum(c["tables"] for c in cells) >= 10
    assert sum(c["images"] for c in cells) >= 3  # forest plots, love plot, overlap plot


def test_explore_notebook_renders_its_tables(ran):
    cells = ran["explore"]["cells"]
    assert sum(1 for c in cells if c["tables"]) >= 4


def test_screenshots_of_both_notebooks_are_kept(ran):
    assert {f"jupyterlab-{nb}.png" for nb in ran} <= {p.name for p in ARTIFACTS.glob("*.png")}
