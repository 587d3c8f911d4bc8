"""Phone drawings (helpers.report.phone_layout): a figure laid out again for 331 px keeps its text >= 10 px."""

from helpers.report.drawing import draw_svg
from helpers.report.phone_layout import PHONE_ROOM_PX, phone_figure, smallest_text_px, svg_size


def bars_with_a_side_note() -> dict:
    """F3's shape for a full year (SYNTHETIC values): a flow with no US$ level gets a text note beside
    its empty bar, two clauses long ('2025-12' builds: exports and imports in yuan terms only)."""
    rows = [
        {"flow": "Exports", "year": "2024", "value": 115.5, "note": None},
        {
            "flow": "Exports",
            "year": "2025",
            "value": None,
            "note": "2025: no US$ level in the data; in yuan terms −9.9%",
        },
        {"flow": "Turnover", "year": "2024", "value": 244.8, "note": None},
        {"flow": "Turnover", "year": "2025", "value": 228.1, "note": None},
    ]
    y = {"field": "flow", "type": "nominal", "title": None}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": rows},
        "height": 120,
        "width": 400,
        "layer": [
            {
                "mark": {"type": "bar"},
                "encoding": {
                    "x": {"field": "value", "type": "quantitative"},
                    "y": y,
                    "yOffset": {"field": "year"},
                },
            },
            {
                "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11},
                "transform": [{"filter": "datum.note != null"}],
                "encoding": {
                    "x": {"datum": 0},
                    "y": y,
                    "yOffset": {"field": "year"},
                    "text": {"field": "note"},
                },
            },
        ],
    }


def test_a_side_note_breaks_into_lines_so_the_phone_drawing_keeps_its_text_size():
    spec = bars_with_a_side_note()
    desktop = draw_svg(spec)
    assert (
        smallest_text_px(desktop, PHONE_ROOM_PX) < 10
    )  # shrunk to the phone, the note is too small
    phone, svg = phone_figure(spec, draw_svg)
    note = phone["layer"][1]["mark"]
    assert note["lineBreak"] == "; " and phone["height"] == 180  # two lines, and room for them
    assert svg_size(svg)[0] <= PHONE_ROOM_PX + 1
    assert smallest_text_px(svg, PHONE_ROOM_PX) >= 10
    assert (
        "<tspan>2025: no US$ level in the data</tspan>" in svg
    )  # the first clause, alone on its line
