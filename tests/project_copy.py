"""A throwaway copy of the project (tracked files + a link to the real .venv) for tests that run `make`
on modified inputs without touching the working tree."""

import hashlib
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


def tree_state(project: Path) -> dict[str, str]:
    """What `make test` must leave as it found it: every file of reports/ by content (sha256), every
    file and folder of build/ by size and modification time (build/ may hold large caches)."""
    state = {}
    for folder, by_content in (("reports", True), ("build", False)):
        for path in sorted((project / folder).rglob("*")):
            name = path.relative_to(project).as_posix()
            if path.is_symlink() or not path.is_file():
                state[name] = "folder" if path.is_dir() else "link"
            elif by_content:
                state[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                stat = path.stat()
                state[name] = f"{stat.st_size} bytes, modified {stat.st_mtime_ns}"
    return state


def tree_changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """'added: x', 'removed: x', 'changed: x' for every path that differs, sorted."""
    return sorted(
        f"{'added' if name not in before else 'removed' if name not in after else 'changed'}: {name}"
        for name in before.keys() | after.keys()
        if before.get(name) != after.get(name)
    )
