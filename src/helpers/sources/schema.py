"""The tidy observation table: one row per number, from any raw source (docs/ARCHITECTURE.md).

Every reader (wire CSVs, Comtrade, GACC exports, BACI) returns exactly these columns and dtypes.
"""

from pathlib import Path

import pandas as pd

from ..core.paths import display_path

TIDY_COLUMNS = (
    "reporter partner flow period span commodity hs_code hs_version measure unit value yoy_pct "
    "currency_note source_file source_row source_url publisher published_date quote"
).split()
FLOAT_COLUMNS = ("value", "yoy_pct")


def tidy_frame(records: list[dict], **same) -> pd.DataFrame:
    """Records, and the columns `same` on every row, -> exactly the contract's columns and dtypes (a
    column given by neither: '' for text, NaN for numbers)."""
    frame = pd.DataFrame.from_records(records, columns=TIDY_COLUMNS).assign(**same)
    return tidy_columns(frame)


def tidy_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame holding the contract's columns (vectorised readers) -> exactly those columns and dtypes."""
    frame = frame.reindex(columns=TIDY_COLUMNS).reset_index(drop=True)
    for column in TIDY_COLUMNS:
        if column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        elif column == "source_row":
            frame[column] = frame[column].fillna(0).astype("int64")
        else:
            frame[column] = frame[column].astype(object).fillna("").astype(str)
    return frame


def relative_to_raw(path: Path) -> str:
    """source_file as the briefing shows it: data/raw/... (never an absolute local path, and never the
    target of a symlink: helpers.core.paths.display_path)."""
    return display_path(path)
