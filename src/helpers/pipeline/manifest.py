"""What a build depends on, by content: the name and sha256 of every file under data/raw/, the
configs (including a GROUPS_FILE/CLAIMS_FILE kept elsewhere), the code, the notebooks and the
checked parameters. `make report` rebuilds when this manifest changes, never because of file times:
a file added with an old time (`cp -p`, unzip) is new content, a deleted file is a removed name.

Hashing every input on every run would cost seconds for a 1 GB Comtrade file, so sha256 values are
cached in build/hash-cache.json by (path, size, mtime_ns, ctime_ns, inode) (helpers.core.file_hash). The cache only saves
work: any change to a file changes its ctime, so a stale entry is never reused, and what is compared
between builds is always the content hash. Standard library only (runs on every `make report`).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

from ..core.file_hash import HashCache

# Code and templates that shape the briefing (the venv's packages are pinned by requirements.lock).
CODE_FILES = ("Makefile", "requirements.lock", "pyproject.toml")
CODE_DIRS = ("src/helpers", "notebooks")
SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}
NOT_BUILD_CODE = ("src/helpers/fetch/",)  # `make fetch` only; a build never imports it


def file_entry(path: Path, cache: HashCache) -> str:
    """'sha256:<hex>' for a regular file; symlinks also record their target; anything else is named
    for what it is (a FIFO or device is never opened: reading it could block or never end)."""
    path = Path(path)
    prefix = ""
    if path.is_symlink():
        prefix = f"symlink to {os.readlink(path)}; "
    try:
        info = path.stat()
    except OSError:
        return prefix + "missing (broken link?)"
    if not stat.S_ISREG(info.st_mode):
        return prefix + "not a regular file"
    return prefix + "sha256:" + cache.sha256(path, info)


def files_under(root: Path, folder: Path) -> list[Path]:
    """Every file below `folder` (symlinked directories are not entered), sorted by relative name."""
    found = []
    for directory, subdirs, names in os.walk(folder, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS)
        for name in names:
            found.append(Path(directory) / name)
        # a symlink to a directory is listed by os.walk in subdirs but not entered: record it as a file
        found += [Path(directory) / d for d in list(subdirs) if (Path(directory) / d).is_symlink()]
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def entry_name(root: Path, kind: str, path: Path) -> str:
    """'<kind>:<path relative to the project>' (a config outside the project: its absolute path)."""
    try:
        name = Path(path).absolute().relative_to(Path(root).absolute()).as_posix()
    except ValueError:
        name = str(Path(path).absolute())
    return f"{kind}:{name}"


def claims_entry(root: Path, params: dict) -> str | None:
    """The manifest's name of the claims file (None if it is also the groups file)."""
    claims, groups = (
        entry_name(root, "config", Path(root) / params[name])  # an absolute path stays as it is
        for name in ("claims_file", "groups_file")
    )
    return claims if claims != groups else None


def input_manifest(root: Path, params: dict, cache: HashCache) -> dict[str, str]:
    """{'<kind>:<relative path>': content} for every input of the briefing, plus the parameters."""
    root = Path(root)
    entries: dict[str, str] = {}

    def add(kind: str, path: Path) -> None:
        entries[entry_name(root, kind, path)] = file_entry(path, cache)

    for path in files_under(root, root / "data" / "raw"):
        add("raw", path)
    for path in files_under(root, root / "config"):
        add("config", path)
    for name in ("groups_file", "claims_file"):
        value = Path(params[name])
        add("config", value if value.is_absolute() else root / value)
    for folder in CODE_DIRS:
        for path in files_under(root, root / folder):
            if not path.relative_to(root).as_posix().startswith(NOT_BUILD_CODE):
                add("code", path)
    for name in CODE_FILES:
        if (root / name).exists():
            add("code", root / name)
    for name, value in sorted(params.items()):
        entries[f"parameter:{name}"] = str(value)
    return entries


def digest(entries: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(entries, sort_keys=True).encode("utf-8")).hexdigest()


def stage_keys(entries: dict[str, str], claims_entry: str | None = None) -> dict[str, str]:
    """The input check depends on the files and the partner (HS-level files are filtered to it); the
    notebooks and the page also on the other parameters. `check_data` is the check's key without the
    claims file (`claims_entry`), which nothing in the raw data's check reads: a claims edit re-checks
    the configs alone. `code` is what the build's caches of drawings and pages are keyed by
    (helpers.core.result_cache)."""
    partner = {k: v for k, v in entries.items() if k == "parameter:partner_code"}
    checked = {**{k: v for k, v in entries.items() if not k.startswith("parameter:")}, **partner}
    return {
        "check": digest(checked),
        "check_data": digest({k: v for k, v in checked.items() if k != claims_entry}),
        "build": digest(entries),
        "code": digest({k: v for k, v in entries.items() if k.startswith("code:")}),
    }


def describe_changes(before: dict[str, str], after: dict[str, str], limit: int = 4) -> str:
    """'data/raw/gacc/x.csv added, config/claims.yaml changed, …' for the rebuild message."""

    def name(
        key: str,
    ) -> str:  # file names may hold anything, even a newline: keep the line one line
        text = key.split(":", 1)[1]
        return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")

    changes = [f"{name(key)} added" for key in after if key not in before]
    changes += [f"{name(key)} removed" for key in before if key not in after]
    changes += [
        f"{name(key)} changed" for key in after if key in before and before[key] != after[key]
    ]
    if not before:
        return "first build here"
    if not changes:
        return "no input changed since the last attempt, which did not finish"
    more = f" and {len(changes) - limit} more" if len(changes) > limit else ""
    return ", ".join(changes[:limit]) + more
