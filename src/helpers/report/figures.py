"""Publish figures and tables from notebooks in a form `helpers.report.render` can assemble.

A figure is written twice: to `<build_dir>/figures/<id>.vl.json` + `<id>.csv` + `<id>.svg` (the
static figure, drawn once here by vl-convert; the render stage rasterises it to PNG) and as a
notebook display output with metadata `{"figure_id", "title", "caption"}` (helpers.report.blocks
finds figures by it) and a MIME bundle JupyterLab 4 draws offline:
`application/vnd.vegalite.v5+json` (JupyterLab 4 ships Vega-Lite 5 and ignores the v6 MIME altair 6
emits), checked to compile with Vega-Lite 5, plus the same SVG as an `image/svg+xml` fallback for
viewers without Vega.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import altair as alt
import pandas as pd

from ..core.paths import ID
from ..core.paths import build_dir as project_build_dir
from ..core.result_cache import cached
from .drawing import draw_svg, draw_svg_now
from .mathjax import MARKDOWN_ESCAPED, escape_mathjax
from .notes import listed_below
from .tables import display_output, write_csv
from .theme import THEME_NAME

# JupyterLab 4.x bundles Vega-Lite 5.6 and renders only the v3-v5 MIME types. The spec altair 6 writes
# compiles unchanged with Vega-Lite 5 (checked per figure: compiled with v5 when it is published).
NOTEBOOK_VEGALITE_MIME = "application/vnd.vegalite.v5+json"
NOTEBOOK_VEGALITE_SCHEMA = (
    "https://vega.github.io/schema/vega-lite/v5.json"  # a label; never fetched
)
NOTEBOOK_VEGALITE_CHECK = (
    "v5.8"  # the oldest Vega-Lite 5 vl-convert ships, nearest JupyterLab's 5.6
)

# altair names anonymous params/views `param_<hash>` / `view_<hash>_<n>` (older: `param_1`).
_GENERATED_NAME = re.compile(r"\b(param|view)_[0-9a-f]+(?:_\d+)?\b")


def stable_names(spec: dict, figure_id: str) -> dict:
    """Rename altair's generated param/view names to `<figure_id>_param_1`, ... by first use.

    Hash names already repeat between runs, but they change whenever a chart is edited, which
    makes diffs of the published spec noisy; counters scoped by figure id do not.
    """
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False)
    mapping: dict[str, str] = {}
    counters = {"param": 0, "view": 0}
    for match in _GENERATED_NAME.finditer(text):
        name, kind = match.group(0), match.group(1)
        if name not in mapping:
            counters[kind] += 1
            mapping[name] = f"{figure_id.replace('-', '_')}_{kind}_{counters[kind]}"
    text = _GENERATED_NAME.sub(lambda m: mapping[m.group(0)], text)
    return json.loads(text)


def chart_spec(chart: alt.TopLevelMixin, figure_id: str) -> dict:
    """Vega-Lite dict of `chart` with the project theme, inlined data and stable names, validated against
    altair's schema (an error names what is wrong in the chart) and checked to compile with JupyterLab's
    Vega-Lite 5 (check_vegalite5). In a build, a spec checked before is not checked again (a marker in
    build/cache/valid-spec/, core.result_cache): the checks are most of a figure's time."""
    with alt.theme.enable(THEME_NAME), alt.data_transformers.enable("default", max_rows=None):
        spec = stable_names(chart.to_dict(validate=False), figure_id)

        def check() -> str:
            chart.to_dict()  # altair's validation, with its messages
            check_vegalite5(spec, figure_id)
            return ""

        cached("valid-spec", spec, check)  # outside a build (no code key): checked every time
    return spec


def plotted_data(chart: alt.TopLevelMixin, data: pd.DataFrame | None) -> pd.DataFrame:
    """The table to publish as CSV; refuse one that differs from what the chart draws."""
    chart_data = getattr(chart, "data", None)
    if data is None:
        if not isinstance(chart_data, pd.DataFrame):
            raise ValueError("pass `data`: the chart has no single top-level DataFrame")
        return chart_data
    if isinstance(chart_data, pd.DataFrame) and not chart_data.equals(data):
        raise ValueError("`data` differs from the chart's data; publish exactly what is plotted")
    return data


def build_figure(
    chart,
    figure_id: str,
    data: pd.DataFrame | None,
    title: str,
    caption: str,
    build_dir: Path | str | None = None,
) -> tuple[dict, dict]:
    """Write `<id>.vl.json`, `<id>.csv` and `<id>.svg`; return the notebook output (MIME bundle and
    metadata) without displaying it."""
    if not re.fullmatch(ID, figure_id):
        raise ValueError(f"figure_id {figure_id!r} must match {ID}")
    table = plotted_data(chart, data)
    spec = chart_spec(chart, figure_id)
    svg = draw_svg(spec)
    # <project root>/build (or $BRIEFING_BUILD_DIR), whatever the kernel's working directory
    figures_dir = (Path(build_dir) if build_dir is not None else project_build_dir()) / "figures"
    figures_dir.mkdir(parents=True, exist_ok=True)
    (figures_dir / f"{figure_id}.vl.json").write_text(
        json.dumps(spec, sort_keys=True, indent=1, ensure_ascii=False) + "\n",
        encoding="utf-8",
        newline="\n",
    )
    write_csv(table, figures_dir / f"{figure_id}.csv")
    (figures_dir / f"{figure_id}.svg").write_text(svg, encoding="utf-8", newline="\n")
    bundle = {
        NOTEBOOK_VEGALITE_MIME: notebook_spec(spec),
        "image/svg+xml": svg,
        "text/plain": f"<Figure {figure_id}: {title}>",
    }
    return bundle, {"figure_id": figure_id, "title": title, "caption": caption}


def notebook_spec(spec: dict) -> dict:
    """The spec as JupyterLab 4's Vega-Lite 5 MIME type carries it."""
    return {**spec, "$schema": NOTEBOOK_VEGALITE_SCHEMA}


def check_vegalite5(spec: dict, figure_id: str) -> None:
    """Refuse the spec if, under JupyterLab 4's Vega-Lite 5 MIME type, Vega-Lite 5 cannot compile it
    (compiling is enough: a chart that compiles draws; 7 ms a figure, against 150 ms to draw it)."""
    import vl_convert

    try:
        vl_convert.vegalite_to_vega(notebook_spec(spec), vl_version=NOTEBOOK_VEGALITE_CHECK)
    except ValueError as error:
        raise ValueError(
            f"figure {figure_id}: Vega-Lite 5 (JupyterLab 4) cannot draw this chart: "
            f"{' '.join(str(error).splitlines()[:2])}"
        ) from None


def start_vl_convert() -> None:
    """Start vl-convert's JavaScript engines (a third of a second on first use, per Vega-Lite version)
    with a one-point chart; the notebook runner does this while the input check runs."""
    spec = {
        "mark": "point",
        "data": {"values": [{"x": 1}]},
        "encoding": {"x": {"field": "x", "type": "quantitative"}},
    }
    check_vegalite5(spec, "warm-up")
    draw_svg_now(spec)


def publish_figure(
    chart,
    figure_id: str,
    data: pd.DataFrame | None,
    title: str,
    caption: str,
    build_dir: Path | str | None = None,
) -> None:
    """Write the figure's spec and data under `build_dir/figures` and display it in the notebook."""
    display_output(*build_figure(chart, figure_id, data, title, caption, build_dir))


def markdown_bundle(text: str) -> tuple[dict, dict]:
    """MIME bundle and metadata: for JupyterLab, Markdown escaped for its MathJax with the source notes
    listed under the text; as text/plain, the text as written, source-note markers included (the
    briefing numbers them across the page: helpers.report.blocks reads text/plain)."""
    return {
        "text/markdown": escape_mathjax(listed_below(text)),
        "text/plain": text,
    }, {MARKDOWN_ESCAPED: True}


def show_html(text: str) -> None:
    """Display a fragment of HTML computed in a cell (e.g. a print page break) as briefing content."""
    display_output({"text/html": text, "text/plain": ""})
