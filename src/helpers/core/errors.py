"""Input errors that explain themselves in one sentence (file, row, column, what was expected)."""

import re
import sys

from .paths import display_path


class InputError(Exception):
    """Bad raw data, config or parameter. The message is meant for the user, not a developer."""

    def __init__(self, what: str, *, file=None, row=None, column=None, expected=None):
        self.file, self.row, self.column, self.expected = file, row, column, expected
        where = []
        if file is not None:
            where.append(display_path(file))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        message = ": ".join([", ".join(where), what]) if where else what
        if expected:
            message += f" (expected {expected})"
        # One line, always: parser messages (YAML, pandas) span several lines with a caret drawing.
        super().__init__(re.sub(r"\s*\n\s*", " ", message).strip())


def excerpt(text, limit: int = 60) -> str:
    """A short, escaped quote of file content for an error line: never more than `limit` characters,
    control characters and NULs shown as escapes, so a hostile file cannot flood or forge the output."""
    text = str(text)
    shown = "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[:limit]
    )
    return "'" + shown.replace("'", "\\'") + ("…" if len(text) > limit else "") + "'"


def failure_line(error: BaseException) -> str:
    """One line for any exception: disk full, read-only and permission errors in plain words."""
    import errno

    if isinstance(error, InputError):
        return str(error)
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        plain = {
            errno.ENOSPC: "disk full",
            errno.EDQUOT: "disk quota exceeded",
            errno.EROFS: "read-only file system",
            errno.EACCES: "permission denied",
            errno.EPERM: "operation not permitted",
        }.get(error.errno)
        if plain:
            return f"{plain}{where}: free space or fix permissions, then run again"
        return " ".join(f"{type(error).__name__}: {error.strerror or error}{where}".split())
    detail = " ".join(str(error).split())[:300] or "no detail"
    return f"unexpected {type(error).__name__}: {detail}"


def run_main(prog: str, main, *args) -> int:
    """Run a command-line main so that ANY failure is one line on stderr and exit 2, never a
    traceback (set BRIEFING_TRACEBACK=1 to see one while debugging)."""
    import os

    try:
        return main(*args)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # noqa: BLE001 - the user gets one line, whatever broke
        if os.environ.get("BRIEFING_TRACEBACK"):
            raise
        print(f"{prog}: error: {failure_line(error)}", file=sys.stderr)
        return 2
