"""Static drawings of Vega-Lite specs by vl-convert, as the briefing shows them: the SVG with repeatable element
ids, kept in build/cache/svg/ during a build (a claims edit redraws no chart), and the Vega-Lite version altair
writes. Apart from report.figures so the renderer, which draws phone layouts, needs no pandas."""

from __future__ import annotations

import re

import altair as alt

from ..core.result_cache import cached

_SVG_COUNTER_ID = re.compile(r"\b(clip|gradient|pattern|mask)(\d+)\b")


def vegalite_version() -> str:
    """The Vega-Lite version altair writes (e.g. "6.4"): the one the briefing page and SVGs use."""
    return ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])


def draw_svg(spec: dict) -> str:
    """The static figure as the briefing draws it (altair's Vega-Lite), with repeatable element ids; in a
    build, from build/cache/svg/ when the same spec was drawn before (core.result_cache)."""
    return cached("svg", spec, lambda: draw_svg_now(spec))


def draw_svg_now(spec: dict) -> str:
    import vl_convert

    return stable_svg_ids(vl_convert.vegalite_to_svg(spec, vl_version=f"v{vegalite_version()}"))


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
