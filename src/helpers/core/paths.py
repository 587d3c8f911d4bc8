"""Where things live. Everything is relative to the project root so notebooks run from any cwd."""

import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BRIEFING_ROOT", Path(__file__).resolve().parents[3]))
RAW_DIR = PROJECT_ROOT / "data" / "raw"
CONFIG_DIR = PROJECT_ROOT / "config"
# A figure's or table's id, also the name of its files in build/ and reports/.
ID = r"[a-z0-9][a-z0-9_-]*"


def build_dir() -> Path:
    return Path(os.environ.get("BRIEFING_BUILD_DIR", PROJECT_ROOT / "build"))


def display_path(path) -> str:
    """A path as messages and the briefing show it: relative to the project (data/raw/...), else the
    bare file name -- never an absolute local path (it would leak the user's directory layout)."""
    path = Path(path)
    absolute = Path(
        os.path.abspath(path)
    )  # abspath, not resolve(): a symlink must not reveal its target
    for root in (PROJECT_ROOT, Path(os.path.abspath(PROJECT_ROOT))):
        try:
            return absolute.relative_to(root).as_posix()
        except ValueError:
            pass
    parts = absolute.parts
    for i in range(len(parts) - 1):
        if parts[i] == "data" and parts[i + 1] == "raw":
            return "/".join(parts[i:])
    if "raw" in parts[:-1]:  # a raw directory elsewhere (tests, --raw-dir): from that directory on
        last = len(parts) - 1 - parts[::-1].index("raw")
        return "/".join(parts[last:])
    return path.name


def wire_files(partner_iso2: str) -> tuple[str, str]:
    """Names of one partner's wire-reported customs files in data/raw: (totals, commodities)."""
    code = partner_iso2.lower()
    return f"gacc_cn_{code}_totals.csv", f"gacc_cn_{code}_commodities.csv"


def project_path(value) -> Path:
    """A path from the parameters: absolute as given, relative to the project root (not to the cwd,
    which is notebooks/ when JupyterLab runs a notebook)."""
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def files_signature(*roots: Path) -> tuple:
    """(path, size, modification time) of every file under `roots` (files or folders): it changes when
    an input is edited, added or removed. A cheap key for caches that live as long as a kernel."""
    found = []
    for root in map(Path, roots):
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)
