"""Large Comtrade files (API CSV or bulk TSV, plain or .gz) checked and summed inside DuckDB.

China's full monthly data is ~10 million rows a year. Reading it row by row in Python (what the input
check once did) took 4.5 GB for 1 million rows; here DuckDB streams the file with a memory limit, and
Python only ever holds a few counts or a few thousand result rows. The rules are those of the pandas
reader (helpers.sources.comtrade), written once more in SQL:
- every row validated (helpers.sources.hs_schema's and .fields' rules): on any failure the first offending row is
  located by streaming the file in Python (bounded memory) and reported by row number, like small files;
- only total rows (partner2Code 0, customsCode C00, motCode 0; an absent column counts as total) and
  flows X/M; annual rows (freqCode A / refMonth 52) keep period YYYY, never a made-up month;
- for the briefing: one partner, the groups' code prefixes; exact duplicate rows counted once (noted),
  the same cell with two different values stops the build.

The briefing's scan (partner_code_sums) first tries polars on a plain CSV/TSV: the numeric columns parsed
strictly as numbers by its CSV reader, the partner filter applied in the scan, the other rules only on the
partner's rows (`_polars_cells`). Wherever polars parses a number strictly, its value is DuckDB's
TRY_CAST of the trimmed text; anything else (a `?` or any other non-number, a kept row without period or
value, a header polars reads differently, a .gz file) goes to the DuckDB query (`_duckdb_cells`), which
applies the rules to any text. tests/test_scan_engines.py checks both give identical cells.

When the file's sidecar records how many records it has (`rows`, counted by a CSV parser that knows
quotes) and the file has exactly that many lines after the header, no record spans two lines: polars then
parses only the lines that contain the partner code's digits (`_partner_lines`; every text the rules
read as that code contains them), a few per cent of a file with many partners, instead of every line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from .comtrade import REQUIRED_COLUMNS, check_columns, check_record, iter_records, read_header
from .fields import CODE, DIGITS, NUMBER
from .hs_schema import FIRST_PLAUSIBLE_YEAR, PLAUSIBLE_MAX
from .text_rows import check_last_line

MEMORY_LIMIT = "1GB"


def _relation(path: Path) -> tuple[str, list]:
    """SQL of the normalised rows (text columns typed, absent columns NULL) and its parameters."""
    header = read_header(path)
    check_columns(header, path)  # the row reader's message, naming the columns present
    delim = "\\t" if _is_tab(path) else ","

    def col(name):
        return f'trim("{name}")' if name in header else "NULL"

    def num(name):
        return f"TRY_CAST(NULLIF(trim(\"{name}\"), '') AS DOUBLE)" if name in header else "NULL"

    source = (
        f"read_csv(?, header = true, delim = '{delim}', quote = '\"', "
        "all_varchar = true, null_padding = false)"
    )
    sql = (
        f"SELECT upper(coalesce({col('freqCode')}, '')) AS freq, {col('period')} AS period_text, "
        f"{num('refYear')} AS ref_year, {num('refMonth')} AS ref_month, {num('reporterCode')} AS reporter, "
        f"{col('flowCode')} AS flow, {num('partnerCode')} AS partner, {col('partnerCode')} AS partner_text, "
        f"{num('partner2Code')} AS partner2, {col('customsCode')} AS customs, {num('motCode')} AS mot, "
        f"{col('classificationCode')} AS cl, {col('cmdCode')} AS cmd, {num('primaryValue')} AS value, "
        # the texts behind the numbers, for the row rules (TRY_CAST alone reads '1_000' or '6.43e2' as numbers)
        f"{col('reporterCode')} AS reporter_text, {col('partner2Code')} AS partner2_text, "
        f"{col('motCode')} AS mot_text, {col('primaryValue')} AS value_text "
        f"FROM {source}"
    )
    period = (
        "CASE WHEN coalesce(period_text, '') <> '' THEN regexp_replace(period_text, '\\.0$', '') "
        "WHEN freq = 'A' OR ref_month = 52 THEN CAST(CAST(ref_year AS BIGINT) AS VARCHAR) "
        "ELSE CAST(CAST(ref_year * 100 + ref_month AS BIGINT) AS VARCHAR) END"
    )
    return (
        f"SELECT *, {period} AS per, (coalesce(partner2, 0) = 0 AND coalesce(NULLIF(customs, ''), 'C00') = 'C00' "
        f"AND coalesce(mot, 0) = 0) AS is_total FROM ({sql})"
    ), [str(path)]


def _is_tab(path: Path) -> bool:
    from .comtrade import _open_text

    with _open_text(path) as handle:
        return "\t" in handle.readline()


def _bad_row_sql(today: dt.date) -> str:
    """A row breaking any hs_schema or fields rule (the same rules check_record applies in Python)."""
    month = "TRY_CAST(substr(per, 5, 2) AS INTEGER)"
    year = "TRY_CAST(substr(per, 1, 4) AS INTEGER)"
    good_period = (
        f"((regexp_full_match(per, '\\d{{4}}') AND freq IN ('', 'A')) OR "
        f"(regexp_full_match(per, '\\d{{6}}') AND freq IN ('', 'M') AND {month} BETWEEN 1 AND 12 "
        f"AND (coalesce(period_text, '') = '' OR ref_month IS NULL OR ref_month = {month}) "
        f"AND per <= '{today:%Y%m}')) AND {year} BETWEEN {FIRST_PLAUSIBLE_YEAR} AND {today.year}"
    )
    # As check_record: codes are digits (a trailing `.0` allowed), the reporter is 156, the value is written
    # as helpers.sources.fields reads numbers (no `1_000`, no `nan`), so both paths refuse the same rows
    # (RE2's \d is ASCII, as the fields rules' patterns).
    code = (
        f"(coalesce({{0}}, '') <> '' AND NOT regexp_full_match({{0}}, '({DIGITS.pattern})(\\.0)?'))"
    )
    codes_bad = " OR ".join(code.format(c) for c in ("partner_text", "partner2_text", "mot_text"))
    value_bad = f"NOT regexp_full_match(value_text, '{NUMBER.pattern}')"
    return (
        f"(coalesce(flow, '') = '' OR partner IS NULL OR coalesce(cmd, '') = '' OR value IS NULL "
        f"OR {codes_bad} OR (coalesce(reporter_text, '') <> '' AND NOT regexp_full_match(reporter_text, '156(\\.0)?')) "
        f"OR {value_bad} "
        f"OR NOT isfinite(value) OR value < 0 OR value > {PLAUSIBLE_MAX['usd']:.0f} "
        f"OR NOT regexp_full_match(cmd, 'TOTAL|{CODE.pattern}') "
        f"OR per IS NULL OR NOT ({good_period}))"
    )


def _connect():
    import duckdb

    con = duckdb.connect(":memory:")
    con.execute("SET memory_limit = ?", [MEMORY_LIMIT])
    con.execute("SET preserve_insertion_order = false")
    return con


def _first_bad_row(path: Path) -> None:
    """Stream the file in Python to name the first row DuckDB counted as bad (raises its InputError)."""
    for row, record in iter_records(path):
        check_record(record, path, row)


def check_large_file(path, today: dt.date | None = None, partner_code: int | None = None) -> dict:
    """Validate every row of a large Comtrade file in DuckDB -> counts for the input check's summary
    (with partner_code: also the total rows of other partners, which the build leaves out)."""
    path = Path(path)
    today = today or dt.date.today()
    rel, params = _relation(path)
    check_last_line(path)
    con = _connect()
    try:
        other = (
            f"partner <> {int(partner_code)}" if partner_code is not None else "false"
        )  # an int: no injection
        rows, bad, breakdown, subflow, others = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE {_bad_row_sql(today)}), "
            f"count(*) FILTER (WHERE NOT is_total AND flow IN ('X', 'M')), "
            f"count(*) FILTER (WHERE flow NOT IN ('X', 'M')), "
            f"count(*) FILTER (WHERE is_total AND flow IN ('X', 'M') AND {other}) FROM ({rel})",
            params,
        ).fetchone()
    except Exception as error:  # noqa: BLE001 - a malformed CSV (e.g. a short row) -> find it in Python
        _first_bad_row(path)
        raise InputError(
            f"cannot be scanned: {type(error).__name__}",
            file=path,
            expected="a Comtrade CSV/TSV file",
        ) from None
    finally:
        con.close()
    if bad:
        _first_bad_row(path)
        raise InputError(
            f"{bad} row(s) break the row rules", file=path, expected="valid Comtrade rows"
        )
    return {
        "rows": rows,
        "breakdown_rows": breakdown,
        "subflow_rows": subflow,
        "other_partner_rows": others,
    }


def partner_code_sums(
    path,
    partner_code: int,
    prefixes,
    include_total: bool = False,
    engine: str = "auto",
    records: int | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """(monthly or annual value per code, flow and classification for one partner, notes) from total rows.

    include_total: also the all-goods rows (cmdCode TOTAL); prefixes may then be empty (TOTAL only).
    engine: "auto" (polars where it gives DuckDB's numbers, else DuckDB), "polars" (ValueError where it
    cannot) or "duckdb". The frame's attrs["engine"] says which one ran. The file is assumed checked by
    check_large_file (the input check runs it first): a row with too few fields stops DuckDB, while
    polars pads it with empty fields (and a kept row left without period or value goes to DuckDB).
    records: the record count the file's sidecar records; with it polars may parse only the lines that
    hold the partner code (`_partner_lines`), and attrs["lines"] says "partner" (else "all").

    Columns: cmdCode, classificationCode, flowCode, period ('YYYY-MM' or 'YYYY'), span, value_usd_mn, rows.
    Exact duplicate rows count once (noted); one cell with two different values raises an InputError.
    """
    path = Path(path)
    prefixes = sorted({str(p).strip() for p in prefixes or []})
    if (not prefixes and not include_total) or not all(DIGITS.fullmatch(p) for p in prefixes):
        raise ValueError(f"HS prefixes must be digits, got {prefixes}")
    if engine not in ("auto", "polars", "duckdb"):
        raise ValueError(f"engine must be auto, polars or duckdb, got {engine!r}")
    cells = (
        _polars_cells(path, partner_code, prefixes, include_total, records)
        if engine != "duckdb"
        else None
    )
    lines = cells.attrs["lines"] if cells is not None else "all"
    if cells is None and engine == "polars":
        raise ValueError(
            f"{path.name}: polars cannot read this file with DuckDB's rules (use engine='auto')"
        )
    used = "polars" if cells is not None else "duckdb"
    if cells is None:
        cells = _duckdb_cells(path, partner_code, prefixes, include_total)
    conflicts = cells.loc[cells.hi != cells.lo]
    if len(conflicts):
        first = conflicts.iloc[0]
        raise InputError(
            f"{int(first.rows)} rows for {first.flowCode} {first.per} HS {first.cmdCode} "
            f"({first.classificationCode}) give different values ({first.lo:,.0f} vs {first.hi:,.0f} US$)",
            file=path,
            expected="one total row per period, flow, partner and code",
        )
    notes = []
    duplicated = cells.loc[cells.rows > 1]
    if len(duplicated):
        notes.append(
            f"{path.name}: {int((duplicated.rows - 1).sum())} exact duplicate row(s) counted once"
        )
    cells["period"] = [p if len(p) == 4 else f"{p[:4]}-{p[4:]}" for p in cells.per]
    cells["span"] = ["year" if len(p) == 4 else "month" for p in cells.per]
    cells["value_usd_mn"] = cells.lo / 1e6
    out = cells[
        ["cmdCode", "classificationCode", "flowCode", "period", "span", "value_usd_mn", "rows"]
    ]
    out.attrs.update(engine=used, lines=lines)
    return out, notes


CELL_COLUMNS = ["cmdCode", "classificationCode", "flowCode", "per", "rows", "lo", "hi"]


def _duckdb_cells(
    path: Path, partner_code: int, prefixes: list[str], include_total: bool
) -> pd.DataFrame:
    """The partner's total rows for the codes, per cell (code, classification, flow, period): rows, min, max."""
    rel, params = _relation(path)
    wanted = ["starts_with(cmd, ?)" for _ in prefixes] + (
        ["cmd = 'TOTAL'"] if include_total else []
    )
    where = (
        "is_total AND flow IN ('X', 'M') AND partner = ? AND (reporter IS NULL OR reporter = 156) AND ("
        + " OR ".join(wanted)
        + ")"
    )
    sql = (
        f"SELECT cmd AS cmdCode, coalesce(cl, '') AS classificationCode, flow AS flowCode, per, count(*) AS rows, "
        f"min(value) AS lo, max(value) AS hi FROM ({rel}) WHERE {where} GROUP BY ALL ORDER BY ALL"
    )
    con = _connect()
    try:
        return con.execute(sql, params + [float(partner_code), *prefixes]).df()[CELL_COLUMNS]
    finally:
        con.close()


POLARS_CODES = ("reporterCode", "partnerCode", "partner2Code", "motCode")
POLARS_TEXTS = ("period", "flowCode", "customsCode", "classificationCode", "cmdCode")


PARTNER_LINES_FLOOR = (
    100_000  # lines always allowed in memory; above it, at most a tenth of the file
)


def _partner_lines(path: Path, partner_code: int, records: int | None) -> bytes | None:
    """The header and every line holding the partner code's digits (a CSV of the partner's rows and a few
    others), or None unless the file has one line per record: `records` data lines after the header.

    A record with a line break inside a quoted field, or a blank line, gives more lines than records; then
    a line could be half a record, and the caller parses the whole file. The line count comes from the
    same pass as the kept lines (polars shares the scan of the two queries). Also None when the digits are
    on more than a tenth of the lines (a short code such as 0 or 20, which most periods and values
    contain): those lines would cost memory and save little."""
    if records is None:
        return None
    import polars as pl

    line = pl.col("line")
    limit = max(int(records) // 10, PARTNER_LINES_FLOOR)
    try:
        kept, count = pl.collect_all(
            [
                # `+ "\n"` copies each kept line: a filtered line would otherwise keep its whole block of the
                # file alive (a view), and every block holds one of them -- the whole file in memory
                pl.scan_lines(path)
                .slice(1)
                .filter(line.str.contains(str(int(partner_code)), literal=True))
                .select(line + "\n")
                .head(limit + 1),
                pl.scan_lines(path).select(pl.len()),
            ],
            engine="streaming",
        )
    except pl.exceptions.PolarsError:  # e.g. not UTF-8: the CSV path decides
        return None
    if count.item() != int(records) + 1 or kept.height > limit:
        return None
    with open(path, "rb") as handle:
        header = handle.readline().rstrip(b"\r\n")
    return header + b"\n" + kept["line"].str.join("").item().encode()


def _polars_cells(
    path: Path,
    partner_code: int,
    prefixes: list[str],
    include_total: bool,
    records: int | None = None,
) -> pd.DataFrame | None:
    """_duckdb_cells in polars, or None where its numbers could differ from DuckDB's (the caller asks DuckDB).

    Only the columns the rules need once the period column is filled (refYear/refMonth/freqCode are not
    read: a kept row with an empty period sends the file to DuckDB), numbers typed by the CSV reader,
    strictly: the codes as integers (cheaper to parse), else -- one `643.0` anywhere -- as decimals, else
    (one `?` anywhere) None. The partner filter is pushed into the scan and the other rules run on the
    partner's rows only (the text columns trimmed first, which keeps polars from merging them into the
    scan's predicate and running them on every row). records (the sidecar's count): parse only the lines
    holding the partner code where the file has one line per record (`_partner_lines`); attrs["lines"]
    says which ("partner" or "all").
    """
    header = read_header(path)
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if (
        path.name.lower().endswith(".gz")
        or "period" not in header
        or missing
        or len(set(header)) < len(header)
    ):
        return None
    import polars as pl

    partner_lines = _partner_lines(path, partner_code, records)
    source = path if partner_lines is None else partner_lines
    # Cheapest first: codes and period parsed as integers (no string per row for the period), then codes
    # as decimals with the period as text (`202401.0`, ` 202401`), else DuckDB.
    for code_type, period_type in ((pl.Int32, pl.Int32), (pl.Float64, pl.String)):
        schema = {c: code_type for c in POLARS_CODES if c in header} | {"primaryValue": pl.Float64}
        schema.update({c: pl.String for c in POLARS_TEXTS if c in header} | {"period": period_type})
        try:
            cells = _polars_query(
                source, _is_tab(path), schema, partner_code, prefixes, include_total
            ).collect(engine="streaming")
        except (
            pl.exceptions.PolarsError
        ):  # e.g. `643.0` (integers), `?` (decimals), a long row, not UTF-8
            continue
        if cells["no_value"].sum() or cells["per"].fill_null("").eq("").any():
            return None
        out = cells.select(CELL_COLUMNS).to_pandas()
        out.attrs["lines"] = "all" if partner_lines is None else "partner"
        return out
    return None


def _polars_query(
    source: Path | bytes,
    tab: bool,
    schema: dict,
    partner_code: int,
    prefixes: list[str],
    include_total: bool,
):
    import polars as pl

    def text(name):  # DuckDB's trim(): spaces only
        return pl.col(name) if name in schema else pl.lit(None, pl.String)

    def number(name):
        return pl.col(name) if name in schema else pl.lit(None, pl.Float64)

    cmd = text("cmdCode")
    wanted = pl.any_horizontal(
        [cmd.str.starts_with(p) for p in prefixes] + ([cmd == "TOTAL"] if include_total else [])
    )
    is_total = (
        (number("partner2Code").fill_null(0) == 0)
        & (number("motCode").fill_null(0) == 0)
        & (text("customsCode").replace("", None).fill_null("C00") == "C00")
    )
    reporter = number("reporterCode")
    period = (
        pl.col("period").cast(pl.String)
        if schema["period"] != pl.String
        else text("period").str.replace(r"\.0$", "")
    )
    lazy = (
        pl.scan_csv(
            source,
            separator="\t" if tab else ",",
            quote_char='"',
            schema_overrides=schema,
            infer_schema=False,
        )
        .select(list(schema))
        .filter(pl.col("partnerCode") == int(partner_code))
        .with_columns(
            pl.col(c).str.strip_chars(" ") for c in POLARS_TEXTS if schema.get(c) == pl.String
        )
        .filter(
            text("flowCode").is_in(["X", "M"])
            & (reporter.is_null() | (reporter == 156))
            & wanted
            & is_total
        )
        .group_by(
            cmd.alias("cmdCode"),
            text("classificationCode").fill_null("").alias("classificationCode"),
            text("flowCode").alias("flowCode"),
            period.alias("per"),
        )
        .agg(
            pl.len().cast(pl.Int64).alias("rows"),
            number("primaryValue").min().alias("lo"),
            number("primaryValue").max().alias("hi"),
            (number("primaryValue").is_null() | number("primaryValue").is_nan())
            .sum()
            .alias("no_value"),
        )
        .sort("cmdCode", "classificationCode", "flowCode", "per")
    )
    return lazy


def file_summary(path) -> dict:
    """make inspect on a large file: totals per period x partner x flow from total rows (the TOTAL row where
    present, else the codes of the shortest level present: HS levels are never added to each other),
    the codes, and how many rows were skipped and why (row numbers are not listed: millions of rows)."""
    path = Path(path)
    rows = check_large_file(path)["rows"]
    rel, params = _relation(path)
    con = _connect()
    try:
        totals = con.execute(
            f"WITH t AS (SELECT per, partner_text, flow, CASE WHEN cmd = 'TOTAL' THEN 0 ELSE length(cmd) END AS lvl, "
            f"value FROM ({rel}) WHERE is_total AND flow IN ('X', 'M')), "
            "m AS (SELECT per, partner_text, flow, min(lvl) AS lvl FROM t GROUP BY ALL) "
            "SELECT per, partner_text, flow, sum(value) / 1e6 AS value_mn FROM t JOIN m USING (per, partner_text, flow, lvl) "
            "GROUP BY ALL ORDER BY ALL",
            params,
        ).df()
        skipped = con.execute(
            f"SELECT CASE WHEN flow NOT IN ('X', 'M') THEN 'sub-flow flowCode ' || flow || ' (only X and M are used)' "
            "ELSE 'breakdown row (partner2Code, customsCode or motCode not 0/C00/0): part of the total row' END AS reason, "
            f"count(*) AS n FROM ({rel}) WHERE NOT (is_total AND flow IN ('X', 'M')) GROUP BY ALL ORDER BY ALL",
            params,
        ).df()
        codes = [
            c
            for (c,) in con.execute(
                f"SELECT DISTINCT cmd FROM ({rel}) WHERE cmd <> 'TOTAL' ORDER BY 1 LIMIT 1000",
                params,
            ).fetchall()
        ]
    finally:
        con.close()
    return {"totals": totals, "skipped": skipped, "codes": codes, "rows": rows}
