"""helpers.report.render: offline, deterministic briefing HTML, static figures and PDF."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from briefing_fixture import (
    ABOUT,
    FIGURE_IDS,
    HIDDEN_CODE,
    HIDDEN_STREAM,
    MARKER,
    PARAMS,
    error_notebook,
    skip_without_chromium,
    write_fixture,
)
from helpers.report.blocks import RenderError
from helpers.report.page import render_briefing, vega_bundle
from helpers.report.static_export import export_static_figures

REPO = Path(__file__).resolve().parents[1]


def build(root: Path) -> tuple[Path, Path]:
    """Fixture notebooks -> briefing.html + static figures under root/stage."""
    notebooks = write_fixture(root)
    html_path = render_briefing(notebooks, root / "stage", PARAMS, ABOUT)
    export_static_figures(root / "build" / "figures", root / "stage" / "figures", FIGURE_IDS)
    return html_path, root / "stage" / "figures"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> str:
    html_path, _ = build(tmp_path_factory.mktemp("render"))
    return html_path.read_text(encoding="utf-8")


# An SVG names its XML namespaces by URL; the drawings in the page carry them, nothing fetches them.
SVG_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")


def test_no_external_script_or_stylesheet_urls(rendered):
    assert not re.search(r"<script[^>]*\ssrc=", rendered), "no script is loaded before it is needed"
    assert not re.search(r"<link[^>]*\shref=[\"']?https?:", rendered)
    # Nothing refers to the web (the fixture has no source links).
    assert set(re.findall(r"https?://[\w./-]*", rendered)) <= set(SVG_NAMESPACES)


def test_one_picture_per_figure_in_order(rendered):
    ids = re.findall(r'class="figure" data-figure-id="([^"]+)"', rendered)
    assert ids == FIGURE_IDS
    for figure_id in FIGURE_IDS:
        assert rendered.count(f'id="fig-{figure_id}"') == 1
    pictures = re.findall(
        r'<picture><source media="screen and \(max-width: 640px\)" width="(\d+)" height="\d+" '
        r'srcset="data:image/svg\+xml,[^" ]+"><img src="data:image/svg\+xml,[^" ]+" '
        r'width="(\d+)" height="\d+" alt="Figure (\d): ([^"]+)"></picture>',
        rendered,
    )
    assert [n for _, _, n, _ in pictures] == ["1", "2"]
    for phone_width, width, _, _ in pictures:  # a phone drawing of its own, inside 331 px
        assert int(phone_width) <= 331 < int(width)


def test_vega_and_the_specs_are_assets_beside_the_page(rendered, tmp_path):
    html_path, _ = build(tmp_path)
    assert html_path.with_name("assets").joinpath("vega.js").read_text() == vega_bundle()
    assert vega_bundle() not in rendered and len(vega_bundle()) > 100_000
    specs = html_path.with_name("assets").joinpath("figures.js").read_text()
    payload = json.loads(specs.removeprefix("window.briefingFigures = ").rstrip(";\n"))
    assert list(payload) == FIGURE_IDS
    for figure in payload.values():
        assert figure["spec"]["datasets"] and "datasets" not in figure["phone"]
        assert "$schema" not in figure["spec"]
    # the page loads them by relative path, named by content so no cache serves an old one
    assert re.findall(r'"(assets/[a-z]+\.js)\?v=[0-9a-f]{12}"', rendered) == [
        "assets/vega.js",
        "assets/figures.js",
    ]


def test_code_streams_and_parameters_hidden(rendered):
    for hidden in (
        HIDDEN_CODE,
        HIDDEN_STREAM,
        "injected-params-sentinel",
        "df-repr-sentinel",
        "publish_figure(",
        "show_table(",
    ):
        assert hidden not in rendered


def test_content_present(rendered):
    assert MARKER in rendered
    assert "<em>steadily</em>" in rendered
    assert (
        "Computed: <strong>9.2</strong> in September, $8.1bn in July." in rendered
    )  # "$" as written
    assert 'data-table-id="exports-table"' in rendered
    assert '<a href="#trade-totals">Trade totals</a>' in rendered
    assert 'id="about-this-briefing"' in rendered
    assert "0" * 64 in rendered and "2025-10" in rendered


def test_error_output_fails_render(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(error_notebook(), path)
    with pytest.raises(RenderError, match=r"broken.ipynb: cell 1 has an error output \(KeyError"):
        render_briefing([path], tmp_path / "stage", PARAMS, ABOUT)
    assert not (tmp_path / "stage" / "briefing.html").exists()


def test_unexecuted_notebook_fails_render(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    path = tmp_path / "raw.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RenderError, match="not executed"):
        render_briefing([path], tmp_path / "stage", PARAMS, ABOUT)


def test_chart_without_figure_id_fails_render(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("chart", execution_count=1)])
    nb.cells[0].outputs = [
        nbformat.v4.new_output(
            "display_data", data={"application/vnd.vegalite.v5+json": {"mark": "bar"}}
        )
    ]
    path = tmp_path / "bare.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RenderError, match="publish_figure"):
        render_briefing([path], tmp_path / "stage", PARAMS, ABOUT)


def test_remote_resource_in_notebook_html_fails_render(tmp_path):
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell(
                'Intro <script src="https://cdn.example.org/x.js"></script>'
            )
        ]
    )
    path = tmp_path / "cdn.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RenderError, match="remote resource"):
        render_briefing([path], tmp_path / "stage", PARAMS, ABOUT)


def test_spec_and_csv_files_are_stable(tmp_path):
    write_fixture(tmp_path)
    spec = json.loads((tmp_path / "build/figures/f1-exports-monthly.vl.json").read_text())
    assert spec["params"][0]["name"] == "f1_exports_monthly_param_1"
    assert spec["config"]["font"] == "DejaVu Sans"
    assert spec["encoding"]["tooltip"]
    csv_bytes = (tmp_path / "build/figures/f1-exports-monthly.csv").read_bytes()
    assert csv_bytes.splitlines()[0] == b"month,flow,value_usd_bn"
    assert b"2025-10,export,9.2\n" in csv_bytes and b"\r" not in csv_bytes


def test_same_inputs_give_identical_bytes(tmp_path):
    first_html, first_figs = build(tmp_path / "a")
    second_html, second_figs = build(tmp_path / "b")
    assert first_html.read_bytes() == second_html.read_bytes()
    for figure_id in FIGURE_IDS:
        for suffix in (".svg", ".csv"):
            name = figure_id + suffix
            assert (first_figs / name).read_bytes() == (second_figs / name).read_bytes(), name
        assert (first_figs / f"{figure_id}.png").stat().st_size > 1000
        assert 'font-family="DejaVu Sans' in (first_figs / f"{figure_id}.svg").read_text()


@skip_without_chromium()
def test_cli_writes_html_figures_and_pdf_with_marker(tmp_path):
    if not shutil.which("pdftotext") and not os.environ.get("CI"):
        pytest.skip("pdftotext missing (sudo apt-get install poppler-utils)")
    notebooks = write_fixture(tmp_path)
    params = tmp_path / "build" / "params.json"
    params.write_text(json.dumps(PARAMS))
    about = tmp_path / "about.json"
    about.write_text(json.dumps(ABOUT))
    out = tmp_path / "build" / "stage"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.report.render",
            "--notebooks",
            *map(str, notebooks),
            "--params",
            str(params),
            "--about",
            str(about),
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 0, run.stderr
    for stage in (
        "html page",
        "static figures",
        "PDF",
        "render total",
    ):  # the build's `timing:` format
        assert re.search(rf"^timing: {stage} +\d+\.\d s$", run.stdout, re.M), (stage, run.stdout)
    for figure_id in FIGURE_IDS:
        for suffix in (".png", ".svg", ".csv"):
            assert (out / "figures" / f"{figure_id}{suffix}").stat().st_size > 0
    pdf = out / "briefing.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert " ".join(MARKER.split()) in " ".join(text.split())
    assert "Figure 2. Main goods" in text
    assert "crude oil" in text  # an axis label: the bar chart was drawn before printing


def test_cli_fails_loudly_on_error_output(tmp_path):
    path = tmp_path / "broken.ipynb"
    nbformat.write(error_notebook(), path)
    params = tmp_path / "params.json"
    params.write_text(json.dumps(PARAMS))
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "helpers.report.render",
            "--notebooks",
            str(path),
            "--params",
            str(params),
            "--out",
            str(tmp_path / "stage"),
            "--raw-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert run.returncode == 2
    assert run.stderr.startswith("render: error:") and "KeyError" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1 and "Traceback" not in run.stderr


def test_a_figure_named_out_of_page_order_stops_the_render():
    """Figure N of the briefing is fN-… on disk: a figure inserted or moved without renaming is refused."""
    from helpers.report.blocks import Block, Figure, number_figures

    ok = number_figures(
        [
            Block(figure=Figure("f1-a", {}, "", "")),
            Block(html="<p>x</p>"),
            Block(figure=Figure("f2-b", {}, "", "")),
        ]
    )
    assert [b.figure.number for b in ok if b.figure] == [1, 2]
    with pytest.raises(
        RenderError, match=r"figure_id 'f3-b' is Figure 2 of the briefing: name it f2-"
    ):
        number_figures(
            [Block(figure=Figure("f1-a", {}, "", "")), Block(figure=Figure("f3-b", {}, "", ""))]
        )


@skip_without_chromium()
def test_a_pdf_longer_than_the_page_budget_is_published_with_a_warning(
    tmp_path, monkeypatch, capsys
):
    """The fixture prints a short PDF: no warning. Counted as 13 pages, the render still succeeds (the numbers
    are fine) but says so on stderr, so `make report` never publishes an over-long PDF silently."""
    from helpers.report import render

    notebooks = write_fixture(tmp_path)
    params = tmp_path / "build" / "params.json"
    params.write_text(json.dumps(PARAMS))
    about = tmp_path / "about.json"
    about.write_text(json.dumps(ABOUT))
    argv = ["--notebooks", *map(str, notebooks), "--params", str(params), "--about", str(about)]
    assert render.main(argv + ["--out", str(tmp_path / "a")]) == 0
    assert "warning" not in capsys.readouterr().err
    monkeypatch.setattr(render, "pdf_pages", lambda pdf: 13)
    assert render.main(argv + ["--out", str(tmp_path / "b")]) == 0
    assert (
        "render: warning: briefing.pdf has 13 pages, more than the 12 the print layout is planned for"
        in capsys.readouterr().err
    )
