"""Stages the build starts early: a stage subprocess imports and warms up while the stage before it
runs, then waits here for the build's go-ahead, one line "go" on its stdin. Anything else (end of
input: the earlier stage failed, or the build was stopped) means: do nothing, exit quietly."""

import sys

GO = "go"


def wait_for_go(stream=None) -> bool:
    """Block until the build says go; False if it closed the line instead."""
    line = (stream or sys.stdin).readline()
    return line.strip() == GO
