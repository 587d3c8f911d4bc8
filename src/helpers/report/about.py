"""The "About this briefing" data: sources from the raw files' sidecars, checksums re-verified."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..core.errors import InputError
from ..core.json_file import read_json_object
from ..sources.provenance import verify_raw_file
from .blocks import RenderError


def latest_values(csv_path: Path) -> tuple[str | None, str | None]:
    """Latest `published_date` (YYYY-MM-DD) and latest monthly `period` (YYYY-MM) in a file."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dates = [r.get("published_date") or "" for r in rows]
    dates = [d for d in dates if re.match(r"^\d{4}-\d{2}-\d{2}$", d)]
    periods = [p for r in rows if re.match(r"^\d{4}-\d{2}$", p := r.get("period") or "")]
    return (max(dates) if dates else None), (max(periods) if periods else None)


def about_from_sidecars(raw_dir: Path) -> dict:
    """Data sources from `data/raw/*.meta.json`, checksums re-computed from the files."""
    sources, dates, periods = [], [], []
    for meta_path in sorted(Path(raw_dir).glob("*.meta.json")):
        try:
            data_path = meta_path.parent / str(read_json_object(meta_path).get("file") or "")
            sources.append(verify_raw_file(data_path))
        except InputError as error:
            raise RenderError(str(error)) from None
        date, period = latest_values(data_path)
        dates += [date] if date else []
        periods += [period] if period else []
    # Real customs rows and fetched snapshots (data/raw/<source>/x.csv + x.csv.meta.json): listed as sources too.
    for meta_path in sorted(Path(raw_dir).glob("*/*.meta.json")):
        try:
            sources.append(verify_raw_file(Path(str(meta_path)[: -len(".meta.json")])))
        except InputError as error:
            raise RenderError(str(error)) from None
    vintage = f"latest release in the data published {max(dates)}" if dates else ""
    if periods:
        vintage += f", covering wire-reported months up to {max(periods)} (raw customs rows: see each file below)"
    return {"sources": sources, "data_vintage": vintage}
