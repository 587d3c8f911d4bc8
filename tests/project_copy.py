"""A throwaway copy of the project (tracked files + a link to the real .venv) for tests that run `make`
on modified inputs without touching the working tree."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Inputs of the Makefile's venv target: made old in the copy so make never reinstalls the shared .venv.
VENV_INPUTS = ("requirements.lock", "pyproject.toml", "scripts/setup_venv.sh")


def copy_project(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    for name in filter(None, listed.decode("utf-8").split("\0")):
        source = ROOT / name
        if not source.is_file():  # deleted in the working tree but not yet in git
            continue
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv", target_is_directory=True)
    for name in VENV_INPUTS:
        if (target / name).exists():
            os.utime(target / name, (0, 0))
    return target


def make(project: Path, *args, env: dict | None = None, timeout=900) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "BRIEFING_BUILD_DIR", "BRIEFING_ROOT")
    }
    # The editable install points at the working tree's src/: make the copy's own code win.
    clean.update(PYTHONPATH=str(project / "src"), BRIEFING_ROOT=str(project), **(env or {}))
    return subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), *args],
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
