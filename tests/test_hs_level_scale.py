"""Large Comtrade files take the DuckDB path and give the same group sums as the row-by-row reader."""
import json
import shutil
from pathlib import Path

import pandas as pd

from helpers.sources.hs_level import load_hs_level

FIXTURE = Path(__file__).parent / "fixtures" / "hs_level" / "comtrade_cn_ru_2023.csv"  # SYNTHETIC test data


def _raw_dir(tmp_path: Path) -> Path:
    comtrade = tmp_path / "raw" / "comtrade"
    comtrade.mkdir(parents=True)
    shutil.copy2(FIXTURE, comtrade / FIXTURE.name)
    (comtrade / (FIXTURE.name + ".meta.json")).write_text(json.dumps({"retrieved_at": "2026-11-28T00:00:00Z"}))
    return tmp_path / "raw"


def monthly_sums(frame: pd.DataFrame) -> dict:
    values = frame.loc[(frame.measure == "value") & frame.hs_code.str.match(r"^870[134]")]
    return {key: round(v, 6) for key, v in values.groupby(["hs_code", "flow", "period"]).value.sum().items()}


def test_columnar_path_matches_row_reader(tmp_path):
    raw = _raw_dir(tmp_path)
    row_by_row = load_hs_level(raw)
    columnar = load_hs_level(raw, partner="RU", hs_prefixes=["8701", "8703", "8704"], large_csv_bytes=0)
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
