"""The notebooks are their own source (edited in JupyterLab, committed without outputs), and each one runs
alone in a fresh kernel started in notebooks/, with period_end edited in its parameters cell."""

import ast
import builtins
import json
import re
import subprocess
import sys

import nbformat
import pytest

from helpers.report.blocks import NOTEBOOK_ONLY
from notebooks_alone import EDITED_PERIOD_END, NOTEBOOKS, ROOT, outputs, run_alone

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
    "04b_since_the_story": (["f12-since-the-story"], ["t-since-the-story"]),
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
            elif isinstance(node, ast.arg):  # a function's own parameters
                defined.add(node.arg)
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
        "from helpers.core.paths import build_dir; from helpers.report.tables import tables_dir; "
        "print(build_dir()); print(tables_dir())"
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
    for cell in nbformat.read(run.executed, as_version=4).cells:
        # a notebook-only cell may end on a table (the key step's), left out of the briefing; any other cell
        # shows only what the briefing prints
        allowed = {"display_data"} | (
            {"execute_result"} if NOTEBOOK_ONLY in cell.metadata.get("tags", []) else set()
        )
        for output in cell.get("outputs", []):
            assert output.output_type in allowed, f"{name}: stray {output.output_type} output"
    for output in shown:
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
    assert "China's exports came to $115.5bn, up 4.1%" in plain
    # the notebook lists the sources under the text; the briefing gets the markers (text/plain)
    assert "<small>[1] " in "\n".join(o.data["text/markdown"] for o in markdown)
    assert '<sup class="note">' in plain
    # JupyterLab reads the Markdown: every dollar sign escaped so MathJax leaves it alone
    assert "full-year 2024 came to **\\\\$244.8bn**" in "\n".join(
        o.data["text/markdown"] for o in markdown
    )
    figures = alone["01_headline"].executed.parent / "build" / "figures"
    figure_csv = (figures / "f3-ytd-comparison.csv").read_text()
    assert "244.81" in figure_csv and "240.1" in figure_csv


@pytest.mark.slow
def test_a_chart_edited_in_the_notebook_shows_after_run_all(tmp_path, monkeypatch):
    """A colleague opens a copy of 01_headline, changes Figure 1's title and axis title and the colour of this
    year's bars in Figure 3, in the notebook's own cells, and runs it in a fresh kernel: the published figures
    (spec, SVG, the notebook output the briefing reads) carry all three; nothing in the package was touched."""
    notebook = nbformat.read(ROOT / "notebooks" / "01_headline.ipynb", as_version=4)
    edits = {
        '"f1-annual-turnover"': {
            'title="US$ billion"': 'title="Billions of dollars, edited"',
            'title=f"Annual China–{section.partner_name} trade, US$ billion"': 'title="Trade by year (edited)"',
        },
        '"f3-ytd-comparison"': {
            "range=[palette.grey, palette.blue]": 'range=[palette.grey, "#aa00ff"]'
        },
    }
    for figure_id, changes in edits.items():
        [cell] = [c for c in notebook.cells if figure_id in c.source]
        for old, new in changes.items():
            assert cell.source.count(old) == 1, f"{figure_id}'s cell no longer has {old!r}"
            cell.source = cell.source.replace(old, new)
    copy = tmp_path / "01_headline.ipynb"
    nbformat.write(notebook, copy)
    monkeypatch.delenv("BRIEFING_ROOT", raising=False)  # a user's JupyterLab, not make
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tmp_path / "build"))
    run = run_alone(copy, tmp_path / "executed", period_end="2025-07")
    assert run.error is None, run.error
    figures = tmp_path / "build" / "figures"
    spec = json.loads((figures / "f1-annual-turnover.vl.json").read_text(encoding="utf-8"))
    assert [layer["encoding"]["y"]["title"] for layer in spec["layer"]] == [
        "Billions of dollars, edited"
    ] * 2
    svg = (figures / "f1-annual-turnover.svg").read_text(encoding="utf-8")
    assert 'opacity="1">Billions of dollars, edited</text>' in svg  # the y axis's title
    bars = re.findall(
        r'aria-roledescription="bar"[^>]*fill="(#\w+)"',
        (figures / "f3-ytd-comparison.svg").read_text(encoding="utf-8"),
    )
    assert bars.count("#aa00ff") == 3 and "#1f5f8b" not in bars  # this year's three bars, edited
    [shown] = [
        o for o in outputs(run.executed) if o.metadata.get("figure_id") == "f1-annual-turnover"
    ]
    assert shown.metadata["title"] == "Trade by year (edited)"
