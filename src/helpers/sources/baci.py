"""CEPII BACI (HS 2017, annual, reconciled Comtrade declarations) -> the tidy observation table.

Layout, exactly as CEPII writes it: `t` year, `i` exporter and `j` importer (M49 numeric codes:
156 China, 643 Russia), `k` HS 2017 six-digit code, `v` value in thousand US$ (FOB), `q` metric
tonnes (empty or `NA` when unknown). Files saved through pandas lose `k`'s leading zero (`10620` is
`010620`): codes are padded back to six digits as text.

Two paths: a small file (the vendored China<->Russia extract) is read and every field checked in
pandas; CEPII's full release files (`BACI_HS17_Y2023_V202501.csv`, every country pair, millions of
rows) are scanned inside DuckDB for China<->partner only and never read whole into pandas. Both
return the same rows (tests/test_raw_rows.py checks it on a synthetic file).
"""

import re
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from .fields import HS_EDITIONS, commodity_codes, first_invalid, numbers
from .partners import resolve_partner
from .provenance import read_hs_sidecar, retrieved_date
from .schema import relative_to_raw, tidy_columns, tidy_frame
from .text_rows import check_header, check_last_line, raw_files, read_csv_as_text

BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")
CHINA_M49 = 156
PUBLISHER = "CEPII BACI (HS 2017, reconciled UN Comtrade declarations)"
SOURCE_URL = "https://www.cepii.fr/CEPII/en/bdd_modele/bdd_modele_item.asp?id=37"
# Above this size a BACI file is a release file: DuckDB scans it for the partner (as for Comtrade).
LARGE_BACI_BYTES = 50_000_000
_FIELD_PATTERNS = {"t": r"(19|20)\d{2}", "i": r"\d{1,3}", "j": r"\d{1,3}"}


baci_files = raw_files  # data/raw/baci/: the vendored extract and any release file dropped there


def hs_version_of(path: Path) -> str:
    """CEPII names the nomenclature in the file name (BACI_HS17_…, BACI_HS22_…); the vendored extract is HS 2017."""
    years = {edition[-2:]: edition for edition in HS_EDITIONS}
    found = re.search(f"hs({'|'.join(years)})", Path(path).name.lower())
    return years[found[1]] if found else "HS2017"


def _validated(path: Path, frame: pd.DataFrame, rows=None) -> pd.DataFrame:
    """Every field checked; typed columns with `k` padded to six digits and the 1-based row number.
    Numbers and codes by helpers.sources.fields; `NA` (padded or not) is BACI's unknown quantity."""
    rows = list(rows) if rows is not None else list(range(1, len(frame) + 1))
    for column, pattern in _FIELD_PATTERNS.items():
        first_invalid(
            frame[column].str.fullmatch(pattern, flags=re.ASCII),
            frame[column],
            file=path,
            column=column,
            expected="a year YYYY" if column == "t" else "an M49 country code (digits)",
            rows=rows,
        )
    k = frame.k.str.strip()
    # CEPII's k is six digits; five are a code whose leading zero a spreadsheet dropped (10620 = 010620)
    k = k.where(~k.str.fullmatch(r"\d{5}", flags=re.ASCII), "0" + k)
    commodity_codes(k, file=path, column="k", rows=rows)
    six = "an HS code of six digits (five: zero lost)"
    first_invalid(k.str.len() == 6, frame.k, file=path, column="k", expected=six, rows=rows)
    q = frame.q.str.strip()
    return pd.DataFrame(
        {
            "source_row": rows,
            "t": frame.t.astype(int),
            "i": frame.i.astype(int),
            "j": frame.j.astype(int),
            "k": k,
            "v": numbers(frame.v, file=path, column="v", rows=rows, required=True),
            "q": numbers(q.where(q != "NA", ""), file=path, column="q", rows=rows),
        }
    )


def _tidy(rows: pd.DataFrame, path: Path, partner_iso2: str) -> pd.DataFrame:
    """Typed BACI rows of China<->partner -> tidy value rows (US$ mn) and quantity rows (tonnes)."""
    source_file = relative_to_raw(path)
    base = pd.DataFrame(
        {
            "reporter": "CN",
            "partner": partner_iso2,
            "flow": ["export" if i == CHINA_M49 else "import" for i in rows.i],
            "period": rows.t.astype(str).to_numpy(),
            "span": "year",
            "commodity": ("HS " + rows.k).to_numpy(),
            "hs_code": rows.k.to_numpy(),
            "hs_version": hs_version_of(path),
            "currency_note": "usd",
            "source_file": source_file,
            "source_row": rows.source_row.to_numpy(),
            "source_url": SOURCE_URL,
            "publisher": PUBLISHER,
            "published_date": retrieved_date(read_hs_sidecar(path)),
        }
    )
    values = base.assign(measure="value", unit="usd_mn", value=(rows.v / 1000).to_numpy())
    has_q = rows.q.notna().to_numpy()
    quantities = base.loc[has_q].assign(
        measure="quantity", unit="tonnes", value=rows.q.to_numpy()[has_q]
    )
    return tidy_columns(pd.concat([values, quantities], ignore_index=True))


def _pair_rows(rows: pd.DataFrame, partner_m49: int) -> pd.DataFrame:
    return rows.loc[
        ((rows.i == CHINA_M49) & (rows.j == partner_m49))
        | ((rows.i == partner_m49) & (rows.j == CHINA_M49))
    ]


def read_baci(path, partner="RU") -> pd.DataFrame:
    """A small BACI CSV, every field checked, China<->partner rows only (others counted in attrs['notes'])."""
    path = Path(path)
    found = resolve_partner(partner)
    frame = read_csv_as_text(path)
    check_header(path, list(frame.columns), BACI_COLUMNS, extra_ok=True)  # see scan_baci
    rows = _validated(path, frame)
    kept = _pair_rows(rows, int(found.m49))
    tidy = _tidy(kept, path, found.iso2)
    left_out = len(rows) - len(kept)
    tidy.attrs["notes"] = (
        [
            f"{path.name}: {left_out} row(s) of other country pairs left out "
            f"(kept China<->{found.iso2})"
        ]
        if left_out
        else []
    )
    return tidy


def scan_baci(
    path, partner="RU", threads: int | None = None, memory_limit: str | None = "2GB"
) -> pd.DataFrame:
    """A BACI release file (every country pair) scanned in DuckDB for China<->partner rows only.

    The file is streamed; only the pair's rows (a few thousand a year) reach pandas. Row numbers
    are the file's 1-based data rows, as in the small reader.
    """
    import duckdb

    path = Path(path)
    found = resolve_partner(partner)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        # extra columns are ignored: an extract saved by pandas carries its index (",t,i,j,k,v,q")
        header = [n.strip() for n in handle.readline().split(",")]
        check_header(path, header, BACI_COLUMNS, extra_ok=True)
    check_last_line(path)
    con = duckdb.connect(":memory:")
    try:
        if threads:
            con.execute(f"SET threads = {int(threads)}")
        if memory_limit:
            con.execute("SET memory_limit = ?", [memory_limit])
        # All columns as text: the checks below name the first bad row instead of a cast error.
        sql = """
            WITH src AS (
                SELECT row_number() OVER () AS source_row, trim(t) AS t, trim(i) AS i, trim(j) AS j,
                       trim(k) AS k, trim(v) AS v, trim(q) AS q
                FROM read_csv(?, header = true, all_varchar = true, auto_detect = true))
            SELECT source_row, t, i, j, k, v, q FROM src
            WHERE (TRY_CAST(i AS INTEGER) = ? AND TRY_CAST(j AS INTEGER) = ?)
               OR (TRY_CAST(i AS INTEGER) = ? AND TRY_CAST(j AS INTEGER) = ?)
               OR TRY_CAST(i AS INTEGER) IS NULL OR TRY_CAST(j AS INTEGER) IS NULL
            ORDER BY source_row"""
        partner_m49 = int(found.m49)
        frame = con.execute(sql, [str(path), CHINA_M49, partner_m49, partner_m49, CHINA_M49]).df()
    except duckdb.Error as error:
        raise InputError(
            f"DuckDB could not scan it: {' '.join(str(error).split())[:200]}",
            file=path,
            expected="a CEPII BACI CSV with header t,i,j,k,v,q",
        ) from None
    finally:
        con.close()
    checked = _validated(path, frame.drop(columns="source_row").fillna(""), frame.source_row)
    return _tidy(_pair_rows(checked, partner_m49), path, found.iso2)


def load_baci(raw_dir: Path, partner="RU", large_bytes: int = LARGE_BACI_BYTES) -> pd.DataFrame:
    """Every BACI file under raw_dir/baci for China<->partner; a year held by two files is kept once.

    CEPII's own release files (BACI_*) come first, so an extract that repeats their rows is the one
    left out (listed in attrs['notes']).
    """
    files = sorted(
        baci_files(Path(raw_dir) / "baci"), key=lambda p: (not p.name.startswith("BACI_"), p.name)
    )
    frames, notes = [], []
    for path in files:
        tidy = (
            scan_baci(path, partner)
            if path.stat().st_size > large_bytes
            else read_baci(path, partner)
        )
        notes += tidy.attrs.get("notes", [])
        frames.append(tidy)
    if not frames:
        return tidy_frame([])
    rows = pd.concat(frames, ignore_index=True)
    repeated = rows.duplicated(
        subset=["period", "flow", "hs_version", "hs_code", "measure"], keep="first"
    )
    for name, count in rows.loc[repeated].groupby("source_file").size().items():
        notes.append(
            f"{name}: {count} row(s) repeat a year another BACI file already holds (left out)"
        )
    rows = rows.loc[~repeated].reset_index(drop=True)
    rows.attrs["notes"] = notes
    return rows
