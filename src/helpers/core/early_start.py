"""Stages the build starts early: a stage subprocess imports and warms up while the stage before it
runs, then waits here for the build's go-ahead, one line "go" on its stdin. Anything else (end of
input: the earlier stage failed, or the build was stopped) means: do nothing, exit quietly.
A stage may also say when its warm-up is done (`say_ready` on a pipe the build passes): the build
starts the next early stage only then, so the two do not share two cores while the first warms up.
Every stage, and the build itself, reports each step's time in one format (`print_timing`)."""

import os
import sys

GO = "go"


def wait_for_go(stream=None) -> bool:
    """Block until the build says go; False if it closed the line instead."""
    line = (stream or sys.stdin).readline()
    return line.strip() == GO


def print_timing(label: str, seconds: float) -> None:
    """The build's `timing:` line, printed as each step ends (a reader sees the stages go by)."""
    print(f"timing: {label:<24} {seconds:5.1f} s", flush=True)


def say_ready(fd: int | None) -> None:
    """Tell the build, on the pipe it passed (--ready-fd), that this stage has warmed up."""
    if fd is not None:
        try:
            os.write(fd, b"ready\n")
            os.close(fd)
        except OSError:
            pass  # the build is gone or stopped listening: the go line decides what happens next
