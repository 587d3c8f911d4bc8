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
