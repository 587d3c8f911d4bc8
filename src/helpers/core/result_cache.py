"""Results kept between builds under build/cache/<kind>/, named by the sha256 of everything they are
computed from, so a build redraws, rasterises or converts only what changed (a claims edit changes no chart).

The key is whatever the caller passes (JSON-serialisable: a spec, an SVG's text, versions). What a result
depends on beyond its key is the code that computes it: by default the key includes `code_key()`, the build's
digest of its code and pinned packages (helpers.pipeline.manifest), which the build hands every stage as
BRIEFING_CODE_KEY; a caller with no such key (a notebook run by hand) computes afresh. Each kind keeps its
most recently used MAX_ENTRIES (or `keep`). Standard library only.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from .atomic import write_bytes_atomic
from .paths import build_dir

CODE_KEY_VARIABLE = "BRIEFING_CODE_KEY"
MAX_ENTRIES = 200  # per kind: a few builds' worth of figures and notebooks


def code_key() -> str | None:
    return os.environ.get(CODE_KEY_VARIABLE) or None


def cached(
    kind: str,
    key,
    compute: Callable[[], bytes | str],
    by_code: bool = True,
    keep: int = MAX_ENTRIES,
) -> bytes | str:
    """compute() once per distinct `key` (and code key, unless `by_code` is False: the key names every
    input itself); text comes back as text, bytes as bytes. The key's mappings keep their order (a spec's
    order of keys may change its drawing)."""
    if by_code:
        if code_key() is None:
            return compute()
        key = [code_key(), key]
    digest = hashlib.sha256(json.dumps(key).encode("utf-8")).hexdigest()[:32]
    folder = build_dir() / "cache" / kind
    for suffix in (".txt", ".bin"):
        path = folder / f"{digest}{suffix}"
        try:
            data = path.read_bytes()
        except OSError:
            continue
        with suppress(OSError):
            os.utime(path)  # recently used: pruned last
        return data.decode("utf-8") if suffix == ".txt" else data
    value = compute()
    text = isinstance(value, str)
    try:
        write_bytes_atomic(
            folder / f"{digest}{'.txt' if text else '.bin'}",
            value.encode("utf-8") if text else value,
        )
        prune(folder, keep)
    except OSError:
        pass  # the cache only saves time; the build reports a full disk where it writes its outputs
    return value


def prune(folder: Path, keep: int = MAX_ENTRIES) -> None:
    entries = []
    for path in folder.iterdir():
        with suppress(OSError):
            if not path.name.startswith("."):
                entries.append((path.stat().st_mtime_ns, path))
    for _, path in sorted(entries, reverse=True)[keep:]:
        path.unlink(missing_ok=True)
