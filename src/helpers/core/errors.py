"""Input errors that explain themselves in one sentence (file, row, column, what was expected)."""
import re
import sys
from contextlib import contextmanager


class InputError(Exception):
    """Bad raw data, config or parameter. The message is meant for the user, not a developer."""

    def __init__(self, what: str, *, file=None, row=None, column=None, expected=None):
        self.file, self.row, self.column, self.expected = file, row, column, expected
        where = []
        if file is not None:
            where.append(str(file))
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
