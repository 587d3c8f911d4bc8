"""Where things live. Everything is relative to the project root so notebooks run from any cwd."""
import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BRIEFING_ROOT", Path(__file__).resolve().parents[3]))
RAW_DIR = PROJECT_ROOT / "data" / "raw"
CONFIG_DIR = PROJECT_ROOT / "config"


def build_dir() -> Path:
    return Path(os.environ.get("BRIEFING_BUILD_DIR", PROJECT_ROOT / "build"))


def wire_files(partner_iso2: str) -> tuple[str, str]:
    """Names of one partner's wire-reported customs files in data/raw: (totals, commodities)."""
    code = partner_iso2.lower()
    return f"gacc_cn_{code}_totals.csv", f"gacc_cn_{code}_commodities.csv"


def project_path(value) -> Path:
    """A path from the parameters: absolute as given, relative to the project root (not to the cwd,
    which is notebooks/ when JupyterLab runs a notebook)."""
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path
