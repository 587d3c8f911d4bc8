"""sha256 of files, and the build's record of them (build/hash-cache.json) so that a 1 GB Comtrade file is
read once per change, not once per stage.

The build's manifest step (helpers.pipeline.manifest) hashes every input through a `HashCache` and saves it
before any stage starts. The input check and the page's "About" section verify each raw file against its
sidecar with `file_sha256`, which reuses that record when the file's size, times and inode are unchanged
(any write changes its ctime, so an edited file is always re-read) and never writes it. Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .atomic import write_text_atomic
from .paths import build_dir

CACHE_NAME = "hash-cache.json"


def sha256_file(path: Path) -> str:
    with open(path, "rb") as handle:  # streamed: raw files can be gigabytes
        return hashlib.file_digest(handle, "sha256").hexdigest()


def signature(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


class HashCache:
    """sha256 of files, remembered by (size, mtime_ns, ctime_ns, inode) so unchanged files are not re-read."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            loaded = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = loaded if isinstance(loaded, dict) else {}
        except (OSError, ValueError):
            self.entries = {}  # a missing or damaged cache only costs re-hashing
        self.used: dict[str, list] = {}

    def sha256(self, path: Path, info: os.stat_result) -> str:
        key = str(Path(path).absolute())
        cached = self.used.get(key) or self.entries.get(key)
        if isinstance(cached, list) and len(cached) == 5 and cached[:4] == signature(info):
            digest = cached[4]
        else:
            digest = sha256_file(path)
        self.used[key] = [*signature(info), digest]
        return digest

    def save(self) -> None:
        """Keep only the files this run looked at (deleted inputs drop out), written atomically."""
        try:
            write_text_atomic(self.path, json.dumps(self.used, sort_keys=True))
        except OSError:
            pass  # the cache is an optimisation; the build itself reports disk problems


_RECORDS: dict[str, tuple] = {}  # cache file -> (its signature when read, HashCache)


def file_sha256(path: Path) -> str:
    """sha256 of a file: from the build's record when the file is unchanged since, else read now.
    The record is read again whenever it changed on disk, so a kernel that lives across builds never
    trusts an old copy (and 2,000 raw files do not read it 2,000 times)."""
    path = Path(path)
    record = build_dir() / CACHE_NAME
    try:
        current = signature(record.stat())
    except OSError:
        current = None
    held = _RECORDS.get(str(record))
    if held is None or held[0] != current:
        held = _RECORDS[str(record)] = (current, HashCache(record))
    return held[1].sha256(path, path.stat())
