"""HS-level raw files (Comtrade API/bulk files, GACC query-platform exports, GACC English tables) as one
tidy observation table (docs/ARCHITECTURE.md).

Every file found is read -- none is skipped; byte-identical copies are read once. A file without a sidecar was added by hand: it is read
like the others and flagged (`hand_dropped`); `make report`'s input check then writes a sidecar marked
"added by hand" recording its sha256, rows and the day it was first seen (helpers.pipeline.check_inputs).
Before any reader runs, helpers.sources.raw_guard refuses symlinks leaving the project, binary files and
files too large for their format; large Comtrade text files go to the DuckDB scan instead of pandas.
"""

import logging
from pathlib import Path

import pandas as pd

from ..core.paths import RAW_DIR
from . import comtrade_scan
from .comtrade import UNKNOWN_EDITION, hs_edition, read_comtrade_records
from .gacc_exports import read_gacc_export
from .gacc_table import read_gacc_english_table
from .hs_dedupe import drop_duplicates
from .partners import resolve_partner
from .provenance import (
    distinct_contents,
    provenance_rank,
    read_hs_sidecar,
    retrieved_date,
    sidecar_of,
)
from .raw_guard import check_raw_file, project_of
from .schema import TIDY_COLUMNS, relative_to_raw, tidy_frame
from .text_rows import raw_files

log = logging.getLogger(__name__)

COMTRADE_SUFFIXES = (".csv", ".json", ".txt", ".txt.gz", ".tsv", ".tsv.gz", ".csv.gz")
GACC_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".html", ".htm")
# Above this size a Comtrade text file is scanned by DuckDB (helpers.sources.comtrade_scan) for just the
# partner and the groups' codes instead of being read row by row (China's full monthly data is ~10M rows/year).
LARGE_CSV_BYTES = 50_000_000


def comtrade_files(directory: Path) -> list[Path]:
    return raw_files(directory, COMTRADE_SUFFIXES)


def gacc_files(directory: Path) -> list[Path]:
    return raw_files(directory, GACC_SUFFIXES)


def hand_dropped(path: Path) -> bool:
    """No sidecar: the user put the file there (fetched snapshots always get one)."""
    return not sidecar_of(path).exists()


def guard_kind(path: Path, source: str) -> str:
    name = path.name.lower()
    if source == "comtrade":
        return "comtrade_json" if name.endswith(".json") else "comtrade_csv"
    if name.endswith((".html", ".htm")):
        return "gacc_html"
    return "gacc_xlsx" if name.endswith((".xlsx", ".xlsm", ".xls")) else "gacc_csv"


def is_large(path: Path, large_csv_bytes: int | None = None) -> bool:
    limit = LARGE_CSV_BYTES if large_csv_bytes is None else large_csv_bytes
    return not path.name.lower().endswith(".json") and path.stat().st_size > limit


def read_hs_file(
    path: Path,
    source: str,
    partner=None,
    hs_prefixes=None,
    large_csv_bytes=None,
    root=None,
    inspect: bool = False,
) -> pd.DataFrame:
    """One HS-level file with the adapter the build uses (source: 'comtrade' or 'gacc').

    partner (ISO2): keep that partner's rows, the rest noted. inspect=True reads without filtering,
    names unknown partners instead of stopping, and flags (instead of refusing) a GACC file at the cap.
    """
    path = Path(path)
    check_raw_file(path, guard_kind(path, source), root or project_of(path.parent.parent))
    if source == "comtrade":
        if (
            is_large(path, large_csv_bytes) and partner
        ):  # never read whole: DuckDB keeps the partner's rows
            frame = comtrade_code_sums(path, partner, hs_prefixes or [])
        else:
            frame = read_comtrade_records(path, partner=partner, flag_cut_row=inspect)
    elif path.name.lower().endswith((".html", ".htm")):
        frame = read_gacc_english_table(path, partner=partner or "RU")
        frame.attrs.update(
            adapter="gacc_english_table", currency="USD", notes=[], skipped=[], rows=len(frame)
        )
    else:
        frame = read_gacc_export(
            path,
            only_partner=partner,
            allow_capped=inspect,
            name_unknown_partners=inspect,
            flag_cut_row=inspect,
        )
    if hand_dropped(path):
        frame.attrs["notes"] = frame.attrs.get("notes", []) + [
            f"{relative_to_raw(path)}: added by hand (no sidecar); read like the other files, and `make report` "
            "records its sha256 in a generated sidecar marked 'added by hand'"
        ]
    elif (meta := read_hs_sidecar(path)).get("origin") == "added by hand":
        frame.attrs["notes"] = frame.attrs.get("notes", []) + [
            f"{relative_to_raw(path)}: added by hand (first seen {meta.get('first_seen', '?')}, sha256 "
            f"{str(meta.get('sha256', ''))[:12]}… recorded in its sidecar)"
        ]
    return frame


class FilesRead(tuple):
    """attrs['files'] of a load: one record per file. pandas deep-copies a frame's attrs on every
    operation, and a list of 2,000 records made each one cost seconds; this tuple is shared instead."""

    def __deepcopy__(self, memo):
        return self


def _names(paths: list[Path], limit: int = 3) -> str:
    names = [p.name for p in paths]
    return ", ".join(names) if len(names) <= limit else f"{names[0]} … {names[-1]}"


def copies_notes(kept: dict[Path, list[Path]]) -> list[str]:
    """One note for byte-identical files: how many files, how many contents, which copies."""
    groups = [
        f"{relative_to_raw(path)} and {len(copies):,} byte-identical "
        f"cop{'y' if len(copies) == 1 else 'ies'} ({_names(copies)})"
        for path, copies in kept.items()
        if copies
    ]
    if not groups:
        return []
    files = len(kept) + sum(len(c) for c in kept.values())
    plural = "" if len(kept) == 1 else "s"
    return [
        f"{files:,} HS-level files, {len(kept):,} distinct content{plural}: "
        + "; ".join(groups)
        + ", each content read once and counted once"
    ]


def load_hs_level(
    raw_dir=RAW_DIR, partner=None, hs_prefixes=None, large_csv_bytes=None
) -> pd.DataFrame:
    """All HS-level raw files under raw_dir/comtrade and raw_dir/gacc, in the tidy contract, each
    observation once (helpers.sources.hs_dedupe). attrs['notes'] lists what was skipped, dropped or flagged.

    Byte-identical files are read once (distinct_contents): 2,000 copies of one file cost one read.
    With `partner` (ISO2) only that partner's rows come back (others noted), and large Comtrade files take
    the DuckDB path (all-goods TOTAL rows plus the `hs_prefixes` codes). Without a partner, large files are
    read whole (slow): the build always passes one.
    """
    raw_dir = Path(raw_dir)
    root = project_of(raw_dir)
    frames, read = [], []
    sources = {p: "comtrade" for p in comtrade_files(raw_dir / "comtrade")}
    sources.update({p: "gacc" for p in gacc_files(raw_dir / "gacc")})
    kept = distinct_contents(list(sources))
    notes = copies_notes(kept)
    for path, copies in kept.items():
        frame = read_hs_file(path, sources[path], partner, hs_prefixes, large_csv_bytes, root)
        notes += frame.attrs.get("notes", [])
        for each in [path] + copies:
            read.append(
                {
                    "path": each,
                    "source": sources[each],
                    "rows": frame.attrs.get("rows", len(frame)),
                    "hand_dropped": hand_dropped(each),
                    "adapter": frame.attrs.get("adapter", sources[each]),
                    "copy_of": path if each != path else None,
                }
            )
        frames.append(frame)
    frames = [f for f in frames if len(f)]
    if not frames:
        result = tidy_frame([])
        result.attrs.update(notes=notes, files=FilesRead(read))
        return result
    combined = pd.concat(frames, ignore_index=True)[TIDY_COLUMNS]
    ranks = {relative_to_raw(p): provenance_rank(p) for p in kept}
    combined, duplicate_notes = drop_duplicates(combined, ranks)
    combined = combined.reset_index(drop=True)
    combined.attrs.update(notes=notes + duplicate_notes, files=FilesRead(read))
    return combined


def comtrade_code_sums(path: Path, partner: str, hs_prefixes) -> pd.DataFrame:
    """Tidy rows per HS code (and all-goods TOTAL rows) for one partner from a large Comtrade file, scanned by
    polars or DuckDB (helpers.sources.comtrade_scan.partner_code_sums; the quote names the engine)."""
    found = resolve_partner(partner)
    meta = read_hs_sidecar(path)  # its record count lets polars parse only the partner's lines
    sums, notes = comtrade_scan.partner_code_sums(
        path, int(found.comtrade_code), hs_prefixes, include_total=True, records=meta.get("rows")
    )
    scan = {"polars": "polars scan", "duckdb": "DuckDB scan"}[sums.attrs["engine"]]
    unknown = sums.classificationCode.fillna("").map(hs_edition).isna()
    notes += [
        f"{path.name}: {int(cells.rows.sum())} row(s) with " + UNKNOWN_EDITION.format(code)
        for code, cells in sums.loc[unknown].groupby("classificationCode")
    ]
    sums = sums.loc[~unknown]
    source_file = relative_to_raw(path)
    records = [
        {
            "flow": "export" if row.flowCode == "X" else "import",
            "period": row.period,
            "span": row.span,
            "commodity": "TOTAL" if row.cmdCode == "TOTAL" else f"HS {row.cmdCode}",
            "hs_code": "" if row.cmdCode == "TOTAL" else row.cmdCode,
            "hs_version": hs_edition(row.classificationCode or ""),
            "value": row.value_usd_mn,
            "quote": f"total row of a {int(row.rows)}-line cell ({scan})" if row.rows > 1 else scan,
        }
        for row in sums.itertuples()
    ]
    frame = tidy_frame(
        records,
        reporter="CN",
        partner=found.iso2,
        measure="value",
        unit="usd_mn",
        currency_note="usd",
        source_file=source_file,
        source_url=meta.get("endpoint", "") or source_file,
        publisher="UN Comtrade",
        published_date=retrieved_date(meta),
    )
    frame.attrs.update(
        notes=notes, skipped=[], adapter=f"comtrade_{sums.attrs['engine']}_scan", currency="USD"
    )
    return frame
