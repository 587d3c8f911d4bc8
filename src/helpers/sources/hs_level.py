"""HS-level raw files (Comtrade snapshots, GACC query-platform exports, GACC English tables) as one
tidy observation table (docs/ARCHITECTURE.md), plus a coverage check for a set of months."""
import json
import logging
from pathlib import Path

import pandas as pd

from ..core.paths import RAW_DIR
from .comtrade import HS_VERSIONS, read_comtrade_records
from .gacc_exports import read_gacc_english_table, read_gacc_export
from .hs_scan import partner_code_sums
from .partners import resolve_partner
from .provenance import sidecar_of
from .schema import TIDY_COLUMNS, empty_tidy, relative_to_raw, tidy_frame

log = logging.getLogger(__name__)

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


# Above this size a Comtrade CSV is scanned by DuckDB (helpers.hs_store) for just the partner and the
# groups' codes instead of being read row by row into pandas (China's full monthly data is ~10M rows/year).
LARGE_CSV_BYTES = 50_000_000


def load_hs_level(raw_dir=RAW_DIR, partner=None, hs_prefixes=None, large_csv_bytes=LARGE_CSV_BYTES) -> pd.DataFrame:
    """All HS-level raw files under raw_dir/comtrade and raw_dir/gacc, in the tidy contract.

    With `partner` (ISO2) and `hs_prefixes` given, large Comtrade CSVs take the columnar path and only
    that partner's rows for those codes come back; small files are read in full as before.
    """
    raw_dir = Path(raw_dir)
    frames = []
    for path in _comtrade_files(raw_dir / "comtrade"):
        large = path.suffix == ".csv" and path.stat().st_size > large_csv_bytes
        if large and partner and hs_prefixes:
            frames.append(comtrade_code_sums(path, partner, hs_prefixes))
        else:
            frames.append(read_comtrade_records(path))
    for path in _gacc_files(raw_dir / "gacc"):
        reader = read_gacc_english_table if path.suffix.lower() in (".html", ".htm") else read_gacc_export
        frames.append(reader(path))
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty_tidy()
    return pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]


def comtrade_code_sums(path: Path, partner: str, hs_prefixes) -> pd.DataFrame:
    """Tidy monthly rows per HS code for one partner from a large Comtrade CSV, aggregated in DuckDB."""
    found = resolve_partner(partner)
    sums = partner_code_sums(path, int(found.comtrade_code), hs_prefixes)
    meta = json.loads(sidecar_of(path).read_text(encoding="utf-8")) if sidecar_of(path).exists() else {}
    source_file = relative_to_raw(path)
    records = [{
        "reporter": "CN", "partner": found.iso2, "flow": "export" if row.flowCode == "X" else "import",
        "period": f"{int(row.period) // 100:04d}-{int(row.period) % 100:02d}", "span": "month",
        "commodity": f"HS {row.cmdCode}", "hs_code": row.cmdCode,
        "hs_version": HS_VERSIONS.get(row.classificationCode or "", ""), "measure": "value", "unit": "usd_mn",
        "value": row.value_usd_mn, "yoy_pct": None, "currency_note": "usd", "source_file": source_file,
        "source_row": 0, "source_url": meta.get("endpoint", "") or source_file, "publisher": "UN Comtrade",
        "published_date": (meta.get("retrieved_at") or "")[:10],
        "quote": f"sum of {int(row.rows)} records (DuckDB scan)"} for row in sums.itertuples()]
    return tidy_frame(records)


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
