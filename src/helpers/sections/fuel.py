"""China's fuel imports from Russia by code for the story's period (t-fuel-ytd and its text): the raw rows,
GACC's published figure where a secondary compilation ranks below it (helpers.model.fuel), and where each
number comes from. F7 itself is drawn in helpers.sections.raw_rows."""

import re

import pandas as pd

from ..core.text import signed_pct, span_label, usd_bn, word_list
from ..model.fuel import fuel_table
from ..model.resolve import is_tier1, secondary_compilations

FUEL_GROUPS = ("crude_oil", "coal", "lng", "pipeline_gas")


def short(citation: str) -> str:
    """'data/raw/fuel/x.csv rows 1–7' -> 'x.csv rows 1–7' for tables and prose (the CSVs keep the full path)."""
    return re.sub(r"data/raw/(?:[a-z_]+/)?", "", citation)


def fuel_comparison(section, period: str) -> pd.DataFrame:
    """Each code and the four together: the figure used (GACC's where a secondary compilation ranks below it,
    otherwise the raw rows'), with the other figure beside it (helpers.model.fuel)."""
    return section.stored(
        "fuel-comparison",
        lambda: fuel_table(
            section.resolved_groups,
            section.raw.fuel,
            section.groups,
            FUEL_GROUPS,
            period,
            section.partner_code,
        ),
        period,
    )


def is_secondary(publisher: str) -> bool:
    """True for a publisher naming a secondary compilation of config/sources.yaml (its compiler)."""
    return any(entry["compiled_by"] in publisher for entry in secondary_compilations().values())


def _described_publisher(publisher: str) -> str:
    return publisher + (
        " (a secondary compilation, ranked below a published GACC figure)"
        if is_secondary(publisher)
        else ""
    )


def compiler(publisher: str) -> str:
    """'China customs, compiled by X' -> 'the compilation by X' for a secondary compilation; else the publisher."""
    return next(
        (
            f"the compilation by {e['compiled_by']}"
            for e in secondary_compilations().values()
            if e["compiled_by"] in publisher
        ),
        publisher,
    )


def figure_used(row) -> str:
    """What a fuel row's figure is and what stands beside it (the table's detail line)."""
    rows = f"{compiler(row.rows_publishers)}: {usd_bn(row.rows_value_usd_mn, 2)}, {signed_pct(row.rows_change_pct)}"
    if row.group == "together":
        parts = "; ".join(
            f"{word_list(label.lower() for label in labels)} from {compiler(publisher)}"
            for publisher, labels in row.value_by_publisher.items()
        )
        return f"Sum of the codes' levels ({parts}); on the rows alone, {rows}"
    if row.used == "GACC":
        what = (
            f"{usd_bn(row.value_usd_mn, 2)}, {signed_pct(row.change_pct)}"
            if row.value_usd_mn == row.value_usd_mn
            else f"{signed_pct(row.change_pct)}, no level (the sum takes the rows')"
        )
        return f"GACC via {row.wire_source}: {what}; ranked below it, {rows}"
    if row.wire_change_pct == row.wire_change_pct or row.wire_usd_mn == row.wire_usd_mn:
        wire = (
            f"{usd_bn(row.wire_usd_mn, 2)}, " if row.wire_usd_mn == row.wire_usd_mn else ""
        ) + signed_pct(row.wire_change_pct)
        return f"The rows; beside them, GACC via {row.wire_source}: {wire}"
    return (
        f"The rows: {compiler(row.rows_publishers)} (no GACC figure published)"
        if row.secondary
        else "The rows (no wire-reported GACC figure)"
    )


def fuel_display(table: pd.DataFrame, period: str) -> pd.DataFrame:
    year = int(period[:4])
    return pd.DataFrame(
        {
            # four decimals, so a figure shown to two is rounded once (41,525.4 -> 41.53, not 41.525 -> 41.52)
            "Codes": table.label,
            f"{span_label(period)}, US$ bn": (table.level_usd_mn / 1000).round(4),
            "Year earlier, US$ bn": (table.prior_value_usd_mn / 1000).round(4),
            "Change, %": table.change_pct,
            "Figure used": [figure_used(row) for row in table.itertuples()],
            "Raw rows": [
                f"{year}: {short(v)}; {year - 1}: {short(p)}"
                for v, p in zip(table.value_rows, table.prior_rows)
            ],
        }
    )


def fuel_sources(row: pd.Series, period: str, what: str = "The comparison") -> str:
    """Where each year of a fuel comparison comes from, read from the rows used: one source or several."""
    year = int(period[:4])
    by_publisher = row.get("value_by_publisher")
    if isinstance(by_publisher, dict) and len(by_publisher) > 1:
        current = word_list(
            f"{_described_publisher(p)} for {word_list(label.lower() for label in labels)}"
            for p, labels in by_publisher.items()
        )
        publishers = set(by_publisher) | {row.prior_publishers}
    else:
        current, publishers = (
            _described_publisher(row.value_publishers),
            {row.value_publishers, row.prior_publishers},
        )
    if row.value_publishers == row.prior_publishers:
        return f"{what}: both years from one source, {current}."
    count = {2: "two", 3: "three", 4: "four"}.get(len(publishers), str(len(publishers)))
    return f"{what} spans {count} sources: {year} from {current}, {year - 1} from {_described_publisher(row.prior_publishers)}."


def fuel_text(
    table: pd.DataFrame, period: str, last_month: str, period_end: str | None = None
) -> str:
    """The fuel comparison for the story's `period`; where `period_end` (the briefing's month) differs, the period is
    marked: the text says "(the story's period)", so a reader of a re-run briefing sees why this section
    keeps the story's months."""
    # a few words, not a sentence: the print layout has no room for another line here
    label = span_label(period) + (
        " (the story's period)" if period_end and period_end != period else ""
    )
    rows = table.set_index("group")
    crude, together = rows.loc["crude_oil"], rows.loc["together"]
    if crude.used == "GACC":
        level = (
            f" ({abs(crude.rows_value_usd_mn / crude.value_usd_mn - 1) * 100:.1f}% apart in level, listed in the "
            "conflicts table)"
            if crude.value_usd_mn == crude.value_usd_mn
            else ""
        )
        crude_text = (
            f"China's imports of Russian crude oil (HS 2709) in {label} came to "
            f"**{usd_bn(crude.level_usd_mn)}** against **{usd_bn(crude.prior_value_usd_mn)}** a year earlier, "
            f"**{signed_pct(crude.change_pct)}**: GACC's figure as reported by {crude.wire_source}"
            f"{'' if is_tier1(crude.wire_source) else ', not a wire agency,'} "
            f"against the monthly customs rows a year earlier. Ranked below it, {compiler(crude.rows_publishers)} "
            f"gives {usd_bn(crude.rows_value_usd_mn)}, {signed_pct(crude.rows_change_pct)}{level}."
        )
    else:
        crude_text = (
            f"China's imports of Russian crude oil (HS 2709) in {label} came to "
            f"**{usd_bn(crude.value_usd_mn)}** against **{usd_bn(crude.prior_value_usd_mn)}** a year earlier, "
            f"**{signed_pct(crude.change_pct)}**, summed from the monthly customs rows "
            f"({short(crude.value_rows)}; {short(crude.prior_rows)}). {figure_used(crude)}."
        )
    gacc = [r for r in rows.drop(index=["crude_oil", "together"]).itertuples() if r.used == "GACC"]
    others = "".join(
        f" {r.label.split(' (')[0]}: GACC's {signed_pct(r.change_pct)} ({r.wire_source}), the "
        f"compilation's {signed_pct(r.rows_change_pct)}."
        for r in gacc
    )
    alone = (
        f" (on the compilation's rows alone {signed_pct(together.rows_change_pct)})"
        if together.rows_change_exact != together.change_exact
        else ""
    )
    sources = fuel_sources(together, period, "The four codes' change")
    return (
        f"{crude_text}{others} Coal, crude oil, LNG and pipeline gas together: {usd_bn(together.value_usd_mn)} vs "
        f"{usd_bn(together.prior_value_usd_mn)}, **{signed_pct(together.change_pct)}**{alone}. {sources} "
        f"Pipeline-gas values look estimated (one unit value for every partner "
        f"in a year), and the four codes are not all of chapter 27: oil products (2710) and the rest are not in "
        f"these rows. The chart runs to {last_month}, the last month in the data."
    )
