"""Read the project's YAML config files (commodity groups, claims, sources) with clear errors.

Configs are small hand-written files, so they are size-capped and YAML anchors/aliases are refused:
an alias bomb (a few lines that expand to billions of nodes) then stops with one line instead of
exhausting memory or printing a huge "one-line" error.
"""

from functools import cache
from pathlib import Path

import yaml

from .errors import InputError
from .paths import CONFIG_DIR

MAX_CONFIG_BYTES = 1_000_000  # the largest config today is ~20 kB


class _PlainYamlLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors (&name) and aliases (*name) where they appear."""

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            kind = "alias" if isinstance(event, yaml.AliasEvent) else "anchor"
            mark = event.start_mark
            raise _RefusedYaml(
                f"YAML {kind} at line {mark.line + 1}, column {mark.column + 1} is not "
                "allowed (write each value out; anchors and aliases are refused)"
            )
        return super().compose_node(parent, index)


class _RefusedYaml(Exception):
    pass


def read_yaml(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise InputError(
            "config file is missing" if not path.exists() else "config path is not a file",
            file=path,
        )
    size = path.stat().st_size
    if size > MAX_CONFIG_BYTES:
        raise InputError(
            f"config file is {size:,} bytes, over the {MAX_CONFIG_BYTES:,}-byte limit for "
            "a hand-written config",
            file=path,
        )
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"not UTF-8 text (byte {error.start})", file=path) from None
    try:
        content = yaml.load(text, Loader=_PlainYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except _RefusedYaml as error:
        raise InputError(str(error), file=path) from None
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {_short(error)}", file=path) from None
    if not isinstance(content, dict):
        raise InputError("config file must be a mapping at top level", file=path)
    return content


def _short(error: Exception, limit: int = 200) -> str:
    """The parser's problem and position, without the snippet of the file it would quote."""
    problem = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
    text = " ".join(f"{problem}{where}".split())
    return text if len(text) <= limit else text[:limit] + "…"


@cache
def sources_config(path: Path = CONFIG_DIR / "sources.yaml") -> dict:
    return read_yaml(path)
