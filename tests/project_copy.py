"""A throwaway copy of the project (tracked files + a link to the real .venv) for tests that run `make`
on modified inputs without touching the working tree."""
import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def copy_project(destination: Path) -> Path:
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    os.symlink(ROOT / ".venv", destination / ".venv")
    (destination / "build").mkdir(exist_ok=True)
    for stamp in ("chromium.ok",):  # Chromium was checked for the real tree already
        if (ROOT / "build" / stamp).exists():
            shutil.copy2(ROOT / "build" / stamp, destination / "build" / stamp)
    return destination


def make(project: Path, *args, env=None, timeout=900) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "-C", str(project), *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})
