"""The real customs rows (data/raw/baci, data/raw/comtrade, data/raw/fuel): the figures they give, the raw
file and rows behind every number, the raw-vs-wire cross-checks, and one-line errors on broken copies.

Check figures are those of ../shared/data/hs_level/README.md, computed here from the vendored files.
The large-file test uses a SYNTHETIC BACI release file generated below.
"""

import hashlib
import json
import random
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.claims.raw_rows import uncovered_chapter_27
from helpers.core.errors import InputError
from helpers.core.paths import RAW_DIR
from helpers.model.raw_rows import fuel_monthly, row_ranges
from helpers.pipeline import check_inputs
from helpers.report.notes import without_notes
from helpers.report.tables import FIGURE_SPACE, table_html
from helpers.sections import fuel as section_fuel
from helpers.sections import raw_rows as section_rows
from helpers.sections.section import open_section
from helpers.sources.baci import load_baci, read_baci, scan_baci
from helpers.sources.fuel_monitor import read_fuel_monitor
from helpers.sources.provenance import VENDORED_ROW_FILES, verify_vendored

BACI = RAW_DIR / "baci" / "baci_hs17_v202501_cn_ru_2017_2023.csv"
FUEL_2020 = RAW_DIR / "fuel" / "comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv"
FUEL_2025 = RAW_DIR / "fuel" / "customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv"


@pytest.fixture(scope="module")
def section():
    return open_section(period_end="2025-07", partner="Russia")


# ------------------------------------------------------------------------------------------- numbers
def test_fuel_rows_give_the_story_period_change_with_gacc_ranked_above_the_compilation(section):
    table = section_fuel.fuel_comparison(section, "2025-07").set_index("group")
    crude, together = table.loc["crude_oil"], table.loc["together"]
    # crude oil: GACC's published figure (BTCC Square citing GACC, commodities row 321: $29.48bn, −21.3%) is used;
    # the compilation's $29.649bn (rows 1–7) stands beside it; the year earlier stays from UN Comtrade (37,482.5)
    assert (crude.value_usd_mn, crude.change_pct, crude.basis) == (29480, -21.3, "published y/y")
    assert (
        round(crude.prior_value_usd_mn, 1) == 37482.5
        and round(crude.rows_value_usd_mn, 1) == 29648.8
    )
    assert (
        crude.rows_change_pct == -20.9
        and crude.wire_change_pct == -21.3
        and crude.wire_usd_mn == 29480
    )
    assert crude.value_rows == "data/raw/gacc_cn_ru_commodities.csv row 321"
    assert (
        crude.rows_rows
        == "data/raw/fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv rows 1–7"
    )
    assert crude.prior_rows == (
        "data/raw/fuel/comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv rows "
        "194, 198, 202, 206, 210, 214, 218"
    )
    # the four codes: GACC's crude level plus the compilation's coal, LNG and pipeline gas, against Comtrade 2024
    assert (
        round(together.value_usd_mn, 1) == 41525.4
        and round(together.prior_value_usd_mn, 1) == 50828.1
    )
    assert together.change_pct == -18.3 and round(together.change_exact, 2) == -18.30
    assert round(together.rows_value_usd_mn, 1) == 41694.2 and together.rows_change_pct == -18.0
    text = section_fuel.fuel_text(table.reset_index(), "2025-07", "2026-07")
    assert "(the story's period)" not in text  # the briefing's month is the story's
    assert section_fuel.fuel_text(table.reset_index(), "2025-07", "2026-07", "2025-12").startswith(
        "In the story's period, January–July 2025, China's imports of Russian crude oil came to"
    )
    assert "**$29.5bn** against **$37.5bn** a year earlier, **−21.3%**." in text
    # the caveat that makes the verdict borderline stays in the sentence, in plain words
    assert "it comes from a non-wire page, so the fuel verdict is borderline." in text
    assert (
        "gives $29.6bn, −20.9%." in without_notes(text)
        and "0.6% apart in level, listed in the conflicts table" in text  # in the note beside it
        and "**−18.3%**" in text
        and "estimated" in text
    )
    assert "(" not in without_notes(text)
    assert together.value_publishers == (
        "BTCC Square (citing GACC), China customs, compiled by DoiEnnoson/china-energy-monitor"
    )
    assert together.prior_publishers == crude.prior_publishers == "UN Comtrade"
    assert (
        "The four codes' change spans three sources: 2025 from BTCC Square (citing GACC) for crude oil and China "
        "customs, compiled by DoiEnnoson/china-energy-monitor (a secondary compilation, ranked below a published "
        "GACC figure) for coal, liquefied natural gas and pipeline natural gas, 2024 from UN Comtrade."
    ) == section_fuel.fuel_sources(
        together, "2025-07", "The four codes' change"
    )  # Data and methods says it


def test_fuel_text_where_crude_oil_is_summed_from_the_rows(section):
    # no wire-reported GACC crude figure outranks the rows (e.g. a month GACC has not published yet): the text
    # says the level is the rows' and names the wire figure beside it (this branch once read a missing field)
    table = section_fuel.fuel_comparison(section, "2025-07")
    crude = table.group == "crude_oil"
    table.loc[crude, "used"] = "rows"
    table.loc[crude, ["value_usd_mn", "level_usd_mn"]] = table.loc[crude, "rows_value_usd_mn"].iloc[
        0
    ]
    table.loc[crude, "change_pct"] = table.loc[crude, "rows_change_pct"].iloc[0]
    text = section_fuel.fuel_text(table, "2025-07", "2026-07")
    assert (
        "**$29.6bn** against **$37.5bn** a year earlier, **−20.9%**, summed from the monthly customs rows. "
        "GACC's figure, as a wire reported it, is −21.3%."
    ) in without_notes(text)
    assert "commodities.csv row 321" in text  # the wire figure's row, in its note
    table.loc[crude, "wire_change_pct"] = float("nan")
    assert "No wire has reported GACC's own figure for these months." in section_fuel.fuel_text(
        table, "2025-07", "2026-07"
    )


def test_pipeline_gas_wire_change_without_a_level_is_matched(section):
    """Commodities row 385 (BTCC Square citing GACC): pipeline gas +21.3% in value for January–July 2025, no level,
    so no unit. It was never matched (only US$ records were read); it is GACC's change, ranked above the compilation."""
    from helpers.model.groups import wire_ytd

    wire = wire_ytd(
        section.resolved_groups, "pipeline_gas", section.groups["pipeline_gas"], "2025-07"
    )
    assert wire["published_yoy_pct"] == 21.3 and wire["value_usd_mn"] != wire["value_usd_mn"]
    assert wire["value_rows"] == "data/raw/gacc_cn_ru_commodities.csv row 385"
    table = section_fuel.fuel_comparison(section, "2025-07")
    gas = table.set_index("group").loc["pipeline_gas"]
    assert (gas.change_pct, gas.basis, gas.wire_change_pct, gas.rows_change_pct) == (
        21.3,
        "published y/y",
        21.3,
        21.4,
    )
    assert (
        round(gas.level_usd_mn, 1) == 5695.3
    )  # no GACC level: the four codes' sum takes the compilation's
    shown = section_fuel.fuel_display(table, "2025-07").set_index("Codes")
    assert shown.loc["Pipeline natural gas (HS 271121)", "Figure used"].startswith(
        "GACC via BTCC Square (citing GACC) (row 385): +21.3%, no level"
    )
    f4 = section.group_changes().set_index("group")
    assert (
        f4.loc["pipeline_gas"].change_pct == 21.3
        and f4.loc["pipeline_gas"].basis == "published y/y"
    )


def _without_secondary_compilations(monkeypatch):
    from helpers.model import resolve

    config = resolve.sources_config()
    without = {
        **config,
        "source_preference": {**config["source_preference"], "secondary_compilations": []},
    }
    monkeypatch.setattr(resolve, "sources_config", lambda: without)


def test_secondary_compilation_status_is_read_from_sources_yaml(section, monkeypatch):
    """config/sources.yaml lists the files that rank below a published GACC figure; without the entry the
    compilation's rows are used as raw rows again (crude 29,648.8, −20.9%)."""
    from helpers.model.groups import group_change
    from helpers.model.resolve import secondary_compilations

    listed = secondary_compilations()
    assert list(listed) == ["data/raw/fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv"]
    assert all((RAW_DIR.parent.parent / name).exists() for name in listed)
    assert "rank it below a published GACC figure" in listed[next(iter(listed))]["reason"]
    crude = group_change(
        section.resolved_groups,
        "crude_oil",
        section.groups["crude_oil"],
        "2025-07",
        None,
        "RU",
        section.raw.fuel,
    )
    assert (crude["value_usd_mn"], crude["change_pct"], crude["basis"]) == (
        29480,
        -21.3,
        "published y/y",
    )
    assert (
        "beside it: China customs, compiled by DoiEnnoson/china-energy-monitor: HS 2709"
        in crude["source"]
    )
    coal = group_change(
        section.resolved_groups,
        "coal",
        section.groups["coal"],
        "2025-07",
        None,
        "RU",
        section.raw.fuel,
    )
    assert coal["basis"] == "sum of raw rows" and coal["source"].startswith(
        "China customs, compiled by DoiEnnoson"
    )
    _without_secondary_compilations(monkeypatch)
    crude = group_change(
        section.resolved_groups,
        "crude_oil",
        section.groups["crude_oil"],
        "2025-07",
        None,
        "RU",
        section.raw.fuel,
    )
    assert (round(crude["value_usd_mn"], 1), crude["change_pct"], crude["basis"]) == (
        29648.8,
        -20.9,
        "sum of raw rows",
    )


def test_months_of_figure_7_that_gacc_also_published_are_compared(section):
    """Comtrade rows rank above a wire's monthly figure; GACC's monthly figure ranks above the compilation's rows.
    Months after the briefing's are left out; gaps beyond rounding reach the conflicts table."""
    pairs = section_rows.fuel_month_check(section)
    months = pairs.loc[pairs.span == "month"].set_index(["group", "period"])
    assert months.index.get_level_values("period").max() <= "2025-07"
    crude_2022 = months.loc[("crude_oil", "2022-04")]
    assert (crude_2022.used_usd_mn, crude_2022.used_publisher, crude_2022.other_usd_mn) == (
        5053.6,
        "UN Comtrade",
        4790,
    )
    assert crude_2022.used_rows.endswith(
        "comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv row 110"
    )
    crude_july = months.loc[("crude_oil", "2025-07")]
    assert (crude_july.used_usd_mn, crude_july.used_publisher) == (
        4310,
        "BTCC Square (citing GACC)",
    )
    assert crude_july.other_usd_mn == 4379.6 and crude_july.other_rows.endswith(
        "2025_2026.csv row 7"
    )
    conflicts = section_rows.raw_wire_conflicts_table(section)
    monthly = conflicts.loc[(conflicts.span == "month") & (conflicts.commodity != "TOTAL")]
    assert ("Crude oil (HS 2709)", "2025-07", 4310, 4379.6) in set(
        zip(monthly.commodity, monthly.period, monthly.used, monthly.other)
    )
    assert len(monthly) == len(months) == 10  # every pair differs beyond the wire's rounding
    # January–month spans and years too: TASS's January–March 2024 crude, $13.86bn, is 17% below the rows
    spans = pairs.set_index(["group", "period", "span"])
    march = spans.loc[("crude_oil", "2024-03", "ytd")]
    assert (march.used_usd_mn, march.other_usd_mn, march.other_publisher) == (
        16682.1,
        13858,
        "TASS",
    )
    assert march.used_rows.endswith("2020_2024.csv rows 194, 198, 202")
    assert spans.loc[("crude_oil", "2022", "year")].used_usd_mn == 58584.2
    assert (
        "crude_oil",
        "2025-07",
        "ytd",
    ) in spans.index  # the story's pair: listed once in the table
    assert (
        len(
            conflicts.loc[
                (conflicts.commodity == "Crude oil (HS 2709)")
                & (conflicts.period == "2025-07")
                & (conflicts.span == "ytd")
            ]
        )
        == 1
    )


def test_fuel_verdict_compares_the_unrounded_change(section, monkeypatch):
    """The compilation alone gives 41,694.2 / 50,828.1 − 1 = −17.970%: 2.03 points from −20, outside the 2-point
    tolerance, though it rounds to −18.0. With GACC's crude figure ranked first: −18.302%, 1.70 points, within."""
    from helpers.claims.raw_rows import check_fuel_rows
    from helpers.claims.verdicts import claim_by_id

    claim = claim_by_id(section.claims_config, "fuel_exports")
    row = check_fuel_rows(claim, section.resolved_groups, section.groups, section.raw.fuel, "RU")
    assert row["verdict"] == "consistent"
    assert (
        "The verdict rests on this unrounded change: 1.70 points from the story's −20%, within the tolerance of "
        "2 points."
    ) in row["explanation"]
    assert (
        "On the compilation's rows alone the 4 codes give −17.97%, 2.03 points away, outside it: the verdict turns "
        "on GACC's crude oil figure ranking above the compilation, published by BTCC Square (not a wire agency): "
        "a borderline verdict."
    ) in row["explanation"]  # pipeline gas's GACC y/y moves no level: not named
    # nor listed as a source: its level is the rows' (58–64, among the rows used); crude's rows 1–7 rank below GACC
    assert "row 385" not in row["rows_used"] and row["rows_used"].endswith(
        "ranked below it: data/raw/fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv rows 1–7"
    )
    _without_secondary_compilations(monkeypatch)
    row = check_fuel_rows(claim, section.resolved_groups, section.groups, section.raw.fuel, "RU")
    assert row["verdict"] == "differs" and "−18.0%" in row["data_value"]
    assert (
        "2.03 points from the story's −20%, outside the tolerance of 2 points" in row["explanation"]
    )


def test_methods_and_claim_say_where_each_fuel_year_comes_from(section):
    from helpers.sections.findings import claim_table
    from helpers.sections.methods import methods_text

    methods = methods_text(section)
    assert "they give both years of a comparison from one series" not in methods
    assert (
        "The fuel claim's comparison spans three sources: 2025 from BTCC Square (citing GACC) for crude oil and "
        "China customs, compiled by DoiEnnoson/china-energy-monitor (a secondary compilation, ranked below a "
        "published GACC figure) for coal, liquefied natural gas and pipeline natural gas, 2024 from UN "
        "Comtrade."
    ) in methods
    fuel = claim_table(section).set_index("claim_id").loc["fuel_exports"]
    assert (
        "(crude oil from BTCC Square (citing GACC); coal, liquefied natural gas and pipeline natural gas from "
        "China customs, compiled by DoiEnnoson/china-energy-monitor; 2024 from UN Comtrade)"
    ) in fuel.explanation
    one = pd.Series({"value_publishers": "UN Comtrade", "prior_publishers": "UN Comtrade"})
    assert (
        section_fuel.fuel_sources(one, "2024-07")
        == "The comparison: both years from one source, UN Comtrade."
    )


def test_fuel_rows_run_to_the_last_month_in_the_data_with_publishers(section):
    monthly = fuel_monthly(section.raw.fuel)
    assert (monthly.period.min(), monthly.period.max()) == ("2020-01", "2026-07")
    assert len(monthly) == 316 and sorted(monthly.hs_code.unique()) == [
        "2701",
        "2709",
        "271111",
        "271121",
    ]
    publishers = monthly.groupby(monthly.period < "2025-01").publisher.unique()
    assert list(publishers[True]) == ["UN Comtrade"]
    assert list(publishers[False]) == ["China customs, compiled by DoiEnnoson/china-energy-monitor"]
    july = monthly.loc[(monthly.period == "2024-07") & (monthly.hs_code == "2709")].iloc[0]
    assert (
        july.value_usd_bn == 4.468
        and july.source_row == 218
        and july.source_file.endswith("2020_2024.csv")
    )


def test_baci_composition_check_figures(section):
    view = section_rows.composition_view(section).set_index(["flow", "year", "group"])
    assert view.loc[("export", "2023", "vehicles")].value_usd_bn == 18.496
    assert view.loc[("export", "2023", "total")].value_usd_bn == 110.014
    assert view.loc[("import", "2023", "total")].value_usd_bn == 129.003
    rows = read_baci(BACI)
    cars = rows.loc[
        (rows.period == "2023")
        & (rows.flow == "export")
        & (rows.measure == "value")
        & rows.hs_code.str.startswith("8703")
    ]
    assert round(cars.value.sum() / 1000, 3) == 11.654
    # parts add up to the total, each year and direction; no group counted twice
    parts = (
        view.drop(index="total", level="group").groupby(level=["flow", "year"]).value_usd_mn.sum()
    )
    totals = view.xs("total", level="group").value_usd_mn
    assert (parts - totals).abs().max() < 1e-6
    change = section_rows.composition_table(section_rows.composition_view(section))
    vehicles = change.loc[change.Part.str.startswith("Vehicles")].iloc[0]
    assert vehicles["2023, US$ bn"] == 18.496 and vehicles["2021, US$ bn"] == 1.773


def test_baci_reader_pads_codes_and_converts_units():
    rows = read_baci(BACI)
    first = rows.iloc[0]  # raw line: 2017,156,643,10620,48.641,3.124
    assert (first.hs_code, first.value, first.flow, first.period, first.source_row) == (
        "010620",
        0.048641,
        "export",
        "2017",
        1,
    )
    quantity = rows.loc[(rows.measure == "quantity") & (rows.source_row == 1)].iloc[0]
    assert (quantity.unit, quantity.value) == ("tonnes", 3.124)
    assert rows.hs_code.str.len().eq(6).all() and rows.hs_version.eq("HS2017").all()
    values = rows.loc[rows.measure == "value"]
    assert len(values) == 43494 and values.source_row.max() == 43494
    assert (rows.measure == "quantity").sum() < 43494  # blank q rows give no quantity


def test_comtrade_total_rows_and_the_wire_cross_check(section):
    totals = section.raw.comtrade_totals
    january = totals.loc[(totals.period == "2024-01") & (totals.measure == "value")].iloc[0]
    assert (
        january.value * 1e6 == pytest.approx(10_630_028_515, abs=0.01) and january.source_row == 85
    )
    check = section_rows.annual_check(section).set_index("year")
    assert check.loc["2024"].raw_usd_bn == 129.881 and check.loc["2023"].raw_usd_bn == 128.936
    assert check.loc["2024"].wire_usd_bn == 129.32 and not check.loc["2024"].within_rounding
    assert check.loc["2024"].raw_source.endswith(
        "comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv rows 85–96"
    )
    conflicts = section_rows.raw_wire_conflicts_table(section).set_index(
        ["commodity", "period", "span"]
    )
    year = conflicts.loc[("TOTAL", "2024", "year")]
    assert (year.used, year.used_publisher, year.other, year.other_source_row) == (
        129881.0,
        "UN Comtrade",
        129320.0,
        "data/raw/gacc_cn_ru_totals.csv row 347",
    )
    jan_feb = conflicts.loc[
        ("TOTAL", "2024-02", "ytd")
    ]  # GACC's combined January–February vs Comtrade's two months
    assert (round(jan_feb.used, 1), jan_feb.other) == (20547.9, 20202.0)  # indexed as span ytd
    assert jan_feb.used_source_row.endswith("2017_2024.csv rows 85–86")
    october = conflicts.loc[
        ("TOTAL", "2022-10", "month")
    ]  # a wire page an outlet got wrong by $3bn
    assert (round(october.used, 1), october.other) == (10360.3, 7400.0)
    assert october.used_source_row.endswith("2017_2024.csv row 70")
    assert (
        "TOTAL",
        "2024-07",
        "month",
    ) not in conflicts.index  # 9.7bn vs 9.737bn: within the wire's rounding
    crude = conflicts.loc[
        ("Crude oil (HS 2709)", "2025-07", "ytd")
    ]  # GACC used, the secondary compilation the
    # other (July alone, a month of Figure 7, is the other row of that period)
    assert (crude.used, crude.other, crude.relative_diff_pct) == (29480.0, 29648.8, 0.57)
    assert (
        crude.used_source_row == "data/raw/gacc_cn_ru_commodities.csv row 321"
    )  # BTCC Square citing GACC
    assert crude.used_publisher == "BTCC Square (citing GACC)"
    assert crude.other_publisher == "China customs, compiled by DoiEnnoson/china-energy-monitor"
    assert (
        crude.other_source_row
        == "data/raw/fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv rows 1–7"
    )


def table_cells(html: str) -> list[dict]:
    """{column: text} for each row of a rendered table (detail rows left out)."""
    rows = [
        re.findall(r'<td[^>]*data-label="([^"]+)">(.*?)</td>', row, re.S)
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
    ]
    return [{label: re.sub(r"<[^>]+>", "", text) for label, text in row} for row in rows if row]


def test_raw_rows_tables_read_like_the_text(section):
    """The tables as built for the briefing: changes signed with one decimal like the sentences, each column
    with one number of decimals, the wire's published figures with their own."""
    fuel = section_fuel.fuel_comparison(section, "2025-07")
    rows = {
        r["Codes"]: r
        for r in table_cells(
            table_html(
                section_fuel.fuel_display(fuel, "2025-07"),
                "t-fuel-ytd",
                "c",
                ["Figure used", "Raw rows"],
            )
        )
    }
    together, gas = rows["The 4 codes together"], rows["Pipeline natural gas (HS 271121)"]
    assert together["Change, %"] == "−18.3" and gas["Change, %"] == "+21.3"
    assert (gas["January–July 2025, US$ bn"], gas["Year earlier, US$ bn"]) == (
        "5.70",
        "4.69",
    )  # not 5.7 beside 4.69
    assert (
        together["January–July 2025, US$ bn"] == "41.53"
    )  # 41,525.4 rounded once (not 41.525 -> 41.52)
    assert "**" + together["Change, %"] + "%**" in section_fuel.fuel_text(
        fuel, "2025-07", "2026-07"
    )

    check = section_rows.annual_check(section)
    years = {
        r["Year"]: r
        for r in table_cells(
            table_html(section_rows.annual_display(check), "t-a", "c", ["Raw rows", "Wire source"])
        )
    }
    assert (years["2023"]["Comtrade rows, US$ bn"], years["2023"]["Wire vs rows, %"]) == (
        "128.94",
        "+0.13",
    )
    assert (
        years["2023"]["Wire, US$ bn"] == "129.1" + FIGURE_SPACE
    )  # published as $129.1bn: no invented 129.10
    assert (
        years["2017"]["Wire, US$ bn"] == "41.2" + FIGURE_SPACE
        and years["2019"]["Wire, US$ bn"] == "61.05"
    )
    text = section_rows.imports_text(
        section_rows.imports_view(section), check, section_rows.month_check(section)
    )
    assert (
        "For 2023, the rows give $128.936bn against $129.1bn as the wire reported GACC, a gap of +0.13%, "
        "beyond rounding." in without_notes(text)
    )

    parts = section_rows.composition_table(section_rows.composition_view(section))
    shown = table_cells(table_html(parts, "t-c", "c"))
    goods = next(
        r for r in shown if r["Direction"] == "Russia → China" and r["Part"] == "All goods"
    )
    assert (goods["2023, US$ bn"], goods["2021→2023, %"]) == ("129.00", "+79.0")
    assert {r["2021→2023, %"][0] for r in shown} <= {"+", "−"}


def test_imports_bars_say_their_source(section):
    view = section_rows.imports_view(section).set_index("period")
    assert (
        view.loc["2024-01"].bar_source == "UN Comtrade rows"
        and view.loc["2024-01"].value_usd_bn == 10.63
    )
    assert view.loc["2024-01"].source.endswith("2017_2024.csv row 85")
    assert (
        view.loc["2025-07"].bar_source == "GACC via wire (published)"
        and view.loc["2025-07"].value_usd_bn == 10.05
    )
    assert view.source.str.len().gt(0).all() and view.index.min() == "2017-01"


def test_every_new_number_names_its_file_and_rows(section):
    composition = section_rows.composition_plot_data(section_rows.composition_view(section))
    assert composition.source_file.str.startswith("data/raw/baci/").all()
    assert composition.source_rows.str.match(r"^\d+(–\d+)?(, \d+(–\d+)?)*$").all()
    fuel = fuel_monthly(section.raw.fuel)
    assert fuel.source_file.str.startswith("data/raw/fuel/").all() and fuel.source_row.gt(0).all()
    table = section_fuel.fuel_display(section_fuel.fuel_comparison(section, "2025-07"), "2025-07")
    assert (
        table["Raw rows"]
        .str.match(
            r"^2025: (customs_\S+\.csv rows|gacc_cn_ru_commodities\.csv row) \d.*; "
            r"2024: comtrade_\S+\.csv rows \d"
        )
        .all()
    )
    assert table["Figure used"].iloc[0] == (
        "GACC via BTCC Square (citing GACC) (row 321): $29.48bn, −21.3%; ranked "
        "below it, the compilation by DoiEnnoson/china-energy-monitor: $29.65bn, −20.9%"
    )
    assert table["Figure used"].iloc[1] == (
        "The rows: the compilation by DoiEnnoson/china-energy-monitor (no GACC figure published)"
    )


def test_claims_rest_on_the_rows(section):
    from helpers.sections.findings import claim_table, key_findings

    claims = claim_table(section).set_index("claim_id")
    fuel = claims.loc["fuel_exports"]
    assert (
        fuel.verdict == "consistent"
        and "−18.3%" in fuel.data_value
        and "−21.3% (GACC via BTCC Square)" in fuel.data_value
    )
    assert fuel.rows_used.startswith(
        "data/raw/gacc_cn_ru_commodities.csv row 321; data/raw/fuel/customs_cn_fuel_"
        "imports_from_ru_monthly_2025_2026.csv rows 20–26, 39–45, 58–64"
    )
    vehicles = claims.loc["vehicles"]
    assert (
        vehicles.verdict == "cannot be checked with this data" and "$18.5bn" in vehicles.explanation
    )
    assert "Data that would settle it: GACC's HS-level table for chapter 87" in vehicles.explanation
    assert (
        "data/raw/baci/baci_hs17_v202501_cn_ru_2017_2023.csv rows 41214–41221, 41225–41243"
        in vehicles.rows_used
    )
    findings = key_findings(section)
    # the summary says whose page the figure is (no wire agency), for a reader of page 1 alone
    plain = without_notes(findings)
    assert (
        "crude-oil imports fell 21.3% to $29.5bn, from $37.5bn. That figure is from a non-wire page, so "
        "the fuel verdict is borderline. All four fuel codes together fell 18.3%."
    ) in plain
    # whose page it is and the compilation's change, in the note beside the number
    crude = findings.split("from $37.5bn.")[1].split("</sup>")[0]
    assert "BTCC Square (citing GACC)" in crude and "gacc_cn_ru_commodities.csv row 321" in crude
    assert "the compilation&#39;s rows give −20.9%" in crude  # HTML-escaped
    assert "China shipped $18.5bn of vehicles to Russia out of $110.0bn" in plain


def test_what_the_fuel_rows_do_not_cover():
    assert uncovered_chapter_27(["2709", "2701", "271111", "271121"]) == (
        "2702–2708, 2710 (oil products), 2712–2716 and 2711 other than 271111, 271121 (other petroleum gases, e.g. LPG)"
    )
    assert row_ranges([7, 1, 2, 3, 9, 10]) == "1–3, 7, 9–10"


# ------------------------------------------------------------------------------------------- large BACI files
def write_synthetic_baci_release(path: Path, rows_per_pair: int = 400, seed: int = 7) -> None:
    """SYNTHETIC: a BACI release-format file with several country pairs, codes as CEPII writes them (with their
    zero) or as pandas leaves them (without), `q` padded NA or empty."""
    rng = random.Random(seed)
    pairs = [(156, 643), (643, 156), (156, 840), (276, 643), (643, 276), (4, 156)]
    lines = ["t,i,j,k,v,q"]
    for i, j in pairs:
        for n in range(rows_per_pair):
            code = f"{rng.randrange(10101, 970600):06d}"
            code = code.lstrip("0") if n % 3 == 0 else code
            q = rng.choice([f"{rng.uniform(0, 900):.3f}", "         NA", ""])
            lines.append(f"2023,{i},{j},{code},{rng.uniform(0.001, 90000):.3f},{q}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_baci_large_file_scan_equals_the_small_reader(tmp_path):
    release = tmp_path / "baci" / "BACI_HS17_Y2023_V202501.csv"
    release.parent.mkdir()
    write_synthetic_baci_release(release)
    small = read_baci(release)
    scanned = scan_baci(release)
    pd.testing.assert_frame_equal(small, scanned)
    assert (
        set(scanned.flow) == {"export", "import"}
        and len(scanned.loc[scanned.measure == "value"]) == 800
    )
    assert small.attrs["notes"] == [
        f"{release.name}: 1600 row(s) of other country pairs left out (kept China<->RU)"
    ]
    # load_baci takes the DuckDB path above the size limit and returns the same rows
    pd.testing.assert_frame_equal(load_baci(tmp_path, "RU", large_bytes=0), small)


@pytest.mark.parametrize("layout", ["pandas index", "trailing comma"])
def test_baci_extract_with_an_extra_column_reads_the_same_rows_on_both_paths(tmp_path, layout):
    # an extract saved by pandas (its index first: ",t,i,j,k,v,q") or with a comma ending every line
    lines = BACI.read_text(encoding="utf-8").splitlines()[:6]
    extract = tmp_path / "baci_extract.csv"
    if layout == "pandas index":
        rows = ["," + lines[0]] + [f"{n},{line}" for n, line in enumerate(lines[1:])]
    else:
        rows = [line + "," for line in lines]
    extract.write_text("\n".join(rows) + "\n", encoding="utf-8")
    small, scanned = read_baci(extract), scan_baci(extract)
    pd.testing.assert_frame_equal(small, scanned)
    expected = read_baci(BACI)
    expected = expected.loc[expected.source_row <= 5].reset_index(drop=True)
    assert small[["hs_code", "measure", "value", "source_row"]].equals(
        expected[["hs_code", "measure", "value", "source_row"]]
    )
    assert small.loc[0, "hs_code"] == "010620" and small.loc[0, "value"] == 0.048641


# ------------------------------------------------------------------------------------------- broken copies
def copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    for name in ("gacc_cn_ru_totals.csv", "gacc_cn_ru_commodities.csv", "context_facts.csv"):
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(RAW_DIR / name, raw / name)
        shutil.copy2(
            RAW_DIR / name.replace(".csv", ".meta.json"), raw / name.replace(".csv", ".meta.json")
        )
    for name in VENDORED_ROW_FILES:
        (raw / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(RAW_DIR / name, raw / name)
        shutil.copy2(RAW_DIR / (name + ".meta.json"), raw / (name + ".meta.json"))
    return raw


def break_line(path: Path, line: int, old: str, new: str, reseal: bool = True) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line], lines[line]
    lines[line] = lines[line].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")
    if reseal:
        sidecar = Path(str(path) + ".meta.json")
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
        meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
        sidecar.write_text(json.dumps(meta), encoding="utf-8")


def test_vehicles_finding_names_the_codes_its_amount_is_summed_from(tmp_path):
    """GROUPS_FILE adding 8708 (parts) to vehicles: the amount and the label both follow the groups file."""
    import yaml

    from helpers.sections.raw_rows import raw_rows_findings

    config = yaml.safe_load(Path("config/commodity_groups.yaml").read_text(encoding="utf-8"))
    for version in ("HS2022", "HS2017"):
        config["groups"]["vehicles"]["hs"][version].append("8708")
    groups_file = tmp_path / "groups with parts.yaml"
    groups_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    default = " ".join(raw_rows_findings(open_section(period_end="2025-07", partner="Russia")))
    with_parts = " ".join(
        raw_rows_findings(
            open_section(period_end="2025-07", partner="Russia", groups_file=str(groups_file))
        )
    )
    assert "China shipped $18.5bn of vehicles to Russia" in default
    assert "HS 8701+8703+8704;" in default  # the codes, in the amount's note
    assert "China shipped $20.5bn of vehicles to Russia" in with_parts  # parts included
    assert "HS 8701+8703+8704+8708;" in with_parts


def run_check(raw: Path, capsys) -> tuple[int, str]:
    code = check_inputs.main(["--raw-dir", str(raw)])
    captured = capsys.readouterr()
    return code, captured.err


def test_the_copied_row_files_pass(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    assert check_inputs.main(["--raw-dir", str(raw)]) == 0
    assert REAL_ROWS_COUNT in capsys.readouterr().out


# The build log's count of the real customs rows, each kind apart; Data and methods gives the same count.
REAL_ROWS_COUNT = (
    "87,191 real customs observations (value and quantity apart) from 4 files (1 HS-level file, 96; "
    "2 fuel files, 556; 1 BACI file, 86,539)"
)


def test_methods_and_build_log_count_the_same_rows(section):
    from helpers.sections.methods import methods_text

    text = methods_text(section)
    assert (
        "**HS-level files** (data/raw/comtrade, data/raw/gacc): 1 file, 96 rows for the briefing's partner (0 at "
        "the groups' codes, 96 all-goods totals)."
    ) in text
    assert f"With the fuel and BACI files, the build log counts {REAL_ROWS_COUNT}." in text
    assert (
        "**Monthly series** (January 2021–July 2025, exports, imports and turnover; the turnover chart starts in "
        "January 2022). 14 months are derived"
    ) in text  # Figure 2 draws turnover from January 2022, not 2021
    full_year = methods_text(open_section(period_end="2024-12", partner="Russia"))
    assert (
        "**Monthly series** (January 2021–December 2024, exports, imports and turnover; the turnover chart starts "
        "in January 2021)" in full_year
    )


CASES = {
    "checksum": (
        "fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv",
        1,
        "4.2334",
        "4.2335",
        False,
        r"fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv: checksum mismatch",
    ),
    "baci-checksum": (
        "baci/baci_hs17_v202501_cn_ru_2017_2023.csv",
        1,
        "48.641",
        "48.642",
        False,
        r"baci_hs17_v202501_cn_ru_2017_2023.csv: checksum mismatch",
    ),
    "baci-decimal-comma": (
        "baci/baci_hs17_v202501_cn_ru_2017_2023.csv",
        3,
        "3185.86",
        "3185,86",
        True,
        r"baci_hs17_v202501_cn_ru_2017_2023.csv, row 3: has 7 fields, header has 6 \(a decimal "
        r"comma, a stray comma or a row cut short\?\)",
    ),
    "baci-code": (
        "baci/baci_hs17_v202501_cn_ru_2017_2023.csv",
        2,
        "10690",
        "1069X",
        True,
        r"baci_hs17_v202501_cn_ru_2017_2023.csv, row 2, column 'k': commodity code '1069X' is not digits "
        r"\(expected 2, 4, 6, 8 or 10 digits",
    ),
    "fuel-period": (
        "fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv",
        2,
        "202502",
        "2025-02",
        True,
        r"customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv, row 2, column 'period': value '2025-02' "
        r"is not valid \(expected YYYYMM\)",
    ),
    "fuel-code": (
        "fuel/comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv",
        2,
        ",2709,",
        ",2710,",
        True,
        r"comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv, row 2, column 'commodity_code': value "
        r"'2710' is not valid",
    ),
    "fuel-value": (
        "fuel/comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv",
        1,
        "0.2345",
        "n/a",
        True,
        r"row 1, column 'value_usd_bn': value 'n/a' is not a number \(expected a number\)",
    ),
    "comtrade-checksum": (
        "comtrade/comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv",
        1,
        "3159813913.0",
        "3159813914.0",
        False,
        r"comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv: checksum "
        r"mismatch",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_row_files_stop_with_one_line(case, tmp_path, capsys):
    import re

    name, line, old, new, reseal, expected = CASES[case]
    raw = copy_raw(tmp_path)
    break_line(raw / name, line, old, new, reseal)
    code, err = run_check(raw, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("check-inputs: error: "), err
    assert re.search(expected, err), err


def test_a_missing_vendored_row_file_stops_verification(tmp_path, monkeypatch):
    raw = copy_raw(tmp_path)
    (raw / VENDORED_ROW_FILES[0]).unlink()
    with pytest.raises(
        InputError, match="baci_hs17_v202501_cn_ru_2017_2023.csv: raw file is missing"
    ):
        verify_vendored(raw)


def test_fuel_file_with_a_renamed_column_names_it_in_the_layout_it_is_nearest_to(tmp_path):
    lines = FUEL_2020.read_text(encoding="utf-8").splitlines()[:3]
    path = tmp_path / "fuel.csv"
    path.write_text("\n".join([lines[0].replace("commodity_code", "cmdCode"), *lines[1:]]) + "\n")
    with pytest.raises(
        InputError,
        match=r"column 'commodity_code': column is missing; found unexpected column 'cmdCode' instead",
    ):
        read_fuel_monitor(path)


def test_fuel_file_with_an_unknown_partner_names_the_row(tmp_path):
    path = tmp_path / "fuel.csv"
    path.write_text(
        "period,commodity,source_file,partner,value_usd_bn\n202501,coal,gacc_coal.csv,Atlantis,0.1\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"fuel.csv, row 1, column 'partner': partner 'Atlantis'"):
        read_fuel_monitor(path)


def test_conflicts_name_a_quantity_figure_by_its_unit():
    """Crude oil in September 2025 is published in million tonnes (8.28 vs 8.29, rows 324-325 of the
    commodities file): the conflicts table says so, never 'value, US$ mn'. The table stops at the briefing's
    month (the story's periods where later): a 2025-07 briefing leaves September 2025 out."""
    from helpers.sections.methods import conflicts_table, figure_words

    table = conflicts_table(open_section(period_end="2025-09", partner="Russia"))
    crude = table.loc[
        (table.Goods == "Crude oil (HS 2709)")
        & (table.Period == "2025-09")
        & (table.Between == "two outlets")
    ]
    assert set(crude.Figure) == {"quantity, million tonnes"} and sorted(crude.Other) == [
        8.287,
        8.29,
    ]
    july = conflicts_table(open_section(period_end="2025-07", partner="Russia"))
    assert july.Period.map(lambda p: p if len(p) > 4 else p + "-12").max() == "2025-07"
    december_2024 = conflicts_table(open_section(period_end="2024-12", partner="Russia"))
    assert (
        december_2024.Period.max() == "2025-07"
    )  # the story's fuel period, checked whatever the briefing's month
    assert figure_words("value", "value", "usd_mn") == "value, US$ mn"
    assert figure_words("yoy_pct", "quantity", "million tonnes") == "y/y % (quantity)"


def test_methods_names_the_years_each_raw_file_covers_from_its_rows(section):
    from helpers.sections.methods import raw_rows_sources

    assert raw_rows_sources(section.raw, "Russia") == (
        "CEPII BACI (HS6, 2017–2023, both directions), UN Comtrade (China's monthly imports from Russia 2017–2024) "
        "and monthly fuel imports by code (UN Comtrade, 2020–2024; China customs, compiled by "
        "DoiEnnoson/china-energy-monitor, 2025–2026)"
    )


def test_a_verdict_resting_on_a_wire_agency_is_not_called_borderline(section, monkeypatch):
    """The 'borderline' words follow config/sources.yaml's tier-1 list, not the name BTCC Square typed in code."""
    from helpers.claims.raw_rows import check_fuel_rows
    from helpers.claims.verdicts import claim_by_id
    from helpers.model import resolve

    config = resolve.sources_config()
    preference = config["source_preference"]
    widened = {
        **config,
        "source_preference": {
            **preference,
            "tier1_publisher_patterns": preference["tier1_publisher_patterns"] + ["BTCC Square"],
        },
    }
    monkeypatch.setattr(resolve, "sources_config", lambda: widened)
    row = check_fuel_rows(
        claim_by_id(section.claims_config, "fuel_exports"),
        section.resolved_groups,
        section.groups,
        section.raw.fuel,
        "RU",
    )
    assert (
        "ranking above the compilation." in row["explanation"]
        and "borderline" not in row["explanation"]
    )
