"""Notebooks run under papermill with a non-default period, and are committed without outputs."""
import json
from pathlib import Path

import nbformat
import papermill
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9]*.ipynb"))


def markdown_outputs(notebook) -> str:
    return "\n".join(output["data"]["text/markdown"] for cell in notebook.cells if cell.cell_type == "code"
                     for output in cell.get("outputs", []) if "text/markdown" in output.get("data", {}))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_source_notebooks_have_no_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert not cell.get("outputs") and not cell.get("execution_count"), path.name
    assert any("parameters" in cell.get("metadata", {}).get("tags", []) for cell in notebook["cells"])


def test_headline_notebook_for_full_year_2024(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tmp_path / "build"))
    out = tmp_path / "headline-2024.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "01_headline.ipynb"), str(out), kernel_name="ru-cn-briefing",
                               parameters={"period_end": "2024-12"}, cwd=str(ROOT), progress_bar=False)
    text = markdown_outputs(nbformat.read(out, as_version=4))
    assert "full-year 2024 came to **$244.8bn**, up **1.9%**" in text
    assert "China's exports $115.5bn (+4.1%)" in text
    figure_csv = (tmp_path / "build" / "figures" / "f3-ytd-comparison.csv").read_text()
    assert "244.81" in figure_csv and "240.1" in figure_csv
