"""Run a source notebook's code cells in this process (no kernel), as Run All would, with its parameters
edited: quick enough for unit tests of what a notebook draws and writes. Figures and tables go to
`build_dir`; what the notebook displays is returned, in order."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import IPython.display
import nbformat

from notebooks_alone import ROOT


@contextmanager
def _captured_displays(shown: list):
    original = IPython.display.display

    def capture(obj, *, raw=False, metadata=None, **_):
        shown.append({"data": obj, "metadata": metadata or {}, "raw": raw})

    IPython.display.display = capture
    try:
        yield
    finally:
        IPython.display.display = original


def run_cells(
    name: str,
    build_dir: Path,
    edit=None,
    stop_after: str | None = None,
    notebooks: Path = ROOT / "notebooks",
    **parameters,
) -> tuple[dict, list]:
    """Execute notebooks/<name>.ipynb's code cells: the parameters cell, then `parameters` (as papermill
    would inject them), then the rest, up to the first cell whose source holds `stop_after` (e.g. a figure id).
    `edit(source) -> source` may change each cell first (a user's edit).
    Returns (the notebook's namespace, its displayed outputs)."""
    notebook = nbformat.read(notebooks / f"{name}.ipynb", as_version=4)
    namespace: dict = {"__name__": "__main__"}
    shown: list = []
    saved = os.environ.get("BRIEFING_BUILD_DIR")
    os.environ["BRIEFING_BUILD_DIR"] = str(build_dir)
    try:
        with _captured_displays(shown):
            for cell in notebook.cells:
                if cell.cell_type != "code":
                    continue
                source = edit(cell.source) if edit else cell.source
                exec(compile(source, f"{name}.ipynb", "exec"), namespace)
                if "parameters" in cell.metadata.get("tags", []):
                    namespace.update(parameters)
                if stop_after and stop_after in source:
                    break
    finally:
        if saved is None:
            os.environ.pop("BRIEFING_BUILD_DIR", None)
        else:
            os.environ["BRIEFING_BUILD_DIR"] = saved
    return namespace, shown
