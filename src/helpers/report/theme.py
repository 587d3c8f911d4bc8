"""The charts' look, shared by every notebook: one font, a registered Altair theme, named colours.

A notebook's Altair code picks its colours from `palette` (e.g. `palette.blue`), so one edit here changes
every figure, and a notebook can still set any colour of its own. The theme is applied when a figure is
published (helpers.report.figures.chart_spec)."""

from dataclasses import dataclass

import altair as alt

THEME_NAME = "briefing"
FONT = "DejaVu Sans"  # installed on the build machine; other fonts make SVG text clip


@dataclass(frozen=True)
class Palette:
    blue: str = "#1f5f8b"  # the main series: this year, a rise, the raw rows
    orange: str = "#d1603d"  # a fall; year-on-year changes
    green: str = "#6a994e"
    purple: str = "#8e6c8a"
    gold: str = "#c9a227"  # the story's date and periods; January–February combined
    dark_grey: str = "#5b5b5b"
    light_blue: str = "#9ecae1"  # months derived from two releases
    light_gold: str = "#f0d98a"
    dark_gold: str = "#8a6d00"  # text on or beside gold
    grey: str = "#b0b0b0"  # a year earlier; mixed vintages
    light_grey: str = "#c8c8c8"  # all other goods
    red: str = "#c0392b"  # a wire figure beside the raw rows
    rule: str = "#888"  # zero lines and reference lines
    note: str = "#555"  # words written on a chart
    grid: str = "#e6e6e6"
    # four more for stacked groups (Figure 6), after blue, orange, green, purple and gold
    steel: str = "#5b8fa8"
    brick: str = "#a44a3f"
    pine: str = "#3d7a5c"
    brown: str = "#7a5c3d"


palette = Palette()


def on_date(date: str) -> alt.datum:
    """A fixed date on a time axis, for rules and labels (a string datum is not placed on one)."""
    year, month, day = (int(part) for part in date[:10].split("-"))
    return alt.datum(alt.DateTime(year=year, month=month, date=day))


LABELS = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": 11, "titleFontSize": 12}


@alt.theme.register(THEME_NAME, enable=False)
def briefing_theme() -> alt.theme.ThemeConfig:
    """Project look: one font everywhere, ~640 px wide, quiet grid."""
    return {
        "config": {
            "font": FONT,
            "view": {
                "continuousWidth": 560,
                "continuousHeight": 300,
                "discreteWidth": 560,
                "stroke": None,
            },
            "title": {"font": FONT, "fontSize": 15, "anchor": "start", "subtitleFont": FONT},
            "axis": {**LABELS, "gridColor": palette.grid},
            "legend": {**LABELS},
            "header": {"labelFont": FONT, "titleFont": FONT},
            "text": {"font": FONT},
            "range": {
                "category": [
                    palette.blue,
                    palette.orange,
                    palette.green,
                    palette.purple,
                    palette.gold,
                    palette.dark_grey,
                ]
            },
        }
    }


def nothing_to_draw(data, text: str) -> alt.Chart:
    """A figure that says, in one line, why it has nothing to draw (e.g. no group has a figure for the period):
    published like any chart, so the figure's number, caption and CSV stay in place."""
    return (
        alt.Chart(data)
        .transform_window(n="row_number()")
        .transform_filter("datum.n == 1")
        .mark_text(fontSize=13, color=palette.note, align="left")
        .encode(x=alt.value(0), y=alt.value(10), text=alt.value(text))
        .properties(width=400, height=20)
    )
