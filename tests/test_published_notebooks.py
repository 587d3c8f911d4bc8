"""helpers.report.notebook_export: the executed notebooks a build publishes beside the briefing (.ipynb with their
outputs and a static HTML page each) open offline, read as written, and repeat byte for byte."""

import base64
import html
import json
import re

import nbformat

from briefing_fixture import COMPUTED, FIGURE_IDS, write_fixture
from helpers.report.notebook_export import export_notebooks
from helpers.report.publish import notebooks_in_html

REMOTE = re.compile(r"<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)=[\"']?(?:https?:)?//", re.I)


def run_metadata(path):
    """What a hand run with papermill's engine leaves in a notebook: timings and run metadata."""
    notebook = nbformat.read(path, as_version=4)
    notebook.metadata["papermill"] = {
        "parameters": {"period_end": "2025-10"},
        "start_time": "2026-12-05T18:38:30.9",
        "duration": 4.2,
    }
    for cell in notebook.cells:
        cell.metadata["execution"] = {"iopub.status.busy": "2026-12-05T18:38:30.975775Z"}
        cell.metadata["papermill"] = {"duration": 0.1}
    nbformat.write(notebook, path)


def test_published_pages_load_nothing_and_read_as_written(tmp_path):
    executed = write_fixture(tmp_path)
    written = export_notebooks(executed, tmp_path / "out")
    assert [p.name for p in written] == [
        "01_totals.ipynb",
        "01_totals.html",
        "02_goods.ipynb",
        "02_goods.html",
    ]
    page = (tmp_path / "out" / "01_totals.html").read_text(encoding="utf-8")
    assert "<script" not in page and not REMOTE.search(
        page
    )  # nbconvert's lab page loads its JS from CDNs
    assert "HIDDEN_CODE_SENTINEL" in page  # the code is shown: that is the point of the page
    # Markdown escaped for JupyterLab's MathJax reads as written (no MathJax here): "$8.1bn", not "\$8.1bn"
    assert "$8.1bn in July" in page and "\\$" not in page and "<strong>9.2</strong>" in page
    # each figure is its static SVG, described by the figure's title
    [image] = re.findall(r'<img src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', page)
    assert html.unescape(image[1]) == "China's exports to Russia"
    assert base64.b64decode(image[0]).decode().startswith("<svg")
    assert "vnd.vegalite" not in page and COMPUTED.split("**")[0] in page


def test_published_notebook_keeps_outputs_and_drops_run_metadata(tmp_path):
    executed = write_fixture(tmp_path)
    run_metadata(executed[0])
    export_notebooks(executed, tmp_path / "out")
    published = json.loads((tmp_path / "out" / "01_totals.ipynb").read_text(encoding="utf-8"))
    assert published["metadata"]["papermill"] == {"parameters": {"period_end": "2025-10"}}
    assert all(
        "execution" not in c["metadata"] and "papermill" not in c["metadata"]
        for c in published["cells"]
    )
    figure_ids = [
        o["metadata"]["figure_id"]
        for c in published["cells"]
        for o in c.get("outputs", [])
        if "figure_id" in o.get("metadata", {})
    ]
    assert figure_ids == FIGURE_IDS[:1]  # the notebook keeps its outputs, Vega-Lite spec included
    assert any(
        "application/vnd.vegalite.v5+json" in o.get("data", {})
        for c in published["cells"]
        for o in c.get("outputs", [])
    )


def test_two_exports_are_byte_identical(tmp_path):
    executed = write_fixture(tmp_path)
    first = {p.name: p.read_bytes() for p in export_notebooks(executed, tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in export_notebooks(executed, tmp_path / "b")}
    assert first == second


def test_page_links_name_the_notebooks_to_publish():
    page = (
        '<p><a href="notebooks/00_key_findings.html">00_key_findings</a> '
        '(<a href="notebooks/00_key_findings.ipynb">ipynb</a>); '
        '<a href="notebooks/02b_raw_rows.html">02b</a> <a href="https://example.org/notebooks/x.html">x</a></p>'
    )
    assert notebooks_in_html(page) == [
        "notebooks/00_key_findings.html",
        "notebooks/00_key_findings.ipynb",
        "notebooks/02b_raw_rows.html",
    ]
