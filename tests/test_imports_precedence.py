"""Raw rows outrank wire quotes for China's year-to-date imports too, and a page flagged as mislabelled is
never read as a wire-vs-rows gap or a GACC revision. Real values from data/raw (no fixtures).

- UN Comtrade's rows cover January–July 2024 (rows 85–91 of the monthly file): $75,384.5mn, not the wire's
  75,030 (TASS, data/raw/gacc_cn_ru_totals.csv row 317); 69,570 / 75,384.45 − 1 = −7.71%, GACC's published −7.7%.
- Dar El Hilal's October 2022 page (rows 142 and 144, quote marked "[labels as published; appear reversed]")
  is the only wire figure for that month's imports (7,400 against 10,360.3 in the rows).
"""

import re

import pytest

from helpers.report.notes import without_notes
from helpers.sections import methods
from helpers.sections import raw_rows as section_rows
from helpers.sections.section import open_section


@pytest.fixture(scope="module")
def section():
    return open_section(period_end="2025-07", partner="Russia")


def test_january_july_2024_imports_are_the_rows_sum_with_the_wire_beside(section):
    from helpers.model.turnover import RAW_IMPORTS, ytd_long

    view = section.ytd_view().set_index("flow")
    imports = view.loc["China's imports"]
    assert (
        round(imports.prior_value_usd_mn, 1) == 75384.5 and imports.value_usd_mn == 69570
    )  # this year: wire
    assert imports.yoy_pct_from_levels == -7.71 and imports.yoy_pct_published == -7.7
    assert imports.prior_basis == RAW_IMPORTS and imports.value_basis == "published"
    assert (
        imports.wire_prior_value_usd_mn == 75030 and imports.wire_prior_source == "TASS (row 317)"
    )
    assert imports.prior_source.startswith(
        RAW_IMPORTS + ": data/raw/comtrade/comtrade_cn_imports_from_ru_total_"
        "monthly_2017_2024.csv rows 85–91"
    )
    # exports and turnover have no rows: the wire's levels, unchanged
    assert (
        view.loc["China's exports"].prior_value_usd_mn == 61640
        and view.loc["Turnover"].prior_value_usd_mn == 136670
    )
    assert view.loc["Turnover"].yoy_pct_from_levels == -7.95

    table = section.ytd_table(section.ytd_view()).set_index("Flow")
    row = table.loc["China's imports"]
    assert (row["Year earlier, US$ mn"], row["y/y % (from levels)"]) == (75384.5, -7.71)
    assert row["Source (year earlier)"] == "UN Comtrade rows 85–91"
    assert row["Wire figure"].startswith("year earlier 75,030 (TASS (row 317)), not used")
    assert table.loc["China's exports", "Wire figure"] == ""

    long = ytd_long(section.ytd_view(), "2025-07").set_index(["flow", "year"])  # Figure 3's CSV
    assert long.loc[("China's imports", "2024"), "value_usd_bn"] == 75.384
    assert "rows 85–91" in long.loc[("China's imports", "2024"), "source"]
    from helpers.sections.headline import ytd_caption

    assert "China's imports, January–July 2024: UN Comtrade rows" in ytd_caption(section.ytd_view())


def test_the_ytd_difference_is_in_the_conflicts_table(section):
    conflicts = methods.conflicts_table(section)
    pair = conflicts.loc[
        (conflicts.Period == "2024-07")
        & (conflicts.Span == "ytd")
        & (conflicts.Goods == "all goods")
    ].iloc[0]
    assert (pair.Used, pair.Other, pair["Difference, %"]) == (75384.5, 75030.0, -0.47)
    assert (
        pair["Other: raw row"] == "data/raw/gacc_cn_ru_totals.csv row 317"
        and pair.Between == methods.RAW_VS_WIRE
    )


def test_a_mislabelled_page_is_flagged_through_resolve_and_the_monthly_series(section):
    resolved = section.customs.resolved_totals.set_index(["flow", "period", "span"])
    october = resolved.loc[("import", "2022-10", "month")]
    assert (october.value, october.value_source_row, october.value_mislabelled) == (7400, 144, True)
    assert not resolved.loc[("import", "2022-09", "month")].value_mislabelled
    monthly = section.customs.monthly("2025-07").set_index(["flow", "period"])
    assert (
        monthly.loc[("import", "2022-10"), "mislabelled"]
        and not monthly.loc[("import", "2022-11"), "mislabelled"]
    )


def test_month_cross_check_leaves_the_mislabelled_page_out_of_the_gaps(section):
    check = section_rows.month_check(section).set_index("period")
    assert check.loc["2022-10"].wire_mislabelled and not check.loc["2022-03"].wire_mislabelled
    text = section_rows.imports_text(
        section_rows.imports_view(section),
        section_rows.annual_check(section),
        section_rows.month_check(section),
    )
    plain = without_notes(text)
    assert (
        "The largest gap, relative to the rows, is in March 2022: $7.84bn reported against $8.251bn "
        "in the rows, −4.98%."
    ) in plain
    # whose figure it is, in the note beside it
    largest = text.split("−4.98%.")[1].split("</sup>")[0]
    assert (
        "The Moscow Times, citing RIA Novosti" in largest
        and "gacc_cn_ru_totals.csv row 73" in largest
    )
    assert "Of the 28 months" in plain and "26 differ beyond the wire's rounding" in plain
    assert "October 2022, $7.4bn against $10.360bn in the rows" in plain
    assert "Dar El Hilal" in text and "row 144" in text
    assert "the largest gap, relative to the rows, is in October 2022" not in plain
    view = section_rows.imports_view(section).set_index(
        "period"
    )  # Figure 8: the rows' bar, no red tick
    assert (
        view.loc["2022-10"].bar_source == "UN Comtrade rows"
        and view.loc["2022-10"].wire_mislabelled
    )
    assert view.loc["2022-10"].wire_status == "published, page flagged as mislabelled"


def test_reconciliations_do_not_read_a_mislabel_as_a_revision(section):
    flows, months = methods.reconciliation_tables(section)
    assert not ((flows.Period == "2022-10") & (flows.Span == "month")).any()
    assert (
        not months.loc[months.Flow == "China's imports", "January to"]
        .isin(["2022-10", "2022-11", "2022-12"])
        .any()
    )
    assert flows.attrs["left_out_checks"] == 5 and months.attrs["left_out_checks"] == 5
    summary, key = methods.reconciliation_summary(months, "the sum of months")
    assert key.Difference.tolist() == [1873, 1807, 1545] and set(key.Flow) == {"Turnover"}
    assert "5 left out (see Reconciliations)" in re.sub(r"<[^>]+>", "", summary)
    text = methods.methods_text(section)
    assert "Month sums run below the cumulative totals because" not in text
    # each kind of check counted apart, as the two tables count them (the trial read 47 as all the checks)
    assert "checked against turnover: 4 of 67 differ beyond rounding." in text
    assert "January-to-month total: 36 of 47 differ, the total always above the sum." in text
    assert (
        "10 checks are left out: they rest on pages flagged as mislabelled, so they would test the "
        "page, not GACC.<sup" in text
    )
    assert "5 turnover and 5 month-sum checks: Dar El Hilal 2022-10" in text
    assert "Dar El Hilal 2022-10, rows 142, 144" in text


def test_the_widest_conflicts_say_what_they_rank_by_and_skip_flagged_pages(section):
    table = methods.conflicts_table(section)
    flagged = table["Other: outlet"].str.endswith(methods.FLAGGED_OTHER)
    assert flagged.sum() == 12
    assert table.loc[(table.Period == "2022-10") & flagged, "Other"].tolist() == [7400.0]
    summary, key = methods.conflicts_summary(table)
    text = re.sub(r"<[^>]+>", "", summary)
    assert (
        "relative to the figure used (the CSV&#x27;s Difference, %)" in text
        and "marked where its page is flagged: 12" in text
    )
    assert not key["Other (outlet)"].str.contains("flagged").any()
    assert key.What.iloc[0].startswith("Coal (HS 2701), China's imports, 2022 (year), y/y %")


def test_every_year_to_date_import_figure_the_rows_give_is_cross_checked_whatever_the_period():
    """January–July 2024 (rows 75,384.5 vs TASS 75,030) was in the conflicts table only for a 2025-07 briefing;
    now every January–month import figure up to the briefing's month is checked against the rows."""

    def ytd_pairs(period_end):
        table = section_rows.raw_wire_conflicts_table(
            open_section(period_end=period_end, partner="Russia")
        )
        return table.loc[
            (table.commodity == "TOTAL") & (table.span == "ytd") & ~table.period.str.endswith("-02")
        ]

    tables = {p: ytd_pairs(p) for p in ("2024-09", "2025-07", "2025-12")}
    for table in tables.values():
        july = table.loc[table.period == "2024-07"].iloc[0]
        assert (round(july.used, 1), july.other, july.used_publisher) == (
            75384.5,
            75030,
            "UN Comtrade",
        )
        assert july.used_source_row.endswith("2017_2024.csv rows 85–91")
        assert july.other_source_row == "data/raw/gacc_cn_ru_totals.csv row 317"
    assert len(tables["2025-07"]) == len(tables["2025-12"]) == len(tables["2024-09"]) > 20
    assert (
        not tables["2025-07"].period.str[5:].isin(["02", "12"]).any()
    )  # Jan–Feb and full years: other checks
