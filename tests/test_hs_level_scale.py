"""Large Comtrade files take the DuckDB path and give the same group sums as the row-by-row reader."""

import json
import shutil
from pathlib import Path

import pandas as pd

from helpers.sources.hs_level import load_hs_level

FIXTURE = (
    Path(__file__).parent / "fixtures" / "hs_level" / "comtrade_cn_ru_2023.csv"
)  # SYNTHETIC test data


def _raw_dir(tmp_path: Path) -> Path:
    comtrade = tmp_path / "raw" / "comtrade"
    comtrade.mkdir(parents=True)
    shutil.copy2(FIXTURE, comtrade / FIXTURE.name)
    (comtrade / (FIXTURE.name + ".meta.json")).write_text(
        json.dumps({"retrieved_at": "2026-11-28T00:00:00Z"})
    )
    return tmp_path / "raw"


def monthly_sums(frame: pd.DataFrame) -> dict:
    values = frame.loc[(frame.measure == "value") & frame.hs_code.str.match(r"^870[134]")]
    return {
        key: round(v, 6)
        for key, v in values.groupby(["hs_code", "flow", "period"]).value.sum().items()
    }


def test_columnar_path_matches_row_reader(tmp_path):
    raw = _raw_dir(tmp_path)
    row_by_row = load_hs_level(raw)
    columnar = load_hs_level(
        raw, partner="RU", hs_prefixes=["8701", "8703", "8704"], large_csv_bytes=0
    )
    assert monthly_sums(columnar) == monthly_sums(row_by_row)
    assert set(columnar.partner) == {"RU"} and set(columnar.publisher) == {"UN Comtrade"}
    assert round(monthly_sums(columnar)[("8703", "export", "2023-03")], 6) == 812.345679


def test_briefing_group_sums_equal_duckdb_group_aggregates():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    from bench_engines import group_aggregates, groups_from_code_sums, partner_code_sums

    groups = {"vehicles": ["8701", "8703", "8704"], "cars": ["8703"]}
    code_sums = partner_code_sums(FIXTURE, 643, ["8701", "8703", "8704"])
    ours = groups_from_code_sums(code_sums, groups)
    reference = group_aggregates(FIXTURE, 643, groups)
    pd.testing.assert_frame_equal(ours.round(6), reference.round(6))
    assert set(ours.group) == {"vehicles", "cars"} and ours.value_usd_mn.gt(0).all()


def test_a_large_file_added_by_hand_records_its_records_and_the_next_scan_parses_only_russias_lines(
    tmp_path, monkeypatch
):
    """make report registers a large file dropped without a sidecar: the sidecar's `rows` is the record
    count of the input check's DuckDB pass (not the scan's cells), and with it the build's scan reads only
    the lines holding 643 where polars reads the file."""
    from helpers.pipeline.check_inputs import _hs_level, register_hand_dropped
    from helpers.sources import comtrade_scan, hs_level

    raw = _raw_dir(tmp_path)
    (raw / "comtrade" / (FIXTURE.name + ".meta.json")).unlink()  # added by hand
    monkeypatch.setattr(hs_level, "LARGE_CSV_BYTES", 0)
    seen = []
    scan = comtrade_scan.partner_code_sums
    monkeypatch.setattr(
        comtrade_scan,
        "partner_code_sums",
        lambda *a, **k: seen.append(k.get("records")) or scan(*a, **k),
    )
    records = sum(1 for _ in FIXTURE.open()) - 1
    rows, _, notes = _hs_level(raw, "RU", ["8701", "8703", "8704"])
    assert f"{FIXTURE.name}: {records:,} rows checked in DuckDB (large file)" in notes[0]
    register_hand_dropped(rows.attrs["files"], "2026-11-29")
    sidecar = json.loads((raw / "comtrade" / (FIXTURE.name + ".meta.json")).read_text())
    assert sidecar["rows"] == records and sidecar["origin"] == "added by hand"
    again = load_hs_level(raw, partner="RU", hs_prefixes=["8701", "8703", "8704"])
    assert seen == [None, records] and monthly_sums(again) == monthly_sums(rows)
    # the count matches the file's lines (this API layout has no `period` column, so DuckDB reads it)
    assert (
        comtrade_scan._partner_lines(raw / "comtrade" / FIXTURE.name, 643, sidecar["rows"]).count(
            b"\n"
        )
        == 7
    )
