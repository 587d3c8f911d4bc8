"""Benchmark-only engines (not used by the briefing): Comtrade-format CSV: Comtrade-format CSV -> typed Parquet, and per-group monthly
aggregates for one partner computed inside DuckDB.

Why DuckDB (and not pyarrow), measured with `scripts/bench.py` (BENCHMARKS.md) on a SYNTHETIC
10M-row Comtrade-format CSV (1.3 GB) on a 2-core machine, Russia's 9 briefing groups, median of 3:
pandas `read_csv` + groupby 10.0 s / 2.4 GB peak RSS; DuckDB straight on the CSV 2.0 s / 0.38 GB;
pyarrow streaming CSV reader + filter 2.6 s / 1.3 GB; DuckDB ingest to Parquet 3.4 s / 0.5 GB, then
a query on the Parquet 0.18 s (DuckDB) vs 0.38 s (`pyarrow.dataset` filter pushdown + pandas
groupby). The job is "scan a large file, keep one partner's rows, prefix-match HS codes, group by
group/flow/month": DuckDB does it in one streaming, multi-threaded SQL pass with bounded memory
(`memory_limit`), the same SQL runs unchanged on the raw CSV and on the Parquet file, and it
writes the Parquet file too (`COPY ... TO`). pyarrow reads about as fast, but the prefix grouping
and the batch loop that keeps memory bounded would be hand-written (the bench's pyarrow variants
show that code), and it was slower and hungrier on both sources — so DuckDB is the one engine
here; pyarrow only writes the synthetic bench CSV.

Conventions (shared with the tidy contract in docs/ARCHITECTURE.md):
- `cmdCode` is text everywhere (VARCHAR in Parquet, `str` in pandas) so `030367` keeps its zero.
- `flowCode` X -> `export` (China -> partner), M -> `import`; other flow codes (re-exports,
  re-imports) are ignored.
- `period` is YYYYMM (int) in the store and `YYYY-MM` (str) in the outputs; when a file has no
  `period` column it is derived from `refYear`/`refMonth`.
- `value_usd_mn` = sum(primaryValue) / 1e6 (primaryValue is US$); NaN when every value is missing.
- A row counts for a group when its cmdCode starts with any of the group's prefixes (counted
  once per group even when two prefixes overlap). A row can count for several groups.
- Mixing aggregation levels (e.g. HS4 `8703` and HS6 `870323` rows in one file) would double
  count, so when a group matches codes of more than one length a ValueError is raised unless
  `code_length` picks one level.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

from bench_scan import (
    REPORTER_CHINA,
    PathLike,
    _as_paths,
    _check_groups,
    _connect,
    _csv_header,
    _csv_relation_sql,
    _period_int,
    _select_store_sql,
    _source_relation,
)

# re-exported for the bench
from bench_scan import STORE_COLUMNS as STORE_COLUMNS
from bench_scan import partner_code_sums as partner_code_sums

FLOW_NAMES = {"X": "export", "M": "import"}
OUTPUT_COLUMNS = ["group", "flow", "period", "value_usd_mn", "rows"]
_KV_KEY = "hs_store_inputs"


def _inputs_signature(paths: list[Path]) -> str:
    return json.dumps(sorted(str(p.resolve()) for p in paths))


def ingest_comtrade_csv(
    csv_paths: PathLike | Iterable[PathLike],
    parquet_path: PathLike,
    *,
    force: bool = False,
    threads: int | None = None,
    memory_limit: str | None = "2GB",
    row_group_size: int = 122_880,
) -> bool:
    """Convert Comtrade-format CSV file(s) into one typed Parquet file with DuckDB.

    Columns are `STORE_COLUMNS` (cmdCode VARCHAR with leading zeros kept, period INTEGER YYYYMM),
    zstd-compressed, rows in input order (no global sort: measured at 10M rows, an ORDER BY
    partnerCode cost ~4x the memory, ~1.9 GB, for a query that takes < 0.2 s either way). Written to a temporary file next to the target and moved in place with os.replace:
    a failed ingest leaves no partial Parquet (and an existing good one untouched).
    Skipped (returns False) when the Parquet is newer than every input and was built from the
    same list of inputs (stored in the file's key-value metadata); returns True when written.
    """
    paths = _as_paths(csv_paths)
    if not paths:
        raise ValueError("no CSV inputs")
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(p)
    out = Path(parquet_path)
    signature = _inputs_signature(paths)
    if not force and out.is_file() and _is_fresh(out, paths, signature):
        return False

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    con = _connect(threads, memory_limit)
    try:
        rel_sql, params, present = _csv_relation_sql(paths)
        kv = signature.replace("'", "''")
        con.execute(
            f"COPY ({_select_store_sql(present)} FROM {rel_sql}) "
            f"TO '{_sql_str(tmp)}' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, "
            f"ROW_GROUP_SIZE {int(row_group_size)}, KV_METADATA {{{_KV_KEY}: '{kv}'}})",
            params,
        )
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        con.close()
    return True


def _sql_str(path: Path) -> str:
    return str(path).replace("'", "''")


def _is_fresh(out: Path, paths: list[Path], signature: str) -> bool:
    newest_input = max(p.stat().st_mtime_ns for p in paths)
    if out.stat().st_mtime_ns <= newest_input:
        return False
    con = _connect(threads=1)
    try:
        rows = con.execute(
            "SELECT value FROM parquet_kv_metadata(?) WHERE key = ?", [str(out), _KV_KEY.encode()]
        ).fetchall()
    except Exception:  # unreadable / foreign parquet: rebuild
        return False
    finally:
        con.close()
    return bool(rows) and bytes(rows[0][0]).decode() == signature


def group_aggregates(
    source: PathLike | Iterable[PathLike],
    partner_code: int,
    groups: Mapping[str, Sequence[str]],
    period_from: str | None = None,
    period_to: str | None = None,
    *,
    reporter_code: int | None = REPORTER_CHINA,
    code_length: int | None = None,
    threads: int | None = None,
    memory_limit: str | None = "2GB",
) -> pd.DataFrame:
    """Monthly value per (group, flow, period) for one partner, computed inside DuckDB.

    `source`: a .parquet file written by `ingest_comtrade_csv` or Comtrade-format CSV file(s)
    (read directly, streaming). `groups`: name -> HS code prefixes. `period_from`/`period_to`:
    inclusive `YYYY-MM` bounds (None = open). Only the aggregated rows reach pandas.
    Returns columns [group, flow, period, value_usd_mn, rows] sorted by group, flow, period.
    """
    groups = _check_groups(groups)
    p_from = _period_int(period_from, 0)
    p_to = _period_int(period_to, 999999)
    rel_sql, params = _source_relation(source)

    where = [
        "partnerCode = ?",
        "period BETWEEN ? AND ?",
        "flowCode IN ('X', 'M')",
        "cmdCode IS NOT NULL",
    ]
    wparams: list = [int(partner_code), p_from, p_to]
    if reporter_code is not None:
        where.append("reporterCode = ?")
        wparams.append(int(reporter_code))
    if code_length is not None:
        where.append("length(cmdCode) = ?")
        wparams.append(int(code_length))

    # One scan of the source keeps the partner's rows (small); each group is then a prefix
    # match over that small set, so an overlapping prefix never counts a row twice in a group.
    per_group, gparams = [], []
    for name, prefixes in groups.items():
        match = " OR ".join("starts_with(cmdCode, ?)" for _ in prefixes)
        per_group.append(
            "SELECT ? AS grp, flowCode, period, sum(primaryValue) AS v, count(*) AS n, "
            "count(DISTINCT length(cmdCode)) AS n_len "
            f"FROM f WHERE {match} GROUP BY flowCode, period"
        )
        gparams += [name, *prefixes]
    sql = (
        f"WITH src AS ({rel_sql}), "
        f"f AS MATERIALIZED (SELECT flowCode, period, cmdCode, primaryValue FROM src "
        f"WHERE {' AND '.join(where)}) " + " UNION ALL ".join(per_group)
    )
    con = _connect(threads, memory_limit)
    try:
        df = con.execute(sql, params + wparams + gparams).df()
    finally:
        con.close()
    return _finish(df.rename(columns={"grp": "group"}), code_length)


def groups_from_code_sums(
    code_sums: pd.DataFrame,
    groups: Mapping[str, Sequence[str]],
    period_from: str | None = None,
    period_to: str | None = None,
) -> pd.DataFrame:
    """Group totals from `partner_code_sums` output (a small frame): what the briefing computes.

    Same columns and order as `group_aggregates`, so the briefing's own path can be benchmarked
    and checked against the pandas baseline.
    """
    groups = _check_groups(groups)
    p_from, p_to = _period_int(period_from, 0), _period_int(period_to, 999999)
    sums = code_sums.loc[code_sums.period.between(p_from, p_to)]
    parts = []
    for name, prefixes in groups.items():
        rows = sums.loc[sums.cmdCode.str.startswith(tuple(prefixes))]
        part = rows.groupby(["flowCode", "period"], as_index=False).agg(
            v=("value_usd_mn", "sum"),
            n=("rows", "sum"),
            n_len=("cmdCode", lambda c: c.str.len().nunique()),
        )
        parts.append(part.assign(group=name, v=part.v * 1e6))
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame(columns=["group", "flowCode", "period", "v", "n", "n_len"])
    )
    return _finish(frame, None)


def _finish(df: pd.DataFrame, code_length: int | None) -> pd.DataFrame:
    """Common tail of both paths: level check, names, types, deterministic order."""
    if code_length is None and len(df) and (df["n_len"] > 1).any():
        bad = sorted(df.loc[df["n_len"] > 1, "group"].unique())
        raise ValueError(
            f"groups {bad} match HS codes of different lengths (e.g. HS4 and HS6 "
            "rows): sums would double count; pass code_length="
        )
    out = pd.DataFrame(
        {
            "group": df["group"].astype(str),
            "flow": df["flowCode"].map(FLOW_NAMES).astype(str),
            "period": [f"{int(p) // 100:04d}-{int(p) % 100:02d}" for p in df["period"]],
            "value_usd_mn": pd.to_numeric(df["v"], errors="coerce").astype("float64") / 1e6,
            "rows": df["n"].astype("int64"),
        }
    )
    out = out.sort_values(["group", "flow", "period"], kind="mergesort").reset_index(drop=True)
    return out[OUTPUT_COLUMNS]


def ytd_aggregates(
    source: PathLike | Iterable[PathLike],
    partner_code: int,
    groups: Mapping[str, Sequence[str]],
    year: int,
    month: int,
    prev_year: int | None = None,
    **kwargs,
) -> pd.DataFrame:
    """January..`month` sums for `year` and `prev_year` (default year-1), side by side.

    The monthly sums come from `group_aggregates` (DuckDB); only the tiny result is summed
    here. Columns: [group, flow, period ('YYYY-MM' of the end month), value_usd_mn,
    value_usd_mn_prev, yoy_pct, months, months_prev, rows, rows_prev]; `months` counts the months
    with data, so an incomplete year-to-date is visible (months < month) rather than hidden.
    """
    if not 1 <= int(month) <= 12:
        raise ValueError(f"month {month} not in 1..12")
    prev_year = int(year) - 1 if prev_year is None else int(prev_year)
    frames = []
    for y, tag in ((int(year), ""), (prev_year, "_prev")):
        m = group_aggregates(
            source, partner_code, groups, f"{y:04d}-01", f"{y:04d}-{month:02d}", **kwargs
        )
        g = m.groupby(["group", "flow"], sort=True).agg(
            value_usd_mn=("value_usd_mn", lambda s: s.sum(min_count=1)),
            months=("period", "nunique"),
            rows=("rows", "sum"),
        )
        frames.append(g.add_suffix(tag))
    out = frames[0].join(frames[1], how="outer").reset_index()
    for c in ("months", "months_prev", "rows", "rows_prev"):
        out[c] = out[c].fillna(0).astype("int64")
    out["yoy_pct"] = (out["value_usd_mn"] / out["value_usd_mn_prev"] - 1) * 100
    out.insert(2, "period", f"{int(year):04d}-{int(month):02d}")
    cols = [
        "group",
        "flow",
        "period",
        "value_usd_mn",
        "value_usd_mn_prev",
        "yoy_pct",
        "months",
        "months_prev",
        "rows",
        "rows_prev",
    ]
    return out[cols].sort_values(["group", "flow"], kind="mergesort").reset_index(drop=True)


def pandas_group_aggregates(
    csv_path: PathLike,
    partner_code: int,
    groups: Mapping[str, Sequence[str]],
    period_from: str | None = None,
    period_to: str | None = None,
    *,
    reporter_code: int | None = REPORTER_CHINA,
    code_length: int | None = None,
) -> pd.DataFrame:
    """The plain baseline: `pandas.read_csv` (needed columns, cmdCode as str) + filter + groupby.

    Same semantics and output as `group_aggregates`, so the two can be compared exactly.
    """
    groups = _check_groups(groups)
    p_from = _period_int(period_from, 0)
    p_to = _period_int(period_to, 999999)
    header = set(_csv_header(Path(csv_path)))
    wanted = [
        "reporterCode",
        "flowCode",
        "partnerCode",
        "cmdCode",
        "primaryValue",
        "period",
        "refYear",
        "refMonth",
    ]
    usecols = [c for c in wanted if c in header]
    df = pd.read_csv(
        csv_path,
        usecols=usecols,
        dtype={"cmdCode": str, "flowCode": str, "period": str},
        encoding="utf-8-sig",
    )
    if "period" in df:
        period = pd.to_numeric(df["period"], errors="coerce")
        if {"refYear", "refMonth"} <= set(df.columns):
            period = period.fillna(df["refYear"] * 100 + df["refMonth"])
    else:
        period = df["refYear"] * 100 + df["refMonth"]
    df["period"] = period
    df["cmdCode"] = df["cmdCode"].str.strip()
    mask = (
        (df["partnerCode"] == int(partner_code))
        & df["period"].between(p_from, p_to)
        & df["flowCode"].isin(list(FLOW_NAMES))
        & df["cmdCode"].notna()
    )
    if reporter_code is not None:
        mask &= df["reporterCode"] == int(reporter_code)
    if code_length is not None:
        mask &= df["cmdCode"].str.len() == int(code_length)
    f = df.loc[mask, ["flowCode", "period", "cmdCode", "primaryValue"]]
    f = f.assign(primaryValue=f["primaryValue"].astype("float64"), clen=f["cmdCode"].str.len())
    parts = []
    for name, prefixes in groups.items():
        g = f[f["cmdCode"].str.startswith(tuple(prefixes))]
        if g.empty:
            continue
        gb = g.groupby(["flowCode", "period"], sort=True)
        a = pd.DataFrame(
            {
                "v": gb["primaryValue"].sum(min_count=1),
                "n": gb.size(),
                "n_len": gb["clen"].nunique(),
            }
        ).reset_index()
        a.insert(0, "group", name)
        parts.append(a)
    if not parts:
        res = pd.DataFrame(
            {"group": [], "flowCode": [], "period": [], "v": [], "n": [], "n_len": []}
        )
    else:
        res = pd.concat(parts, ignore_index=True)
    return _finish(res, code_length)
