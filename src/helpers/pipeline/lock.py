"""One build at a time per working tree: an exclusive flock on build/build.lock.

A second `make report` waits (saying for whom) up to LOCK_WAIT seconds, then stops with one line;
LOCK_WAIT=0 stops at once. The kernel drops the lock when the holder exits, even if it is killed,
so a stale lock file never blocks anyone.
"""

from __future__ import annotations

import fcntl
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import InputError

LOCK_NAME = "build.lock"
DEFAULT_WAIT_SECONDS = 1800.0


class BuildLocked(InputError):
    pass


def _holder(path: Path) -> str:
    try:
        text = " ".join(path.read_text(encoding="utf-8", errors="replace").split())[:200]
    except OSError:
        text = ""
    return text or "another process"


def _try_lock(handle) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


@contextmanager
def build_lock(
    build: Path,
    wait_seconds: float = DEFAULT_WAIT_SECONDS,
    what: str = "make report",
    poll: float = 0.2,
):
    build = Path(build)
    build.mkdir(parents=True, exist_ok=True)
    path = build / LOCK_NAME
    with open(path, "a+", encoding="utf-8") as handle:
        if not _try_lock(handle):
            holder = _holder(path)
            if wait_seconds <= 0:
                raise BuildLocked(
                    f"another build is running in this project ({holder}); "
                    "run again when it has finished"
                )
            print(
                f"{what}: waiting for another build to finish ({holder}) ...",
                file=sys.stderr,
                flush=True,
            )
            deadline = time.monotonic() + wait_seconds
            while not _try_lock(handle):
                if time.monotonic() > deadline:
                    raise BuildLocked(
                        f"another build is still running after {wait_seconds:.0f} s ({holder}); "
                        "stopped without building"
                    )
                time.sleep(poll)
        handle.seek(0)
        handle.truncate()
        handle.write(f"{what}, pid {os.getpid()}, since {time.strftime('%H:%M:%S')}\n")
        handle.flush()
        yield path  # closing the file releases the lock
