"""`make inspect FILE=path [JSON=1]` (issue 9, point 6) on SYNTHETIC real-layout fixtures: breakdown rows
reported once, annual periods as YYYY, a GACC English yuan export as CNY, one JSON object on the last
line, unreadable files in one line with exit 2, FILE never passed through a shell string."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.pipeline import inspect

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "real_formats"))
from make_fixtures import write_all  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    return write_all(tmp_path_factory.mktemp("inspect"))


def run(path, capsys, *extra) -> tuple[int, list[str], str]:
    code = inspect.main([str(path), *extra])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err


def last_json(lines) -> dict:
    return json.loads(lines[-1])


def test_breakdown_rows_reported_once(fixtures, capsys):
    code, lines, _ = run(fixtures["synthetic_comtrade_api_breakdown_2023.csv"], capsys, "--json")
    result = last_json(lines)
    assert code == 0 and set(result) >= {"adapter", "rows", "currency", "totals", "skipped"}
    assert (result["adapter"], result["rows"], result["currency"]) == (
        "comtrade_api_csv",
        56,
        "USD",
    )
    jan = [
        t
        for t in result["totals"]
        if (t["period"], t["partner"], t["flow"]) == ("2023-01", "RU", "export")
    ]
    assert jan == [{"period": "2023-01", "partner": "RU", "flow": "export", "value_mn": 8120.4503}]
    assert len(result["totals"]) == 6 and len(result["skipped"]) == 38
    assert result["skipped"][0] == {
        "row": 2,
        "reason": "breakdown row (motCode '3200'): part of the total row "
        "(partner2Code 0, customsCode C00, motCode 0)",
    }
    assert "  2023-01  RU     export         8,120.450" in lines


def test_annual_file_reports_year_periods(fixtures, capsys):
    code, lines, _ = run(fixtures["synthetic_comtrade_api_annual_2022.csv"], capsys, "--json")
    assert code == 0 and {t["period"] for t in last_json(lines)["totals"]} == {"2022"}
    assert "spans: year; periods: 2022" in lines


def test_gacc_english_yuan_export_reports_cny(fixtures, capsys):
    code, lines, _ = run(fixtures["synthetic_gacc_english_cny_export.csv"], capsys, "--json")
    result = last_json(lines)
    assert code == 0 and result["currency"] == "CNY" and result["adapter"] == "gacc_query_export"
    assert [(t["period"], t["value_mn"]) for t in result["totals"]] == [
        ("2025-01", 1810.48783),
        ("2025-02", 1548.81504),
    ]


def test_capped_gacc_file_is_shown_and_flagged(fixtures, capsys):
    code, lines, _ = run(fixtures["synthetic_gacc_capped_出口.csv"], capsys, "--json")
    assert code == 0 and "split the query" in last_json(lines)["flags"][0]
    assert any(
        line.startswith("flag: synthetic_gacc_capped_出口.csv: possibly truncated")
        for line in lines
    )


def test_large_file_summarised_in_duckdb_gives_the_same_totals(fixtures, capsys, monkeypatch):
    code, lines, _ = run(fixtures["synthetic_comtrade_bulk_2024.txt.gz"], capsys, "--json")
    small = last_json(lines)
    monkeypatch.setattr("helpers.sources.hs_level.LARGE_CSV_BYTES", 0)
    code, lines, _ = run(fixtures["synthetic_comtrade_bulk_2024.txt.gz"], capsys, "--json")
    large = last_json(lines)
    assert large["adapter"] == "comtrade_duckdb_scan" and large["totals"] == small["totals"]
    assert {"period": "2024", "partner": "1W", "flow": "export", "value_mn": 3577200.0} in large[
        "totals"
    ]


def test_unreadable_file_is_one_line_exit_2(tmp_path, capsys):
    binary = tmp_path / "download.csv"
    binary.write_bytes(b"\x00" * 4096)
    code, lines, err = run(binary, capsys)
    assert code == 2 and lines == [] and err.count("\n") == 1
    assert (
        err.startswith("inspect: error: download.csv: is a binary file")
        and str(tmp_path) not in err
    )
    code, _, err = run(tmp_path / "missing.csv", capsys)
    assert (
        code == 2
        and err
        == "inspect: error: missing.csv: file not found (expected FILE=path to a downloaded raw file)\n"
    )


def test_make_target_passes_file_through_the_environment(fixtures, tmp_path):
    result = subprocess.run(
        [
            "make",
            "-s",
            "inspect",
            f"FILE={fixtures['synthetic_gacc_english_cny_export.csv']}",
            "JSON=1",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["currency"] == "CNY"
    marker = tmp_path / "pwned"
    hostile = subprocess.run(
        ["make", "-s", "inspect", f"FILE=$(touch {marker})`touch {marker}`"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert hostile.returncode == 2 and not marker.exists()
    assert hostile.stderr.splitlines()[0].startswith("inspect: error: ")


def comtrade_api_response(records: list[tuple[int, str, str, str, float]]) -> dict:
    """A UN Comtrade API v1 response (`/data/v1/get/C/A/HS?...&includeDesc=true`) in the layout of a
    recorded real one (China's annual totals with Argentina and Germany, 2010: top-level elapsedTime,
    count, data, error; keys in this order; codes as JSON numbers, period as text, nulls, booleans).
    The VALUES are SYNTHETIC: (partnerCode, partnerISO, partnerDesc, flowCode, US$)."""
    data = [
        {
            "typeCode": "C",
            "freqCode": "A",
            "refPeriodId": 20100101,
            "refYear": 2010,
            "refMonth": 52,
            "period": "2010",
            "reporterCode": 156,
            "reporterISO": "CHN",
            "reporterDesc": "China",
            "flowCode": flow,
            "flowDesc": {"M": "Import", "X": "Export"}[flow],
            "partnerCode": code,
            "partnerISO": iso3,
            "partnerDesc": name,
            "partner2Code": 0,
            "partner2ISO": "W00",
            "partner2Desc": "World",
            "classificationCode": "H3",
            "classificationSearchCode": "HS",
            "isOriginalClassification": True,
            "cmdCode": "TOTAL",
            "cmdDesc": "All Commodities",
            "aggrLevel": 0,
            "isLeaf": False,
            "customsCode": "C00",
            "customsDesc": "TOTAL CPC",
            "mosCode": "0",
            "motCode": 0,
            "motDesc": "TOTAL MOT",
            "qtyUnitCode": -1,
            "qtyUnitAbbr": "N/A",
            "qty": None,
            "isQtyEstimated": False,
            "altQtyUnitCode": -1,
            "altQtyUnitAbbr": "N/A",
            "altQty": None,
            "isAltQtyEstimated": False,
            "netWgt": None,
            "isNetWgtEstimated": False,
            "grossWgt": None,
            "isGrossWgtEstimated": False,
            "cifvalue": value if flow == "M" else None,
            "fobvalue": value if flow == "X" else None,
            "primaryValue": value,
            "legacyEstimationFlag": 0,
            "isReported": True,
            "isAggregate": False,
        }
        for code, iso3, name, flow, value in records
    ]
    return {"elapsedTime": "0.14 secs", "count": len(data), "data": data, "error": ""}


def test_every_partner_of_a_comtrade_json_gets_its_iso2_code(tmp_path):
    """Argentina and Germany are in no project table: their ISO2 codes come from ISO 3166-1 by M49
    code; Comtrade's own code 842 is the USA; a Comtrade area with no ISO code keeps its name."""
    path = tmp_path / "comtrade_cn_ar_de_2010.json"
    response = comtrade_api_response(
        [
            (32, "ARG", "Argentina", "M", 6_000_000_000.0),
            (32, "ARG", "Argentina", "X", 5_500_000_000.0),
            (276, "DEU", "Germany", "M", 70_000_000_000.0),
            (276, "DEU", "Germany", "X", 65_250_000_000.0),
            (842, "USA", "USA", "X", 280_000_000_000.0),
            (490, "S19", "Other Asia, nes", "M", 115_000_000_000.0),
        ]
    )
    path.write_text(json.dumps(response, separators=(",", ":")), encoding="utf-8")
    result = subprocess.run(
        ["make", "-s", "inspect", f"FILE={path}"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "partners: AR, DE, Other Asia, nes, US" in lines
    assert "  2010     AR     import         6,000.000" in lines
    assert "  2010     DE     export        65,250.000" in lines
    assert "  2010     US     export       280,000.000" in lines
