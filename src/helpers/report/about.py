"""The "About this briefing" data: sources from the raw files' sidecars, checksums re-verified."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from markupsafe import Markup

from ..core.errors import InputError
from ..sources.provenance import distinct_contents, raw_sources
from .blocks import RenderError


def latest_values(csv_path: Path) -> tuple[str | None, str | None]:
    """Latest `published_date` (YYYY-MM-DD) and latest monthly `period` (YYYY-MM) in a file."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dates = [r.get("published_date") or "" for r in rows]
    dates = [d for d in dates if re.match(r"^\d{4}-\d{2}-\d{2}$", d)]
    periods = [p for r in rows if re.match(r"^\d{4}-\d{2}$", p := r.get("period") or "")]
    return (max(dates) if dates else None), (max(periods) if periods else None)


SOURCES_SHOWN = 12  # rows of the sources table; every file is in tables/t-sources.csv
SOURCES_CSV = "tables/t-sources.csv"


def _file_row(path: Path, raw_dir: Path, meta: dict, kept: Path | None) -> dict:
    """One row of SOURCES_CSV; its keys, in order, are the CSV's columns."""
    return {
        "file": path.relative_to(raw_dir).as_posix(),
        "sha256": meta["sha256"],
        "rows": meta.get("rows", ""),
        "origin": "added by hand"
        if meta.get("origin") == "added by hand"
        else "vendored or fetched",
        "same_content_as": kept.relative_to(raw_dir).as_posix() if kept else "",
        "title": meta.get("title") or meta.get("description") or "",
        "publisher": meta.get("publishers") or meta.get("publisher") or "",
        "accessed": meta.get("date_accessed") or meta.get("accessed") or "",
    }


def about_from_sidecars(raw_dir: Path) -> dict:
    """Data sources from the sidecars of data/raw (sources.provenance.raw_sources: the rule the input
    check applied), checksums re-computed from the files.

    The table stays short however many files there are: one row per distinct content (byte-identical
    files are one source, cited from the vendored or fetched file before a copy added by hand), at most
    SOURCES_SHOWN rows, vendored and fetched files first; `files` lists every file for SOURCES_CSV."""
    raw_dir = Path(raw_dir)
    try:
        found = raw_sources(raw_dir)
    except InputError as error:
        raise RenderError(str(error)) from None
    dates, periods = [], []
    for data_path, _ in found:
        if data_path.parent == raw_dir:  # the wire-compiled CSVs: their latest release and month
            date, period = latest_values(data_path)
            dates += [date] if date else []
            periods += [period] if period else []
    vintage = f"latest release in the data published {max(dates)}" if dates else ""
    if periods:
        vintage += f", covering wire-reported months up to {max(periods)} (raw customs rows: see each file below)"
    # one source per content: the vendored or fetched file before a copy added by hand, then the
    # shorter name; sources in the listing's order, vendored and fetched first
    meta_of = dict(found)
    hand = {path: meta.get("origin") == "added by hand" for path, meta in found}
    order = {path: n for n, (path, _) in enumerate(found)}
    kept = distinct_contents(
        list(meta_of), digest=lambda p: meta_of[p]["sha256"], rank=lambda p: int(hand[p])
    )
    distinct = [[path, *copies] for path, copies in kept.items()]
    distinct.sort(key=lambda same: (hand[same[0]], order[same[0]]))
    files = [_file_row(same[0], raw_dir, meta_of[same[0]], None) for same in distinct]
    files += [
        _file_row(path, raw_dir, meta_of[path], same[0]) for same in distinct for path in same[1:]
    ]
    notes = []
    if len(found) > len(distinct) or len(distinct) > SOURCES_SHOWN:
        copies = len(found) - len(distinct)
        shown = min(len(distinct), SOURCES_SHOWN)
        notes.append(
            Markup(
                "{files:,} raw files, {distinct:,} distinct contents{copies}; the table shows {shown}. "
                'Every file, with its sha256 and origin: <a href="{csv}" data-csv="{csv}">{csv}</a>.'
            ).format(
                files=len(found),
                distinct=len(distinct),
                copies=f" ({copies:,} byte-identical copies counted once)" if copies else "",
                shown=shown,
                csv=SOURCES_CSV,
            )
        )
    return {
        "sources": [meta_of[same[0]] for same in distinct[:SOURCES_SHOWN]],
        "data_vintage": vintage,
        "notes": notes,
        "files": files,
    }


def write_sources_csv(files: list[dict], tables_dir: Path) -> Path:
    """Every raw file of the build (about_from_sidecars' `files`) as tables/t-sources.csv."""
    path = Path(tables_dir) / Path(SOURCES_CSV).name
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(files[0]))
        writer.writeheader()
        writer.writerows(files)
    return path
