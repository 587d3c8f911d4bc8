"""From raw customs rows: trade composition 2017–2023 (BACI, F6), China's fuel imports from Russia by code
(F7) and China's monthly imports from Russia, Comtrade rows beside the wire series (F8).

Views come from helpers.model.raw_rows; this module shapes them for the figures and tables and writes the text
from the numbers. The charts' Altair code is in notebooks/02b_raw_rows.ipynb.
"""

import pandas as pd

from ..core.text import (
    count_word,
    direction,
    month_year,
    pct,
    publisher_and_row,
    signed_pct,
    span_label,
    usd_bn,
)
from ..model.fuel import fuel_wire_pairs
from ..model.raw_rows import (
    annual_cross_check,
    composition,
    composition_change,
    imports_raw_vs_wire,
    monthly_cross_check,
    raw_wire_conflicts,
    ytd_cross_check,
)
from ..model.resolve import is_tier1
from ..model.since import month_of
from ..model.turnover import annual_turnover
from ..report.notes import note
from ..report.tables import number_format, readable_number
from .fuel import FUEL_GROUPS, crude_note, fuel_comparison, short
from .notes import Citer

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


def _parts_sentences(parts: pd.DataFrame, start: str, end: str) -> list[str]:
    """'By 2023, vehicles came to $18.5bn, up 943.1% on 2021; …', three parts a sentence."""
    said = [
        f"{row.label.split(' (')[0].lower()} {usd_bn(row.end_usd_bn * 1000)}, "
        f"{direction(row.change_pct)} {pct(row.change_pct)}"
        for row in parts.itertuples()
    ]
    sentences = []
    for first in range(0, len(said), 3):
        chunk = said[first : first + 3]
        if first == 0:
            chunk[0] = chunk[0].replace(" $", " came to $", 1) + f" on {start}"
            sentences.append(f"By {end}, " + "; ".join(chunk) + ".")
        else:
            text = "; ".join(chunk)
            sentences.append(text[0].upper() + text[1:] + ".")
    return sentences


def composition_text(
    view: pd.DataFrame, start: str = "2021", end: str = "2023", citer: Citer | None = None
) -> str:
    citer = citer or Citer()
    change = composition_change(view, start, end).set_index(["flow", "group"])
    first, last = min(view.year), max(view.year)
    totals = view.loc[view.group == "total"].set_index(["flow", "year"])
    sentences = [
        f"CEPII's BACI rows show where the {last} trade came from. Their values are reconciled from "
        "both countries' declarations, so they differ from China's own customs totals."
    ]
    for flow, direction_label in (("export", "China → Russia"), ("import", "Russia → China")):
        total = change.loc[(flow, "total")]
        rows = [
            citer.rows(
                totals.loc[(flow, int(y)), "source_file"], totals.loc[(flow, int(y)), "source_rows"]
            )
            for y in (start, end)
            if (flow, int(y)) in totals.index
        ]
        sentences.append(
            f"**{direction_label}**: all goods went from {usd_bn(total.start_usd_bn * 1000)} in {start} "
            f"to {usd_bn(total.end_usd_bn * 1000)} in {end}, {direction(total.change_pct)} "
            f"{pct(total.change_pct)}." + note(*rows)
        )
        parts = (
            change.loc[flow]
            .drop(index=["total", "other"])
            .sort_values("end_usd_bn", ascending=False)
        )
        sentences += _parts_sentences(parts, start, end)
    sentences.append(
        f"The rows run from {first} to {last} only. They show the war-time build-up the 2025 falls are "
        "measured from, not the falls themselves."
    )
    return " ".join(sentences)


# ------------------------------------------------------------------------------- fuel (F7)
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
    view: pd.DataFrame,
    check: pd.DataFrame,
    months: pd.DataFrame | None = None,
    citer: Citer | None = None,
) -> str:
    citer = citer or Citer()
    raw = view.loc[view.bar_source == "UN Comtrade rows"]
    sentences = [
        f"UN Comtrade's rows give China's imports from Russia for every month from "
        f"{month_year(raw.period.min())} to {month_year(raw.period.max())}, January and February "
        "apart." + note(citer.cite_rows("; ".join(raw.source), "UN Comtrade")),
        "The wire-reported GACC series has gaps there, and one figure for January and February together.",
        "The rows are the final data China reported to UN Comtrade. The wire figures are GACC's releases as "
        "first published, so the two need not agree to the digit.",
    ]
    years = [
        f"For {row.year}, the rows give ${row.raw_usd_bn:.3f}bn against ${readable_number(row.wire_usd_bn)}bn "
        f"as the wire reported GACC, a gap of {signed_pct(row.difference_pct, DIFFERENCE_DECIMALS)}"
        + ("." if row.within_rounding else ", beyond rounding.")
        + note(
            citer.cite_rows(row.raw_source, "UN Comtrade"),
            citer.cited(row.wire_source),
            "" if row.within_rounding else "listed in the conflicts table",
        )
        for row in check.itertuples()
        if row.wire_usd_bn == row.wire_usd_bn
    ]
    sentences += years[-2:]
    if months is not None and len(months):
        sentences += month_check_sentences(months, citer)
    return " ".join(sentences)


def _wire_bn(value_usd_mn: float) -> str:
    """7400 -> '7.4', 20202 -> '20.202': a wire's US$ mn figure in billions with exactly its own digits."""
    return readable_number(round(value_usd_mn / 1000, 3), 3).rstrip("0").rstrip(".")


def _span(row) -> str:
    return month_year(row.period) if row.span == "month" else f"January–February {row.period[:4]}"


def month_check_sentences(months: pd.DataFrame, citer: Citer | None = None) -> list[str]:
    """How many months the rows and a published wire figure both give, how many differ beyond rounding and the
    largest gap (relative to the rows); figures from pages flagged as mislabelled are named apart, never counted
    as a wire-vs-rows gap (their gap is the page's error)."""
    citer = citer or Citer()
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
        f"Of the {len(genuine)} months or combined January–February figures both give, {len(beyond)} "
        "differ beyond the wire's rounding."
        + note(
            "pages flagged as mislabelled are left out of the count" if flagged.any() else "",
            "each gap is listed in the conflicts table",
        )
    ]
    if len(worst):
        row = next(worst.itertuples())
        sentences.append(
            f"The largest gap, relative to the rows, is in {_span(row)}: "
            f"${_wire_bn(row.wire_usd_mn)}bn reported against ${row.raw_usd_mn / 1000:.3f}bn in the "
            f"rows, {signed_pct(row.gap, DIFFERENCE_DECIMALS)}."
            + note(citer.cited(row.wire_source), citer.cite_rows(row.raw_rows, "UN Comtrade"))
        )
    if flagged.any():
        named = months.loc[flagged]
        sentences.append(
            f"{count_word(len(named)).capitalize()} figure{'s are' if len(named) > 1 else ' is'} left "
            f"out of that count and drawn without a red tick: {'their pages are' if len(named) > 1 else 'its page is'} "
            "flagged as mislabelled, so a gap may be the page's error."
            + note("Export and import swapped or misworded on the page")
        )
        listed = [
            f"{_span(row)}, ${_wire_bn(row.wire_usd_mn)}bn against ${row.raw_usd_mn / 1000:.3f}bn"
            + (" in the rows" if i == 0 else "")
            for i, row in enumerate(named.itertuples())
        ]
        said = "; ".join(listed[:-1]) + ("; and " if len(listed) > 1 else "") + listed[-1]
        # the rows' side of every month in one citation a file
        sources = [citer.cited(row.wire_source) for row in named.itertuples()] + [
            citer.cite_rows("; ".join(named.raw_rows), "UN Comtrade")
        ]
        sentences.append(f"{'They are' if len(listed) > 1 else 'It is'} {said}." + note(*sources))
    return sentences


def _wire_cited(sources: pd.Series) -> dict:
    """'TASS (row 383)' -> wire_publisher 'TASS', wire_row 'data/raw/gacc_cn_ru_totals.csv row 383' (none: '')."""
    publishers, rows = zip(*sources.map(publisher_and_row)) if len(sources) else ((), ())
    return {
        "wire_publisher": list(publishers),
        "wire_row": [f"{TOTALS_FILE} row {row}" if row else "" for row in rows],
    }


def raw_conflicts(
    check: pd.DataFrame, months: pd.DataFrame, fuel_pairs: pd.DataFrame, ytd: pd.DataFrame
) -> pd.DataFrame:
    """Raw-row figures vs wire figures for the same number, beyond rounding (for the conflicts table): the fuel
    groups' months, spans and years (`fuel_pairs`: helpers.model.fuel.fuel_wire_pairs, GACC's figure first where
    the rows are a secondary compilation), then January–month spans (`ytd`), months (`months`) and full Comtrade
    years (`check`) of China's imports, each renamed to helpers.model.raw_rows.raw_wire_conflicts' pairs."""
    comtrade = {"commodity": "TOTAL", "flow": "import", "raw_publisher": "UN Comtrade"}
    fuel = fuel_pairs.rename(
        columns={
            "label": "commodity",
            "used_usd_mn": "raw_usd_mn",
            "used_publisher": "raw_publisher",
            "used_rows": "raw_rows",
            "other_usd_mn": "wire_usd_mn",
            "other_publisher": "wire_publisher",
            "other_rows": "wire_row",
        }
    ).assign(flow="import")
    ytd = ytd.rename(columns={"wire_rows": "wire_row"}).assign(span="ytd", **comtrade)
    months = months.assign(
        span=months.span.where(months.span == "month", "ytd"),
        **_wire_cited(months.wire_source),
        **comtrade,
    )
    years = check.assign(
        period=check.year,
        span="year",
        raw_usd_mn=check.raw_usd_bn * 1000,
        raw_rows=check.raw_source,
        wire_usd_mn=check.wire_usd_bn * 1000,
        **_wire_cited(check.wire_source),
        **comtrade,
    )
    columns = ["commodity", "flow", "period", "span", "raw_usd_mn", "raw_publisher", "raw_rows"]
    pairs = [  # each frame's records apart: no dtype of one changes another's figures
        pair
        for frame in (fuel, ytd, months, years)
        for pair in frame.reindex(columns=columns + ["wire_usd_mn", "wire_publisher", "wire_row"])
        .loc[frame.raw_usd_mn.notna()]
        .to_dict("records")
    ]
    return raw_wire_conflicts(pairs)


def last_month_covered(section) -> str:
    """The last month the conflicts table covers: the briefing's, or the story's own periods where the claim check
    reaches later (it checks them whatever the briefing's month); a year counts as its December."""
    return max(
        [section.period_end]
        + [month_of(str(c["period"])) for c in section.claims_config["claims"] if c.get("period")]
    )


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
    return pairs.loc[pairs.period.map(month_of) <= last_month_covered(section)].reset_index(
        drop=True
    )


def raw_rows_findings(section) -> list[str]:
    """Key-findings bullets from the raw rows (fuel for the story's period, the 2023 composition), each
    short enough for page 1: outlets, rows and codes are in the notes, a verdict's caveat in the text."""
    citer = section.citer
    bullets = []
    period = next(
        (c["period"] for c in section.claims_config["claims"] if c.get("rows_cover")), None
    )
    fuel = fuel_comparison(section, period) if period else pd.DataFrame()
    if len(fuel) and {"crude_oil", "together"} <= set(fuel.group):
        rows = fuel.set_index("group")
        crude, together = rows.loc["crude_oil"], rows.loc["together"]
        caveat = (
            " That figure is from a non-wire page, so the fuel verdict is borderline."
            if crude.used == "GACC" and not is_tier1(crude.wire_publisher)
            else ""
        )
        fell = direction(crude.change_pct, "rose", "fell", "was unchanged at")
        bullets.append(
            f"In the story's period, {span_label(period)}, crude-oil imports {fell} "
            f"{pct(crude.change_pct)} to {usd_bn(crude.level_usd_mn)}, from "
            f"{usd_bn(crude.prior_value_usd_mn)}."
            + crude_note(crude, citer)
            + caveat
            + f" All four fuel codes together {direction(together.change_pct, 'rose', 'fell')} "
            f"{pct(together.change_pct)}." + note("Coal, crude oil, LNG and pipeline gas")
        )
    view = composition_view(section)
    if len(view):
        last = max(view.year)
        year = view.loc[(view.year == last) & (view.flow == "export")].set_index("group")
        if "vehicles" in year.index:
            # the codes the amount was summed from (composition reads BACI's HS 2017 rows), as the groups file has them
            codes = "+".join(str(c) for c in section.groups["vehicles"]["hs"][COMPOSITION_VERSION])
            vehicles = year.loc["vehicles"]
            bullets.append(
                f"In {last}, the last year of the BACI rows, China shipped "
                f"{usd_bn(vehicles.value_usd_mn)} of vehicles to Russia out of "
                f"{usd_bn(year.loc['total'].value_usd_mn)} of goods."
                + note(f"HS {codes}", citer.rows(vehicles.source_file, vehicles.source_rows))
                + " That is the base the later fall in car shipments starts from."
            )
    return bullets
