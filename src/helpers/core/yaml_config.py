"""Read the project's YAML config files (commodity groups, claims, sources) with clear errors."""
from functools import lru_cache
from pathlib import Path

import yaml

from .errors import InputError
from .paths import CONFIG_DIR


def read_yaml(path: Path) -> dict:
    path = Path(path)
    if not path.exists():
        raise InputError("config file is missing", file=path)
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise InputError(f"not valid YAML: {error}", file=path) from None
    if not isinstance(content, dict):
        raise InputError("config file must be a mapping at top level", file=path)
    return content


@lru_cache(maxsize=None)
def sources_config(path: Path = CONFIG_DIR / "sources.yaml") -> dict:
    return read_yaml(path)
