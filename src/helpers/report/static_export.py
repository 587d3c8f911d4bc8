"""Static figures: `<id>.png` (scale 2) rasterised from the `<id>.svg` each figure's notebook cell drew
(helpers.report.figures), published beside that SVG and the figure's CSV."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..core.result_cache import cached
from .blocks import RenderError

PNG_SCALE = 2


def rasterise(svg: str) -> bytes:
    import vl_convert

    return cached("png", [svg, PNG_SCALE], lambda: vl_convert.svg_to_png(svg, scale=PNG_SCALE))


def export_static_figures(figures_dir: Path, out_figures_dir: Path, figure_ids: list[str]) -> None:
    """Write `<id>.png` and copy `<id>.svg` and `<id>.csv` for each figure of this briefing (its page
    names them), so files left in the build directory by earlier runs are not published."""
    figures_dir, out_figures_dir = Path(figures_dir), Path(out_figures_dir)
    out_figures_dir.mkdir(parents=True, exist_ok=True)
    for figure_id in figure_ids:
        files = [figures_dir / f"{figure_id}{suffix}" for suffix in (".vl.json", ".svg", ".csv")]
        for needed in files:
            if not needed.exists():
                raise RenderError(
                    f"figure {figure_id}: {needed} is missing (was publish_figure "
                    "run with the same BRIEFING_BUILD_DIR?)"
                )
        _, svg_path, csv_path = files
        # Rasterising the SVG the notebook drew gives the same PNG bytes as drawing the spec again, in a third of the time;
        # in a build, an SVG rasterised before is taken from build/cache/png/ (core.result_cache).
        png = rasterise(svg_path.read_text(encoding="utf-8"))
        (out_figures_dir / f"{figure_id}.png").write_bytes(png)
        shutil.copyfile(svg_path, out_figures_dir / f"{figure_id}.svg")
        shutil.copyfile(csv_path, out_figures_dir / f"{figure_id}.csv")
