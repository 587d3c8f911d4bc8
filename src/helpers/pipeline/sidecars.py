"""`make sidecars`: after adding rows to a raw file (a new month's published figures appended to the wire CSVs,
a new export dropped under data/raw/), record its new checksum and row count in its `.meta.json` sidecar.

Every raw file whose content no longer matches its sidecar is first read the way the build reads it (every field
validated; for the wire files also the cross-row checks). If any one fails, nothing is written and the command
stops with one line naming the file, row and column (exit 2). Otherwise each changed sidecar gets the new
sha256, rows (and bytes, where it records them) and an `updates` entry saying when and from what. A file edited
without running this is still refused by `make report` (its checksum no longer matches).

    python -m helpers.pipeline.sidecars [--raw-dir data/raw]
"""

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

from ..core.errors import InputError, run_main
from ..core.file_hash import file_sha256
from ..core.json_file import read_json_object
from ..core.paths import RAW_DIR, display_path
from ..model.customs import build_customs
from ..sources.baci import LARGE_BACI_BYTES, read_baci, scan_baci
from ..sources.fuel_monitor import read_fuel_monitor
from ..sources.hs_level import is_large, read_hs_file
from ..sources.provenance import data_file_of, sidecar_path, write_sidecar
from ..sources.wire import CONTEXT_FILE, load_commodities, load_context, load_totals

PROG = "sidecars"


def sidecars_of(raw_dir: Path) -> list[tuple[Path, Path]]:
    """(raw file, its sidecar) for every sidecar under raw_dir: `x.meta.json` or `x.csv.meta.json`."""
    pairs = [
        (data_file_of(sidecar), sidecar) for sidecar in sorted(Path(raw_dir).rglob("*.meta.json"))
    ]
    return [
        (raw, sidecar) for raw, sidecar in pairs if raw.is_file() and sidecar_path(raw) == sidecar
    ]


def record_count(path: Path) -> int:
    """Data records of a CSV (quoted line breaks kept inside their record), header excluded."""
    with open(path, newline="", encoding="utf-8-sig", errors="replace") as handle:
        return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


def validate(path: Path, raw_dir: Path) -> None:
    """Read `path` as the build does; an InputError names the file, row and column of the first problem."""
    relative = path.relative_to(raw_dir)
    folder = relative.parts[0] if len(relative.parts) > 1 else ""
    name = path.name
    if folder == "" and name == CONTEXT_FILE:
        load_context(path, verify=False)
    elif (
        folder == ""
        and name.startswith("gacc_cn_")
        and name.endswith(("_totals.csv", "_commodities.csv"))
    ):
        partner = name[len("gacc_cn_") :].split("_")[0].upper()
        totals = raw_dir / f"gacc_cn_{partner.lower()}_totals.csv"
        commodities = raw_dir / f"gacc_cn_{partner.lower()}_commodities.csv"
        quality: list = []
        build_customs(  # the cross-row checks too (a page's export + import against its total, ...)
            load_totals(totals, quality, verify=False, partner=partner),
            load_commodities(commodities, quality, verify=False, partner=partner),
            partner,
            totals,
            quality,
        )
    elif folder == "fuel":
        read_fuel_monitor(path)
    elif folder == "baci":
        (scan_baci if path.stat().st_size > LARGE_BACI_BYTES else read_baci)(path)
    elif folder in ("comtrade", "gacc") and not is_large(path):
        read_hs_file(path, folder)
    elif folder not in ("comtrade", "gacc"):
        raise InputError("no reader for this file", file=path, expected="a file the build reads")


def refresh(raw_dir: Path = RAW_DIR, today: str | None = None) -> list[str]:
    """Validate every raw file that differs from its sidecar, then (all valid) rewrite those sidecars.
    Returns one line per changed file; raises InputError (nothing written) on the first invalid file."""
    raw_dir = Path(raw_dir)
    today = today or dt.date.today().isoformat()
    changed = []
    for raw, sidecar in sidecars_of(raw_dir):
        meta = read_json_object(sidecar)
        digest = file_sha256(raw)
        if digest != meta.get("sha256"):
            changed.append((raw, sidecar, meta, digest))
    for raw, *_ in changed:
        validate(raw, raw_dir)
    lines = []
    for raw, sidecar, meta, digest in changed:
        rows = record_count(raw) if raw.suffix.lower() == ".csv" else meta.get("rows")
        before = {"rows": meta.get("rows"), "sha256": meta.get("sha256")}
        meta.update(sha256=digest, rows=rows)
        if "bytes" in meta:
            meta["bytes"] = raw.stat().st_size
        meta.setdefault("updates", []).append(
            {
                "date": today,
                "by": "make sidecars",
                "rows_before": before["rows"],
                "sha256_before": before["sha256"],
            }
        )
        write_sidecar(sidecar, meta)
        lines.append(
            f"{display_path(raw)}: {before['rows']} -> {rows} rows, sha256 "
            f"{str(before['sha256'])[:12]}… -> {digest[:12]}…; sidecar updated"
        )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw-dir", type=Path, default=RAW_DIR)
    args = parser.parse_args(argv)
    try:
        lines = refresh(args.raw_dir)
    except InputError as error:
        print(f"{PROG}: error: {error}; no sidecar was changed", file=sys.stderr)
        return 2
    for line in lines:
        print(f"{PROG}: {line}")
    total = len(sidecars_of(args.raw_dir))
    print(f"{PROG}: {len(lines)} updated, {total - len(lines)} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(run_main(PROG, main))
