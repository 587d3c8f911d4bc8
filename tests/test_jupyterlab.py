"""A real JupyterLab (this venv, 127.0.0.1, no token, offline) in headless Chromium shows every figure of
the notebooks run alone drawn as a chart, every table as a table, and no Markdown output typeset by
MathJax. Screenshots go to the session's artifacts folder (printed at the end) for a human to look at."""

import base64
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from briefing_fixture import skip_without_chromium
from browser.lab_check import check_notebooks, edit_and_run_all, jupyter_lab, lab_page
from helpers.report.figures import NOTEBOOK_VEGALITE_MIME
from notebooks_alone import ROOT, parameters_cell

pytestmark = [skip_without_chromium(), pytest.mark.slow]


def broken_notebook() -> nbformat.NotebookNode:
    """The checker's own guard: math in Markdown, a chart Vega cannot draw, a figure as text only."""
    bad_spec = {
        "data": {"values": [{"a": 1}]},
        "mark": {"type": "no-such-mark"},
        "encoding": {"x": {"field": "a", "type": "quantitative"}},
    }
    cells = [new_code_cell("md"), new_code_cell("bad chart"), new_code_cell("text only")]
    cells[0].outputs = [
        new_output("display_data", data={"text/markdown": "costs $125.8bn, down … $244.8bn"})
    ]
    cells[1].outputs = [
        new_output(
            "display_data",
            data={NOTEBOOK_VEGALITE_MIME: bad_spec, "text/plain": "x"},
            metadata={"figure_id": "bad"},
        )
    ]
    cells[2].outputs = [
        new_output(
            "display_data",
            data={"text/plain": "<Figure text-only: t>"},
            metadata={"figure_id": "text-only"},
        )
    ]
    for count, cell in enumerate(cells, 1):
        cell.execution_count = count
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {
        "name": "ru-cn-briefing",
        "display_name": "Python (ru-cn-briefing)",
        "language": "python",
    }
    return notebook


@pytest.fixture(scope="module")
def screenshots(artifacts):
    return artifacts / "jupyterlab"


@pytest.fixture(scope="module")
def views(notebooks_run_alone, screenshots):
    failed = {name: run.error for name, run in notebooks_run_alone.items() if run.error}
    assert not failed, f"notebooks failed when run alone: {failed}"
    folder = next(iter(notebooks_run_alone.values())).executed.parent  # JupyterLab's root
    guard = folder / "zz_checker_guard.ipynb"
    nbformat.write(broken_notebook(), guard)
    executed = [run.executed for run in notebooks_run_alone.values()] + [guard]
    return {
        view.notebook.rsplit("/", 1)[-1][:-6]: view
        for view in check_notebooks(executed, screenshots, root=folder, timeout=90)
    }


def test_every_chart_is_drawn_and_no_text_is_typeset(views, screenshots):
    shown = {name: view for name, view in views.items() if name != "zz_checker_guard"}
    assert (
        sum(view.expected_figures for view in shown.values()) == 12
    )  # F1–F12, every figure of the briefing
    for name, view in shown.items():
        assert view.figures == view.expected_figures, f"{name}: {view}"
        assert view.interactive == view.drawn == view.expected_figures, (
            f"{name}: charts not drawn: {view}"
        )
        assert view.text_fallbacks == 0, name
        assert view.tables == view.expected_tables, f"{name}: tables not shown as HTML tables"
        assert view.markdown_outputs > 0, name
        assert view.math_elements == [], (
            f"{name}: MathJax typeset Markdown output: {view.math_elements}"
        )
        assert "FigureOutput(" not in view.visible_text, f"{name}: a repr under a chart"
        assert (
            base64.b64encode(screenshots.joinpath(f"{name}.png").read_bytes()[:8])
            == b"iVBORw0KGgo="
        )


def test_dollar_amounts_read_as_written(views):
    text = " ".join(views["01_headline"].visible_text.split())
    assert "full-year 2024 came to $244.8bn, up 1.9%" in text
    assert "China's exports came to $115.5bn, up 4.1%" in text
    # the sources are listed under the text, a dollar in a note read as written too
    assert "[1] bne IntelliNews, citing TASS, 2025-01-13: gacc_cn_ru_totals.csv row 348" in text


def test_checker_sees_math_an_undrawn_chart_and_a_text_fallback(views):
    guard = views["zz_checker_guard"]
    assert (
        guard.expected_figures == 2
    )  # JupyterLab shows the bad chart as a "Javascript Error" line
    assert guard.drawn == 0 and guard.text_fallbacks == 1
    assert guard.math_elements and not guard.ok


def user_copy(name: str, workdir: Path, monkeypatch) -> tuple[Path, Path, str]:
    """A copy of notebooks/<name> in `workdir` (JupyterLab saves outputs into the file it runs; it
    serves that folder) and its parameters cell. JupyterLab's kernels inherit this environment: a
    user's, without make's variables, except that figure files go to the test's folder, never into
    the project's build/."""
    notebook = workdir / name
    shutil.copyfile(ROOT / "notebooks" / name, notebook)
    monkeypatch.delenv("BRIEFING_ROOT", raising=False)
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(workdir / "build"))
    return workdir, notebook, parameters_cell(nbformat.read(notebook, as_version=4)).source


def test_user_edits_period_end_and_runs_all(monkeypatch, tmp_path, screenshots):
    """The issue's acceptance, done in the browser: open a notebook in JupyterLab, type a new period_end
    into the parameters cell, Run > Run All Cells. The kernel is JupyterLab's own, started in the
    notebook's folder. A copy is used: JupyterLab saves the outputs into the file it runs."""
    workdir, notebook, source = user_copy("01_headline.ipynb", tmp_path, monkeypatch)
    edited = source.replace('period_end = "2025-07"', 'period_end = "2024-12"')
    assert edited != source
    with jupyter_lab(workdir) as url, lab_page() as page:
        view = edit_and_run_all(
            page, url, notebook, edited, workdir, screenshots / "user-run-01_headline.png"
        )
    assert view.expected_figures == 3 and view.drawn == view.interactive == 3, view
    # t-ytd-comparison and the key step's table (January–period beside a year earlier, in pandas)
    assert view.text_fallbacks == 0 and view.math_elements == [] and view.tables == 2
    text = " ".join(view.visible_text.split())
    assert 'period_end = "2024-12"' in text
    assert "full-year 2024 came to $244.8bn, up 1.9%" in text
    assert (workdir / "build" / "figures" / "f3-ytd-comparison.csv").read_text().count(
        "244.81"
    ) == 1


def test_run_all_on_a_notebook_longer_than_the_window(monkeypatch, tmp_path, screenshots):
    """02b_raw_rows runs past the window: JupyterLab 4 stops rendering the cells scrolled out of view, so
    Run All must be seen as finished from their prompts' text content (what lab_check reads)."""
    workdir, notebook, source = user_copy("02b_raw_rows.ipynb", tmp_path, monkeypatch)
    with jupyter_lab(workdir) as url, lab_page() as page:
        view = edit_and_run_all(
            page, url, notebook, source, workdir, screenshots / "user-run-02b_raw_rows.png"
        )
    # three section tables and the key step's two (the fuel codes' sums, the section's fuel table beside them)
    assert view.expected_figures == view.drawn == view.interactive == 3 and view.tables == 5, view
    assert "against $37.5bn a year earlier" in " ".join(view.visible_text.split())
