"""Context section: Chinese brands in Russia's car market (F9), China vs Russia GDP (F10), machine
tools (table + why the story's figure cannot be checked), the Bank of Russia key rate (F11).
Views come from helpers.model.context_facts; this module writes the text (the charts' Altair code is in
notebooks/03_context.ipynb)."""

from __future__ import annotations

import re

import pandas as pd

from ..core.text import count_word, day_label, month_name, signed_pct, word_list
from ..model.context_facts import (
    claim_span,
    first_month_above,
    latest_same_vintage_ratio,
    machine_tools_check,
)
from ..report.notes import note
from .notes import Citer

CONTEXT_FILE = "data/raw/context_facts.csv"


def split_aside(text: str) -> tuple[str, str]:
    """'domestic machine tool production (ATK+)' -> ('domestic machine tool production', 'ATK+'): a name for
    the sentence, its aside for the note."""
    if text.endswith(")") and " (" in text:
        name, aside = text[:-1].split(" (", 1)
        return name, aside
    return text, ""


def _rows_note(production: pd.DataFrame, measure: str, citer: Citer) -> list:
    rows = production.loc[production["What is measured"] == measure]
    return [citer.outlets(CONTEXT_FILE, [int(r) for r in rows.source_row])]


def machine_tools_text(production: pd.DataFrame, claim: dict, citer: Citer | None = None) -> str:
    citer = citer or Citer()
    change = claim["story"]["change_pct"]
    start, end_year = claim_span(claim["statement"])
    check = machine_tools_check(production, start, end_year)
    if check["checkable"]:
        return (
            f"The story's +{change:g}% for machine-tool output over {start}–{end_year} can be compared with "
            f"{check['measure']}: {signed_pct(check['change_pct'])}."
            + note(*_rows_note(production, check["measure"], citer))
        )
    sentences = [
        f"The story's +{change:g}% rise in machine-tool output over the three years to {end_year} cannot be "
        f"checked here: no production series in the data has both {start} and {end_year}.",
    ]
    single_year: dict = {}
    for span in check["spans"]:
        years = span["years"]
        name, aside = split_aside(span["measure"])
        number = any(
            ch.isdigit() for ch in aside
        )  # a number stays in the text, a source in the note
        cited = note("" if number else aside, *_rows_note(production, span["measure"], citer))
        if len(years) > 1:
            sentences.append(
                f"{name[0].upper() + name[1:]} has figures for {' and '.join(map(str, years))}: "
                f"{span['change_pct']:+.0f}% between them, a different span." + cited
            )
        else:
            single_year.setdefault(years[0], []).append((name, aside if number else "", cited))
    for year, measures in sorted(single_year.items()):  # one sentence a year, not one a series
        if len(measures) == 1:
            name, number, cited = measures[0]  # the aside where it is a number, else ''
            value = f", {number}" if number else ""
            sentences.append(
                f"{name[0].upper() + name[1:]} has a figure for {year} only{value}." + cited
            )
        else:
            sentences.append(
                f"{count_word(len(measures)).capitalize()} series have figures for {year} only; the table "
                "and its CSV list them."
            )
    growth = production.loc[production.Unit == "percent"]
    if len(growth):
        rates = []
        for measure, period, value, row in zip(
            growth["What is measured"], growth.Period, growth.Value, growth.source_row
        ):
            name, aside = split_aside(measure)
            # '2023 (Jan)' -> 'Jan 2023'
            period = re.sub(r"^(\d{4}) \((\w+)\)$", r"\2 \1", str(period))
            rates.append(
                f"{value}% for {name}, {period}" + note(aside, citer.rows(CONTEXT_FILE, int(row)))
            )
        sentences.append("Growth rates cover other spans: " + "; ".join(rates) + ".")
    sentences[0] += note("The claim check names the data that would settle it")
    return " ".join(sentences)


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
        f"from {day_label(first_peak.date)} to {day_label(lower_after.date.iloc[0])}"
        if len(lower_after)
        else f"from {day_label(first_peak.date)}"
    )
    return (
        why + f" The Bank of Russia's key rate was **{on_story:g}%** on the story's date, "
        f"{day_label(story_date)}. It had peaked at {peak:g}%, held {held}."
        + note(
            *dict.fromkeys(
                [before.source.iloc[-1], first_peak.source]
                + ([lower_after.source.iloc[0]] if len(lower_after) else [])
            )
        )
    )


# --------------------------------------------------------------------------------- narrative


def context_text(
    car_view: pd.DataFrame, ratios: pd.DataFrame, period_end: str, citer: Citer | None = None
) -> str:
    """The section's intro, written from the numbers."""
    citer = citer or Citer()

    def cited(rows) -> str:
        return note(citer.outlets(CONTEXT_FILE, [int(r) for r in rows if r == r]))

    sentences = []
    first = first_month_above(car_view)
    prewar = car_view.loc[car_view.before_invasion & car_view.plotted]
    if len(prewar):
        exact = prewar.loc[prewar.value_kind == "exact"]
        phrases = prewar.loc[prewar.value_kind != "exact", "value_as_published"].tolist()
        sentences.append(
            f"Before the invasion, Chinese brands' share of Russia's new-car market was small in all "
            f"{count_word(len(prewar))} figures collected here." + cited(prewar.source_row)
        )
        if len(exact):
            sentences.append(
                f"The highest published figure was {exact.share_pct.max():g}%"
                + (f"; others were published as {word_list(phrases)}." if phrases else ".")
            )
    if first is not None:
        sentences.append(
            f"The first month above half was **{month_name(first.date)} {first.date[:4]}**, at "
            f"**{first.share_pct:g}%**." + cited([first.source_row])
        )
    months = car_view.loc[car_view.exact_month & (car_view.value_kind == "exact")]
    if len(months):
        peak, latest = months.loc[months.share_pct.idxmax()], months.sort_values("date").iloc[-1]
        sentences.append(
            f"The highest monthly share in the data is {peak.share_pct:g}%, in "
            f"{month_name(peak.date)} {peak.date[:4]}; the latest is {latest.share_pct:g}%, in "
            f"{month_name(latest.date)} {latest.date[:4]}."
            + cited([peak.source_row, latest.source_row])
        )
    best = latest_same_vintage_ratio(ratios, int(ratios.year.max()))
    if best is not None:
        sentences.append(
            f"China's economy was **{best.ratio:.1f} times** Russia's in {best.year}, in US$ at market "
            "exchange rates, both figures from one release."
            + note(
                best.china_source.split(" (")[0],
                citer.outlets(CONTEXT_FILE, sorted({int(best.china_row), int(best.russia_row)})),
            )
        )
    later = ratios.loc[
        (ratios.year > (best.year if best is not None else 0)) & (ratios.basis == "mixed vintages")
    ]
    if len(later):
        sentences.append(
            f"For {word_list(str(y) for y in later.year)} the data hold no pair from one release. "
            f"Mixing releases gives {word_list(f'{r:.1f}×' for r in later.ratio)}, shown hollow below as "
            "mixed vintages."
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
            f"<p>{len(production)} published figures, {years[0]}–{years[-1]}, from {sources} outlets: "
            "levels and growth rates, each as its source wrote it.</p>"
        )
        if len(production)
        else "<p>No machine-tool production figures are in the data.</p>"
    )
