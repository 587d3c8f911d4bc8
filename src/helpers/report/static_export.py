"""Static figures: `<id>.png` and `<id>.svg` from each figure's Vega-Lite spec (vl-convert), plus its CSV."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from .blocks import RenderError
from .page import vegalite_version



_SVG_COUNTER_ID = re.compile(r"\b(clip|gradient|pattern|mask)(\d+)\b")


def stable_svg_ids(svg: str) -> str:
    """Renumber Vega's process-wide clip/gradient counters by first use, so SVGs repeat."""
    mapping: dict[str, str] = {}
    counters: dict[str, int] = {}
    for match in re.finditer(r'\bid="((?:clip|gradient|pattern|mask)\d+)"', svg):
        name = match.group(1)
        prefix = _SVG_COUNTER_ID.match(name).group(1)
        if name not in mapping:
            counters[prefix] = counters.get(prefix, 0) + 1
            mapping[name] = f"{prefix}{counters[prefix]}"
    return _SVG_COUNTER_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), svg)


def export_static_figures(figures_dir: Path, out_figures_dir: Path,
                          figure_ids: list[str] | None = None) -> list[str]:
    """Write `<id>.png` (scale 2) and `<id>.svg` for each `.vl.json` and copy `<id>.csv`.

    `figure_ids` limits the export to the figures of this briefing, so specs left in the build
    directory by earlier runs are not published.
    """
    import vl_convert

    figures_dir, out_figures_dir = Path(figures_dir), Path(out_figures_dir)
    if figure_ids is None:
        figure_ids = sorted(p.name[: -len(".vl.json")] for p in figures_dir.glob("*.vl.json"))
    out_figures_dir.mkdir(parents=True, exist_ok=True)
    version = f"v{vegalite_version()}"
    for figure_id in figure_ids:
        spec_path = figures_dir / f"{figure_id}.vl.json"
        csv_path = figures_dir / f"{figure_id}.csv"
        for needed in (spec_path, csv_path):
            if not needed.exists():
                raise RenderError(f"figure {figure_id}: {needed} is missing (was publish_figure "
                                  "run with the same BRIEFING_BUILD_DIR?)")
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        drawn = vl_convert.vegalite_to_svg(spec, vl_version=version)
        svg = stable_svg_ids(drawn)
        # Rasterising the SVG already drawn gives the same PNG bytes as drawing the spec again, in a third of the time.
        png = vl_convert.svg_to_png(drawn, scale=2)
        (out_figures_dir / f"{figure_id}.svg").write_text(svg, encoding="utf-8", newline="\n")
        (out_figures_dir / f"{figure_id}.png").write_bytes(png)
        shutil.copyfile(csv_path, out_figures_dir / f"{figure_id}.csv")
    return list(figure_ids)
