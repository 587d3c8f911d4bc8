"""The "About this briefing" data: sources from the raw files' sidecars, checksums re-verified."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from ..core.errors import InputError
from ..sources.provenance import raw_sources
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
    """Data sources from the sidecars of data/raw (sources.provenance.raw_sources: the rule the input
    check applied), checksums re-computed from the files."""
    try:
        found = raw_sources(raw_dir)
    except InputError as error:
        raise RenderError(str(error)) from None
    dates, periods = [], []
    for data_path, _ in found:
        if data_path.parent == Path(
            raw_dir
        ):  # the wire-compiled CSVs: their latest release and month
            date, period = latest_values(data_path)
            dates += [date] if date else []
            periods += [period] if period else []
    vintage = f"latest release in the data published {max(dates)}" if dates else ""
    if periods:
        vintage += f", covering wire-reported months up to {max(periods)} (raw customs rows: see each file below)"
    return {"sources": [meta for _, meta in found], "data_vintage": vintage}
