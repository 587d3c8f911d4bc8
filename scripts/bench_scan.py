"""Benchmark-only DuckDB scan of Comtrade-format CSVs: the typed store the engines in bench_engines.py
build on. The briefing's own scan, with the readers' rules (total rows only, annual periods, row
validation), is helpers.sources.comtrade_scan; `make bench` times that one as the project's path.

Conventions: `cmdCode` is text (so `030367` keeps its zero); `flowCode` X = export (China ->
partner), M = import; `period` is YYYYMM; `value_usd_mn` = sum(primaryValue) / 1e6.
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import pandas as pd

# Typed columns of the store (name -> DuckDB type). Optional ones are NULL when absent from a CSV.
STORE_COLUMNS: dict[str, str] = {
    "refYear": "INTEGER",
    "refMonth": "INTEGER",
    "period": "INTEGER",
    "reporterCode": "INTEGER",
    "flowCode": "VARCHAR",
    "partnerCode": "INTEGER",
    "classificationCode": "VARCHAR",
    "cmdCode": "VARCHAR",
    "qty": "DOUBLE",
    "qtyUnitAbbr": "VARCHAR",
    "primaryValue": "DOUBLE",
}
REQUIRED_COLUMNS = ("reporterCode", "flowCode", "partnerCode", "cmdCode", "primaryValue")
REPORTER_CHINA = 156
_PREFIX_RE = re.compile(r"^\d{1,10}$")
_PERIOD_RE = re.compile(r"^(\d{4})-?(\d{2})$")

PathLike = str | os.PathLike


# ----------------------------------------------------------------------------------------------
# helpers


def _connect(threads: int | None = None, memory_limit: str | None = None):
    import duckdb

    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if memory_limit:
        con.execute("SET memory_limit = ?", [memory_limit])
    # COPY / scans need not keep input order: lowers memory for the ingest.
    con.execute("SET preserve_insertion_order = false")
    return con


def _as_paths(paths: PathLike | Iterable[PathLike]) -> list[Path]:
    if isinstance(paths, (str, os.PathLike)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def _csv_header(path: Path) -> list[str]:
    import gzip

    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            raise ValueError(f"{path}: empty file, no header") from None


def _period_int(period: str | int | None, default: int) -> int:
    if period is None:
        return default
    if isinstance(period, int):
        return period
    m = _PERIOD_RE.match(str(period).strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"period {period!r} is not YYYY-MM")
    return int(m.group(1)) * 100 + int(m.group(2))


def _check_groups(groups: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    if not groups:
        raise ValueError("groups is empty")
    out = {}
    for name, prefixes in groups.items():
        if isinstance(prefixes, str):
            prefixes = [prefixes]
        prefixes = [str(p).strip() for p in prefixes]
        if not prefixes:
            raise ValueError(f"group {name!r} has no HS prefixes")
        bad = [p for p in prefixes if not _PREFIX_RE.match(p)]
        if bad:
            raise ValueError(f"group {name!r}: HS prefixes must be digits, got {bad}")
        out[str(name)] = sorted(set(prefixes))
    return out


def _csv_relation_sql(paths: list[Path]) -> tuple[str, list, set[str]]:
    """(`read_csv(...)` SQL with explicit types for the store columns present, params, header)."""
    headers = [_csv_header(p) for p in paths]
    present = set().union(*map(set, headers))
    missing = [c for c in REQUIRED_COLUMNS if c not in present]
    if missing:
        raise ValueError(f"{[str(p) for p in paths]}: missing Comtrade columns {missing}")
    if "period" not in present and not {"refYear", "refMonth"} <= present:
        raise ValueError("need a `period` (YYYYMM) column or both refYear and refMonth")
    types = {c: t for c, t in STORE_COLUMNS.items() if c in present}
    # `period` is read as text: annual files hold YYYY, monthly YYYYMM; cast below.
    if "period" in types:
        types["period"] = "VARCHAR"
    types_sql = "{" + ", ".join(f"'{c}': '{t}'" for c, t in types.items()) + "}"
    sql = (
        f"read_csv(?, header = true, union_by_name = true, types = {types_sql}, "
        f"auto_detect = true, sample_size = 20480)"
    )
    return sql, [[str(p) for p in paths]], present


def _select_store_sql(present: set[str]) -> str:
    cols = []
    for c, t in STORE_COLUMNS.items():
        if c == "period":
            if "period" in present:
                expr = "TRY_CAST(period AS INTEGER)"
                if {"refYear", "refMonth"} <= present:
                    expr = f"COALESCE({expr}, refYear * 100 + refMonth)"
            else:
                expr = "refYear * 100 + refMonth"
        elif c in present:
            expr = f"CAST({c} AS {t})"
        else:
            expr = f"CAST(NULL AS {t})"
        if c == "cmdCode":
            expr = f"trim({expr})"
        cols.append(f"{expr} AS {c}")
    return "SELECT " + ", ".join(cols)


def _source_relation(source: PathLike | Iterable[PathLike]) -> tuple[str, list]:
    """(SQL producing the store columns, parameters) for a parquet or CSV source."""
    paths = _as_paths(source)
    if not paths:
        raise ValueError("no source")
    kinds = {"parquet" if p.suffix == ".parquet" else "csv" for p in paths}
    if len(kinds) != 1:
        raise ValueError("source mixes Parquet and CSV files")
    for p in paths:
        if not p.is_file():
            raise FileNotFoundError(p)
    if kinds == {"parquet"}:
        return "SELECT * FROM read_parquet(?)", [[str(p) for p in paths]]
    rel_sql, params, present = _csv_relation_sql(paths)
    return f"{_select_store_sql(present)} FROM {rel_sql}", params


def partner_code_sums(
    source: PathLike | Iterable[PathLike],
    partner_code: int,
    prefixes: Sequence[str],
    *,
    reporter_code: int | None = REPORTER_CHINA,
    threads: int | None = None,
    memory_limit: str | None = "2GB",
) -> pd.DataFrame:
    """Monthly value per (HS code, flow) for one partner and the given code prefixes, inside DuckDB.

    What the briefing needs from a large HS-level file: a few thousand rows instead of millions,
    so the rest of the pipeline (helpers.model.groups) stays the same for small and large inputs.
    Columns: [cmdCode, classificationCode, flowCode, period (int YYYYMM), value_usd_mn, rows].
    """
    prefixes = list(_check_groups({"codes": list(prefixes)})["codes"])
    rel_sql, params = _source_relation(source)
    where = [
        "partnerCode = ?",
        "flowCode IN ('X', 'M')",
        "cmdCode IS NOT NULL",
        "(" + " OR ".join("starts_with(cmdCode, ?)" for _ in prefixes) + ")",
    ]
    wparams: list = [int(partner_code), *prefixes]
    if reporter_code is not None:
        where.append("reporterCode = ?")
        wparams.append(int(reporter_code))
    sql = (
        f"WITH src AS ({rel_sql}) SELECT cmdCode, any_value(classificationCode) AS classificationCode, "
        f"flowCode, period, sum(primaryValue) / 1e6 AS value_usd_mn, count(*) AS rows FROM src "
        f"WHERE {' AND '.join(where)} GROUP BY cmdCode, flowCode, period "
        f"ORDER BY cmdCode, flowCode, period"
    )
    con = _connect(threads, memory_limit)
    try:
        return con.execute(sql, params + wparams).df()
    finally:
        con.close()
