"""Input errors that explain themselves in one sentence (file, row, column, what was expected)."""
import re
import sys
from contextlib import contextmanager

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
        message = (": ".join([", ".join(where), what]) if where else what)
        if expected:
            message += f" (expected {expected})"
        # One line, always: parser messages (YAML, pandas) span several lines with a caret drawing.
        super().__init__(re.sub(r"\s*\n\s*", " ", message).strip())


@contextmanager
def exit_on_input_error(prog: str):
    """For command-line entry points: print one line and exit 2 instead of a traceback."""
    try:
        yield
    except InputError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        sys.exit(2)


def excerpt(text, limit: int = 60) -> str:
    """A short, escaped quote of file content for an error line: never more than `limit` characters,
    control characters and NULs shown as escapes, so a hostile file cannot flood or forge the output."""
    text = str(text)
    shown = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text[:limit])
    return "'" + shown.replace("'", "\\'") + ("…" if len(text) > limit else "") + "'"
