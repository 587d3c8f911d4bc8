"""The benchmark engines (scripts/bench_engines.py) and the briefing's DuckDB scan vs the pandas baseline, on a hand-built CSV with known sums
and on a scaled-down run of the SYNTHETIC benchmark generator (scripts/bench.py)."""

import importlib.util
import math
import os
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
import bench_engines as hs_store  # noqa: E402  (benchmark-only code lives with the bench script)

ROOT = Path(__file__).resolve().parents[1]
GROUPS = {
    "vehicles": ["8701", "8703", "8704"],
    "passenger_cars": ["8703"],
    "smartphones": ["851713", "851712"],
    "fish_frozen": ["0303"],
}

# Ten rows; `030367` is written without quotes so only the reader's dtype can keep its zero.
HAND_CSV = """\
refYear,refMonth,period,reporterCode,flowCode,partnerCode,classificationCode,cmdCode,qty,qtyUnitAbbr,primaryValue
2024,1,202401,156,X,643,H6,870323,10,u,1500000
2024,1,202401,156,X,643,H6,870421,5,u,2500000
2024,2,202402,156,X,643,H6,870110,1,u,250000.5
2024,1,202401,156,X,643,H6,851713,100,u,3000000
2024,1,202401,156,M,643,H6,030367,1000,kg,700000
2024,1,202401,156,X,398,H6,870323,10,u,9000000
2023,12,202312,156,X,643,H6,870323,10,u,8000000
2024,1,202401,156,RX,643,H6,870323,1,u,4000000
2024,1,202401,643,X,156,H6,870323,1,u,5000000
2023,1,202301,156,X,643,H6,870324,2,u,2000000
"""
# Worked out by hand from the rows above (Russia 643, China reporting, X/M only, 2024).
EXPECTED_2024 = pd.DataFrame(
    {
        "group": ["fish_frozen", "passenger_cars", "smartphones", "vehicles", "vehicles"],
        "flow": ["import", "export", "export", "export", "export"],
        "period": ["2024-01", "2024-01", "2024-01", "2024-01", "2024-02"],
        "value_usd_mn": [0.7, 1.5, 3.0, 4.0, 0.2500005],
        "rows": [1, 1, 1, 2, 1],
    }
)


@pytest.fixture()
def hand_csv(tmp_path):
    p = tmp_path / "hand.csv"
    p.write_text(HAND_CSV)
    return p


def _load_bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _same(a: pd.DataFrame, b: pd.DataFrame):
    assert list(a.columns) == hs_store.OUTPUT_COLUMNS == list(b.columns)
    keys = ["group", "flow", "period", "rows"]
    pd.testing.assert_frame_equal(a[keys], b[keys])
    assert (a["value_usd_mn"].round(6) == b["value_usd_mn"].round(6)).all()


def test_known_sums_all_paths(hand_csv, tmp_path):
    pq = tmp_path / "hand.parquet"
    hs_store.ingest_comtrade_csv(hand_csv, pq)
    for res in (
        hs_store.pandas_group_aggregates(hand_csv, 643, GROUPS, "2024-01", "2024-12"),
        hs_store.group_aggregates(hand_csv, 643, GROUPS, "2024-01", "2024-12"),
        hs_store.group_aggregates(pq, 643, GROUPS, "2024-01", "2024-12"),
    ):
        assert res["rows"].dtype == "int64" and res["value_usd_mn"].dtype == "float64"
        _same(res, EXPECTED_2024)
        # 870323 counts both for its heading 8703 and for the 3-heading group `vehicles`
        jan = res[res["period"] == "2024-01"].set_index("group")["value_usd_mn"]
        assert jan["passenger_cars"] == 1.5 and jan["vehicles"] == 4.0


def test_period_derived_from_year_month(hand_csv, tmp_path):
    df = pd.read_csv(hand_csv, dtype={"cmdCode": str}).drop(columns=["period"])
    p = tmp_path / "noperiod.csv"
    df.to_csv(p, index=False)
    _same(hs_store.group_aggregates(p, 643, GROUPS, "2024-01", "2024-12"), EXPECTED_2024)
    _same(hs_store.pandas_group_aggregates(p, 643, GROUPS, "2024-01", "2024-12"), EXPECTED_2024)


def test_ytd_side_by_side(hand_csv):
    ytd = hs_store.ytd_aggregates(hand_csv, 643, GROUPS, 2024, 2).set_index(["group", "flow"])
    v = ytd.loc[("vehicles", "export")]
    assert math.isclose(v["value_usd_mn"], 4.2500005) and v["value_usd_mn_prev"] == 2.0
    assert math.isclose(v["yoy_pct"], 112.500025)
    assert (v["months"], v["months_prev"], v["rows"], v["rows_prev"]) == (2, 1, 3, 1)
    pc = ytd.loc[("passenger_cars", "export")]
    assert math.isclose(pc["yoy_pct"], -25.0)
    assert ytd.loc[("smartphones", "export"), "months_prev"] == 0
    assert math.isnan(ytd.loc[("smartphones", "export"), "yoy_pct"])


def test_leading_zero_codes_survive_ingest(hand_csv, tmp_path):
    pq = tmp_path / "hand.parquet"
    assert hs_store.ingest_comtrade_csv(hand_csv, pq) is True
    con = duckdb.connect()
    types = dict(
        con.execute(
            "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))",
            [str(pq)],
        ).fetchall()
    )
    assert types["cmdCode"] == "VARCHAR" and types["period"] == "INTEGER"
    codes = {r[0] for r in con.execute("SELECT cmdCode FROM read_parquet(?)", [str(pq)]).fetchall()}
    assert "030367" in codes and "30367" not in codes


def test_ingest_skips_when_fresh_and_rebuilds_when_not(hand_csv, tmp_path):
    pq = tmp_path / "hand.parquet"
    assert hs_store.ingest_comtrade_csv(hand_csv, pq) is True
    assert hs_store.ingest_comtrade_csv(hand_csv, pq) is False
    st = pq.stat()
    os.utime(hand_csv, ns=(st.st_mtime_ns + 10**9, st.st_mtime_ns + 10**9))  # input now newer
    assert hs_store.ingest_comtrade_csv(hand_csv, pq) is True
    other = tmp_path / "other.csv"
    other.write_text(HAND_CSV)
    assert hs_store.ingest_comtrade_csv([hand_csv, other], pq) is True  # input list changed


def test_failed_ingest_leaves_no_partial_parquet(hand_csv, tmp_path):
    # A bad value far down the file: DuckDB fails mid-COPY (after writing has started).
    lines = HAND_CSV.splitlines()
    good = lines[1:6]
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\n".join([lines[0]] + good * 5000 + ["2024,1,202401,156,X,not-a-code,H6,870323,1,u,1"])
        + "\n"
    )
    out = tmp_path / "out" / "store.parquet"
    with pytest.raises(duckdb.Error):
        hs_store.ingest_comtrade_csv(bad, out)
    assert not out.exists()
    assert list(out.parent.iterdir()) == []
    # An existing good store is left untouched by a failed rebuild.
    hs_store.ingest_comtrade_csv(hand_csv, out)
    before = out.read_bytes()
    with pytest.raises(duckdb.Error):
        hs_store.ingest_comtrade_csv(bad, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["store.parquet"]


def test_mixed_code_levels_refused(tmp_path):
    p = tmp_path / "mixed.csv"
    p.write_text(
        "reporterCode,flowCode,partnerCode,period,cmdCode,primaryValue\n"
        "156,X,643,202401,8703,10\n156,X,643,202401,870323,10\n"
    )
    with pytest.raises(ValueError, match="code_length"):
        hs_store.group_aggregates(p, 643, {"cars": ["8703"]})
    with pytest.raises(ValueError, match="code_length"):
        hs_store.pandas_group_aggregates(p, 643, {"cars": ["8703"]})
    res = hs_store.group_aggregates(p, 643, {"cars": ["8703"]}, code_length=6)
    assert res["value_usd_mn"].tolist() == [1e-5] and res["rows"].tolist() == [1]
    # overlapping prefixes inside one group count a row once
    res = hs_store.group_aggregates(p, 643, {"cars": ["87", "8703"]}, code_length=4)
    assert res["rows"].tolist() == [1]


def test_bad_arguments(hand_csv):
    with pytest.raises(ValueError):
        hs_store.group_aggregates(hand_csv, 643, {"x": ["87'; DROP"]})
    with pytest.raises(ValueError):
        hs_store.group_aggregates(hand_csv, 643, GROUPS, "2024-13")


def test_scaled_down_synthetic_run_paths_agree(tmp_path):
    bench = _load_bench()
    csv_path = tmp_path / "synthetic_comtrade_100000rows_seed7.csv"
    bench.generate(100_000, 7, csv_path)
    assert sum(1 for _ in open(csv_path)) == 100_001
    p_from, p_to = bench.period_bounds(100_000)
    base = hs_store.pandas_group_aggregates(csv_path, 643, bench.GROUPS, p_from, p_to)
    on_csv = hs_store.group_aggregates(csv_path, 643, bench.GROUPS, p_from, p_to)
    pq = tmp_path / "s.parquet"
    hs_store.ingest_comtrade_csv(csv_path, pq)
    on_pq = hs_store.group_aggregates(pq, 643, bench.GROUPS, p_from, p_to)
    assert len(base) == len(bench.GROUPS) * 2 * 12  # Russia has every group, both flows, 12 months
    _same(base, on_csv)
    _same(base, on_pq)
    assert set(base["group"]) == set(bench.GROUPS)
    # the polars peer and the briefing's scan (either engine) give the same numbers as the baseline
    _same(
        base,
        bench._polars_group_aggregates(
            csv_path, hs_store._period_int(p_from, 0), hs_store._period_int(p_to, 0)
        ),
    )
    from helpers.sources.comtrade_scan import partner_code_sums

    prefixes = sorted({code for codes in bench.GROUPS.values() for code in codes})
    for engine in ("polars", "duckdb"):
        sums, _ = partner_code_sums(csv_path, 643, prefixes, engine=engine)
        assert sums.attrs["engine"] == engine
        sums = sums.assign(period=sums.period.str.replace("-", "").astype(int))
        _same(base, hs_store.groups_from_code_sums(sums, bench.GROUPS, p_from, p_to))
    # the generator is deterministic for a given seed
    again = tmp_path / "again.csv"
    bench.generate(100_000, 7, again)
    assert again.read_bytes() == csv_path.read_bytes()


def test_failure_after_write_removes_temp_file(hand_csv, tmp_path, monkeypatch):
    out = tmp_path / "out" / "store.parquet"
    seen = []

    def boom(src, dst):
        seen.append(Path(src))
        assert Path(src).is_file() and Path(src).stat().st_size > 0  # fully written temp file
        raise OSError("disk gone")

    monkeypatch.setattr(hs_store.os, "replace", boom)
    with pytest.raises(OSError, match="disk gone"):
        hs_store.ingest_comtrade_csv(hand_csv, out)
    assert seen and seen[0].parent == out.parent and seen[0].name.startswith(".store.parquet.tmp")
    assert list(out.parent.iterdir()) == []
