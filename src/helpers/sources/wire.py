"""Load the vendored raw files into one tidy table of published observations.

One row per number a page published; see docs/ARCHITECTURE.md for the columns. Checksums are
verified before reading, every field is validated (helpers.validation) and exact duplicate rows are
dropped and reported rather than silently kept twice.
"""

from pathlib import Path

import pandas as pd

from ..core.paths import RAW_DIR, wire_files
from .provenance import verify_raw_file
from .schema import TIDY_COLUMNS
from .validation import COMMODITIES_SCHEMA, CONTEXT_SCHEMA, TOTALS_SCHEMA, validate_table

TOTAL = "TOTAL"
TOTALS_FILE, COMMODITIES_FILE = wire_files("RU")  # the vendored partner; others: wire_files(iso2)
CONTEXT_FILE = "context_facts.csv"


def _relative(path: Path) -> str:
    path = Path(path)
    return f"data/raw/{path.name}" if path.parent.name == "raw" else str(path)


def _drop_exact_duplicates(frame: pd.DataFrame, source_file: str, quality: list) -> pd.DataFrame:
    content = [c for c in frame.columns if c != "source_row"]
    duplicated = frame.duplicated(subset=content, keep="first")
    for row in frame.loc[duplicated].itertuples():
        quality.append(
            {
                "check": "exact duplicate row dropped",
                "source_file": source_file,
                "source_row": row.source_row,
                "detail": f"{row.period} {row.span} {row.flow}",
            }
        )
    return frame.loc[~duplicated]


def _tidy(path, schema, quality, verify, partner, **columns) -> pd.DataFrame:
    """Checksum, validation and duplicate removal shared by both customs files, then the tidy rows:
    China's customs with `partner`, the file's columns and `columns` (computed or constant)."""
    quality = [] if quality is None else quality
    if verify:
        verify_raw_file(path)
    frame, notes = validate_table(path, schema)
    source_file = _relative(path)
    quality.extend({"check": note, "source_file": source_file} for note in notes)
    frame = _drop_exact_duplicates(frame, source_file, quality)
    tidy = frame.assign(reporter="CN", partner=partner, hs_version="", source_file=source_file)
    return tidy.assign(**columns)[TIDY_COLUMNS].reset_index(drop=True)


def load_totals(
    path: Path = RAW_DIR / TOTALS_FILE,
    quality: list | None = None,
    verify: bool = True,
    partner: str = "RU",
) -> pd.DataFrame:
    """One partner's wire-reported totals (`partner`: the ISO2 the file is about)."""
    return _tidy(
        path,
        TOTALS_SCHEMA,
        quality,
        verify,
        partner,
        commodity=TOTAL,
        hs_code="",
        measure="value",
        unit="usd_mn",
        value=lambda frame: frame.value_usd_mn,
    )


def load_commodities(
    path: Path = RAW_DIR / COMMODITIES_FILE,
    quality: list | None = None,
    verify: bool = True,
    partner: str = "RU",
) -> pd.DataFrame:
    def currency(unit: str) -> str:
        return "usd" if unit == "usd_mn" else ("cny" if "CNY" in unit else "")

    return _tidy(
        path,
        COMMODITIES_SCHEMA,
        quality,
        verify,
        partner,
        currency_note=lambda frame: frame.unit.map(currency),
    )


def load_context(path: Path = RAW_DIR / CONTEXT_FILE, verify: bool = True) -> pd.DataFrame:
    """Context facts keep their own columns; `value_number` is NaN where the value is a phrase."""
    if verify:
        verify_raw_file(path)
    frame, _ = validate_table(path, CONTEXT_SCHEMA)
    frame["source_file"] = _relative(path)
    return frame.reset_index(drop=True)
