"""From raw customs rows: trade composition 2017–2023 (BACI, F6), China's fuel imports from Russia by code
(F7) and China's monthly imports from Russia, Comtrade rows beside the wire series (F8).

Views come from helpers.model.raw_rows; this module shapes them for the figures and tables and writes the text
from the numbers. The charts' Altair code is in notebooks/02b_raw_rows.ipynb.
"""

import pandas as pd

from ..core.text import outlet_name, publisher_and_row, signed_pct, span_label, usd_bn
from ..model.fuel import fuel_wire_pairs
from ..model.raw_rows import (
    annual_cross_check,
    composition,
    composition_change,
    fuel_monthly,
    imports_raw_vs_wire,
    monthly_cross_check,
    raw_wire_conflicts,
    ytd_cross_check,
)
from ..model.resolve import is_tier1
from ..model.turnover import annual_turnover
from ..report.tables import number_format, readable_number
from .fuel import FUEL_GROUPS, fuel_comparison, short

# Where the wire totals beside the rows come from (helpers.sources.wire reads them).
TOTALS_FILE = "data/raw/gacc_cn_ru_totals.csv"


COMPOSITION_VERSION = "HS2017"  # the HS edition of the BACI rows the composition is summed from


# ------------------------------------------------------------------------------- composition (F6)
def composition_view(section) -> pd.DataFrame:
    """BACI trade by group, each way and year (the key findings and F6 use it: computed once per build)."""
    return section.shared(
        "composition",
        lambda: section.stored(
            "composition",
            lambda: composition(section.raw.baci, section.groups, COMPOSITION_VERSION),
        ),
    )


def composition_plot_data(view: pd.DataFrame) -> pd.DataFrame:
    """The parts (groups + 'all other goods') with their stack positions: exactly what F6 draws."""
    parts = view.loc[view.group != "total"].copy()
    order = {
        label: i
        for i, label in enumerate(
            dict.fromkeys(
                parts.loc[parts.group != "other"].sort_values(["flow", "group"]).label.tolist()
                + ["All other goods"]
            )
        )
    }
    parts["order"] = parts.label.map(order)
    parts = parts.sort_values(["flow", "year", "order"])
    parts["top"] = parts.groupby(["flow", "year"]).value_usd_bn.cumsum()
    parts["mid"] = parts.top - parts.value_usd_bn / 2
    parts["text"] = parts.value_usd_bn.map(lambda v: f"{v:.1f}")
    return parts.drop(columns=["order"]).reset_index(drop=True)


def composition_table(view: pd.DataFrame, start: str = "2021", end: str = "2023") -> pd.DataFrame:
    change = composition_change(view, start, end)
    change["order"] = change.group.map(lambda g: {"total": 2, "other": 1}.get(g, 0))
    change = change.sort_values(["flow", "order", "label"]).drop(
        columns=["flow", "group", "order", "start", "end"]
    )
    return change.rename(
        columns={
            "direction": "Direction",
            "label": "Part",
            "start_usd_bn": f"{start}, US$ bn",
            "end_usd_bn": f"{end}, US$ bn",
            "change_pct": f"{start}→{end}, %",
        }
    )


def composition_text(view: pd.DataFrame, start: str = "2021", end: str = "2023") -> str:
    change = composition_change(view, start, end).set_index(["flow", "group"])
    first, last = min(view.year), max(view.year)
    sentences = [
        f"CEPII's BACI rows (HS 2017, values reconciled from both countries' declarations, so not identical "
        f"to China's own customs totals) show where the {last} trade came from."
    ]
    for flow, direction in (("export", "China → Russia"), ("import", "Russia → China")):
        total = change.loc[(flow, "total")]
        parts = (
            change.loc[flow]
            .drop(index=["total", "other"])
            .sort_values("end_usd_bn", ascending=False)
        )
        described = "; ".join(
            f"{row.label.split(' (')[0].lower()} {usd_bn(row.end_usd_bn * 1000)} "
            f"({signed_pct(row.change_pct)} on {start})"
            for row in parts.itertuples()
        )
        sentences.append(
            f"**{direction}**: all goods {usd_bn(total.start_usd_bn * 1000)} in {start}, "
            f"{usd_bn(total.end_usd_bn * 1000)} in {end} "
            f"({signed_pct(total.change_pct)}); {described}."
        )
    sentences.append(
        f"The rows cover {first}–{last} only: they show the war-time build-up the 2025 falls are measured "
        "from, not the falls themselves."
    )
    return " ".join(sentences)


# ------------------------------------------------------------------------------- fuel (F7)
def fuel_view(section) -> pd.DataFrame:
    return fuel_monthly(section.raw.fuel)


def imports_view(section) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        wire = section.customs.monthly(section.period_end, first_year=2017)
        return imports_raw_vs_wire(section.raw.comtrade_totals, wire, section.period_end)

    return section.stored("imports-view", compute)


def annual_check(section) -> pd.DataFrame:
    def compute() -> pd.DataFrame:
        totals = section.raw.comtrade_totals
        last_year = totals.period.str[:4].max() if len(totals) else "2000"
        annual = annual_turnover(section.customs, f"{last_year}-12")
        return annual_cross_check(totals, annual.loc[annual.flow == "China's imports"])

    return section.stored("annual-check", compute)


# Wire vs rows differences are a few tenths or hundredths of a percent: two decimals, in the text and the table.
DIFFERENCE_DECIMALS = 2


def annual_display(check: pd.DataFrame) -> pd.DataFrame:
    table = pd.DataFrame(
        {
            "Year": check.year,
            "Comtrade rows, US$ bn": check.raw_usd_bn,
            "Raw rows": check.raw_source.map(short),
            "Wire, US$ bn": check.wire_usd_bn,
            "Wire source": check.wire_source,
            "Wire vs rows, %": check.difference_pct,
            "Beyond rounding": [
                "" if w != w else ("no" if ok else "yes")
                for w, ok in zip(check.wire_usd_bn, check.within_rounding)
            ],
        }
    )
    # the wire figures as published (41.2 stays 41.2, not 41.20)
    return number_format(
        table, decimals={"Wire vs rows, %": DIFFERENCE_DECIMALS}, as_published=["Wire, US$ bn"]
    )


def month_check(section) -> pd.DataFrame:
    return section.stored(
        "month-check",
        lambda: monthly_cross_check(
            section.raw.comtrade_totals, section.customs.monthly(section.period_end, 2017)
        ),
    )


def imports_text(
    view: pd.DataFrame, check: pd.DataFrame, months: pd.DataFrame | None = None
) -> str:
    raw = view.loc[view.bar_source == "UN Comtrade rows"]
    sentences = [
        f"UN Comtrade's rows give China's imports from Russia for every month {raw.period.min()}–"
        f"{raw.period.max()} (January and February separately); the wire-reported GACC series has gaps "
        f"there and a combined January–February figure. Each bar says where it comes from: the rows where they "
        f"exist, otherwise the wire-reported month; red ticks are the wire figure beside a Comtrade bar. The rows "
        f"are the final data China reported to UN Comtrade, the wire figures GACC's releases as first "
        f"published, so the two need not agree to the digit."
    ]
    years = [
        f"{row.year}: ${row.raw_usd_bn:.3f}bn from the rows vs ${readable_number(row.wire_usd_bn)}bn as the "
        f"wire reported GACC ({signed_pct(row.difference_pct, DIFFERENCE_DECIMALS)}"
        f"{'' if row.within_rounding else ', beyond rounding: in the conflicts table'})."
        for row in check.itertuples()
        if row.wire_usd_bn == row.wire_usd_bn
    ]
    sentences += years[-2:]
    if months is not None and len(months):
        sentences += month_check_sentences(months)
    return " ".join(sentences)


def _wire_bn(value_usd_mn: float) -> str:
    """7400 -> '7.4', 20202 -> '20.202': a wire's US$ mn figure in billions with exactly its own digits."""
    return readable_number(round(value_usd_mn / 1000, 3), 3).rstrip("0").rstrip(".")


def _outlet_and_row(source: str) -> str:
    """'Dar El Hilal (Arabic, citing Chinese customs) (row 144)' -> 'Dar El Hilal, row 144'."""
    publisher, row = publisher_and_row(source)
    return outlet_name(publisher) + (f", row {row}" if row else "")


def _span(row) -> str:
    return row.period if row.span == "month" else f"January–February {row.period[:4]}"


def month_check_sentences(months: pd.DataFrame) -> list[str]:
    """How many months the rows and a published wire figure both give, how many differ beyond rounding and the
    largest gap (relative to the rows); figures from pages flagged as mislabelled are named apart, never counted
    as a wire-vs-rows gap (their gap is the page's error)."""
    flagged = (
        months.wire_mislabelled.astype(bool)
        if "wire_mislabelled" in months
        else pd.Series(False, months.index)
    )
    genuine = months.loc[~flagged]
    beyond = genuine.loc[~genuine.within_rounding.astype(bool)]
    gap = 100 * (beyond.wire_usd_mn / beyond.raw_usd_mn - 1)
    worst = beyond.assign(gap=gap, size=gap.abs()).sort_values("size").tail(1)
    sentences = [
        f"Of the {len(genuine)} months (or combined January–February figures) both give"
        + (" from pages not flagged as mislabelled" if flagged.any() else "")
        + f", {len(beyond)} differ beyond the wire's rounding and are listed in the conflicts table"
        + (
            f"; the largest gap, relative to the rows, is {_span(next(worst.itertuples()))} "
            f"(${_wire_bn(worst.wire_usd_mn.iloc[0])}bn reported by {worst.wire_source.iloc[0]} "
            f"vs ${worst.raw_usd_mn.iloc[0] / 1000:.3f}bn in the rows, "
            f"{signed_pct(worst.gap.iloc[0], DIFFERENCE_DECIMALS)})."
            if len(worst)
            else "."
        )
    ]
    if flagged.any():
        named = "; ".join(
            f"{_span(row)} (${_wire_bn(row.wire_usd_mn)}bn, {_outlet_and_row(row.wire_source)}, vs "
            f"${row.raw_usd_mn / 1000:.3f}bn in the rows)"
            for row in months.loc[flagged].itertuples()
        )
        sentences.append(
            f"Left out of that count, and drawn without a red tick, as their pages are flagged as "
            f"mislabelled (export and import swapped or misworded: a gap may be the page's error): {named}."
        )
    return sentences


def raw_conflicts(
    check: pd.DataFrame,
    months: pd.DataFrame | None = None,
    fuel_pairs: pd.DataFrame | None = None,
    ytd: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Raw-row figures vs wire figures for the same number, beyond rounding (for the conflicts table): full
    Comtrade years (`check`), months (`months`) and January–month spans (`ytd`) of China's imports, and the fuel
    groups' months, spans and years (`fuel_pairs`: helpers.model.fuel.fuel_wire_pairs, GACC's figure first where
    the rows are a secondary compilation)."""
    pairs = []
    for row in (fuel_pairs if fuel_pairs is not None else pd.DataFrame()).itertuples():
        pairs.append(
            {
                "commodity": row.label,
                "flow": "import",
                "period": row.period,
                "span": row.span,
                "raw_usd_mn": row.used_usd_mn,
                "raw_publisher": row.used_publisher,
                "raw_rows": row.used_rows,
                "wire_usd_mn": row.other_usd_mn,
                "wire_publisher": row.other_publisher,
                "wire_row": row.other_rows,
            }
        )
    for row in (ytd if ytd is not None else pd.DataFrame()).itertuples():
        pairs.append(
            {
                "commodity": "TOTAL",
                "flow": "import",
                "period": row.period,
                "span": "ytd",
                "raw_usd_mn": row.raw_usd_mn,
                "raw_publisher": "UN Comtrade",
                "raw_rows": row.raw_rows,
                "wire_usd_mn": row.wire_usd_mn,
                "wire_publisher": row.wire_publisher,
                "wire_row": row.wire_rows,
            }
        )
    for row in (months if months is not None else pd.DataFrame()).itertuples():
        publisher, source_row = publisher_and_row(row.wire_source)
        pairs.append(
            {
                "commodity": "TOTAL",
                "flow": "import",
                "period": row.period,
                "span": "month" if row.span == "month" else "ytd",
                "raw_usd_mn": row.raw_usd_mn,
                "raw_publisher": "UN Comtrade",
                "raw_rows": row.raw_rows,
                "wire_usd_mn": row.wire_usd_mn,
                "wire_publisher": publisher,
                "wire_row": f"{TOTALS_FILE} row {source_row}",
            }
        )
    for row in check.itertuples():
        publisher, source_row = publisher_and_row(row.wire_source)
        pairs.append(
            {
                "commodity": "TOTAL",
                "flow": "import",
                "period": row.year,
                "span": "year",
                "raw_usd_mn": row.raw_usd_bn * 1000,
                "raw_publisher": "UN Comtrade",
                "raw_rows": row.raw_source,
                "wire_usd_mn": row.wire_usd_bn * 1000,
                "wire_publisher": publisher,
                "wire_row": f"{TOTALS_FILE} row {source_row}" if source_row else "",
            }
        )
    return raw_wire_conflicts([p for p in pairs if p["raw_usd_mn"] == p["raw_usd_mn"]])


def last_month_covered(section) -> str:
    """The last month the conflicts table covers: the briefing's, or the story's own periods where the claim check
    reaches later (it checks them whatever the briefing's month); a year counts as its December."""
    return max(
        [section.period_end]
        + [as_month(str(c["period"])) for c in section.claims_config["claims"] if c.get("period")]
    )


def as_month(period: str) -> str:
    """'2024' -> '2024-12' (a year ends in December), '2025-07' unchanged: periods compared with a month."""
    return period if len(period) > 4 else f"{period}-12"


def raw_wire_conflicts_table(section) -> pd.DataFrame:
    """The conflicts-table rows where raw rows and the wire disagree, up to last_month_covered (the one
    thing of the claims it reads: the key of its result kept between builds)."""
    last = last_month_covered(section)

    def compute() -> pd.DataFrame:
        ytd = ytd_cross_check(section.raw.comtrade_totals, section.customs.resolved_totals, last)
        fuel = fuel_month_check(section)
        return raw_conflicts(annual_check(section), month_check(section), fuel, ytd)

    return section.stored("raw-wire-conflicts", compute, last)


def fuel_month_check(section) -> pd.DataFrame:
    """Months, January–month spans and years up to last_month_covered for which Figure 7's rows and a
    wire-reported GACC value give the same fuel group."""
    pairs = fuel_wire_pairs(
        section.resolved_groups, section.raw.fuel, section.groups, FUEL_GROUPS, section.partner_code
    )
    return pairs.loc[pairs.period.map(as_month) <= last_month_covered(section)].reset_index(
        drop=True
    )


def raw_rows_findings(section) -> list[str]:
    """Key-findings bullets from the raw rows (fuel for the story's period, the 2023 composition)."""
    bullets = []
    period = next(
        (c["period"] for c in section.claims_config["claims"] if c.get("rows_cover")), None
    )
    fuel = fuel_comparison(section, period) if period else pd.DataFrame()
    if len(fuel) and {"crude_oil", "together"} <= set(fuel.group):
        rows = fuel.set_index("group")
        crude, together = rows.loc["crude_oil"], rows.loc["together"]
        if crude.used == "GACC":
            # the reader of the summary alone learns the figure's standing too (few words: page 1 is full)
            weak = (
                "" if is_tier1(crude.wire_publisher) else ", no wire agency (a borderline verdict)"
            )
            how = (
                f"GACC via {outlet_name(crude.wire_publisher)}, row {crude.wire_row}{weak}; the compilation's "
                f"{signed_pct(crude.rows_change_pct)}"
            )
        else:
            how = "from the monthly customs rows" + (
                f"; wire-reported GACC figure: {signed_pct(crude.wire_change_pct)}"
                if crude.wire_change_pct == crude.wire_change_pct
                else ""
            )
        bullets.append(
            f"China's crude-oil imports from Russia in {span_label(period)} "
            f"(the story's period) "
            f"were {usd_bn(crude.level_usd_mn)} vs {usd_bn(crude.prior_value_usd_mn)} a year earlier, "
            f"{signed_pct(crude.change_pct)} ({how}); coal, crude, LNG and pipeline gas together "
            f"{signed_pct(together.change_pct)}."
        )
    view = composition_view(section)
    if len(view):
        last = max(view.year)
        year = view.loc[(view.year == last) & (view.flow == "export")].set_index("group")
        if "vehicles" in year.index:
            # the codes the amount was summed from (composition reads BACI's HS 2017 rows), as the groups file has them
            codes = "+".join(str(c) for c in section.groups["vehicles"]["hs"][COMPOSITION_VERSION])
            bullets.append(
                f"In {last}, the last year of the BACI rows, China shipped {usd_bn(year.loc['vehicles'].value_usd_mn)} "
                f"of vehicles (HS {codes}) to Russia out of {usd_bn(year.loc['total'].value_usd_mn)} of "
                f"goods: the base the later fall in car shipments starts from."
            )
    return bullets
