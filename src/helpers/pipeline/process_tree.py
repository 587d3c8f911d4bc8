"""Every process a build starts ends with it (issue 23, point 5).

A stage starts processes of its own in other sessions (jupyter_client puts the kernel in a new session,
a browser may detach), and a process whose parent dies is handed to init, where nobody stops it: a
notebook runner killed mid-build once kept its kernel at 90% CPU and wrote build/nb five minutes after
the build had released its lock. So the build driver (Linux) is made the "child subreaper" of what it
starts: an orphaned descendant is handed to it, not to init, and stays in its tree. On SIGINT, SIGTERM
or SIGHUP the driver stops the whole tree -- SIGTERM, then SIGKILL for what is left after a grace
period -- before it exits and releases the lock. Stages run in their own session, so a terminal's
Ctrl-C or a signal to make's process group reaches the driver, which stops them in order, rather than
each stage separately printing its own traceback.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from contextlib import contextmanager

import psutil

PR_SET_CHILD_SUBREAPER = 36
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
GRACE_SECONDS = 2.0


class Interrupted(Exception):
    """The build got a stop signal; every process it started has been stopped."""

    def __init__(self, signum: int, stopped: int, after_publish: bool = False):
        super().__init__(signum, stopped)
        self.signum, self.stopped, self.after_publish = signum, stopped, after_publish
        self.name = signal.Signals(signum).name


def _prctl(option: int, value: int) -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux: orphans then go to init, as before
        return False


def become_subreaper() -> bool:
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def stage_session() -> None:
    """preexec_fn of a stage: its own session, and SIGTERM when the driver dies (even by SIGKILL)."""
    os.setsid()
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def descendants() -> list[psutil.Process]:
    """Living (not zombie) descendants of this process."""
    found = []
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):
            if child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
    return found


def _reap() -> None:
    """Collect exited children (orphans handed to the subreaper included) so they leave /proc."""
    with contextlib.suppress(ChildProcessError):  # no child left
        while os.waitpid(-1, os.WNOHANG)[0]:  # 0: the children left are still running
            pass


def stop_descendants(grace: float = GRACE_SECONDS) -> int:
    """SIGTERM to every descendant, SIGKILL to any left after `grace` s; the number stopped."""
    first = left = descendants()
    deadline = time.monotonic() + grace
    while left:
        # again for those started since (a browser's helpers) or handed over by now
        signum = signal.SIGTERM if time.monotonic() < deadline else signal.SIGKILL
        for process in left:
            with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
                process.send_signal(signum)
        time.sleep(0.05)
        _reap()
        left = descendants()
    _reap()
    return len(first)


@contextmanager
def stopped_on_signal():
    """Within the block a stop signal stops every descendant, then raises Interrupted."""

    def handler(signum, frame):
        for each in STOP_SIGNALS:  # one stop, however many signals follow
            signal.signal(each, signal.SIG_IGN)
        raise Interrupted(signum, stop_descendants())

    become_subreaper()
    previous = {each: signal.signal(each, handler) for each in STOP_SIGNALS}
    try:
        yield
    finally:
        for each, old in previous.items():
            signal.signal(each, old)


@contextmanager
def signals_deferred():
    """A stop signal waits until the block is done (publishing: all of reports/ or none of it), then
    stops the build, which has nothing left running."""
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        pending = sorted(signal.sigpending() & set(STOP_SIGNALS))
        for each in pending:
            signal.signal(each, signal.SIG_IGN)  # delivered on unblocking: taken here instead
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if pending:
        raise Interrupted(pending[0], stop_descendants(), after_publish=True)
