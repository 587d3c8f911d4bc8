"""Commodity section: the change per group (F4), the metals (F5) and the text, from helpers.model.groups."""
import altair as alt
import pandas as pd

from ..model.groups import NO_FIGURE


def changes_chart(changes: pd.DataFrame, span_label: str) -> alt.LayerChart:
    tooltip = [alt.Tooltip("label:N", title="group"), alt.Tooltip("flow:N"),
               alt.Tooltip("change_pct:Q", title="change %", format="+.1f"),
               alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=",.2f"), alt.Tooltip("basis:N"),
               alt.Tooltip("source:N")]
    y = alt.Y("label:N", sort=None, title=None, axis=alt.Axis(labelLimit=320))
    bars = alt.Chart().transform_filter("datum.has_figure").mark_bar().encode(
        y=y, x=alt.X("bar_change_pct:Q", title=f"change vs a year earlier, %, {span_label}"),
        color=alt.condition("datum.change_pct < 0", alt.value("#d1603d"), alt.value("#1f5f8b")), tooltip=tooltip)
    missing = alt.Chart().transform_filter("!datum.has_figure").mark_text(
        align="left", dx=4, color="#777", fontStyle="italic").encode(y=y, x=alt.datum(0), text=alt.value(NO_FIGURE),
                                                                      tooltip=tooltip)
    zero = alt.Chart().mark_rule(color="#888").encode(x=alt.datum(0))
    return alt.layer(bars, missing, zero, data=changes).properties(width=520, height=alt.Step(18))


def metals_chart(metals: pd.DataFrame) -> alt.Chart:
    return alt.Chart(metals).transform_filter("isValid(datum.yoy_pct)").mark_point(filled=True, size=70).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(padding=14)),
        y=alt.Y("yoy_pct:Q", title="change vs a year earlier, %"),
        color=alt.Color("metal:N", title=None, legend=alt.Legend(orient="right")),
        shape=alt.Shape("span:N", title="period"),
        tooltip=["metal:N", "period:N", "span:N", alt.Tooltip("yoy_pct:Q", format="+.1f"), "value:Q", "unit:N",
                 "source:N"]).properties(width=520, height=260)


def commodities_text(changes: pd.DataFrame, span_label: str) -> str:
    shown = changes.loc[changes.has_figure]
    missing = changes.loc[~changes.has_figure, "label"].tolist()
    parts = []
    if len(shown):
        falls = shown.loc[shown.change_pct < 0].sort_values("change_pct").head(3)
        rises = shown.loc[shown.change_pct > 0].sort_values("change_pct", ascending=False).head(3)
        for kind, picked in (("falls", falls), ("rises", rises)):
            if len(picked):
                parts.append(f"Largest {kind} in {span_label} among groups with a published figure: " + ", ".join(
                    f"{r.label} {r.change_pct:+.1f}%" for r in picked.itertuples()) + ".")
    else:
        parts.append(f"No commodity group has a published figure for {span_label}.")
    if missing:
        parts.append(f"{len(missing)} of {len(changes)} groups have no published figure for this period: "
                     + ", ".join(missing) + ".")
    return " ".join(parts)
