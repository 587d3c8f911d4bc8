"""Commodity section: the change per group (F4), the metals (F5) and the text, from helpers.model.groups."""

import altair as alt
import pandas as pd

from ..core.text import signed_pct

RISE, FALL = "#1f5f8b", "#d1603d"


def change_text(change_pct: float, basis: str) -> str:
    """A group's change as a reader should quote it: a published y/y as published ('−27%', '−35.2%', never
    '−27.0%', a precision GACC did not give), a computed one with one decimal ('−20.9%')."""
    return signed_pct(change_pct, None if basis == "published y/y" else 1)


def changes_chart(changes: pd.DataFrame, span_label: str) -> alt.LayerChart:
    """Bars for the groups with a figure; the groups without one are listed under the chart, not drawn."""
    tooltip = [
        alt.Tooltip("label:N", title="group"),
        alt.Tooltip("flow:N"),
        alt.Tooltip("change_pct:Q", title="change %", format="+.1f"),
        alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=",.2f"),
        alt.Tooltip("basis:N"),
        alt.Tooltip("source:N"),
    ]
    if not changes.has_figure.any():
        return (
            alt.Chart(changes)
            .transform_window(n="row_number()")
            .transform_filter("datum.n == 1")
            .mark_text(fontSize=13, color="#555", align="left")
            .encode(
                x=alt.value(0),
                y=alt.value(10),
                text=alt.value(f"No commodity group has a figure for {span_label}."),
            )
            .properties(width=400, height=20)
        )
    y = alt.Y(
        "label:N",
        sort=alt.EncodingSortField("bar_change_pct", op="min", order="ascending"),
        title=None,
        axis=alt.Axis(labelLimit=300, labelFontSize=12),
    )
    shown = (
        alt.Chart()
        .transform_filter("datum.has_figure")
        .transform_calculate(  # as change_text writes it
            change_label="(datum.basis == 'published y/y' ? format(datum.change_pct, '+~g') "
            ": format(datum.change_pct, '+.1f')) + '%'"
        )
    )
    bars = shown.mark_bar().encode(
        y=y,
        x=alt.X(
            "bar_change_pct:Q",
            title=f"change vs a year earlier, %, {span_label}",
            axis=alt.Axis(labelOverlap="greedy", labelSeparation=4),
        ),  # "−60−50" ran together
        color=alt.condition("datum.change_pct < 0", alt.value(FALL), alt.value(RISE)),
        tooltip=tooltip,
    )
    # The number sits beside zero, on the side away from the bar, so it never collides with it.
    falls = (
        shown.transform_filter("datum.change_pct < 0")
        .mark_text(align="left", dx=5, fontSize=12)
        .encode(y=y, x=alt.datum(0), text="change_label:N")
    )
    rises = (
        shown.transform_filter("datum.change_pct >= 0")
        .mark_text(align="right", dx=-5, fontSize=12)
        .encode(y=y, x=alt.datum(0), text="change_label:N")
    )
    zero = alt.Chart().mark_rule(color="#888").encode(x=alt.datum(0))
    return alt.layer(bars, falls, rises, zero, data=changes).properties(
        width=320, height=alt.Step(20)
    )


def missing_groups_text(changes: pd.DataFrame, span_label: str) -> str:
    missing = changes.loc[~changes.has_figure, "label"].tolist()
    if not missing:
        return f"Every group has a figure for {span_label}."
    return (
        f"**Groups with no figure for {span_label}** ({len(missing)} of {len(changes)}): "
        + "; ".join(missing)
        + "."
    )


def metals_chart(metals: pd.DataFrame) -> alt.FacetChart | alt.Chart:
    """One small panel per metal (columns) and per measure (rows): each published y/y change as a stem from zero."""
    if not metals.yoy_pct.notna().any():
        return (
            alt.Chart(metals)
            .transform_window(n="row_number()")
            .transform_filter("datum.n == 1")
            .mark_text(fontSize=13, color="#555", align="left")
            .encode(
                x=alt.value(0),
                y=alt.value(10),
                text=alt.value(
                    "No outlet published a y/y change for these metals up to this period."
                ),
            )
            .properties(width=400, height=20)
        )
    base = alt.Chart().transform_calculate(change_label="format(datum.yoy_pct, '+.0f') + '%'")
    # Whole years on the axis, the same for every panel, so the panels line up in time.
    x = alt.X(
        "date:T",
        title=None,
        scale=alt.Scale(
            domain=[f"{metals.date.min()[:4]}-01-01", f"{metals.date.max()[:4]}-12-31"]
        ),
        axis=alt.Axis(
            format="%Y", tickCount="year", labelFontSize=11, labelOverlap=False, labelFlush=False
        ),
    )
    y = alt.Y(
        "yoy_pct:Q",
        title=None,
        scale=alt.Scale(zero=True, nice=True),
        axis=alt.Axis(tickCount=4, labelFontSize=11),
    )
    color = alt.condition("datum.yoy_pct < 0", alt.value(FALL), alt.value(RISE))
    tooltip = [
        "metal:N",
        "period:N",
        "span:N",
        alt.Tooltip("yoy_pct:Q", title="y/y %", format="+.1f"),
        "value:Q",
        "unit:N",
        "source:N",
    ]
    stems = base.mark_rule(strokeWidth=2).encode(x=x, y=y, y2=alt.datum(0), color=color)
    points = base.mark_point(filled=True, size=60, opacity=1).encode(
        x=x,
        y=y,
        color=color,
        shape=alt.Shape(
            "span:N",
            title="period covered",
            legend=alt.Legend(
                orient="bottom",
                labelFontSize=11,
                titleFontSize=11,
                labelExpr=(
                    "{'month': 'one month', 'ytd': 'January to month', "
                    "'year': 'full year'}[datum.value] || datum.value"
                ),
            ),
        ),
        tooltip=tooltip,
    )
    # The number sits above a rise and below a fall, never on the stem. Where a panel has several changes for
    # the same date (a metal and its sub-group, e.g. aluminium +70% and unwrought aluminium +64% for
    # January-August 2025), their labels would print on top of each other: they go beside the stems instead,
    # the largest to the right, the next to the left, and so on.
    ranked = (
        base.transform_filter("isValid(datum.yoy_pct)")
        .transform_joinaggregate(same_date="count()", groupby=["date"])
        .transform_window(
            rank="row_number()",
            groupby=["date"],
            sort=[alt.SortField("yoy_pct", order="descending")],
        )
    )
    alone = ranked.transform_filter("datum.same_date == 1")
    rise_labels = (
        alone.transform_filter("datum.yoy_pct >= 0")
        .mark_text(dy=-9, fontSize=11)
        .encode(x=x, y=y, text="change_label:N")
    )
    fall_labels = (
        alone.transform_filter("datum.yoy_pct < 0")
        .mark_text(dy=11, fontSize=11)
        .encode(x=x, y=y, text="change_label:N")
    )
    right_labels = (
        ranked.transform_filter("datum.same_date > 1 && datum.rank % 2 == 1")
        .mark_text(align="left", dx=7, fontSize=11)
        .encode(x=x, y=y, text="change_label:N")
    )
    left_labels = (
        ranked.transform_filter("datum.same_date > 1 && datum.rank % 2 == 0")
        .mark_text(align="right", dx=-7, fontSize=11)
        .encode(x=x, y=y, text="change_label:N")
    )
    zero = alt.Chart().mark_rule(color="#888").encode(y=alt.datum(0))
    labels = [rise_labels, fall_labels, right_labels, left_labels]
    # Each label over a white outline of itself: where a label crosses a neighbouring stem (changes a few months
    # apart, e.g. aluminium +8% in October 2024 between the +40% and +30% stems), the stem breaks behind it.
    halos = [
        label.mark_text(
            **{k: v for k, v in label.mark.to_dict().items() if k != "type"},
            stroke="white",
            strokeWidth=3,
            strokeJoin="round",
        )
        for label in labels
    ]
    layered = alt.layer(zero, stems, points, *halos, *labels).properties(width=165, height=80)
    return (
        layered.facet(
            column=alt.Column(
                "metal_family:N",
                title=None,
                header=alt.Header(labelFontSize=13, labelFontWeight="bold"),
            ),
            row=alt.Row(
                "measure:N",
                title=None,
                sort=["value", "quantity"],
                header=alt.Header(
                    labelFontSize=12,
                    labelExpr="datum.value == 'value' ? 'Value, y/y %' : 'Quantity, y/y %'",
                ),
            ),
            data=metals,
        )
        .transform_filter("isValid(datum.yoy_pct)")
        .resolve_scale(y="independent")
    )  # before faceting:
    # a metal/measure pair without any published change gets no panel


def commodities_text(changes: pd.DataFrame, span_label: str) -> str:
    shown = changes.loc[changes.has_figure]
    parts = []
    if len(shown):
        falls = shown.loc[shown.change_pct < 0].sort_values("change_pct")
        rises = shown.loc[shown.change_pct > 0].sort_values("change_pct", ascending=False)
        ranked = []
        for kind, found in (("fall", falls), ("rise", rises)):
            if len(found):
                which = f"the only {kind}" if len(found) == 1 else f"the largest {kind}s"
                ranked.append(
                    f"{which}: "
                    + ", ".join(
                        f"{r.label} {change_text(r.change_pct, r.basis)}"
                        for r in found.head(3).itertuples()
                    )
                )
        if ranked:  # one sentence: the qualifier is said once
            parts.append(
                f"Among groups with a figure for {span_label} (published or computed; the chart says "
                f"which), {'; '.join(ranked)}."
            )
        others = len(changes) - len(shown)
        parts.append(
            f"{len(shown)} of {len(changes)} groups {'has' if len(shown) == 1 else 'have'} a figure for this "
            "period"
            + (
                f"; the {'other is' if others == 1 else 'others are'} listed under the chart."
                if others
                else "."
            )
        )
    else:
        parts.append(f"No commodity group has a figure for {span_label}.")
    return " ".join(parts)
