"""Headline section: the text and F3's caption, written from the numbers (the charts' Altair code is in
notebooks/01_headline.ipynb)."""

import math

import pandas as pd

from ..core.text import direction, is_missing, pct, signed_pct, span_label, usd_bn, word_list
from ..model.raw_rows import row_ranges
from ..model.turnover import record_year


def ytd_caption(comparison: pd.DataFrame) -> str:
    """F3's caption: the two y/y rates, and which levels are sums of raw rows rather than the wire's figures."""
    caption = (
        "Published y/y is GACC's (against its revised prior-year figure); y/y from levels divides the two "
        "levels shown; neither is corrected."
    )
    for row in comparison.itertuples():
        period = row.period
        spans = [(period, row.value_basis), (f"{int(period[:4]) - 1}{period[4:]}", row.prior_basis)]
        raw = [
            span_label(p) if not p.endswith("-12") else f"full-year {p[:4]}"
            for p, basis in spans
            if basis not in ("published", None)
        ]
        if raw:
            caption += (
                f" {row.flow}, {' and '.join(raw)}: UN Comtrade rows (they outrank the wire)."
            )
    return caption


def headline_text(
    annual: pd.DataFrame, comparison: pd.DataFrame, period_end: str, partner_name: str
) -> str:
    """The section's sentences, written from the numbers (nothing typed by hand)."""
    label = span_label(period_end)
    total = comparison.set_index("flow").loc["Turnover"]
    sentences = []
    if is_missing(total.value_usd_mn):
        sentences.append(
            f"No turnover figure for {label} is in the data: no outlet in the vendored set "
            f"reported GACC's year-to-date total for that period."
        )
    else:
        sentence = f"China–{partner_name} trade in {label} came to **{usd_bn(total.value_usd_mn)}**"
        if not is_missing(total.yoy_pct_published):
            sentence += (
                f", {direction(total.yoy_pct_published)} **{pct(total.yoy_pct_published)}** on a year earlier "
                f"by GACC's published rate"
            )
        if not is_missing(total.yoy_pct_from_levels):
            sentence += (
                f" ({direction(total.yoy_pct_from_levels)} {pct(total.yoy_pct_from_levels)} computed from "
                f"the two published levels, {usd_bn(total.value_usd_mn)} vs "
                f"{usd_bn(total.prior_value_usd_mn)}; GACC compares with its revised prior-year figure, so the "
                f"two can differ by a few tenths of a point)"
            )
        sentences.append(sentence + ".")
    parts = []
    rates_only, in_yuan, yuan_sources = [], [], []
    for flow in ("China's exports", "China's imports"):
        row = comparison.set_index("flow").loc[flow]
        if is_missing(
            row.value_usd_mn
        ):  # a rate without a level is still said, in its own currency
            if not is_missing(row.yoy_pct_published):
                rates_only.append(f"{flow.split()[-1]} {signed_pct(row.yoy_pct_published)}")
            elif not is_missing(
                row.get("yoy_pct_yuan", math.nan)
            ):  # full-year 2025: Reuters' yuan-terms rates
                in_yuan.append((flow.split()[-1], signed_pct(row.yoy_pct_yuan)))
                yuan_sources.append((row.yuan_publisher, int(row.yuan_source_row)))
            continue
        published = not is_missing(row.yoy_pct_published)
        change = row.yoy_pct_published if published else row.yoy_pct_from_levels
        text = f"{flow.lower().replace('china', 'China')} {usd_bn(row.value_usd_mn)}"
        notes = []
        if not is_missing(change):  # a rate GACC did not publish is marked as computed
            notes.append(f"{signed_pct(change)}{'' if published else ' from levels'}")
        if (
            row.get("value_basis", "published") != "published"
        ):  # e.g. the sum of UN Comtrade's monthly rows
            notes.append(row.value_basis)
        if notes:
            text += f" ({'; '.join(notes)})"
        parts.append(text)
    if parts:
        sentence = "Of this, " + " and ".join(parts)
        by_flow = comparison.set_index("flow")
        levels = by_flow.loc[["China's exports", "China's imports"]]
        mixed = (
            levels.get("value_basis", pd.Series("published", index=levels.index)) != "published"
        ).any()
        if mixed and not levels.value_usd_mn.isna().any() and not is_missing(total.value_usd_mn):
            # a sum of raw rows beside GACC's published total: say why the parts need not add up to it
            sentence += (
                f"; these come from different sources (a sum of raw rows beside GACC's published figures), "
                f"so together they give {usd_bn(levels.value_usd_mn.sum())}, not the total's "
                f"{usd_bn(total.value_usd_mn)}"
            )
        sentences.append(sentence + ".")
    if rates_only:
        sentences.append(
            f"China's {' and '.join(rates_only)} on a year earlier by GACC's published "
            f"rate{'s' if len(rates_only) > 1 else ''}; no level for them is in the data."
        )
    if in_yuan:
        by_page: dict = {}  # each page once, its rows together
        for page, row in yuan_sources:
            by_page.setdefault(page, []).append(row)
        cited = "; ".join(
            f"{page}, row{'s' if len(rows) > 1 else ''} {row_ranges(rows)}"
            for page, rows in by_page.items()
        )
        sentences.append(
            f"No US$ figure for China's {word_list(f for f, _ in in_yuan)} in {label} is in the data; "
            f"in yuan terms {' and '.join(f'{f} {pct}' for f, pct in in_yuan)} ({cited}), not converted."
        )
    record = record_year(annual)
    if record is not None:
        years = annual.loc[annual.value_usd_bn.notna(), "year"]
        sentences.append(
            f"The record year in the annual series ({years.min()}–{years.max()}) is **{record.year}**, "
            f"at **{usd_bn(record.value_usd_bn * 1000)}**."
        )
    return " ".join(sentences)
