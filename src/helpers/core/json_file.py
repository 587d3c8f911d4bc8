"""Read a small JSON object (a provenance sidecar, a build record) with one-line errors that name
the JSON file itself, not the data file it describes."""

import json
from pathlib import Path

from .errors import InputError

MAX_JSON_BYTES = 5_000_000  # sidecars are a few kB; a huge one is a mistake, not metadata


def read_json_object(path: Path, what: str = "sidecar") -> dict:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_JSON_BYTES:
            raise InputError(
                f"{what} is {size:,} bytes, over the {MAX_JSON_BYTES:,}-byte limit", file=path
            )
        content = json.loads(path.read_bytes().decode("utf-8"))
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(f"{what} is missing", file=path) from None
    except UnicodeDecodeError as error:
        raise InputError(f"{what} is not UTF-8 text (byte {error.start})", file=path) from None
    except ValueError as error:
        raise InputError(f"{what} is not valid JSON: {str(error)[:200]}", file=path) from None
    except OSError as error:
        raise InputError(f"{what} cannot be read: {error.strerror}", file=path) from None
    if not isinstance(content, dict):
        raise InputError(
            f"{what} is a JSON {type(content).__name__}, not an object",
            file=path,
            expected='{"file": ..., "sha256": ..., ...}',
        )
    return content
