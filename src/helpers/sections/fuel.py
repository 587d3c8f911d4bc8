"""China's fuel imports from Russia by code for the story's period (t-fuel-ytd and its text): the raw rows,
GACC's published figure where a secondary compilation ranks below it (helpers.model.fuel), and where each
number comes from. F7 itself is drawn in helpers.sections.raw_rows."""

import re

import pandas as pd
from markupsafe import Markup

from ..core.text import (
    count_word,
    is_missing,
    month_year,
    signed_pct,
    span_label,
    usd_bn,
    word_list,
)
from ..model.fuel import fuel_table
from ..model.resolve import is_tier1, secondary_compilations
from ..report.notes import note
from .notes import Citer

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


def compiler(publisher: str) -> str:
    """'China customs, compiled by X' -> 'the compilation by X' for a publisher naming a secondary compilation
    of config/sources.yaml (its compiler); else the publisher."""
    return next(
        (
            f"the compilation by {e['compiled_by']}"
            for e in secondary_compilations().values()
            if e["compiled_by"] in publisher
        ),
        publisher,
    )


def _described_publisher(publisher: str) -> str:
    return publisher + (
        " (a secondary compilation, ranked below a published GACC figure)"
        if compiler(publisher) != publisher
        else ""
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
    return f"{what} spans {count_word(len(publishers))} sources: {year} from {current}, {year - 1} from {_described_publisher(row.prior_publishers)}."


def crude_note(crude, citer: Citer) -> str:
    """Where the crude-oil figure of the story's period comes from (the key findings and the fuel section
    share it): GACC's figure and its page, or the rows; the year earlier's rows; the compilation's change."""
    year_earlier = Markup("a year earlier, the monthly customs rows: {}").format(
        citer.cite_rows(crude.prior_rows, crude.prior_publishers)
    )
    if crude.used != "GACC":
        return note("HS 2709", citer.cite_rows(crude.value_rows), year_earlier)
    return note(
        "HS 2709",
        Markup("GACC's figure as reported by {}").format(
            citer.cited(crude.wire_source, crude.wire_rows.split(" row")[0])
        ),
        year_earlier,
        f"the compilation's rows give {signed_pct(crude.rows_change_pct)}",
    )


def fuel_text(
    table: pd.DataFrame,
    period: str,
    last_month: str,
    period_end: str | None = None,
    citer: Citer | None = None,
) -> str:
    """The fuel comparison for the story's `period`; where `period_end` (the briefing's month) differs, the
    text says it is the story's period, so a reader of a re-run briefing sees why this section keeps the
    story's months. Outlets, rows and ranking are in the notes; a verdict's caveat stays in the text."""
    citer = citer or Citer()
    label = span_label(period)
    lead = (
        f"In the story's period, {label}, China's imports of Russian crude oil"
        if period_end and period_end != period
        else f"China's imports of Russian crude oil in {label}"
    )
    rows = table.set_index("group")
    crude, together = rows.loc["crude_oil"], rows.loc["together"]
    # the level used: GACC's where it ranks first, else the rows' (then the same as value_usd_mn)
    sentences = [
        f"{lead} came to **{usd_bn(crude.level_usd_mn)}** against "
        f"**{usd_bn(crude.prior_value_usd_mn)}** a year earlier, **{signed_pct(crude.change_pct)}**"
        + ("." if crude.used == "GACC" else ", summed from the monthly customs rows.")
        + crude_note(crude, citer)
    ]
    if crude.used == "GACC":
        if not is_tier1(crude.wire_source):
            sentences.append(
                "That figure is GACC's, but it comes from a non-wire page, so the fuel verdict is "
                "borderline."
            )
        apart = (
            f"{abs(crude.rows_value_usd_mn / crude.value_usd_mn - 1) * 100:.1f}% apart in level, "
            "listed in the conflicts table"
            if crude.value_usd_mn == crude.value_usd_mn
            else ""
        )
        sentences.append(
            f"A secondary compilation of the customs rows, ranked below GACC's figure, gives "
            f"{usd_bn(crude.rows_value_usd_mn)}, {signed_pct(crude.rows_change_pct)}."
            + note(
                citer.cite_rows(crude.rows_rows),
                apart,
            )
        )
    elif is_missing(crude.wire_change_pct):
        sentences.append("No wire has reported GACC's own figure for these months.")
    else:
        sentences.append(
            f"GACC's figure, as a wire reported it, is {signed_pct(crude.wire_change_pct)}."
            + note(citer.cited(crude.wire_source, crude.wire_rows.split(" row")[0]))
        )
    for r in rows.drop(index=["crude_oil", "together"]).itertuples():
        if r.used == "GACC":
            sentences.append(
                f"For {r.label.split(' (')[0].lower()}, GACC's figure is {signed_pct(r.change_pct)} and the "
                f"compilation's {signed_pct(r.rows_change_pct)}."
                + note(
                    citer.cited(r.wire_source, r.wire_rows.split(" row")[0]),
                    citer.cite_rows(r.rows_rows),
                )
            )
    sentences.append(
        f"Coal, crude oil, LNG and pipeline gas together came to {usd_bn(together.value_usd_mn)} against "
        f"{usd_bn(together.prior_value_usd_mn)}, **{signed_pct(together.change_pct)}**."
        + note(
            "The table below gives each code's figure, source and rows; Data and methods names "
            "the sources of the two years"
        )
    )
    if together.rows_change_exact != together.change_exact:
        sentences.append(
            f"On the compilation's rows alone, the change is {signed_pct(together.rows_change_pct)}."
        )
    sentences += [
        "Pipeline-gas values look estimated: they use one unit value for every partner in a year.",
        "The four codes are not all of chapter 27; oil products and the rest are not in these rows."
        + note("Oil products are HS 2710"),
        f"The chart runs to {month_year(last_month)}, the last month in the data.",
    ]
    return " ".join(sentences)
