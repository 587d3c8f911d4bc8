"""Run each source notebook alone, as a JupyterLab user would: a fresh kernel started in notebooks/
(JupyterLab's working directory), `period_end` edited in the notebook's own parameters cell, no
papermill injection, no BRIEFING_ROOT. Shared by tests/test_notebooks.py and tests/test_jupyterlab.py.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))
EDITED_PERIOD_END = (
    "2024-12"  # not the default: proves the parameters cell is what the notebook uses
)


@dataclass
class AloneRun:
    source: Path
    executed: Path
    error: str | None


def parameters_cell(notebook) -> nbformat.NotebookNode:
    return next(cell for cell in notebook.cells if "parameters" in cell.metadata.get("tags", []))


def set_period_end(notebook, period_end: str) -> None:
    """Edit the parameters cell the way a user does in JupyterLab."""
    cell = parameters_cell(notebook)
    edited, count = re.subn(
        r'^period_end = "[^"]*"', f'period_end = "{period_end}"', cell.source, flags=re.M
    )
    if count != 1:
        raise AssertionError(f'no `period_end = "..."` line in the parameters cell:\n{cell.source}')
    cell.source = edited


def run_alone(
    source: Path, out_dir: Path, period_end: str = EDITED_PERIOD_END, timeout: int = 300
) -> AloneRun:
    notebook = nbformat.read(source, as_version=4)
    set_period_end(notebook, period_end)
    client = NotebookClient(
        notebook,
        kernel_name="ru-cn-briefing",
        timeout=timeout,
        resources={"metadata": {"path": str(ROOT / "notebooks")}},
    )
    error = None
    try:
        client.execute()
    except CellExecutionError as failure:
        error = str(failure)
    out_dir.mkdir(parents=True, exist_ok=True)
    executed = out_dir / source.name
    nbformat.write(notebook, executed)
    return AloneRun(source, executed, error)


def run_all_alone(out_dir: Path) -> dict[str, AloneRun]:
    """Every notebook, each in its own fresh kernel, executed into `out_dir`. The kernels inherit this
    environment: the project's variables are removed (a user's JupyterLab has none) except a build
    dir of their own (`out_dir`/build), so the test never writes the project's build/."""
    saved = {name: os.environ.get(name) for name in ("BRIEFING_ROOT", "BRIEFING_BUILD_DIR")}
    os.environ.pop("BRIEFING_ROOT", None)
    os.environ["BRIEFING_BUILD_DIR"] = str(out_dir / "build")
    try:
        return {source.stem: run_alone(source, out_dir) for source in NOTEBOOKS}
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def outputs(path: Path) -> list:
    notebook = nbformat.read(path, as_version=4)
    return [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    ]
