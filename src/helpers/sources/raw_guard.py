"""Checks on a raw file before any reader opens it: where it really is, what kind of bytes it holds,
how large it is. Each refusal is one line; nothing here reads more than the first kilobytes.

Why: a symlink under data/raw/ can point anywhere (a private file's lines would end up in error
messages or the briefing), a binary or NUL-filled file dropped as .csv once drove the input check to
22 GB, and the GACC platform never produces a CSV larger than a few MB.
"""

import gzip
import os
from pathlib import Path

from ..core.errors import InputError
from ..core.paths import PROJECT_ROOT

SNIFF_BYTES = 8192
MB = 1_000_000
# Largest file each reader loads into memory; larger Comtrade CSV/TSV files go to the DuckDB scan
# (helpers.sources.comtrade_scan) instead, which has no size limit.
MAX_BYTES = {
    "gacc_csv": 20 * MB,  # the platform caps a download at 10,000 lines (~2 MB)
    "gacc_xlsx": 20 * MB,
    "gacc_html": 5 * MB,  # one monthly table page
    "comtrade_json": 200 * MB,  # a JSON response is parsed whole
    "comtrade_csv": None,  # routed to DuckDB above LARGE_CSV_BYTES
}
ZIP_MAGIC = b"PK\x03\x04"
GZIP_MAGIC = b"\x1f\x8b"


def project_of(raw_dir: Path) -> Path:
    """The project a raw directory belongs to: <project>/data/raw -> <project> (else its parent)."""
    raw_dir = Path(os.path.abspath(raw_dir))
    return raw_dir.parents[1] if raw_dir.parts[-2:] == ("data", "raw") else raw_dir.parent


def check_location(path: Path, root: Path = PROJECT_ROOT) -> None:
    """A file whose real location (after following symlinks) leaves the project is refused."""
    real, project = Path(os.path.realpath(path)), Path(os.path.realpath(root))
    try:
        real.relative_to(project)
    except ValueError:
        raise InputError(
            "is a symbolic link to a file outside the project; copy the file into data/raw/ "
            "instead",
            file=path,
            expected="a regular file inside the project",
        ) from None


def sniff(path: Path) -> bytes:
    """The first SNIFF_BYTES of the file's content (decompressed for .gz)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(GZIP_MAGIC):
        try:
            with gzip.open(path, "rb") as handle:
                return handle.read(SNIFF_BYTES)
        except (OSError, EOFError) as error:
            raise InputError(
                f"is not a readable gzip file ({type(error).__name__})",
                file=path,
                expected="a .gz file as Comtrade's bulk download writes it",
            ) from None
    return head


def looks_utf16(head: bytes) -> bool:
    """UTF-16 text: a byte-order mark, or NUL bytes (a tenth at least) on one parity only (ASCII
    characters written as two bytes; a binary file has NULs anywhere)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    even, odd = head[0::2].count(0), head[1::2].count(0)
    return len(head) >= 16 and (even == 0) != (odd == 0) and even + odd >= len(head) / 10


def check_not_utf16(path: Path, head: bytes) -> None:
    """One message for UTF-16 text in every reader (it was refused as "binary (38% NUL bytes)")."""
    if looks_utf16(head):
        raise InputError(
            "is UTF-16 text (as Excel's 'Unicode Text' saves it), which the readers do not take",
            file=path,
            expected="the file re-saved as UTF-8 (CSV UTF-8), or a GACC export as downloaded",
        )


def check_raw_file(path: Path, kind: str, root: Path = PROJECT_ROOT) -> None:
    """Refuse, in one line, a file that leaves the project, is empty, binary or larger than `kind` allows."""
    path = Path(path)
    check_location(path, root)
    if not path.is_file():
        raise InputError("is not a regular file", file=path)
    size = path.stat().st_size
    if size == 0:
        raise InputError("file is empty", file=path, expected="a header line and data rows")
    limit = MAX_BYTES.get(kind)
    if limit is not None and size > limit:
        raise InputError(
            f"file is {size / MB:,.0f} MB, above the {limit / MB:,.0f} MB this format can be",
            file=path,
            expected=f"a {kind.replace('_', ' ')} file of at most {limit / MB:,.0f} MB "
            "(split the query or check the file is the right one)",
        )
    head = sniff(path)
    if kind == "gacc_xlsx":
        return  # a zip by nature; the xlsx reader gives its own one-line error for anything else
    check_not_utf16(path, head)
    if b"\x00" in head:
        share = head.count(b"\x00") / max(1, len(head))
        raise InputError(
            f"is a binary file, not text ({share:.0%} NUL bytes in the first {len(head):,} bytes)",
            file=path,
            expected="CSV/TSV/JSON/HTML text as downloaded",
        )
    if head.startswith(ZIP_MAGIC):
        raise InputError(
            "is a zip archive, not text",
            file=path,
            expected="the unzipped CSV (or name a spreadsheet .xlsx)",
        )
