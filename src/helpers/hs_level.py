"""HS-level raw files (Comtrade snapshots, GACC query-platform exports, GACC English tables) as one
tidy observation table (docs/ARCHITECTURE.md), plus a coverage check for a set of months."""
import logging
from pathlib import Path

import pandas as pd

from .paths import RAW_DIR

log = logging.getLogger(__name__)

# Same columns as helpers.observations.TIDY_COLUMNS (the contract in docs/ARCHITECTURE.md).
TIDY_COLUMNS = ["reporter", "partner", "flow", "period", "span", "commodity", "hs_code", "hs_version",
                "measure", "unit", "value", "yoy_pct", "currency_note", "source_file", "source_row",
                "source_url", "publisher", "published_date", "quote"]
FLOAT_COLUMNS = ("value", "yoy_pct")


def tidy_frame(records: list[dict]) -> pd.DataFrame:
    """Records -> DataFrame with exactly the contract's columns and dtypes (missing text -> '')."""
    frame = pd.DataFrame.from_records(records, columns=TIDY_COLUMNS)
    for column in TIDY_COLUMNS:
        if column in FLOAT_COLUMNS:
            frame[column] = pd.to_numeric(frame[column]).astype("float64")
        elif column == "source_row":
            frame[column] = frame[column].fillna(0).astype("int64")
        else:
            frame[column] = frame[column].fillna("").astype(str)
    return frame


def empty_tidy() -> pd.DataFrame:
    return tidy_frame([])


def relative_to_raw(path: Path) -> str:
    """source_file is recorded relative to the project (data/raw/...) when possible."""
    parts = Path(path).resolve().parts
    for i in range(len(parts) - 1):
        if parts[i] == "data" and parts[i + 1] == "raw":
            return "/".join(parts[i:])
    return str(path)


def _comtrade_files(directory: Path) -> list[Path]:
    files = sorted(p for p in directory.glob("*") if p.suffix in (".csv", ".json")
                   and not p.name.endswith(".meta.json") and not p.name.startswith("."))
    complete = []
    for path in files:
        if Path(str(path) + ".meta.json").exists():
            complete.append(path)
        else:  # a fetch interrupted between data and sidecar rename; never read unverified data
            log.warning("skipping %s: no sidecar %s.meta.json (incomplete fetch?)", path, path.name)
    return complete


def _gacc_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*") if p.suffix.lower() in (".csv", ".xlsx", ".html", ".htm")
                  and not p.name.startswith("."))


def load_hs_level(raw_dir=RAW_DIR) -> pd.DataFrame:
    """All HS-level raw files under raw_dir/comtrade and raw_dir/gacc, in the tidy contract."""
    from .comtrade import read_comtrade_records
    from .gacc_exports import read_gacc_english_table, read_gacc_export

    raw_dir = Path(raw_dir)
    frames = [read_comtrade_records(p) for p in _comtrade_files(raw_dir / "comtrade")]
    for path in _gacc_files(raw_dir / "gacc"):
        reader = read_gacc_english_table if path.suffix.lower() in (".html", ".htm") else read_gacc_export
        frames.append(reader(path))
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_tidy()
    return pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]


def coverage(df: pd.DataFrame, partner: str, flow: str, periods) -> dict:
    """Which of `periods` (YYYY-MM) have monthly HS-level rows for partner/flow.

    Returns {'complete': bool, 'covered': [...], 'missing': [...]}; 'TOTAL'-only rows do not count.
    """
    periods = sorted(set(periods))
    rows = df[(df.partner == partner) & (df.flow == flow) & (df.span == "month")
              & (df.hs_code != "") & (df.measure == "value")]
    present = set(rows.period)
    covered = [p for p in periods if p in present]
    missing = [p for p in periods if p not in present]
    return {"complete": not missing, "covered": covered, "missing": missing}
