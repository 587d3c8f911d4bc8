"""Check every input of the briefing before any notebook runs; one line on success, one on failure.

    python -m helpers.pipeline.check_inputs [--raw-dir data/raw] [--groups config/commodity_groups.yaml]
                                   [--claims config/claims.yaml]

In order: checksums of the vendored raw files against their sidecars; every field of the three raw
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
import json
import sys
from pathlib import Path

from ..core.errors import InputError
from ..core.paths import RAW_DIR, wire_files
from ..sections.data import load_customs_uncached
from ..sources.comtrade import read_comtrade_records
from ..sources.configs import load_claims, load_groups
from ..sources.gacc_exports import read_gacc_english_table, read_gacc_export
from ..sources.hs_level import _comtrade_files, _gacc_files, load_hs_level
from ..sources.provenance import VENDORED_FILES, sha256_of, verify_raw_file
from ..sources.parameters import partners_with_data
from ..sources.wire import CONTEXT_FILE as CONTEXT
from ..sources.wire import load_commodities, load_context, load_totals

PROG = "check-inputs"


def _step(file, action, *args, **kwargs):
    """Run one check; an exception that is not an InputError becomes one naming `file`."""
    try:
        return action(*args, **kwargs)
    except InputError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure must still name the file
        detail = " ".join(str(error).split()) or "no detail"
        raise InputError(f"could not be read: {type(error).__name__}: {detail}", file=file,
                         expected="a file in the format README.md describes") from error


def _verify_hs_sidecar(path: Path) -> None:
    """HS-level files: a sidecar is optional (hand-dropped GACC exports), but a recorded sha256 must match."""
    sidecar = Path(str(path) + ".meta.json")
    if not sidecar.exists():
        return
    try:
        recorded = json.loads(sidecar.read_text(encoding="utf-8")).get("sha256")
    except (ValueError, AttributeError) as error:
        raise InputError(f"sidecar is not a JSON object: {error}", file=sidecar) from None
    if recorded and recorded != sha256_of(path):
        raise InputError(f"checksum mismatch: file has sha256 {sha256_of(path)[:12]}…, sidecar records "
                         f"{recorded[:12]}… — restore the file or fetch it again", file=path)


def _hs_level(raw_dir: Path):
    """load_hs_level, but an unexpected failure is pinned to the file that caused it."""
    comtrade, gacc = _comtrade_files(raw_dir / "comtrade"), _gacc_files(raw_dir / "gacc")
    for path in comtrade + gacc:
        _step(path, _verify_hs_sidecar, path)
    try:
        return load_hs_level(raw_dir), len(comtrade) + len(gacc)
    except InputError:
        raise
    except Exception:  # noqa: BLE001 - find the file and report it in one line
        for path in comtrade:
            _step(path, read_comtrade_records, path)
        for path in gacc:
            reader = read_gacc_english_table if path.suffix.lower() in (".html", ".htm") else read_gacc_export
            _step(path, reader, path)
        raise


def check_inputs(raw_dir: Path, groups_file, claims_file) -> dict:
    """All checks; returns counts and notes for the summary line. Raises InputError on any problem."""
    raw_dir = Path(raw_dir)
    for name in VENDORED_FILES:
        _step(raw_dir / name, verify_raw_file, raw_dir / name)
    context = _step(raw_dir / CONTEXT, load_context, raw_dir / CONTEXT, verify=False)
    counts, notes = {"totals": 0, "commodities": 0, "conflicts": 0}, []
    for partner in sorted(partners_with_data(raw_dir)) or ["RU"]:  # every partner a build may choose
        totals, commodities = (raw_dir / name for name in wire_files(partner))
        # Each file on its own first, so an unexpected failure names the right file ...
        _step(totals, load_totals, totals, verify=False, partner=partner)
        _step(commodities, load_commodities, commodities, verify=False, partner=partner)
        # ... then the dataset the notebooks use, with the cross-row checks.
        customs = _step(totals, load_customs_uncached, raw_dir, partner)
        counts = {"totals": counts["totals"] + len(customs.totals), "conflicts": counts["conflicts"] + len(customs.conflicts),
                  "commodities": counts["commodities"] + len(customs.commodities)}
        notes += customs.quality
    hs_rows, hs_files = _hs_level(raw_dir)
    groups = _step(groups_file, load_groups, groups_file)
    claims = _step(claims_file, load_claims, claims_file, groups)
    notes += [{"check": note} for note in hs_rows.attrs.get("notes", [])]
    return {**counts, "context": len(context), "hs_rows": len(hs_rows), "hs_files": hs_files,
            "groups": len(groups), "claims": len(claims), "notes": notes}


def _note_text(note: dict) -> str:
    where = ", ".join(str(x) for x in (note.get("source_file"),
                                       f"row {note['source_row']}" if note.get("source_row") else None) if x)
    detail = f" ({note['detail']})" if note.get("detail") else ""
    return f"{where}: {note['check']}{detail}" if where else f"{note['check']}{detail}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path, default=None, help="raw data directory (default data/raw)")
    parser.add_argument("--groups", default="config/commodity_groups.yaml")
    parser.add_argument("--claims", default="config/claims.yaml")
    args = parser.parse_args(argv)
    try:
        summary = check_inputs(args.raw_dir or RAW_DIR, args.groups, args.claims)
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    for note in summary["notes"]:
        print(f"{PROG}: note: {_note_text(note)}")
    print(f"inputs ok: totals {summary['totals']} rows, commodities {summary['commodities']} rows, "
          f"context {summary['context']} rows, HS-level {summary['hs_rows']} rows in {summary['hs_files']} files, "
          f"{summary['groups']} groups, {summary['claims']} claims; {summary['conflicts']} outlet "
          f"disagreements kept for the conflicts table; {len(summary['notes'])} notes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
