"""Raw files and their sidecars: verify checksums before any step reads the data."""
import hashlib
from pathlib import Path

from ..core.errors import InputError, exit_on_input_error
from ..core.json_file import read_json_object
from ..core.paths import RAW_DIR

VENDORED_FILES = ("gacc_cn_ru_totals.csv", "gacc_cn_ru_commodities.csv", "context_facts.csv")


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
        raise InputError("provenance sidecar is missing", file=path,
                         expected="a .meta.json beside every raw file")
    return read_json_object(path)  # a broken sidecar is named itself, not its data file


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def verify_raw_file(raw_file: Path) -> dict:
    """Stop loudly if a raw file differs from what its sidecar recorded (raw files are never edited)."""
    raw_file = Path(raw_file)
    if not raw_file.exists():
        raise InputError("raw file is missing", file=raw_file)
    sidecar = read_sidecar(raw_file)
    actual = sha256_of(raw_file)
    if actual != sidecar.get("sha256"):
        raise InputError(
            f"checksum mismatch: file has sha256 {actual[:12]}…, sidecar records "
            f"{str(sidecar.get('sha256'))[:12]}… — the raw file was changed; restore it "
            "(git checkout) or re-vendor it with a new sidecar",
            file=raw_file)
    return sidecar


def verify_vendored(raw_dir: Path = RAW_DIR) -> list[dict]:
    return [verify_raw_file(Path(raw_dir) / name) for name in VENDORED_FILES]


def verify_snapshots(raw_dir: Path = RAW_DIR) -> list[dict]:
    """Fetched HS-level snapshots carry sidecars too: a snapshot edited after download stops the build."""
    sidecars = sorted((Path(raw_dir) / "comtrade").glob("*.meta.json"))
    return [verify_raw_file(Path(str(sidecar)[:-len(".meta.json")])) for sidecar in sidecars]


def main(argv=None) -> None:
    with exit_on_input_error("verify-raw"):
        for sidecar in verify_vendored() + verify_snapshots():
            print(f"ok {Path(str(sidecar.get('file', '?'))).name} sha256={sidecar['sha256'][:12]} "
                  f"rows={sidecar.get('rows')}")


if __name__ == "__main__":
    main()
