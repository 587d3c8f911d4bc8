"""Context section: Chinese brands in Russia's car market (F9), China vs Russia GDP (F10), machine
tools (table + why the story's figure cannot be checked), the Bank of Russia key rate (F11).
Views come from helpers.model.context_facts; this module writes the text (the charts' Altair code is in
notebooks/03_context.ipynb)."""

from __future__ import annotations

import pandas as pd

from ..core.text import day_label, month_name, signed_pct
from ..model.context_facts import (
    claim_span,
    first_month_above,
    latest_same_vintage_ratio,
    machine_tools_check,
    prewar_range,
)


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
