"""Headline section: the text and F3's caption, written from the numbers (the charts' Altair code is in
notebooks/01_headline.ipynb)."""

import math

import pandas as pd
from markupsafe import Markup

from ..core.text import direction, is_missing, pct, span_label, usd_bn, word_list
from ..model.turnover import record_year
from ..report.notes import note
from .notes import Citer


def ytd_caption(comparison: pd.DataFrame) -> str:
    """F3's caption: the two y/y rates, and which levels are sums of raw rows rather than the wire's figures."""
    caption = (
        "Published y/y is GACC's (against its revised prior-year figure); y/y from levels divides the two "
        "levels shown; neither is corrected."
    )
    for row in comparison.itertuples():
        period = row.period
        spans = [(period, row.value_basis), (f"{int(period[:4]) - 1}{period[4:]}", row.prior_basis)]
        raw = [span_label(p) for p, basis in spans if basis not in ("published", None)]
        if raw:
            caption += (
                f" {row.flow}, {' and '.join(raw)}: UN Comtrade rows (they outrank the wire)."
            )
    return caption


def _flow_notes(row, citer: Citer, what: str = "") -> list:
    """Where a flow's level and rate come from: this year, a year earlier (rows of a file or the wire);
    `what` names the flow where one note holds two."""
    parts = []
    for level, label in (("value", f"{what}: " if what else ""), ("prior", "a year earlier: ")):
        files = row.get(f"raw_{level}_files", "")
        if isinstance(files, str) and files and row.get(f"{level}_basis") != "published":
            cited = citer.rows(files, row[f"raw_{level}_row_ranges"], "UN Comtrade")
            parts.append(Markup("{}{}, which outrank the wire").format(label, cited))
        elif isinstance(row.get(f"{level}_source"), str) and row[f"{level}_source"]:
            parts.append(Markup("{}{}").format(label, citer.cited(row[f"{level}_source"])))
    return parts


def _trade(total, label: str, partner_name: str, citer: Citer, by: str = "") -> str:
    """'China–Russia trade in January–July 2025 came to **$123.4bn**, down **8.1%** on a year earlier' (the
    rate where GACC published one, `by` naming whose it is) and its note."""
    rate = total.yoy_pct_published
    said = "" if is_missing(rate) else f", {direction(rate)} **{pct(rate)}** on a year earlier{by}"
    return (
        f"China–{partner_name} trade in {label} came to **{usd_bn(total.value_usd_mn)}**{said}."
        + note(*_flow_notes(total, citer))
    )


def _change(value: float) -> str:
    """'down 8.5%', 'up 0.7%'."""
    return f"{direction(value)} {pct(value)}"


def _moved(name: str, value: float) -> str:
    """'exports fell 8.5%', 'imports rose 0.7%'."""
    return f"{name} {direction(value, 'rose', 'fell', 'were unchanged')} {pct(value)}"


def _elided(said: list[str]) -> str:
    """'exports fell 9.9% and imports 3.4%': the second verb left out where it repeats the first."""
    if len(said) == 2 and said[0].split()[1] == said[1].split()[1]:
        first, (name, _verb, rest) = said[0], said[1].split(" ", 2)
        return f"{first} and {name} {rest}"
    return word_list(said)


def _yuan_note(sources: list, citer: Citer) -> list:
    """The rows of yuan-terms rates, each page once."""
    by_page: dict = {}
    for page, row in sources:
        by_page.setdefault(page, []).append(row)
    return [citer.rows(citer.totals_file, rows, page) for page, rows in by_page.items()]


def headline_text(
    annual: pd.DataFrame,
    comparison: pd.DataFrame,
    period_end: str,
    partner_name: str,
    citer: Citer | None = None,
) -> str:
    """The section's sentences, written from the numbers (nothing typed by hand); where each number comes
    from is in its note (`citer`: the briefing's rows; without it the notes name outlet, file and row)."""
    citer = citer or Citer()
    label = span_label(period_end)
    by_flow = comparison.set_index("flow")
    total = by_flow.loc["Turnover"]
    sentences = []
    if is_missing(total.value_usd_mn):
        sentences.append(
            f"No turnover figure for {label} is in the data: no outlet in the vendored set "
            f"reported GACC's year-to-date total for that period."
        )
    else:
        sentences.append(_trade(total, label, partner_name, citer, " by GACC's published rate"))
        if not is_missing(total.yoy_pct_from_levels):
            sentences.append(
                f"From the two published levels, {usd_bn(total.value_usd_mn)} against "
                f"{usd_bn(total.prior_value_usd_mn)}, it is {_change(total.yoy_pct_from_levels)}."
                + note(
                    "GACC compares with its revised figure for a year earlier, so the two rates can "
                    "differ by a few tenths of a point"
                )
            )
    parts, flow_notes = [], []
    rates_only, in_yuan, yuan_sources = [], [], []
    for flow in ("China's exports", "China's imports"):
        row = by_flow.loc[flow]
        if is_missing(
            row.value_usd_mn
        ):  # a rate without a level is still said, in its own currency
            if not is_missing(row.yoy_pct_published):
                rates_only.append(f"{flow.split()[-1]} {_change(row.yoy_pct_published)}")
            elif not is_missing(row.get("yoy_pct_yuan", math.nan)):
                # full-year 2025: Reuters' yuan-terms rates
                in_yuan.append((flow.split()[-1], row.yoy_pct_yuan))
                yuan_sources.append((row.yuan_publisher, int(row.yuan_source_row)))
            continue
        published = not is_missing(row.yoy_pct_published)
        change = row.yoy_pct_published if published else row.yoy_pct_from_levels
        # "China's exports came to …, and its imports to …"
        text = (f"{flow} came" if not parts else "its imports") + f" to {usd_bn(row.value_usd_mn)}"
        if not is_missing(change):  # a rate GACC did not publish is marked as computed
            text += f", {_change(change)}{'' if published else ' computed from levels'}"
        parts.append(text)
        flow_notes += _flow_notes(row, citer, flow.split()[-1].capitalize())
    if parts:
        sentences.append(", and ".join(parts) + "." + note(*flow_notes))
        levels = by_flow.loc[["China's exports", "China's imports"]]
        mixed = (
            levels.get("value_basis", pd.Series("published", index=levels.index)) != "published"
        ).any()
        if mixed and not levels.value_usd_mn.isna().any() and not is_missing(total.value_usd_mn):
            # a sum of raw rows beside GACC's published total: say why the parts need not add up to it
            sentences.append(
                "The two come from different sources, so together they give "
                f"{usd_bn(levels.value_usd_mn.sum())}, not the total's {usd_bn(total.value_usd_mn)}."
                + note("A sum of raw rows beside GACC's published figures")
            )
    if rates_only:
        sentences.append(
            f"GACC published China's {word_list(rates_only)} on a year earlier, with no level for "
            f"{'them' if len(rates_only) > 1 else 'it'} in the data."
        )
    if in_yuan:
        sentences.append(
            f"No US$ figure for China's {word_list(f for f, _ in in_yuan)} in {label} is in the data. "
            f"In yuan terms, {word_list(_moved(f, c) for f, c in in_yuan)}; the briefing does not "
            "convert them."
            + note(
                *_yuan_note(yuan_sources, citer),
                "A rate in yuan terms is never a US$ figure's change",
            )
        )
    record = record_year(annual)
    if record is not None:
        years = annual.loc[annual.value_usd_bn.notna(), "year"]
        sentences.append(
            f"The annual series runs from {years.min()} to {years.max()}; its record year is "
            f"**{record.year}**, at **{usd_bn(record.value_usd_bn * 1000)}**."
            + note(citer.cited(record.source))
        )
    return " ".join(sentences)


def headline_summary(
    annual: pd.DataFrame, comparison: pd.DataFrame, period_end: str, partner_name: str, citer: Citer
) -> str:
    """The key findings' first bullet: the headline in three short sentences (its notes name the rows)."""
    label = span_label(period_end)
    by_flow = comparison.set_index("flow")
    total = by_flow.loc["Turnover"]
    sentences = []
    if is_missing(total.value_usd_mn):
        sentences.append(f"No turnover figure for {label} is in the data.")
    else:
        sentences.append(_trade(total, label, partner_name, citer))
    flows, flow_notes, yuan, yuan_sources = [], [], [], []
    for flow in ("China's exports", "China's imports"):
        row = by_flow.loc[flow]
        name = flow.split()[-1]
        published = not is_missing(row.yoy_pct_published)
        change = row.yoy_pct_published if published else row.yoy_pct_from_levels
        if is_missing(row.value_usd_mn) and not published:
            if not is_missing(row.get("yoy_pct_yuan", math.nan)):
                yuan.append(_moved(name, row.yoy_pct_yuan))
                yuan_sources.append((row.yuan_publisher, int(row.yuan_source_row)))
            continue
        # a published rate without a level is said alone ('exports fell 9.9%')
        level = "" if is_missing(row.value_usd_mn) else f" to {usd_bn(row.value_usd_mn)}"
        flows.append(
            f"{name} came{level}" if is_missing(change) else f"{_moved(name, change)}{level}"
        )
        flow_notes += _flow_notes(row, citer, name.capitalize())
        if not published:
            flow_notes.append(f"{name.capitalize()}: rate computed from the levels")
    if flows:
        text = "; ".join(flows)
        sentences.append(text[0].upper() + text[1:] + "." + note(*flow_notes))
    if yuan:
        sentences.append(
            f"In yuan terms, {_elided(yuan)}, with no US$ figure."
            + note(*_yuan_note(yuan_sources, citer))
        )
    record = record_year(annual)
    if record is not None:
        sentences.append(
            f"The record year is **{record.year}**, at **{usd_bn(record.value_usd_bn * 1000)}**."
            + note(citer.cited(record.source))
        )
    return " ".join(sentences)
