"""Raw files and their sidecars: verify checksums before any step reads the data."""

import json
import re
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.errors import InputError
from ..core.file_hash import file_sha256
from ..core.json_file import read_json_object
from ..core.paths import RAW_DIR

VENDORED_FILES = ("gacc_cn_ru_totals.csv", "gacc_cn_ru_commodities.csv", "context_facts.csv")
# Real customs rows (README "Sources"): vendored byte-for-byte, sidecar `<file>.meta.json` beside each.
VENDORED_ROW_FILES = (
    "baci/baci_hs17_v202501_cn_ru_2017_2023.csv",
    "comtrade/comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv",
    "fuel/comtrade_cn_fuel_imports_from_ru_monthly_2020_2024.csv",
    "fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv",
)


def sidecar_of(path: Path) -> Path:
    """`x.csv.meta.json`: the sidecar name for fetched and hand-dropped HS-level files."""
    return Path(str(path) + ".meta.json")


def sidecar_path(raw_file: Path) -> Path:
    """`x.meta.json` for vendored files; fetched snapshots use `x.csv.meta.json` (helpers.comtrade)."""
    raw_file = Path(raw_file)
    appended = sidecar_of(raw_file)
    return appended if appended.exists() else raw_file.with_suffix(".meta.json")


def read_sidecar(raw_file: Path) -> dict:
    path = sidecar_path(raw_file)
    if not path.exists():
        raise InputError(
            "provenance sidecar is missing",
            file=path,
            expected="a .meta.json beside every raw file",
        )
    return read_json_object(path)  # a broken sidecar is named itself, not its data file


def read_hs_sidecar(raw_file: Path) -> dict:
    """An HS-level file's sidecar (`x.csv.meta.json`), or {} when the file was added by hand."""
    sidecar = sidecar_of(raw_file)
    return read_json_object(sidecar) if sidecar.exists() else {}


def retrieved_date(meta: dict) -> str:
    """YYYY-MM-DD the file was retrieved (accessed; added by hand: first seen), from its sidecar ('' if
    not recorded): the published_date of rows that no dated page published, for every reader."""
    day = meta.get("retrieved_at") or meta.get("date_accessed") or meta.get("first_seen")
    return str(day or "")[:10]


def write_hand_sidecar(raw_file: Path, rows: int, today: str) -> dict:
    """Record a file the user dropped into data/raw/<comtrade|gacc>/ without a sidecar: its sha256, rows and
    the day it was first seen, marked "added by hand". From then on the file is verified like a fetched one
    (an edited copy stops the build until its sidecar is deleted so it is registered again)."""
    raw_file = Path(raw_file)
    meta = {
        "file": raw_file.name,
        "origin": "added by hand",
        "first_seen": today,
        "sha256": file_sha256(raw_file),
        "rows": int(rows),
        "generated_by": "helpers.pipeline.check_inputs",
        "note": "generated because the file had no sidecar; delete this sidecar to register a replaced file",
    }
    write_sidecar(sidecar_of(raw_file), meta)
    return meta


def write_sidecar(sidecar: Path, meta: dict) -> None:
    """A sidecar as the project writes them (indented, UTF-8), all or nothing."""
    write_text_atomic(sidecar, json.dumps(meta, indent=2, ensure_ascii=False) + "\n")


def forget_removed_hand_files(raw_dir: Path, folders=("comtrade", "gacc", "baci")) -> list[str]:
    """Delete the generated sidecar of a file added by hand that the user has since removed, so the
    briefing stops citing it (a vendored or fetched file's sidecar is never deleted: its loss is an error)."""
    notes = []
    for folder in folders:
        for sidecar in sorted((Path(raw_dir) / folder).glob("*.meta.json")):
            data = Path(str(sidecar)[: -len(".meta.json")])
            if not data.exists() and read_json_object(sidecar).get("origin") == "added by hand":
                sidecar.unlink()
                notes.append(
                    f"{folder}/{data.name}: removed by hand; its generated sidecar deleted"
                )
    return notes


SHA256 = re.compile(r"^[0-9a-f]{64}$")


def check_sidecar(meta: dict, raw_file: Path, sidecar: Path) -> dict:
    """The one definition of a valid sidecar, for every stage (the input check, the sources section):
    a recorded sha256 that matches the file, `file` (if given) naming it, `rows` (if given) a count, and
    an origin repository given with its commit and path. A sidecar accepted here never fails later."""
    recorded = meta.get("sha256")
    if not isinstance(recorded, str) or not SHA256.match(recorded):
        raise InputError(
            "sidecar records no sha256" if recorded is None else "sidecar's sha256 is malformed",
            file=sidecar,
            column="sha256",
            expected=f"the file's sha256, 64 hex digits ({file_sha256(raw_file)}; a file added by "
            "hand: delete the sidecar and `make report` writes one)",
        )
    actual = file_sha256(raw_file)
    if actual != recorded:
        raise InputError(
            f"checksum mismatch: file has sha256 {actual[:12]}…, sidecar records {recorded[:12]}… — the "
            "raw file was changed; restore it (git checkout) or fetch it again (a file added by hand: "
            "delete its .meta.json to register the new version)",
            file=raw_file,
        )
    named = meta.get("file")
    if named is not None and Path(str(named)).name != raw_file.name:
        raise InputError(
            f"sidecar names file {str(named)!r}",
            file=sidecar,
            column="file",
            expected=f"the name of the file beside it, {raw_file.name}",
        )
    rows = meta.get("rows")
    if rows is not None and not (str(rows).isdigit() and not isinstance(rows, bool)):
        raise InputError(
            f"rows {rows!r} is not a count", file=sidecar, column="rows", expected="e.g. 435"
        )
    if meta.get("origin_repository"):
        for key in ("origin_commit", "origin_path"):
            if not isinstance(meta.get(key), str) or not meta[key]:
                raise InputError(
                    "origin_repository is given without " + key,
                    file=sidecar,
                    column=key,
                    expected="the commit and path the file was copied from",
                )
    return meta


def verify_raw_file(raw_file: Path) -> dict:
    """Stop loudly if a raw file differs from what its sidecar recorded (raw files are never edited)."""
    raw_file = Path(raw_file)
    if not raw_file.exists():
        raise InputError("raw file is missing", file=raw_file)
    return check_sidecar(read_sidecar(raw_file), raw_file, sidecar_path(raw_file))


def data_file_of(sidecar: Path) -> Path:
    """`x.csv.meta.json` -> `x.csv`; a vendored file's `x.meta.json` -> `x.csv`."""
    data = Path(str(sidecar)[: -len(".meta.json")])
    return data if data.suffix else data.with_suffix(".csv")


def raw_sources(raw_dir: Path = RAW_DIR) -> list[tuple[Path, dict]]:
    """(raw file, sidecar) for every sidecar in raw_dir and its folders, each checked by check_sidecar;
    a sidecar whose file is gone is an error (the input check first deletes the generated sidecar of a
    file added by hand and removed since: forget_removed_hand_files)."""
    raw_dir = Path(raw_dir)
    found = []
    for sidecar in sorted(raw_dir.glob("*.meta.json")) + sorted(raw_dir.glob("*/*.meta.json")):
        data = data_file_of(sidecar)
        if not data.is_file():
            raise InputError(
                "sidecar without its raw file",
                file=sidecar,
                expected=f"{data.name} beside it (or delete the sidecar)",
            )
        found.append((data, check_sidecar(read_json_object(sidecar), data, sidecar)))
    return found


def verify_vendored(raw_dir: Path = RAW_DIR) -> list[dict]:
    return [verify_raw_file(Path(raw_dir) / name) for name in VENDORED_FILES + VENDORED_ROW_FILES]


def provenance_rank(path: Path) -> int:
    """0 for a vendored or fetched file (its sidecar is not one written for a file added by hand), 1 for
    a file added by hand: of two copies, the briefing cites the first."""
    return (
        1
        if not sidecar_of(path).exists() or read_hs_sidecar(path).get("origin") == "added by hand"
        else 0
    )


def distinct_contents(
    files: list[Path], digest=file_sha256, rank=provenance_rank
) -> dict[Path, list[Path]]:
    """{the file read: its byte-identical copies}, in the order the contents first appear -- each
    content read once, from the vendored or fetched file if there is one (`rank` 0), else the shortest
    name (``export.csv`` before ``export (1).csv``). `digest` and `rank` default to the file's sha256
    and its sidecar's origin; a caller holding the sidecars passes its own."""
    by_content: dict[str, list[Path]] = {}
    for path in files:
        by_content.setdefault(digest(path), []).append(path)
    ranked = (
        sorted(same, key=lambda p: (rank(p), len(p.name), p.name)) for same in by_content.values()
    )
    return {same[0]: same[1:] for same in ranked}
