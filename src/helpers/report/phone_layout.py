"""A figure laid out again for a phone-width screen, drawn once when the page is built.

A desktop drawing shrunk to a phone's width shrinks its text with it (11 px labels become 6 px), so
the page carries a second static drawing for screens up to PHONE_MAX_PX: panels that stood side by
side stacked, a facet row's label above its panel, long titles in lines, legends in one column,
label limits cut to the room, then every view narrowed until the drawing fits PHONE_ROOM_PX. The
same phone spec is what the page's Vega draws on a phone once a reader reaches for a chart.
"""

from __future__ import annotations

import copy
import json
import re

PHONE_MAX_PX = (
    640  # the page's phone layout (its CSS and the phone drawings) applies up to this width
)
# A 360 px screen less the page's side padding (2 x .9rem): the drawing fits the narrowest common
# phone, and is shown at its own size (not enlarged) on wider ones.
PHONE_ROOM_PX = 331
CHAR_PX = 6.5  # the width of one character of an 11 px DejaVu Sans label, near enough
MIN_VIEW_PX = 90
FIT_TRIES = 3  # text and padding do not shrink with the plot: draw, measure, narrow again


def _objects(node, visit) -> None:
    """Visit every dict of a spec except its data rows (`datasets`)."""
    if isinstance(node, list):
        for item in node:
            _objects(item, visit)
    elif isinstance(node, dict):
        visit(node)
        for key, value in node.items():
            if key != "datasets":
                _objects(value, visit)


def _distinct(spec: dict, field: str) -> int:
    name = (spec.get("data") or {}).get("name")
    rows = (spec.get("datasets") or {}).get(name) or []
    return len({json.dumps(row.get(field), sort_keys=True) for row in rows})


def _lines(text: str, most: int) -> list[str]:
    """A long title as lines of at most `most` characters, broken between words."""
    out = [""]
    for word in text.split(" "):
        if out[-1] and len(out[-1]) + 1 + len(word) > most:
            out.append(word)
        else:
            out[-1] = f"{out[-1]} {word}" if out[-1] else word
    return out


# A chart whose side notes break into lines grows by this much, so two lines fit a bar's band.
NOTE_LINES_HEIGHT = 1.5
# A wrapped panel alone on its row takes this share of the room (the rest: its y axis and labels).
WRAPPED_PANEL_SHARE = 0.75


def phone_spec(spec: dict, room: float = PHONE_ROOM_PX) -> dict:
    """The spec rearranged for `room` px: stacked panels, wrapped titles, one-column legends."""
    s = copy.deepcopy(spec)
    facet = s.get("facet")
    if isinstance(facet, dict) and facet.get("column"):
        row = facet.get("row")
        if not row or _distinct(s, facet["column"]["field"]) > _distinct(s, row["field"]):
            s["facet"] = (
                {"row": facet["column"], "column": row} if row else {"row": facet["column"]}
            )
    if isinstance(facet, dict) and facet.get("field") and (s.get("columns") or 1) > 1:
        s["columns"] = 1  # wrapped small multiples (F12): one panel a row, as wide as the room
        inner = s.get("spec")
        if isinstance(inner, dict) and isinstance(inner.get("width"), int | float):
            inner["width"] = max(inner["width"], round(room * WRAPPED_PANEL_SHARE))
    if isinstance(s.get("facet"), dict) and s["facet"].get("row"):
        row = s["facet"]["row"]
        header = {**(row.get("header") or {}), "labelAngle": 0, "labelOrient": "top"}
        s["facet"]["row"] = {**row, "header": {**header, "labelAnchor": "start"}}

    def adapt(node: dict) -> None:
        title = node.get("title")
        if (
            isinstance(title, str)
            and len(title) * CHAR_PX > room * 0.8
            and (node.get("field") or "labelLimit" in node)
        ):
            node["title"] = _lines(title, int(room * 0.8 // CHAR_PX))
        legend = node.get("legend")
        if isinstance(legend, dict):
            legend["columns"] = 1
            legend["labelLimit"] = min(legend.get("labelLimit") or 200, room - 40)
        if node.get("type") == "text" and node.get("align") == "left" and "lineBreak" not in node:
            node["lineBreak"] = "; "  # a note beside a bar: its clauses in lines
            broken.append(node)
        axis = node.get("axis")
        if isinstance(axis, dict) and (axis.get("labelLimit") or 0) > room * 0.45:
            axis["labelLimit"] = round(room * 0.45)

    broken: list[dict] = []
    _objects(s, adapt)
    if broken and isinstance(s.get("height"), int | float):
        s["height"] = round(s["height"] * NOTE_LINES_HEIGHT)  # room for the notes' second lines
    return s


def narrower(spec: dict, by: float) -> dict:
    """Every view's width less the overflow, shared among side-by-side panels (a mark's own width,
    e.g. a bar's, is left alone)."""
    s = copy.deepcopy(spec)
    facet = s.get("facet") if isinstance(s.get("facet"), dict) else {}
    across = max(1, _distinct(s, facet["column"]["field"])) if facet.get("column") else 1
    cut = by / across

    def narrow(node: dict) -> None:
        width = node.get("width")
        if isinstance(width, int | float) and not isinstance(node.get("type"), str):
            node["width"] = max(MIN_VIEW_PX, round(width - cut))

    _objects(s, narrow)
    inner = s.get("spec")
    if facet and isinstance(inner, dict) and not isinstance(inner.get("width"), int | float):
        inner["width"] = max(MIN_VIEW_PX, round(200 - cut))
    elif not any(key in s for key in ("facet", "spec", "hconcat", "vconcat", "concat", "repeat")):
        if not isinstance(
            s.get("width"), int | float
        ):  # a single view sized by the theme's default
            view = (s.get("config") or {}).get("view") or {}
            s["width"] = max(MIN_VIEW_PX, round(view.get("continuousWidth", 300) - cut))
    return s


def svg_size(svg: str) -> tuple[float, float]:
    match = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not match:
        raise ValueError("an SVG without width and height")
    return float(match.group(1)), float(match.group(2))


def smallest_text_px(svg: str, shown_width: float) -> float:
    """The smallest font size of the drawing's text once it is shown `shown_width` px wide."""
    sizes = [float(v) for v in re.findall(r'font-size(?:="|:\s*)([\d.]+)px', svg)]
    width, _ = svg_size(svg)
    return min(sizes, default=float("inf")) * min(1.0, shown_width / width)


def phone_figure(spec: dict, draw, room: float = PHONE_ROOM_PX) -> tuple[dict, str]:
    """(phone spec, its SVG): `draw(spec) -> svg`, narrowed until the drawing fits `room` px."""
    s = phone_spec(spec, room)
    svg = draw(s)
    for _ in range(FIT_TRIES):
        over = svg_size(svg)[0] - room
        if over <= 1:
            break
        narrowed = narrower(s, over)
        if narrowed == s:
            break
        s, svg = narrowed, draw(narrowed)
    return s, svg
