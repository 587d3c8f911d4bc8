"""Every HS-level reader on SYNTHETIC fixtures written in the real layouts (tests/fixtures/real_formats,
docs/RAW_FORMATS.md): Comtrade API/bulk breakdown rows, annual periods, bulk TSV/.gz, multi-partner files;
GACC English/Chinese exports (GBK, quoted, trailing comma, `?` units, yuan, column order, the cap).
Expected numbers come from the generator's EXPECTED (invented values, re-derived by its verify())."""

import json
import shutil
import sys
from pathlib import Path

import pytest

from helpers.core.errors import InputError
from helpers.fetch.comtrade_api import month_range, plan_chunks
from helpers.sources.comtrade import read_comtrade_records
from helpers.sources.comtrade_scan import check_large_file
from helpers.sources.gacc_exports import read_gacc_export
from helpers.sources.hs_level import load_hs_level
from helpers.sources.partners import resolve_partner

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "real_formats"))
from make_fixtures import EXPECTED, verify, write_all  # noqa: E402

ISO2 = {643: "RU", 398: "KZ", 0: "1W", 344: "RU", 145: "KZ", 340: "BY", 110: "HK"}
FLOW = {"X": "export", "M": "import"}


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    out = tmp_path_factory.mktemp("real_formats")
    paths = write_all(out)
    verify(out)  # the generator's own reference parse agrees with EXPECTED
    return paths


def period_of(text: str) -> str:
    return text if len(text) == 4 else f"{text[:4]}-{text[4:]}"


def expected_totals(name: str) -> dict:
    return {
        (period_of(p), ISO2[c], FLOW[f]): v for (p, c, f), v in EXPECTED[name]["totals"].items()
    }


def totals(frame) -> dict:
    values = frame.loc[(frame.measure == "value") & (frame.hs_code == "")]
    return {
        k: round(v, 6) for k, v in values.groupby(["period", "partner", "flow"]).value.sum().items()
    }


def code_sums(frame) -> dict:
    values = frame.loc[(frame.measure == "value") & (frame.hs_code != "")]
    return {
        k: round(v, 6) for k, v in values.groupby(["period", "flow", "hs_code"]).value.sum().items()
    }


def raw_dir_with(tmp_path, source_path, name=None, folder="comtrade"):
    target = tmp_path / "raw" / folder
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source_path, target / (name or source_path.name))
    (target / ((name or source_path.name) + ".meta.json")).write_text(
        json.dumps({"retrieved_at": "2026-11-01"})
    )
    return tmp_path / "raw"


# ------------------------------------------------------------------------------- Comtrade
def test_breakdown_rows_are_never_added_to_the_total(fixtures):
    name = "synthetic_comtrade_api_breakdown_2023.csv"
    frame = read_comtrade_records(fixtures[name])
    assert totals(frame) == pytest.approx(expected_totals(name))
    assert totals(frame)[("2023-01", "RU", "export")] == pytest.approx(
        8120.4503
    )  # not the naive 31,020.1
    reasons = [s["reason"] for s in frame.attrs["skipped"]]
    assert len(reasons) == 38 and sum("breakdown row" in r for r in reasons) == 36
    assert sum("sub-flow flowCode R" in r for r in reasons) == 2
    assert any("skipped 36 breakdown row(s)" in n for n in frame.attrs["notes"])


@pytest.mark.parametrize(
    "name",
    [
        "synthetic_comtrade_api_breakdown_2023.csv",
        "synthetic_comtrade_api_annual_2022.csv",
        "synthetic_comtrade_bulk_2024.txt",
        "synthetic_comtrade_bulk_2024.txt.gz",
    ],
)
def test_duckdb_path_equals_row_reader(fixtures, tmp_path, name):
    raw = raw_dir_with(tmp_path, fixtures[name])
    prefixes = ["2701", "2709", "8471", "8703"]
    row_by_row = load_hs_level(raw, partner="RU")
    scanned = load_hs_level(raw, partner="RU", hs_prefixes=prefixes, large_csv_bytes=0)
    engine = "DuckDB" if name.endswith(".gz") else "polars"  # .gz files are streamed by DuckDB
    assert set(scanned.quote) <= {f"{engine} scan"}  # really the scan path
    assert code_sums(scanned) == code_sums(row_by_row) != {}
    expected = {
        (period_of(p), FLOW[f], code): v
        for (p, c, f, code), v in EXPECTED[name]["by_code"].items()
        if c == 643
    }
    assert code_sums(scanned) == pytest.approx(expected)


def test_annual_file_gives_year_periods_on_both_paths(fixtures, tmp_path):
    name = "synthetic_comtrade_api_annual_2022.csv"
    frame = read_comtrade_records(fixtures[name])
    assert set(frame.period) == {"2022"} and set(frame.span) == {"year"}
    scanned = load_hs_level(
        raw_dir_with(tmp_path, fixtures[name]), partner="RU", hs_prefixes=["87"], large_csv_bytes=0
    )
    assert set(scanned.period) == {"2022"} and set(scanned.span) == {"year"}  # never '0020-22'
    assert code_sums(scanned) == {("2022", "export", "8703"): 5678.9}
    assert totals(scanned) == {
        ("2022", "RU", "export"): 76123.4,
        ("2022", "RU", "import"): 114145.6,
    }


def test_bulk_files_are_read_and_other_partners_left_out_with_a_note(fixtures):
    for name in ("synthetic_comtrade_bulk_2024.txt", "synthetic_comtrade_bulk_2024.txt.gz"):
        everyone = read_comtrade_records(fixtures[name])
        assert totals(everyone) == pytest.approx(expected_totals(name))
        russia = read_comtrade_records(fixtures[name], partner="Russia")
        assert totals(russia) == {
            ("2024", "RU", "export"): 115497.8,
            ("2024", "RU", "import"): 129327.9,
        }
        assert (
            f"{name}: left out 8 row(s) for other partners than RU: 1W 4, KZ 4"
            in russia.attrs["notes"]
        )
        assert check_large_file(
            fixtures[name], partner_code=643
        ) == {  # the DuckDB path counts the same
            "rows": 17,
            "breakdown_rows": 4,
            "subflow_rows": 1,
            "other_partner_rows": 8,
        }


def test_multi_partner_file_filtered_to_the_partner(fixtures):
    name = "synthetic_comtrade_api_multi_partner.csv"
    frame = read_comtrade_records(fixtures[name], partner="RU")
    assert totals(frame) == {k: v for k, v in expected_totals(name).items() if k[1] == "RU"}
    assert any(
        "left out 8 row(s) for other partners than RU: 1W 4, KZ 4" in n
        for n in frame.attrs["notes"]
    )


def monthly_row(tmp_path, **changes) -> Path:
    base = {
        "freqCode": "M",
        "refYear": "2024",
        "refMonth": "3",
        "period": "202403",
        "reporterCode": "156",
        "flowCode": "X",
        "partnerCode": "643",
        "partner2Code": "0",
        "classificationCode": "H6",
        "cmdCode": "8703",
        "customsCode": "C00",
        "motCode": "0",
        "primaryValue": "1000000.0",
    }
    base.update(changes)
    path = tmp_path / "row.csv"
    path.write_text(",".join(base) + "\n" + ",".join(base.values()) + "\n")
    return path


def test_ref_month_outside_1_12_is_an_error_on_both_paths(tmp_path):
    path = monthly_row(tmp_path, period="", refMonth="13")
    with pytest.raises(
        InputError, match=r"row\.csv, row 1, column 'refMonth': month 13 is outside 1-12"
    ):
        read_comtrade_records(path)
    with pytest.raises(
        InputError, match=r"row\.csv, row 1, column 'refMonth': month 13 is outside 1-12"
    ):
        check_large_file(path)
    with pytest.raises(InputError, match="refMonth '7' disagrees with period 202403"):
        read_comtrade_records(monthly_row(tmp_path, refMonth="7"))


def test_fetch_asks_for_total_rows_only():
    (chunk,) = plan_chunks(resolve_partner("RU"), month_range("2024-01", "2024-03"), ["8703"], 500)
    params = chunk.params()
    assert (params["partner2Code"], params["customsCode"], params["motCode"]) == ("0", "C00", "0")


# ------------------------------------------------------------------------------- GACC
def test_gacc_english_usd_export(fixtures):
    name = "synthetic_gacc_english_usd_export.csv"
    frame = read_gacc_export(fixtures[name])
    values = frame.loc[frame.measure == "value"]
    assert {
        k: round(v, 6) for k, v in values.groupby(["period", "partner", "flow"]).value.sum().items()
    } == pytest.approx(expected_totals(name))
    assert set(values.currency_note) == {"usd"} and set(values.unit) == {"usd_mn"}
    quantities = frame.loc[frame.measure == "quantity"]
    assert len(quantities) == 9 and set(quantities.unit) == {
        "kg"
    }  # the `?` supplementary unit gives none
    assert values.loc[values.partner == "HK"].value.item() == pytest.approx(
        20.4567
    )  # 'Hong Kong，China'
    assert (
        "注册地: Guangdong Province" in values.quote.iloc[0]
        and "贸易方式: Ordinary Trade" in values.quote.iloc[0]
    )


def test_gacc_yuan_export_is_read_as_cny_never_converted(fixtures):
    name = "synthetic_gacc_english_cny_export.csv"  # `Renminbi Yuan`, `Supplimentary` spelling
    frame = read_gacc_export(fixtures[name])
    values = frame.loc[frame.measure == "value"]
    assert set(values.currency_note) == {"cny"} and set(values.unit) == {"cny_mn"}
    assert frame.attrs["currency"] == "CNY"
    assert values.groupby("period").value.sum().round(5).to_dict() == {
        "2025-01": 1810.48783,
        "2025-02": 1548.81504,
    }


def test_gacc_partner_columns_before_commodity(fixtures):
    name = "synthetic_gacc_chinese_partner_first_出口.csv"
    values = read_gacc_export(fixtures[name]).query("measure == 'value'")
    assert values.groupby("period").value.sum().round(6).to_dict() == {
        "2025-03": 330.8,
        "2025-04": 231.1,
    }
    assert values.loc[values.hs_code == "03038990"].value.item() == pytest.approx(8.7)


def test_gacc_file_at_the_download_cap_is_refused_in_one_line(fixtures):
    name = "synthetic_gacc_capped_出口.csv"
    with pytest.raises(InputError) as info:
        read_gacc_export(fixtures[name])
    message = str(info.value)
    assert "\n" not in message and "9,999 data rows" in message and "split the query" in message
    flagged = read_gacc_export(fixtures[name], allow_capped=True)  # make inspect shows it, flagged
    assert flagged.attrs["flags"] and flagged.query(
        "measure == 'value'"
    ).value.sum() == pytest.approx(5000.221919)


def test_gacc_multi_partner_export_filtered_with_a_note(fixtures):
    name = "synthetic_gacc_multi_partner_出口.csv"
    frame = read_gacc_export(fixtures[name], only_partner="RU")
    assert frame.query("measure == 'value'").value.sum() == pytest.approx(1732.8)
    assert (
        f"{name}: left out 5 row(s) for other partners than RU: BY 3, KZ 2" in frame.attrs["notes"]
    )
