"""Data tests on the vendored snapshot: real published values the briefing rests on."""

import math
from pathlib import Path

import pytest

from helpers.core.file_hash import sha256_file
from helpers.core.paths import RAW_DIR
from helpers.model.series import ytd_comparison
from helpers.model.turnover import annual_turnover, record_year, ytd_view
from helpers.report.notes import without_notes
from helpers.sections.headline import headline_text
from helpers.sources.provenance import (
    VENDORED_FILES,
    VENDORED_ROW_FILES,
    read_sidecar,
    verify_vendored,
)


def test_sidecars_match_vendored_files():
    sidecars = verify_vendored()
    assert [s["file"] for s in sidecars] == list(VENDORED_FILES + VENDORED_ROW_FILES)
    # rows per sidecar, as ../shared/data/hs_level/README.md counts them for the real customs rows; the two wire
    # files have the later figures the project appended (each sidecar's `updates` says which rows)
    assert [s["rows"] for s in sidecars] == [438, 435, 200, 43494, 96, 240, 76]
    assert [s["sha256"][:12] for s in sidecars[3:]] == [
        "85d9d6656763",
        "6ef05b7961dd",
        "79943e6bc743",
        "f5ac37eaf1e2",
    ]
    for name in VENDORED_FILES + VENDORED_ROW_FILES:
        sidecar = read_sidecar(RAW_DIR / name)
        assert sidecar["date_accessed"] == "2026-11-28"
        assert sidecar["sha256"] == sha256_file(RAW_DIR / name)


def test_2024_turnover_is_the_first_release_figure(customs):
    annual = annual_turnover(customs, "2024-12")
    total_2024 = annual.loc[(annual.year == 2024) & (annual.flow == "Turnover")].iloc[0]
    assert total_2024.value_usd_bn == 244.81
    assert total_2024.source.startswith("bne IntelliNews, citing TASS")
    assert record_year(annual).year == 2024


def test_jan_jul_2025_turnover_published_and_level_based_change(customs):
    comparison = ytd_comparison(customs.resolved_totals, "2025-07").set_index("flow")
    total = comparison.loc["total"]
    assert total.value_usd_mn == 125800
    assert total.prior_value_usd_mn == 136670
    assert total.yoy_pct_published == -8.1
    assert round(total.yoy_pct_from_levels, 1) == -8.0
    assert comparison.loc["export"].value_usd_mn == 56230
    assert comparison.loc["import"].value_usd_mn == 69570


def test_conflicting_outlets_are_kept_in_the_conflict_table(customs):
    conflicts = customs.conflicts
    outlier_2021 = conflicts.loc[(conflicts.period == "2021") & (conflicts.other == 148800)]
    assert len(outlier_2021) == 1 and outlier_2021.iloc[0].used == 146900
    total_2025 = conflicts.loc[(conflicts.period == "2025") & (conflicts.field == "value")].iloc[0]
    assert (total_2025.used, total_2025.other) == (228105, 234000)
    yoy = conflicts.loc[
        (conflicts.period == "2025-08")
        & (conflicts.flow == "export")
        & (conflicts.field == "yoy_pct")
    ]
    assert set(yoy.other) == {-9.7} and set(yoy.used) == {-8.8}


def test_mislabelled_pages_lose_to_correctly_labelled_ones(customs):
    resolved = customs.resolved_totals.set_index(["flow", "period", "span"])
    # Novye Izvestia swapped the labels for March 2023; RIA's figures win.
    assert resolved.loc[("export", "2023-03", "month")].value == 9044
    assert resolved.loc[("import", "2023-03", "month")].value == 11020


def test_april_2022_exports_use_the_april_change_not_the_reprinted_march_one(customs):
    # The reprint of Bloomberg (row 83) printed March 2022's -7.7% (AJOT, row 71, same words) for April; it is
    # flagged in config/sources.yaml and ranks last, so SCMP's -25.9% (row 84; chita.ru row 82 agrees) is used.
    # April 2021 exports were $5,128m (row 23): $3.8bn is -25.9% on that, not -7.7%.
    april = customs.resolved_totals.set_index(["flow", "period", "span"]).loc[
        ("export", "2022-04", "month")
    ]
    assert (april.value, april.yoy_pct, april.yoy_publisher, april.yoy_source_row) == (
        3800,
        -25.9,
        "South China Morning Post",
        84,
    )
    assert round(100 * (3800 / 5128 - 1), 1) == -25.9
    listed = customs.conflicts.loc[
        (customs.conflicts.period == "2022-04") & (customs.conflicts.flow == "export")
    ]
    assert listed[["field", "used", "other", "other_source_row"]].values.tolist() == [
        ["yoy_pct", -25.9, -7.7, 83]
    ]
    assert (
        len(customs.conflicts) == 42
    )  # 43 before: -7.7 was used and both -25.9 rows were listed against it
    from helpers.sections.methods import methods_text
    from helpers.sections.section import open_section

    assert (
        "Figures flagged there as misprinted rank last too: reprint of Bloomberg (row 83), China's exports 2022-04 "
        "y/y: March 2022's −7.7% (AJOT citing Bloomberg, row 71, in the same words) given for April, which SCMP "
        "(row 84) and chita.ru (row 82) give as −25.9%."
    ) in methods_text(open_section(period_end="2025-07", partner="Russia"))


def test_headline_sentence_for_default_period(customs):
    text = headline_text(
        annual_turnover(customs, "2025-07"), ytd_view(customs, "2025-07"), "2025-07", "Russia"
    )
    assert "January–July 2025 came to **$125.8bn**, down **8.1%**" in text
    assert "From the two published levels, $125.8bn against $136.7bn, it is down 8.0%." in text
    assert "its record year is **2024**, at **$244.8bn**" in text
    # outlet, date and row of each number in its note; the sentences themselves carry no parentheses
    assert "gacc_cn_ru_totals.csv row 383" in text and "(" not in without_notes(text)


def test_full_year_2025_uses_first_release_not_outlier(customs):
    comparison = ytd_comparison(customs.resolved_totals, "2025-12").set_index("flow")
    assert comparison.loc["total"].value_usd_mn == 228105
    assert comparison.loc["total"].yoy_pct_published == -6.9
    assert math.isnan(
        comparison.loc["export"].value_usd_mn
    )  # only a yuan-based change was published


def test_fetched_snapshot_edited_after_download_is_refused(tmp_path):
    import json

    from helpers.core.errors import InputError
    from helpers.sources.provenance import raw_sources

    (tmp_path / "comtrade").mkdir()
    snapshot = tmp_path / "comtrade" / "cn_ru_2025.csv"
    snapshot.write_text("period,cmdCode,primaryValue\n202501,8703,100\n", encoding="utf-8")
    Path(str(snapshot) + ".meta.json").write_text(
        json.dumps({"file": snapshot.name, "sha256": sha256_file(snapshot), "rows": 1})
    )
    assert [s["rows"] for _, s in raw_sources(tmp_path)] == [1]
    snapshot.write_text("period,cmdCode,primaryValue\n202501,8703,999\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"cn_ru_2025.csv: checksum mismatch"):
        raw_sources(tmp_path)


def test_raw_rows_outrank_the_wire_for_china_s_annual_imports(customs):
    """One figure per number: China's 2024 imports are the sum of UN Comtrade's 12 monthly rows ($129.881bn),
    not bne IntelliNews' $129.32bn, in Figure 1, the headline and the full-year comparison; exports and
    turnover stay GACC's published figures (the rows cover imports only)."""
    from helpers.model.raw_rows import raw_annual_imports, raw_ytd_imports
    from helpers.model.turnover import RAW_IMPORTS
    from helpers.sections.data import raw_rows

    rows = raw_rows("RU").comtrade_totals
    raw = raw_annual_imports(rows)
    spans = raw_ytd_imports(rows)  # what ytd_view takes: each January–month span the rows cover
    assert raw.year.tolist() == [str(y) for y in range(2017, 2025)]
    annual = annual_turnover(customs, "2024-12", raw_imports=raw).set_index(["year", "flow"])
    assert annual.loc[(2024, "China's imports"), "value_usd_bn"] == 129.881
    assert annual.loc[(2024, "China's imports"), "status"] == RAW_IMPORTS
    assert annual.loc[(2024, "China's imports"), "source"].endswith(
        "comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv rows 85–96"
    )
    assert (
        annual.loc[(2024, "Turnover"), "value_usd_bn"] == 244.81
        and annual.loc[(2024, "China's exports"), "value_usd_bn"] == 115.49
    )
    assert (
        annual_turnover(customs, "2024-12")
        .set_index(["year", "flow"])
        .loc[(2024, "China's imports"), "value_usd_bn"]
        == 129.32
    )
    full_year = (
        ytd_view(customs, "2024-12", raw_imports=spans).set_index("flow").loc["China's imports"]
    )
    assert round(full_year.value_usd_mn) == 129881 and round(full_year.prior_value_usd_mn) == 128936
    assert full_year.yoy_pct_from_levels == 0.73 and full_year.value_basis == RAW_IMPORTS
    text = headline_text(
        annual_turnover(customs, "2024-12", raw_imports=raw),
        ytd_view(customs, "2024-12", raw_imports=spans),
        "2024-12",
        "Russia",
    )
    assert "its imports to $129.9bn, up 0.7% computed from levels." in without_notes(text)
    # where the level comes from, in the note beside it
    assert (
        "comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv rows 85–96, which outrank the wire"
        in text
    )
    # a period the rows do not cover keeps the published figures
    assert (
        ytd_view(customs, "2025-07", raw_imports=spans)
        .set_index("flow")
        .loc["China's imports"]
        .value_usd_mn
        == 69570
    )


def figure_svg(notebook: str, figure_id: str, build_dir: Path, **parameters) -> str:
    """The static figure notebooks/<notebook> publishes, its cells run up to that figure."""
    from notebook_cells import run_cells

    run_cells(notebook, build_dir, stop_after=f'"{figure_id}"', **parameters)
    return (build_dir / "figures" / f"{figure_id}.svg").read_text(encoding="utf-8")


def test_figure_1_draws_every_year_of_imports_including_those_summed_from_rows(tmp_path):
    """2016-2024 import bars: 2016 published, 2017-2024 from the Comtrade rows (2018 and 2021 have no
    published US$ import figure at all); exports only where published (7 years)."""
    svg = figure_svg("01_headline", "f1-annual-turnover", tmp_path)
    assert (
        svg.count('fill="#d1603d"') == 9 + 1 and svg.count('fill="#1f5f8b"') == 7 + 1
    )  # bars + legend symbol


def test_figure_3_data_puts_each_change_on_its_own_year(customs):
    """f3-ytd-comparison.csv: the January-July 2025 changes (-8.5, -7.7, -8.1 published) sit on the 2025 rows;
    the 2024 rows are the base and carry none."""
    from helpers.model.turnover import ytd_long

    long = ytd_long(ytd_view(customs, "2025-07"), "2025-07").set_index(["flow", "year"])
    assert long.loc[
        [("China's exports", "2025"), ("China's imports", "2025"), ("Turnover", "2025")],
        "yoy_pct_published",
    ].tolist() == [-8.5, -7.7, -8.1]
    assert long.xs("2024", level="year").yoy_pct_published.isna().all()
    assert long.loc[("Turnover", "2024"), "value_usd_bn"] == 136.67


def test_a_published_change_is_written_as_published_in_text_and_chart(tmp_path):
    """Computers' −27% was published without a decimal: the key findings, the commodities text and F4's bar
    label write '−27%', not '−27.0%'; a change computed from raw rows keeps one decimal (coal −29.7%)."""
    from helpers.sections.commodities import change_text

    assert (change_text(-27.0, "published y/y"), change_text(-35.2, "published y/y")) == (
        "−27%",
        "−35.2%",
    )
    assert change_text(-20.934, "sum of raw monthly rows") == "−20.9%"
    svg = figure_svg("02_commodities", "f4-commodity-changes", tmp_path, period_end="2025-07")
    assert (
        ">−27%<" in svg and ">−29.7%<" in svg and ">−27.0%<" not in svg
    )  # coal −29.7%: summed from rows


def test_figure_5_labels_of_changes_on_the_same_date_sit_on_either_side(tmp_path):
    """January-August 2025 has three aluminium value changes dated August 2025: aluminium +70% and unwrought
    aluminium +64% (January-August) and unwrought aluminium +2% (August). Printed above their stems, +70% and
    +64% overlapped; they go beside the stems instead, the largest to the right, the next to the left."""
    import re

    svg = figure_svg("02_commodities", "f5-metals", tmp_path, period_end="2025-08")
    anchors = {
        label: anchor
        for anchor, label in re.findall(r'text-anchor="(\w+)"[^>]*>([+−-]\d+%)</text>', svg)
    }
    assert (anchors["+70%"], anchors["+64%"], anchors["+2%"]) == ("start", "end", "start")
    assert (
        anchors["+40%"] == "middle"
    )  # alone on its date (January-August 2024): above its stem as before


def test_figure_2_names_the_outlet_of_a_month_s_change_when_it_is_not_the_value_s(customs):
    """July 2025: the $19.13bn is Lenta.ru's (row 379), the −2.8% y/y SCMP's reprint's (row 380); the CSV and
    the tooltip named Lenta.ru for both."""
    from helpers.model.turnover import monthly_view

    july = monthly_view(customs, "2025-07").set_index("period").loc["2025-07"]
    assert (july.source, july.source_rows) == ("Lenta.ru, citing TASS", "379")
    assert (july.yoy_pct_published, july.yoy_source, july.yoy_source_row) == (
        -2.8,
        "From Inside Asia (SCMP reprint)",
        "380",
    )


def test_figure_3_colours_by_year_when_the_year_earlier_is_missing(customs, tmp_path):
    """January–February 2026 has no year-earlier figure in the data: the 2026 bars are drawn in this year's
    blue, not in the grey that means "a year earlier" (the colours were given out by order)."""
    import re

    from helpers.model.turnover import ytd_long

    long = ytd_long(ytd_view(customs, "2026-02"), "2026-02")
    assert set(long.dropna(subset=["value_usd_bn"]).year) == {"2026"}
    svg = figure_svg("01_headline", "f3-ytd-comparison", tmp_path, period_end="2026-02")
    bar_fills = re.findall(r'aria-roledescription="bar"[^>]*fill="(#\w+)"', svg)
    assert bar_fills and set(bar_fills) == {"#1f5f8b"}


def test_full_year_headline_says_why_its_parts_do_not_add_up_to_the_total():
    """Full-year 2024: exports $115.49bn (wire) + imports $129.881bn (sum of Comtrade rows, which outrank the
    wire's $129.32bn) = $245.4bn, above GACC's published total of $244.81bn; the sentence says so. January–July
    2025 has no such mix (imports this year are the wire's) and no such clause."""
    from helpers.sections.section import open_section

    section = open_section(period_end="2024-12", partner="Russia")
    text = headline_text(section.annual_turnover(), section.ytd_view(), "2024-12", "Russia")
    assert "so together they give $245.4bn, not the total's $244.8bn." in text
    section = open_section(period_end="2025-07", partner="Russia")
    assert "together they give" not in headline_text(
        section.annual_turnover(), section.ytd_view(), "2025-07", "Russia"
    )
