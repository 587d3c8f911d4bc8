"""Where things live. Everything is relative to the project root so notebooks run from any cwd."""
import os
from pathlib import Path

PROJECT_ROOT = Path(os.environ.get("BRIEFING_ROOT", Path(__file__).resolve().parents[3]))
RAW_DIR = PROJECT_ROOT / "data" / "raw"
CONFIG_DIR = PROJECT_ROOT / "config"


def build_dir() -> Path:
    return Path(os.environ.get("BRIEFING_BUILD_DIR", PROJECT_ROOT / "build"))
