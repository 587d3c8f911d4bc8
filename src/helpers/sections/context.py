"""Context section: Chinese brands in Russia's car market (F9), China vs Russia GDP (F10), machine
tools (table + why the story's figure cannot be checked), the Bank of Russia key rate (F11).
Views come from helpers.model.context_facts; this module draws them and writes the text."""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..core.text import day_label, month_name, signed_pct
from ..model.context_facts import (
    claim_span,
    first_month_above,
    latest_same_vintage_ratio,
    machine_tools_check,
    prewar_range,
)


def date_datum(date: str) -> alt.DateTime:
    """A fixed date for rules and labels (a plain string datum is not placed on a time axis)."""
    year, month, day = (int(part) for part in date[:10].split("-"))
    return alt.datum(alt.DateTime(year=year, month=month, date=day))


def car_share_chart(view: pd.DataFrame, story_date: str) -> alt.LayerChart:
    tooltip = [
        alt.Tooltip("period_as_published:N", title="period (as published)"),
        alt.Tooltip("value_as_published:N", title="share (as published)"),
        alt.Tooltip("value_kind:N", title="value is"),
        alt.Tooltip("entity:N"),
        alt.Tooltip("measure:N"),
        alt.Tooltip("source:N"),
    ]
    points = (
        alt.Chart()
        .transform_filter(alt.datum.plotted)
        .mark_point(size=60, strokeWidth=1.6)
        .encode(
            x=alt.X(
                "date:T",
                title=None,
                scale=alt.Scale(domain=["2020-01-01", "2026-03-01"]),
                axis=alt.Axis(format="%Y", tickCount="year"),
            ),  # years only, not "2021 July 2022 July"
            y=alt.Y(
                "share_pct:Q",
                title="Chinese brands' share of new-car sales, %",
                scale=alt.Scale(domain=[0, 70]),
            ),
            color=alt.Color(
                "period_kind:N", title="Figure covers", legend=alt.Legend(orient="top")
            ),
            fill=alt.condition(
                alt.datum.value_kind == "exact",
                alt.Color("period_kind:N", legend=None),
                alt.value("white"),
            ),
            shape=alt.Shape(
                "marker:N",
                title=None,
                scale=alt.Scale(
                    domain=["published number", "phrase (plotted at the number it names)"],
                    range=["circle", "diamond"],
                ),
                # no legend: Vega-Lite draws its symbols invisible (stroke "transparent" for a fill-encoded point);
                # the caption says open diamonds are phrases
                legend=None,
            ),
            tooltip=tooltip,
        )
    )
    once = alt.InlineData(
        values=[{}]
    )  # one mark per reference, not one per row of the chart's data
    references = [
        alt.Chart(once).mark_rule(color="#888", strokeDash=[4, 3]).encode(y=alt.datum(level))
        for level in (10, 50)
    ]
    labels = [
        alt.Chart(once)
        .mark_text(align="left", dx=4, dy=-6, color="#666")
        .encode(x=date_datum("2020-01-15"), y=alt.datum(level), text=alt.value(f"{level}%"))
        for level in (10, 50)
    ]
    story = alt.Chart(once).mark_rule(color="#c9a227").encode(x=date_datum(story_date))
    story_label = (
        alt.Chart(once)
        .mark_text(align="right", dx=-4, y=8, color="#8a6d00")
        .encode(x=date_datum(story_date), text=alt.value("story published"))
    )
    return alt.layer(*references, *labels, story, story_label, points, data=view).properties(
        width=600, height=170
    )


def gdp_chart(data: pd.DataFrame, story_ratio: float | None = None) -> alt.VConcatChart:
    x = alt.X(
        "year:Q",
        title=None,
        axis=alt.Axis(format="d", tickMinStep=1),
        scale=alt.Scale(zero=False, nice=False, padding=12),
    )
    levels = (
        alt.Chart()
        .transform_filter(alt.datum.panel == "level")
        .mark_point(size=55, filled=True)
        .encode(
            x=x,
            y=alt.Y("gdp_usd_tn:Q", title="Nominal GDP, US$ trillion"),
            color=alt.Color("country:N", title=None, legend=alt.Legend(orient="top")),
            shape=alt.Shape(
                "source:N",
                title="Source",
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=260),
            ),
            tooltip=[
                alt.Tooltip("country:N"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("gdp_usd_tn:Q", title="US$ tn", format=",.3f"),
                alt.Tooltip("value_as_published:N", title="as published"),
                alt.Tooltip("projection:N"),
                alt.Tooltip("label:N", title="source, vintage"),
            ],
        )
        .properties(width=560, height=130)
    )
    bases = ["same source and vintage", "mixed vintages"]
    # fill and outline by the same field and title: Vega-Lite draws one legend whose symbols look like the points
    ratio = (
        alt.Chart()
        .transform_filter(alt.datum.panel == "ratio")
        .mark_point(size=70, strokeWidth=2, filled=True)
        .encode(
            x=x,
            y=alt.Y("ratio:Q", title="China ÷ Russia", scale=alt.Scale(zero=False)),
            color=alt.Color(
                "basis:N",
                title="Ratio of",
                scale=alt.Scale(domain=bases, range=["#1f5f8b", "white"]),
                legend=alt.Legend(orient="bottom"),
            ),
            stroke=alt.Stroke(
                "basis:N",
                title="Ratio of",
                scale=alt.Scale(domain=bases, range=["#1f5f8b", "#b0b0b0"]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("ratio:Q", format=".2f"),
                alt.Tooltip("basis:N"),
                alt.Tooltip("china_source:N", title="China figure"),
                alt.Tooltip("russia_source:N", title="Russia figure"),
            ],
        )
    )
    layers = [ratio]
    if story_ratio is not None:
        layers.insert(
            0,
            alt.Chart()
            .mark_rule(color="#c9a227", strokeDash=[4, 3])
            .encode(y=alt.datum(story_ratio)),
        )
    return alt.vconcat(
        levels, alt.layer(*layers).properties(width=560, height=90), data=data
    ).resolve_scale(x="shared", color="independent", stroke="independent", shape="independent")


def machine_tools_text(production: pd.DataFrame, claim: dict) -> str:
    change = claim["story"]["change_pct"]
    start, end_year = claim_span(claim["statement"])
    check = machine_tools_check(production, start, end_year)
    if check["checkable"]:
        return (
            f"The story's +{change:g}% for machine-tool output over {start}–{end_year} can be compared with "
            f"{check['measure']}: {signed_pct(check['change_pct'])}."
        )
    parts, single_year = [], {}
    for span in check["spans"]:
        years = span["years"]
        if len(years) > 1:
            parts.append(
                f"{span['measure']} for {' and '.join(map(str, years))} "
                f"({span['change_pct']:+.0f}% between them, a different span)"
            )
        else:
            single_year.setdefault(years[0], []).append(span["measure"])
    for year, measures in sorted(
        single_year.items()
    ):  # one clause a year, not one a series (the table lists them)
        parts.append(
            f"{measures[0]} for {year} only"
            if len(measures) == 1
            else f"{len(measures)} series for {year} only (listed in the table and its CSV)"
        )
    growth = production.loc[production.Unit == "percent"]
    growth_text = "; ".join(
        f"{value}% ({measure}, {period})"
        for measure, period, value in zip(growth["What is measured"], growth.Period, growth.Value)
    )
    return (
        f"The story's +{change:g}% rise in machine-tool output over the three years to {end_year} cannot be "
        f"checked here: no production series in the data has both {start} and {end_year}. What the data hold "
        f"instead: "
        + "; ".join(parts)
        + (f"; growth rates over other spans — {growth_text}" if growth_text else "")
        + f". It would be settled by {claim['settle_with']}."
    )


def key_rate_chart(path: pd.DataFrame, story_date: str) -> alt.LayerChart:
    line = (
        alt.Chart()
        .mark_line(interpolate="step-after", color="#1f5f8b")
        .encode(
            # "Jan 2024" every six months (Vega's default mixes month names and years: "July October 2024 April")
            x=alt.X(
                "date:T",
                title=None,
                axis=alt.Axis(
                    format="%b %Y",
                    tickCount={"interval": "month", "step": 6},
                    labelOverlap="greedy",
                ),
            ),
            y=alt.Y("rate_pct:Q", title="Key rate, % a year", scale=alt.Scale(zero=False)),
        )
    )
    points = (
        alt.Chart()
        .transform_filter(alt.datum.decision != "(no change in the data)")
        .mark_point(filled=True, color="#1f5f8b")
        .encode(
            # no legend (the caption says it): circles are decisions whose exact date the source did not give
            x="date:T",
            y="rate_pct:Q",
            shape=alt.Shape(
                "date_exact:N",
                scale=alt.Scale(domain=[False, True], range=["circle", "square"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T"),
                alt.Tooltip("date_as_published:N", title="date as published"),
                alt.Tooltip("rate_pct:Q", title="rate %"),
                alt.Tooltip("decision:N"),
                alt.Tooltip("source:N"),
            ],
        )
    )
    story = alt.Chart().mark_rule(color="#c9a227").encode(x=date_datum(story_date))
    return alt.layer(line, points, story, data=path).properties(width=600, height=110)


def key_rate_text(path: pd.DataFrame, story_date: str) -> str:
    """Why the key-rate chart is here, and what it shows on the story's date, from the decisions in the data."""
    why = "Context, not a checked claim: the story reports carmakers blaming slower sales partly on dear credit."
    before = path.loc[path.date <= story_date]
    if before.empty:
        return why + " No Bank of Russia decision up to the story's date is in the data."
    on_story = before.rate_pct.iloc[-1]
    peak = before.rate_pct.max()
    first_peak = before.loc[before.rate_pct == peak].iloc[0]
    lower_after = path.loc[(path.date > first_peak.date) & (path.rate_pct < peak)]
    held = (
        f"{day_label(first_peak.date)} – {day_label(lower_after.date.iloc[0])}"
        if len(lower_after)
        else f"from {day_label(first_peak.date)}"
    )
    return (
        why
        + f" The Bank of Russia's key rate was **{on_story:g}%** on the story's date ({day_label(story_date)}), "
        f"after a peak of {peak:g}% ({held})."
    )


# --------------------------------------------------------------------------------- narrative


def context_text(car_view: pd.DataFrame, ratios: pd.DataFrame, period_end: str) -> str:
    """The section's intro, written from the numbers."""
    sentences = []
    first = first_month_above(car_view)
    prewar = car_view.loc[car_view.before_invasion & car_view.plotted]
    if len(prewar):
        sentences.append(
            f"Before the invasion, Chinese brands' share of Russia's new-car market was small in all "
            f"{len(prewar)} figures collected here ({prewar_range(prewar)})."
        )
    if first is not None:
        sentences.append(
            f"The first month above half was **{month_name(first.date)} {first.date[:4]}**, at "
            f"**{first.share_pct:g}%** ({first.source})."
        )
    months = car_view.loc[car_view.exact_month & (car_view.value_kind == "exact")]
    if len(months):
        peak, latest = months.loc[months.share_pct.idxmax()], months.sort_values("date").iloc[-1]
        sentences.append(
            f"The highest monthly share in the data is {peak.share_pct:g}% "
            f"({month_name(peak.date)} {peak.date[:4]}); the latest is {latest.share_pct:g}% "
            f"({month_name(latest.date)} {latest.date[:4]})."
        )
    best = latest_same_vintage_ratio(ratios, int(ratios.year.max()))
    if best is not None:
        sentences.append(
            f"China's economy was **{best.ratio:.1f} times** Russia's in {best.year} in US$ at market "
            f"exchange rates, using both figures from one release ({best.china_source.split(' (')[0]})."
        )
    later = ratios.loc[
        (ratios.year > (best.year if best is not None else 0)) & (ratios.basis == "mixed vintages")
    ]
    if len(later):
        sentences.append(
            "For "
            + ", ".join(str(y) for y in later.year)
            + " the data hold no pair from one release; "
            "mixing releases gives "
            + ", ".join(f"{r:.1f}×" for r in later.ratio)
            + " (mixed vintages, shown hollow below)."
        )
    sentences.append(
        f"These context figures are not tied to the reporting period ending {period_end}: all "
        f"available figures are shown, with the story's publication date marked."
    )
    return " ".join(sentences)


def machine_tools_summary(production: pd.DataFrame) -> str:
    """What the machine-tool table holds, for print (the table itself is on screen and in the CSV)."""
    years = sorted(production.Period.astype(str).str[:4].unique())
    sources = production.Source.astype(str).str.split(" \\(").str[0].nunique()
    return (
        (
            f"<p>{len(production)} published figures on Russia's machine-tool production ({years[0]}–{years[-1]}, "
            f"from {sources} outlets): levels in units or roubles and growth rates, each as its source wrote it. "
            "The paragraph below says which of them form a series.</p>"
        )
        if len(production)
        else "<p>No machine-tool production figures are in the data.</p>"
    )
