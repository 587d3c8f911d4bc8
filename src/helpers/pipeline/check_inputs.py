"""Check every input of the briefing before any notebook runs; one line on success, one on failure.

    python -m helpers.pipeline.check_inputs [--raw-dir data/raw] [--groups config/commodity_groups.yaml]
                                   [--claims config/claims.yaml]

In order: checksums of the vendored raw files against their sidecars, and every sidecar by the one
rule the later stages apply (helpers.sources.provenance.check_sidecar); every field of the three raw
CSVs (helpers.validation); the cross-row checks (export + import vs total on one page, year-to-date
not below its month); HS-level files under <raw-dir>/comtrade and <raw-dir>/gacc (checksums where a
sidecar records one); the commodity-group and claims configs.

Success prints `inputs ok: ...` with row counts (recoverable oddities such as dropped duplicate rows
are counted there and listed as `check-inputs: note: ...` lines) and exits 0. Any problem prints ONE
line `check-inputs: error: <file>, row N, column 'x': <what> (expected ...)` to stderr and exits 2.
An unexpected exception from a parser is turned into the same kind of line naming the file, so a
traceback is never the only explanation.
"""

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from ..core.errors import InputError, excerpt, run_main
from ..core.paths import PROJECT_ROOT, RAW_DIR, display_path, wire_files
from ..core.text import RAW_KINDS, raw_rows_count
from ..model.groups import hs_prefixes
from ..sections.data import load_customs
from ..sources.baci import LARGE_BACI_BYTES, baci_files, load_baci, read_baci, scan_baci
from ..sources.comtrade_scan import check_large_file
from ..sources.configs import load_claims, load_groups
from ..sources.fuel_monitor import fuel_files, read_fuel_monitor
from ..sources.hs_level import (
    comtrade_files,
    gacc_files,
    is_large,
    load_hs_level,
    read_hs_file,
)
from ..sources.partners import UnknownPartnerError, resolve_partner
from ..sources.provenance import (
    VENDORED_FILES,
    distinct_contents,
    forget_removed_hand_files,
    raw_sources,
    verify_raw_file,
    write_hand_sidecar,
)
from ..sources.raw_guard import check_location, check_raw_file, project_of
from ..sources.schema import relative_to_raw
from ..sources.wire import CONTEXT_FILE as CONTEXT
from ..sources.wire import load_commodities, load_context, load_totals

PROG = "check-inputs"
HAND_NOTES = 5  # more files registered at once are noted in one line


def _step(file, action, *args, **kwargs):
    """Run one check; an exception that is not an InputError becomes one naming `file`."""
    try:
        return action(*args, **kwargs)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure must still name the file
        text = " ".join(str(error).split())
        for local in {
            os.path.abspath(file),
            os.path.realpath(file),
            str(PROJECT_ROOT),
        }:  # no local paths
            text = text.replace(
                str(local), display_path(file) if local != str(PROJECT_ROOT) else "."
            )
        detail = excerpt(text, 160) if text else "no detail"
        raise InputError(
            f"could not be read: {type(error).__name__}: {detail}",
            file=file,
            expected="a file in the format README.md describes",
        ) from error


def _hs_level(raw_dir: Path, partner: str, prefixes: list[str]):
    """Every HS-level file checked and read as the build reads it; large Comtrade files validated in DuckDB
    (bounded memory), never row by row in Python. Returns (rows, files, notes)."""
    comtrade, gacc = comtrade_files(raw_dir / "comtrade"), gacc_files(raw_dir / "gacc")
    root = project_of(raw_dir)
    notes, records = [], {}
    for path in comtrade + gacc:
        _step(path, check_location, path, root)
    for path in distinct_contents(comtrade):  # a byte-identical copy is checked (and read) once
        if is_large(path):
            _step(path, check_raw_file, path, "comtrade_csv", root)
            counts = _step(
                path, check_large_file, path, None, resolve_partner(partner).comtrade_code
            )
            records[path] = counts["rows"]
            notes.append(
                f"{path.name}: {counts['rows']:,} rows checked in DuckDB (large file); "
                f"{counts['breakdown_rows']:,} breakdown and {counts['subflow_rows']:,} sub-flow rows skipped; "
                f"{counts['other_partner_rows']:,} total rows of other partners than {partner} left out"
            )
    try:
        rows = load_hs_level(raw_dir, partner=partner, hs_prefixes=prefixes)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - find the file and report it in one line
        for path, source in [(p, "comtrade") for p in comtrade] + [(p, "gacc") for p in gacc]:
            _step(path, read_hs_file, path, source, partner, prefixes, root=root)
        raise
    for info in rows.attrs.get(
        "files", []
    ):  # a large file's sidecar records its records, not the scan's cells
        info["rows"] = records.get(info["path"], info["rows"])
    return rows, len(comtrade) + len(gacc), notes


def _raw_rows(raw_dir: Path) -> tuple[dict, list[str]]:
    """BACI and fuel-monitor files: checksum (fuel files must have a sidecar), then every field.
    Returns ({'fuel': (files, rows), 'BACI': (files, rows)}, notes)."""
    fuel_rows, fuel_count, notes = 0, 0, []
    for path in fuel_files(raw_dir / "fuel"):
        _step(path, verify_raw_file, path)
        fuel_rows += len(_step(path, read_fuel_monitor, path))
        fuel_count += 1
    baci_count = 0
    for path in baci_files(raw_dir / "baci"):
        if not Path(str(path) + ".meta.json").exists():
            notes.append(f"{path.name}: no sidecar, added by hand: read, but no checksum to verify")
        reader = scan_baci if path.stat().st_size > LARGE_BACI_BYTES else read_baci
        _step(path, reader, path)
        baci_count += 1
    baci = _step(raw_dir / "baci", load_baci, raw_dir)
    return (
        {RAW_KINDS[1]: (fuel_count, fuel_rows), RAW_KINDS[2]: (baci_count, len(baci))},
        notes + baci.attrs.get("notes", []),
    )


def register_hand_dropped(files: list[dict], today: str | None = None) -> list[str]:
    """Write the "added by hand" sidecar of every HS-level file that has none (after it was read cleanly)."""
    today = today or dt.date.today().isoformat()
    notes = []
    for info in files:
        if info["hand_dropped"]:
            meta = write_hand_sidecar(info["path"], info["rows"], today)
            notes.append(
                f"{relative_to_raw(info['path'])}: added by hand; sidecar written "
                f"(sha256 {meta['sha256'][:12]}…, {meta['rows']} rows, first seen {today})"
            )
    if len(notes) > HAND_NOTES:  # 2,000 files dropped at once: one line, not 2,000
        names = [relative_to_raw(i["path"]) for i in files if i["hand_dropped"]]
        notes = [
            f"{len(names):,} files added by hand ({names[0]} … {names[-1]}): a sidecar written for "
            f"each, recording its sha256 and rows (first seen {today})"
        ]
    return notes


def check_inputs(
    raw_dir: Path, groups_file, claims_file, partner: str = "RU", register: bool = True
) -> dict:
    """All checks; returns counts and notes for the summary line. Raises InputError on any problem.

    register: write the "added by hand" sidecar of HS-level files that have none (make report does).
    """
    raw_dir = Path(raw_dir)
    forgotten = forget_removed_hand_files(raw_dir) if register else []
    for name in VENDORED_FILES:
        if (raw_dir / name).exists():  # a missing file is reported by verify_raw_file
            _step(raw_dir / name, check_location, raw_dir / name, project_of(raw_dir))
        _step(raw_dir / name, verify_raw_file, raw_dir / name)
    # every sidecar by the rule the sources section applies later (sources.provenance.check_sidecar)
    _step(raw_dir, raw_sources, raw_dir)
    context = _step(raw_dir / CONTEXT, load_context, raw_dir / CONTEXT, verify=False)
    groups = _step(groups_file, load_groups, groups_file)
    claims = _step(claims_file, load_claims, claims_file, groups)
    prefixes = sorted({code for group in groups.values() for code in hs_prefixes(group)})
    try:
        partner = resolve_partner(partner).iso2
    except UnknownPartnerError as error:
        raise InputError(
            f"partner {excerpt(partner, 30)} is unknown",
            expected="a country of ISO 3166-1 or config/partners.csv (ISO2, ISO3, M49 or name)",
        ) from error
    totals, commodities = (raw_dir / name for name in wire_files(partner))
    # Each file on its own first, so an unexpected failure names the right file ...
    _step(totals, load_totals, totals, verify=False, partner=partner)
    _step(commodities, load_commodities, commodities, verify=False, partner=partner)
    # ... then the dataset the notebooks use, with the cross-row checks.
    customs = _step(totals, load_customs, raw_dir, partner)
    hs_rows, hs_files, scan_notes = _hs_level(raw_dir, partner, prefixes)
    notes = [q for q in customs.quality] + [{"check": note} for note in forgotten]
    raw_parts, raw_notes = _raw_rows(raw_dir)
    notes += [{"check": note} for note in scan_notes + hs_rows.attrs.get("notes", []) + raw_notes]
    if register:
        notes += [{"check": note} for note in register_hand_dropped(hs_rows.attrs.get("files", []))]
    return {
        "totals": len(customs.totals),
        "commodities": len(customs.commodities),
        "context": len(context),
        "raw_rows": {RAW_KINDS[0]: (hs_files, len(hs_rows)), **raw_parts},
        "groups": len(groups),
        "claims": len(claims),
        "conflicts": len(customs.conflicts),
        "notes": notes,
    }


def _note_text(note: dict) -> str:
    where = ", ".join(
        str(x)
        for x in (
            note.get("source_file"),
            f"row {note['source_row']}" if note.get("source_row") else None,
        )
        if x
    )
    detail = f" ({note['detail']})" if note.get("detail") else ""
    return f"{where}: {note['check']}{detail}" if where else f"{note['check']}{detail}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--raw-dir", type=Path, default=None, help="raw data directory (default data/raw)"
    )
    parser.add_argument("--groups", default="config/commodity_groups.yaml")
    parser.add_argument("--claims", default="config/claims.yaml")
    parser.add_argument(
        "--partner",
        default=os.environ.get("PARTNER") or "RU",
        help="the briefing's partner: HS-level files are filtered to it (default $PARTNER or RU)",
    )
    args = parser.parse_args(argv)
    try:
        summary = check_inputs(args.raw_dir or RAW_DIR, args.groups, args.claims, args.partner)
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    for note in summary["notes"]:
        print(f"{PROG}: note: {_note_text(note)}")
    print(
        f"inputs ok: totals {summary['totals']} rows, commodities {summary['commodities']} rows, "
        f"context {summary['context']} rows, {raw_rows_count(summary['raw_rows'])}, {summary['groups']} groups, "
        f"{summary['claims']} claims; "
        f"{summary['conflicts']} outlet disagreements on total trade kept for the conflicts table; "
        f"{len(summary['notes'])} notes"
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_main("check-inputs", main))
