"""The notebooks are their own source (edited in JupyterLab, committed without outputs), and each one runs
alone in a fresh kernel started in notebooks/, with period_end edited in its parameters cell."""

import ast
import builtins
import json
import subprocess
import sys

import pytest

from notebooks_alone import EDITED_PERIOD_END, NOTEBOOKS, ROOT, outputs

VENV_BIN = ROOT / ".venv" / "bin"
# What each notebook must publish (ids are the briefing's figure and table numbers' anchors).
EXPECTED = {
    "00_key_findings": ([], ["t-verdicts"]),
    "01_headline": (
        ["f1-annual-turnover", "f2-monthly-turnover", "f3-ytd-comparison"],
        ["t-ytd-comparison"],
    ),
    "02_commodities": (["f4-commodity-changes", "f5-metals"], []),
    "02b_raw_rows": (
        ["f6-trade-composition", "f7-fuel-imports-by-code", "f8-imports-rows-vs-wire"],
        ["t-composition-change", "t-fuel-ytd", "t-imports-annual-check"],
    ),
    "03_context": (["f9-chinese-car-share", "f10-gdp-ratio", "f11-key-rate"], ["t-machine-tools"]),
    "04_claim_check": ([], ["t-claim-check"]),
    "05_methods": (
        [],
        ["t-groups", "t-derived-months", "t-conflicts", "t-flows-add-up", "t-months-vs-ytd"],
    ),
}


def code_cells(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    return notebook, [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_every_notebook_is_expected():
    assert sorted(p.stem for p in NOTEBOOKS) == sorted(EXPECTED)
    assert not (ROOT / "notebooks" / "_cells.py").exists()  # the .ipynb is the only source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_stripped_and_has_parameters_cell(path):
    notebook, cells = code_cells(path)
    for cell in cells:
        assert cell.get("outputs") == [], f"{path.name}: outputs committed; run `make strip`"
        assert cell.get("execution_count") is None, (
            f"{path.name}: execution count committed; run `make strip`"
        )
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1 and cells[0] is tagged[0], (
        f"{path.name}: first cell must be the one tagged `parameters`"
    )
    assert notebook["metadata"]["kernelspec"]["name"] == "ru-cn-briefing"


def test_nbstripout_finds_nothing_to_strip():
    result = subprocess.run(
        [str(VENV_BIN / "nbstripout"), "--verify", *map(str, NOTEBOOKS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"run `make strip`:\n{result.stdout}{result.stderr}"


def names_used_before_defined(path) -> set[str]:
    """Names a notebook reads that neither it (in an earlier or the same cell) nor Python defines:
    a notebook that needs another notebook's variables would show them here."""
    defined = set(dir(builtins)) | {"get_ipython", "display"}
    missing = set()
    for cell in code_cells(path)[1]:
        tree = ast.parse("".join(cell["source"]))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                defined |= {(a.asname or a.name).split(".")[0] for a in node.names}
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                defined.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                defined.add(node.name)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and node.id not in defined
            ):
                missing.add(node.id)
    return missing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_defines_everything_it_uses(path):
    assert names_used_before_defined(path) == set()


def test_stripped_check_can_fail(tmp_path):
    """Guard against a vacuous check: nbstripout --verify refuses a notebook with an output."""
    import nbformat

    notebook = nbformat.read(NOTEBOOKS[0], as_version=4)
    notebook.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
    nbformat.write(notebook, tmp_path / "with-output.ipynb")
    result = subprocess.run(
        [str(VENV_BIN / "nbstripout"), "--verify", str(tmp_path / "with-output.ipynb")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0


def test_undefined_name_check_can_fail(tmp_path):
    """Guard against a vacuous check: a cell reading another notebook's variable is caught."""
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps({"cells": [{"cell_type": "code", "source": ["annual.head()"]}]}))
    assert names_used_before_defined(path) == {"annual"}


def test_figures_land_in_project_build_dir_from_notebooks_dir():
    """JupyterLab and nbconvert start kernels in notebooks/: figure and table files must still go to
    <root>/build (tables went to notebooks/build/tables, which the next `make report` took for an input)."""
    code = (
        "from helpers.report.figures import default_build_dir; from helpers.report.tables import tables_dir; "
        "print(default_build_dir()); print(tables_dir())"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}  # none of make's BRIEFING_* variables
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT / "notebooks",
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.split() == [str(ROOT / "build"), str(ROOT / "build" / "tables")]


@pytest.fixture()
def alone(notebooks_run_alone):
    return notebooks_run_alone


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_notebook_runs_alone_with_edited_period(alone, name):
    run = alone[name]
    assert run.error is None, f"{name} failed when run alone from notebooks/:\n{run.error}"
    shown = outputs(run.executed)
    figures = [o.metadata["figure_id"] for o in shown if "figure_id" in o.get("metadata", {})]
    tables = [o.metadata["table_id"] for o in shown if "table_id" in o.get("metadata", {})]
    assert (figures, tables) == EXPECTED[name]
    for output in shown:
        assert output.output_type == "display_data", f"{name}: stray {output.output_type} output"
        if (
            "figure_id" in output.metadata
        ):  # JupyterLab 4 draws v5; the static SVG for viewers without Vega
            assert {"application/vnd.vegalite.v5+json", "image/svg+xml"} <= set(output.data)
            assert output.data["image/svg+xml"].startswith("<svg")
            figure_files = run.executed.parent / "build" / "figures"
            assert (figure_files / f"{output.metadata['figure_id']}.csv").exists()
        if "table_id" in output.metadata:
            assert "<table" in output.data["text/html"]


@pytest.mark.slow
def test_headline_alone_uses_the_edited_period(alone):
    markdown = [o for o in outputs(alone["01_headline"].executed) if "text/markdown" in o.data]
    plain = "\n".join(o.data["text/plain"] for o in markdown)
    assert EDITED_PERIOD_END == "2024-12"
    assert "full-year 2024 came to **$244.8bn**, up **1.9%**" in plain
    assert "China's exports $115.5bn (+4.1%)" in plain
    # JupyterLab reads the Markdown: every dollar sign escaped so MathJax leaves it alone
    assert "full-year 2024 came to **\\\\$244.8bn**" in "\n".join(
        o.data["text/markdown"] for o in markdown
    )
    figures = alone["01_headline"].executed.parent / "build" / "figures"
    figure_csv = (figures / "f3-ytd-comparison.csv").read_text()
    assert "244.81" in figure_csv and "240.1" in figure_csv
