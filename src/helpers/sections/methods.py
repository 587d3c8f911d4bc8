"""Data and methods appendix: gaps, derived months, conflicts, reconciliations, group definitions."""

import re

import pandas as pd

from ..core.text import RAW_KINDS, count_word, month_year, outlet_name, raw_rows_count, word_list
from ..model.resolve import flagged_rows
from ..model.since import month_of
from ..model.turnover import monthly_view
from ..report.notes import note
from ..report.tables import number_format, prose_html, readable_number
from .fuel import fuel_comparison, fuel_sources
from .raw_rows import last_month_covered, raw_wire_conflicts_table


def _years(periods: pd.Series) -> str:
    first, last = str(periods.min())[:4], str(periods.max())[:4]
    return first if first == last else f"{first}–{last}"


def raw_rows_sources(raw, partner_name: str) -> str:
    """The raw customs rows in data/raw/ and the years each covers, read from the rows themselves."""
    parts = []
    if len(raw.baci):
        parts.append(f"CEPII BACI (HS6, {_years(raw.baci.period)}, both directions)")
    if len(raw.comtrade_totals):
        parts.append(
            f"UN Comtrade (China's monthly imports from {partner_name} {_years(raw.comtrade_totals.period)})"
        )
    if len(raw.fuel):
        spans = [
            f"{publisher}, {_years(rows.period)}"
            for publisher, rows in raw.fuel.sort_values("period").groupby("publisher", sort=False)
        ]
        parts.append("monthly fuel imports by code (" + "; ".join(spans) + ")")
    return word_list(parts) or "none"


def methods_text(section) -> str:
    """The appendix's prose: where the numbers come from, how sources rank, what is derived and checked.
    One idea a sentence; files, rows and config keys go in notes."""
    monthly = section.customs.monthly(section.period_end)
    derived = int((monthly.status == "derived").sum())
    missing = int((monthly.status == "missing").sum())
    fixed = len(section.customs.quality)
    return "\n\n".join(
        [
            f"**Sources.** GACC's figures for China–{section.partner_name} trade come as news wires and "
            "outlets published them, one row per number with its link and a verbatim quote."
            + note("data/raw/; each file's checksum is verified before every build")
            + f" Real customs rows come beside them: {raw_rows_sources(section.raw, section.partner_name)}."
            " The briefing computes only derived months, y/y rates from two levels and sums of rows or "
            "codes, each naming its file and rows."
            + (
                f" On loading, {fixed} recoverable oddities were fixed (exact duplicate rows dropped, "
                "byte-order marks removed)."
                if fixed
                else ""
            ),
            "**Raw rows outrank wire quotes.** Where UN Comtrade, BACI or the fuel rows cover a figure, "
            "the briefing computes it from them and shows the wire figure beside it. A gap beyond the wire's "
            "rounding goes to the conflicts table, with the raw figure used."
            + note("On screen, and tables/t-conflicts.csv")
            + " Rows from a secondary compilation rank below a published GACC figure."
            + note("config/sources.yaml, secondary_compilations")
            + " "
            + fuel_rows_text(section),
            "**Source preference.** When outlets disagree, one ranking picks the figure."
            + note("config/sources.yaml")
            + " Pages flagged as mislabelled rank last. Wire agencies and official channels come before "
            "reprints, and the first release before later ones: stories cite it, and GACC revises through "
            "its y/y rates. Then the more precise figure wins, then the row order. "
            + flagged_text(section)
            + f"{count_word(len(section.customs.conflicts)).capitalize()} disagreements on total trade "
            "beyond rounding are in the conflicts table, each with the figure used.",
            f"**Monthly series** ({series_span(section, monthly)}). {count_word(derived).capitalize()} "
            "months are derived as the difference of two consecutive January-to-month releases. "
            f"{count_word(missing).capitalize()} months have no figure at all and stay gaps. "
            "GACC publishes January and February as one figure.",
            "**Two y/y rates.** GACC's published change compares with its revised figure for a year earlier. "
            "Dividing the two published levels gives a slightly different number. The briefing shows both "
            "and corrects neither.",
            "**Reconciliations.** " + reconciliation_text(section),
        ]
        + (
            [hs_level_text(section.hs_rows, section.raw)]
            if len(section.hs_rows) or section.hs_rows.attrs.get("notes")
            else []
        )
    )


def reconciliation_text(section) -> str:
    """What the month-sum gaps are, read from the checks: the direction of every gap beyond rounding, and the
    checks left out because they rest on a page flagged as mislabelled (a mislabel is not a GACC revision)."""
    flows, months = reconciliation_tables(section)
    flows_off = int((~flows.Agrees.astype(bool)).sum())
    off = months.loc[~months.Agrees.astype(bool)]
    # each kind of check counted apart, as the two tables below count them
    text = (
        f"Exports plus imports are checked against turnover: {flows_off} of {len(flows)} differ beyond "
        "rounding. The sum of published months is checked against the published January-to-month total: "
        f"{len(off)} of {len(months)} differ"
    )
    if len(off):
        above = int((off.Difference > 0).sum())
        text += (
            ", the total "
            + (
                "always above the sum"
                if above == len(off)
                else f"above the sum {above} times, below it {len(off) - above} times"
            )
            + ". GACC's cumulative figures include revisions; months are as first published"
        )
    text += "."
    flows_left, months_left = (
        flows.attrs.get("left_out_checks", 0),
        months.attrs.get("left_out_checks", 0),
    )
    if flows_left + months_left:
        text += (
            f" {count_word(flows_left + months_left).capitalize()} checks are left out: they rest on "
            "pages flagged as mislabelled, so they would test the page, not GACC."
            + note(
                f"{flows_left} turnover and {months_left} month-sum checks: "
                + flagged_pages(
                    section, flows.attrs["left_out_periods"] | months.attrs["left_out_periods"]
                )
            )
        )
    return text


def flagged_pages(section, periods: set) -> str:
    """'Dar El Hilal 2022-10 (rows 142, 144); …': the flagged pages the left-out checks rest on."""
    resolved = section.customs.resolved_totals
    flagged = resolved.loc[resolved.value_mislabelled.astype(bool) & resolved.period.isin(periods)]
    pages: dict = {}
    for row in flagged.sort_values(["period", "value_source_row"]).itertuples():
        outlet = outlet_name(row.value_publisher)
        pages.setdefault((outlet, row.period), []).append(str(int(row.value_source_row)))
    return "; ".join(
        f"{outlet} {period}, {'rows ' if i == 0 else ''}{', '.join(rows)}"
        for i, ((outlet, period), rows) in enumerate(pages.items())
    )


def series_span(section, monthly: pd.DataFrame) -> str:
    """'January 2021–July 2025, exports, imports and turnover; the turnover chart starts in January 2022':
    the months these counts cover, read from the series, and where the headline's chart starts."""
    chart = monthly_view(section.customs, section.period_end)
    names = [FLOW_WORDS[f].replace("China's ", "").lower() for f in dict.fromkeys(monthly.flow)]
    flows = word_list(names)
    text = f"{month_year(monthly.period.min())}–{month_year(monthly.period.max())}, {flows}"
    if len(chart):
        text += f"; the turnover chart starts in {month_year(chart.bar_start.min()[:7])}"
    return text


def fuel_rows_text(section) -> str:
    """Where the two years of the fuel claim's comparison come from, read from the rows it uses."""
    period = next(
        (c["period"] for c in section.claims_config["claims"] if c.get("rows_cover")), None
    )
    table = fuel_comparison(section, period) if period else pd.DataFrame()
    if table.empty or "together" not in set(table.group):
        return ""
    return fuel_sources(
        table.set_index("group").loc["together"], period, "The fuel claim's comparison"
    )


def flagged_text(section) -> str:
    """The figures config/sources.yaml flags as misprinted, each with its row and the reason (ranked last)."""
    rows = pd.concat([section.customs.totals, section.customs.commodities])
    described = []
    for flag in flagged_rows():
        match = rows.loc[(rows.source_file == flag["file"]) & (rows.source_row == int(flag["row"]))]
        if match.empty:
            continue
        row = match.iloc[0]
        what = "y/y" if flag["field"] == "yoy_pct" else "value"
        goods = "" if row.commodity == "TOTAL" else f" of {row.commodity}"
        described.append(
            f"{row.publisher} (row {int(row.source_row)}), {FLOW_WORDS.get(row.flow, row.flow)}{goods} "
            f"{row.period} {what}: {flag['reason'].strip()}"
        )
    if not described:
        return ""
    return "Figures flagged there as misprinted rank last too: " + "; ".join(described) + ". "


def hs_level_text(hs_rows: pd.DataFrame, raw, limit: int = 12) -> str:
    """What the HS-level readers read and skipped, dropped or flagged (breakdown rows, other partners, the same
    export saved twice, files added by hand), so a reader sees every row that did not count; and the count of
    all real customs rows, in the words of the build log (helpers.pipeline.check_inputs)."""
    notes = hs_rows.attrs.get("notes", [])
    files = hs_rows.attrs.get("files", [])
    shown = "; ".join(notes[:limit]) + (
        f"; and {len(notes) - limit} more notes" if len(notes) > limit else ""
    )
    totals = int((hs_rows.hs_code == "").sum()) if len(hs_rows) else 0
    parts = {
        RAW_KINDS[0]: (len(files), len(hs_rows)),
        RAW_KINDS[1]: (raw.fuel.source_file.nunique(), len(raw.fuel)),
        RAW_KINDS[2]: (raw.baci.source_file.nunique(), len(raw.baci)),
    }
    return (
        f"**HS-level files** (data/raw/comtrade, data/raw/gacc): {len(files)} file{'' if len(files) == 1 else 's'}, "
        f"{len(hs_rows)} rows for the briefing's partner ({len(hs_rows) - totals} at the groups' codes, {totals} "
        "all-goods totals). Only total rows count, never a breakdown beside its total, and each observation "
        "counts once. A group is an HS-level sum only when every code has US$ rows for every month; "
        "otherwise the wire figure is used and the gap named. "
        + (f"Notes: {shown}." if notes else "No rows were skipped.")
        + f" With the fuel and BACI files, the build log counts {raw_rows_count(parts)}."
    )


FLOW_WORDS = {"export": "China's exports", "import": "China's imports", "total": "Turnover"}
FIELD_WORDS = {"value": "value, US$ mn", "yoy_pct": "y/y %"}
# In print each long table is summarised with at most this many rows; the full table is on screen and in CSV.
KEY_ROWS = 3


def figure_words(field: str, measure=None, unit=None) -> str:
    """'value' -> 'value, US$ mn'; a quantity row's value -> 'quantity, million tonnes' (its own unit)."""
    if isinstance(measure, str) and measure not in ("", "value"):
        return (
            f"{measure}, {unit}"
            if field == "value"
            else f"{FIELD_WORDS.get(field, field)} ({measure})"
        )
    return FIELD_WORDS.get(field, field)


def _paragraph(text: str) -> str:
    return "<p>" + prose_html(text) + "</p>"


def groups_table(groups: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Group": name,
                "Label": g["label"],
                "Flow (from China)": g["flow"],
                "HS codes": "; ".join(
                    f"{v}: {', '.join(map(str, c))}" for v, c in (g.get("hs") or {}).items()
                ),
                "Labels in wire data": ", ".join(g.get("labels", [])) or "—",
            }
            for name, g in groups.items()
        ]
    )


def groups_summary(groups: dict) -> str:
    flows = pd.Series([g["flow"] for g in groups.values()]).value_counts()
    counts = ", ".join(
        f"{n} {FLOW_WORDS.get(f, f).replace('China', 'of China')}" for f, n in flows.items()
    )
    labels = "; ".join(g["label"] for g in groups.values())
    return _paragraph(
        f"{len(groups)} groups ({counts}), each defined by HS codes and by the labels outlets use for "
        f"it: {labels}. A group is the exact sum of its HS codes when HS-level data covers the "
        "period; otherwise the wire figures whose label belongs to it."
    )


def derived_months(section) -> pd.DataFrame:
    monthly = section.customs.monthly(section.period_end)
    picked = monthly.loc[monthly.status.isin(["derived", "missing"])]
    columns = {
        "flow": "Flow",
        "period": "Month",
        "status": "Status",
        "value": "US$ mn",
        "source": "Outlets (later − earlier release)",
        "source_rows": "Raw rows",
    }
    table = picked[list(columns)].reset_index(drop=True)
    table["flow"] = table.flow.replace(FLOW_WORDS)
    return table.rename(columns=columns)


def reporting_months(period_end: str) -> set[str]:
    """January–period_end of the reporting year and the same months a year earlier."""
    year, month = int(period_end[:4]), int(period_end[5:7])
    return {f"{y}-{m:02d}" for y in (year - 1, year) for m in range(1, month + 1)}


def derived_summary(table: pd.DataFrame, period_end: str) -> tuple[str, pd.DataFrame]:
    derived, missing = (table.Status == "derived").sum(), (table.Status == "missing").sum()
    key = table.loc[table.Month.isin(reporting_months(period_end))]
    # a row is one month of one flow: say so, or 29 reads as 29 calendar months without data
    text = (
        f"{len(table)} monthly figures (a month of one flow) up to {period_end}: {derived} derived as the difference "
        f"of two consecutive January–month releases, {missing} with no figure at all (gaps, not estimated). "
    )
    shown = key[["Flow", "Month", "Status", "US$ mn", "Raw rows"]].head(KEY_ROWS)
    if not len(key):
        text += "None falls in the reporting months or the same months a year earlier."
    else:
        text += (
            f"{len(key)} of them fall in the reporting months or the same months a year earlier"
            + (
                "; shown below."
                if len(shown) == len(key)
                else f"; the first {len(shown)} are shown below."
            )
        )
    return _paragraph(text), shown


OUTLETS, RAW_VS_WIRE = "two outlets", "raw rows and a wire report"


def _flagged_wire_rows(section) -> set[str]:
    """'data/raw/gacc_cn_ru_totals.csv row 144' for every resolved wire figure from a page flagged as mislabelled."""
    resolved = section.customs.resolved_totals
    flagged = resolved.loc[resolved.value_mislabelled.astype(bool)]
    return {
        f"{file} row {int(row)}"
        for file, row in zip(flagged.value_source_file, flagged.value_source_row)
    }


FLAGGED_OTHER = " (flagged: page mislabelled or misprinted)"
# The conflicts table's columns, in order, with the words shown for them.
CONFLICT_COLUMNS = {
    "commodity": "Goods",
    "flow": "Flow",
    "period": "Period",
    "span": "Span",
    "field": "Figure",
    "between": "Between",
    "used": "Used",
    "used_publisher": "Used: outlet",
    "used_source_row": "Used: raw row",
    "other": "Other",
    "other_publisher": "Other: outlet",
    "other_source_row": "Other: raw row",
    "relative_diff_pct": "Difference, %",
}


def conflicts_table(section) -> pd.DataFrame:
    raw_vs_wire = raw_wire_conflicts_table(section)
    raw_vs_wire["other_mislabelled"] = raw_vs_wire.reindex(
        columns=["other_source_row"]
    ).other_source_row.isin(_flagged_wire_rows(section))
    conflicts = pd.concat(
        [
            section.customs.conflicts.assign(commodity="TOTAL", between=OUTLETS),
            section.group_conflicts.rename(columns={"group": "commodity"}).assign(between=OUTLETS),
            raw_vs_wire.assign(between=RAW_VS_WIRE),
        ],
        ignore_index=True,
    )
    # outlets' disagreements too stop at last_month_covered: a 2024-12 briefing lists none about September 2025
    conflicts = conflicts.loc[
        conflicts.period.astype(str).map(month_of) <= last_month_covered(section)
    ]
    # the other figure from a page config/sources.yaml ranks last (mislabelled, or a flagged misprint): listed, marked
    flagged = conflicts.other_mislabelled.fillna(False).astype(bool)  # set above on every raw row
    conflicts.loc[flagged, "other_publisher"] = (
        conflicts.loc[flagged, "other_publisher"] + FLAGGED_OTHER
    )
    # A commodity figure may be a quantity (crude oil in million tonnes): say which, never "US$ mn" for it.
    conflicts["field"] = [
        figure_words(f, m, u)
        for f, m, u in zip(
            conflicts.field,
            conflicts.reindex(columns=["measure"]).measure,
            conflicts.reindex(columns=["unit"]).unit,
        )
    ]
    table = conflicts.reindex(columns=list(CONFLICT_COLUMNS)).sort_values(
        ["commodity", "period", "flow", "field", "span", "between"], kind="stable"
    )  # one order, however the rows came
    table["flow"] = table.flow.replace(FLOW_WORDS)
    labels = {
        name: group["label"] for name, group in section.groups.items()
    }  # group ids -> the labels readers see
    table["commodity"] = table.commodity.replace({"TOTAL": "all goods", **labels})
    table = table.reset_index(drop=True).rename(columns=CONFLICT_COLUMNS)
    # Used and Other are figures as published (US$ mn and y/y % in one column): each keeps its own decimals;
    # differences beyond rounding can be a few hundredths of a percent, so two decimals.
    return number_format(table, decimals={"Difference, %": 2}, as_published=["Used", "Other"])


def conflicts_summary(table: pd.DataFrame) -> tuple[str, pd.DataFrame]:
    outlets = table.loc[table.Between == OUTLETS]
    totals = (outlets.Goods == "all goods").sum()
    flagged = table["Other: outlet"].str.endswith(FLAGGED_OTHER)
    # one scale for US$ levels and y/y rates: the gap relative to the figure used (the Difference, % column)
    spread = (table.Used - table.Other).abs() / table.Used.abs().where(table.Used != 0)
    ranked = (
        table.loc[~flagged]
        .assign(_spread=spread)
        .sort_values("_spread", ascending=False)
        .head(KEY_ROWS)
    )
    text = (
        f"{len(table)} pairs of figures disagree beyond rounding, over {table.Period.nunique()} periods: "
        f"{len(outlets)} between two outlets ({totals} on total trade, {len(outlets) - totals} on commodity "
        f"groups; the source preference picks the one used) and {len(table) - len(outlets)} between raw "
        "customs rows and a wire report (the rows used; GACC over a compilation). The other is listed, never averaged"
        + (f" (marked where its page is flagged: {flagged.sum()})" if flagged.any() else "")
        + f". The {len(ranked)} widest gaps{' of the rest' if flagged.any() else ''}, relative to the figure "
        "used (the CSV's Difference, %):"
    )
    key = pd.DataFrame(
        {
            "What": ranked.Goods
            + ", "
            + ranked.Flow
            + ", "
            + ranked.Period
            + " ("
            + ranked.Span
            + "), "
            + ranked.Figure,
            "Used (outlet)": [
                f"{readable_number(u)} ({p})" for u, p in zip(ranked.Used, ranked["Used: outlet"])
            ],
            "Other (outlet)": [
                f"{readable_number(o)} ({p})" for o, p in zip(ranked.Other, ranked["Other: outlet"])
            ],
        }
    )
    return _paragraph(text), key


def _without_flagged(check: pd.DataFrame) -> pd.DataFrame:
    """The checks that rest on no flagged page; attrs count the others and name their periods (for the text)."""
    flagged = check.mislabelled.astype(str) != ""
    kept = check.loc[~flagged].drop(columns="mislabelled").reset_index(drop=True)
    kept.attrs["left_out_checks"] = int(flagged.sum())
    # the periods of the flagged figures: the check's own, or the months named in it ('2022-10: Dar El Hilal row 144')
    kept.attrs["left_out_periods"] = {
        p
        for row in check.loc[flagged].itertuples()
        for p in (re.findall(r"(\d{4}-\d{2}):", row.mislabelled) or [row.period])
    }
    return kept


def reconciliation_tables(section) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Exports + imports vs turnover, and the sum of months vs January–month, without the checks that rest on a
    page flagged as mislabelled: the sum of a page's swapped export and import still matches its turnover, and a
    month printed under the wrong flow is no revision by GACC (attrs count those checks and name their periods)."""
    flows, months = section.stored(
        "reconciliation", lambda: section.customs.reconciliation(section.period_end)
    )
    flows = flows.loc[flows.period.str[:7] <= section.period_end].reset_index(drop=True)
    flows = _without_flagged(flows)
    months = _without_flagged(months)
    checked = {"difference": "Difference", "tolerance": "Tolerance", "agrees": "Agrees"}
    flows = flows.rename(
        columns={
            "period": "Period",
            "span": "Span",
            "export": "Exports",
            "import": "Imports",
            "total": "Turnover",
            "sources": "Outlets",
            **checked,
        }
    )
    months = months.assign(flow=months.flow.replace(FLOW_WORDS)).rename(
        columns={
            "flow": "Flow",
            "period": "January to",
            "sum_of_months": "Sum of months",
            "published_ytd": "Published",
            **checked,
        }
    )
    return flows, months


def reconciliation_summary(table: pd.DataFrame, what: str) -> tuple[str, pd.DataFrame]:
    """US$ mn everywhere; 'agrees' means within the rounding tolerance of the figures involved."""
    off = table.loc[~table.Agrees.astype(bool)]
    left_out = table.attrs.get("left_out_checks", 0)
    text = (
        f"{len(table)} checks of {what} (US$ mn)"
        + (f", {left_out} left out (see Reconciliations)" if left_out else "")
        + f"; {len(table) - len(off)} agree within the rounding of the published figures, {len(off)} do not"
    )
    text += (f"; the {KEY_ROWS} largest gaps:" if len(off) > KEY_ROWS else ":") if len(off) else "."
    key = off.assign(_gap=off.Difference.abs()).sort_values("_gap", ascending=False).head(KEY_ROWS)
    return _paragraph(text), key.drop(columns=["_gap", "Agrees", "Outlets"], errors="ignore")
