"""Raw files and their sidecars: verify checksums before any step reads the data."""

import json
import sys
from pathlib import Path

from ..core.errors import InputError, run_main
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
    tmp = sidecar_of(raw_file).with_name(sidecar_of(raw_file).name + ".tmp")
    tmp.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(sidecar_of(raw_file))
    return meta


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


def verify_raw_file(raw_file: Path) -> dict:
    """Stop loudly if a raw file differs from what its sidecar recorded (raw files are never edited)."""
    raw_file = Path(raw_file)
    if not raw_file.exists():
        raise InputError("raw file is missing", file=raw_file)
    sidecar = read_sidecar(raw_file)
    actual = file_sha256(raw_file)
    if actual != sidecar.get("sha256"):
        raise InputError(
            f"checksum mismatch: file has sha256 {actual[:12]}…, sidecar records "
            f"{str(sidecar.get('sha256'))[:12]}… — the raw file was changed; restore it "
            "(git checkout) or re-vendor it with a new sidecar",
            file=raw_file,
        )
    return sidecar


def verify_vendored(raw_dir: Path = RAW_DIR) -> list[dict]:
    return [verify_raw_file(Path(raw_dir) / name) for name in VENDORED_FILES + VENDORED_ROW_FILES]


def verify_snapshots(raw_dir: Path = RAW_DIR) -> list[dict]:
    """Fetched HS-level snapshots carry sidecars too: a snapshot edited after download stops the build."""
    sidecars = sorted(
        sidecar
        for folder in ("comtrade", "baci", "fuel")
        for sidecar in (Path(raw_dir) / folder).glob("*.meta.json")
    )
    return [verify_raw_file(Path(str(sidecar)[: -len(".meta.json")])) for sidecar in sidecars]


def main() -> int:
    for sidecar in verify_vendored() + verify_snapshots():
        print(
            f"ok {Path(str(sidecar.get('file', '?'))).name} sha256={sidecar['sha256'][:12]} "
            f"rows={sidecar.get('rows')}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(run_main("verify-raw", main))
