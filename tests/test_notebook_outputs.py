"""What a notebook output carries for JupyterLab 4 and what the HTML briefing reads back from it; and the
groups/claims files reaching the sections."""

import json

import nbformat
import pytest
import yaml
from nbformat.v4 import new_code_cell, new_notebook, new_output

from briefing_fixture import line_chart, totals_frame
from helpers.model.groups import period_changes
from helpers.report.blocks import RenderError, notebook_blocks
from helpers.report.drawing import stable_svg_ids
from helpers.report.figures import NOTEBOOK_VEGALITE_MIME, build_figure, markdown_bundle
from helpers.report.mathjax import escape_mathjax, unescape_mathjax
from helpers.sections.findings import claim_table
from helpers.sections.section import open_section
from notebooks_alone import ROOT


@pytest.mark.parametrize(
    "text, escaped",
    [
        (
            "came to **$125.8bn**, down 8.1% … $244.8bn",
            "came to **\\\\$125.8bn**, down 8.1% … \\\\$244.8bn",
        ),
        ("a \\(x\\) and \\[y\\]", "a \\\\\\(x\\\\\\) and \\\\\\[y\\\\\\]"),
        (
            "C:\\temp, \\*literal\\*, 5 < 6",
            "C:\\temp, \\*literal\\*, 5 < 6",
        ),  # other Markdown escapes kept
    ],
)
def test_mathjax_escape_round_trip(text, escaped):
    assert escape_mathjax(text) == escaped
    assert unescape_mathjax(escaped) == text


def executed_notebook(tmp_path, *outputs) -> str:
    cell = new_code_cell("x", execution_count=1)
    cell.outputs = list(outputs)
    path = tmp_path / "n.ipynb"
    nbformat.write(new_notebook(cells=[cell]), path)
    return path


def test_markdown_output_reads_as_written_in_the_briefing(tmp_path):
    bundle, metadata = markdown_bundle("Turnover **$125.8bn**, down from $136.7bn.")
    assert bundle["text/markdown"] == "Turnover **\\\\$125.8bn**, down from \\\\$136.7bn."
    blocks = notebook_blocks(
        executed_notebook(tmp_path, new_output("display_data", data=bundle, metadata=metadata))
    )
    assert (
        blocks[0].html.strip() == "<p>Turnover <strong>$125.8bn</strong>, down from $136.7bn.</p>"
    )


def test_figure_bundle_is_vegalite5_with_the_static_svg(tmp_path):
    bundle, metadata = build_figure(
        line_chart(totals_frame()), "f1-exports-monthly", totals_frame(), "T", "C", tmp_path
    )
    assert set(bundle) == {NOTEBOOK_VEGALITE_MIME, "image/svg+xml", "text/plain"}
    spec = bundle[NOTEBOOK_VEGALITE_MIME]
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    written = json.loads((tmp_path / "figures" / "f1-exports-monthly.vl.json").read_text())
    assert {k: v for k, v in spec.items() if k != "$schema"} == {
        k: v for k, v in written.items() if k != "$schema"
    }
    # The fallback is the very SVG the render stage publishes (and rasterises to PNG).
    svg = bundle["image/svg+xml"]
    svg_path = tmp_path / "figures" / "f1-exports-monthly.svg"
    assert svg.startswith("<svg") and svg == svg_path.read_text(encoding="utf-8")
    assert metadata == {"figure_id": "f1-exports-monthly", "title": "T", "caption": "C"}


def test_svg_ids_renumbered_by_first_use():
    svg = '<clipPath id="clip17"/><g clip-path="url(#clip17)"/><clipPath id="clip4"/><g clip-path="url(#clip4)"/>'
    assert stable_svg_ids(svg) == (
        '<clipPath id="clip1"/><g clip-path="url(#clip1)"/>'
        '<clipPath id="clip2"/><g clip-path="url(#clip2)"/>'
    )


def test_chart_vegalite5_cannot_draw_is_refused(tmp_path):
    broken_spec_chart = type(
        "Chart",
        (),
        {
            "to_dict": lambda self, validate=True: {
                "mark": {"type": "no-such-mark"},
                "data": {"values": [{"a": 1}]},
            },
            "data": None,
        },
    )()
    with pytest.raises(ValueError, match="Vega-Lite 5 \\(JupyterLab 4\\) cannot draw"):
        build_figure(broken_spec_chart, "bad", totals_frame(), "T", "C", tmp_path)


@pytest.mark.parametrize(
    "mime", ["application/vnd.vegalite.v5+json", "application/vnd.vegalite.v6+json"]
)
def test_blocks_find_figures_by_metadata_whatever_the_vegalite_key(tmp_path, mime):
    output = new_output(
        "display_data",
        data={mime: {"mark": "bar"}, "image/png": "iVBORw0KGgo="},
        metadata={"figure_id": "f1-x", "title": "T", "caption": "C"},
    )
    [block] = notebook_blocks(executed_notebook(tmp_path, output))
    assert (block.figure.figure_id, block.figure.spec, block.figure.title) == (
        "f1-x",
        {"mark": "bar"},
        "T",
    )


def test_figure_metadata_without_a_spec_fails_render(tmp_path):
    output = new_output(
        "display_data", data={"image/png": "iVBORw0KGgo="}, metadata={"figure_id": "f1-x"}
    )
    with pytest.raises(RenderError, match="f1-x has no Vega-Lite spec"):
        notebook_blocks(executed_notebook(tmp_path, output))


def test_groups_and_claims_files_reach_the_sections(tmp_path):
    groups = yaml.safe_load((ROOT / "config" / "commodity_groups.yaml").read_text(encoding="utf-8"))
    groups["groups"]["passenger_cars"]["label"] = "Cars, as labelled by this test file"
    claims = yaml.safe_load((ROOT / "config" / "claims.yaml").read_text(encoding="utf-8"))
    claims["claims"][0]["statement"] = "A paraphrase only this test file has."
    (tmp_path / "groups.yaml").write_text(
        yaml.safe_dump(groups, allow_unicode=True), encoding="utf-8"
    )
    (tmp_path / "claims.yaml").write_text(
        yaml.safe_dump(claims, allow_unicode=True), encoding="utf-8"
    )
    section = open_section(
        groups_file=str(tmp_path / "groups.yaml"), claims_file=str(tmp_path / "claims.yaml")
    )
    changes = period_changes(
        section.resolved_groups,
        section.groups,
        section.period_end,
        section.hs_rows,
        section.partner_code,
    )
    assert "Cars, as labelled by this test file" in changes.label.tolist()
    table = claim_table(section)
    assert table.statement.tolist()[0] == "A paraphrase only this test file has."
    assert len(table) == len(claims["claims"]) == 10
