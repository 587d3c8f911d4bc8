"""CSV text -> rows, with one rule for a file that was cut off (issue 23, point 2).

An interrupted download ends inside a row: the last line has no final newline, or a quoted field is
never closed. Read as usual, that row's value is a prefix of the real one ("32,600" of "32,600,000")
and flows into a sum as a smaller number. Every CSV reader of `sources` splits its rows here, so the
row is named (make inspect flags it, the build refuses the file) and never summed.
"""

import codecs
import csv
import io
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from .raw_guard import SNIFF_BYTES, check_not_utf16


class CutRowError(InputError, ValueError):
    """The file ends inside a row; the message names the file and the row."""


def cut_row(path, row: int) -> CutRowError:
    return CutRowError(
        "the file ends inside this row (no final newline, or a quote never closed): it was cut off, "
        "e.g. by an interrupted download, and the row's numbers would be wrong",
        file=path,
        row=row,
        expected="the complete file (download it again)",
    )


CUT_REASON = "the file ends inside this row (cut off?): not read; download the file again"


def csv_rows(lines, delimiter: str = ","):
    """(cells, complete) for each record of `lines` (an open text file, newline=''): `complete` is False
    only for the last record when the text ends inside it."""
    record = [[]]  # the lines of the record being read (only the last record's are ever joined)

    def tracked():
        for line in lines:
            record[0].append(line)
            yield line

    held = last = None
    for cells in csv.reader(tracked(), delimiter=delimiter):
        if held is not None:
            yield held, True
        held, last, record[0] = cells, record[0], []
    if held is not None:
        yield held, _ends_cleanly("".join(last), delimiter)


def _ends_cleanly(raw: str, delimiter: str) -> bool:
    if not raw.endswith(("\n", "\r")):
        return False
    try:  # the lenient reader returns a quoted field still open at the end of the file as if closed
        list(csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as error:
        return "unexpected end of data" not in str(error)
    return True


def blank(cells) -> bool:
    return not "".join(map(str, cells)).strip()


def check_last_line(path: Path) -> None:
    """For files scanned by DuckDB, one line per record: refuse a plain file whose last byte is not a
    line end, naming its last row (a cut .gz stream fails to decompress instead)."""
    path = Path(path)
    if path.name.lower().endswith(".gz"):
        return
    with open(path, "rb") as handle:
        if handle.seek(0, 2) == 0:
            return
        handle.seek(-1, 2)
        if handle.read(1) in (b"\n", b"\r"):
            return
        handle.seek(0)
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    raise cut_row(path, lines)  # the header ends the first line: data row N ends line N + 1


def check_header(path, header: list[str], expected, extra_ok: bool = False) -> None:
    """The one header rule of the CSV readers: the expected columns, each once, in any order; refused
    naming the first missing column (and what stands in its place), else the first extra one, unless
    `extra_ok` (then extra columns are left for the reader to ignore)."""
    missing = [name for name in expected if name not in header]
    extra = [] if extra_ok and not missing else [name for name in header if name not in expected]
    if missing or extra:
        instead = f"; found unexpected column '{extra[0]}' instead (renamed?)" if extra else ""
        raise InputError(
            "column is missing" + instead if missing else "unexpected column",
            file=path,
            column=(missing or extra)[0],
            expected=("columns " if missing else "only ") + ", ".join(expected),
        )
    if len(set(header)) != len(header):
        raise InputError("duplicate column names in header", file=path)


def raw_files(directory: Path, endings=(".csv",)) -> list[Path]:
    """The raw files of a folder with these endings (none when it is absent), hidden files, sidecars
    and partial downloads (.tmp, .part) left out."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(
        p
        for p in directory.iterdir()
        if p.name.lower().endswith(endings)
        and not p.name.endswith((".meta.json", ".tmp", ".part"))
        and not p.name.startswith(".")
    )


def read_csv_as_text(path: Path) -> pd.DataFrame:
    """Every field as stripped text (nothing guessed) of a UTF-8 file; a row with a wrong number of
    fields, or the row a cut-off file ends inside, stops with its row number (blank lines are not
    counted); so does a file without data rows. attrs['notes'] says if a byte-order mark went."""
    path = Path(path)
    data = path.read_bytes()
    check_not_utf16(path, data[:SNIFF_BYTES])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        hint = " (looks like GBK/GB2312 from a Chinese export: re-save it as UTF-8)"
        raise InputError(
            f"not UTF-8 text at byte {error.start}{hint if _decodes(data, 'gbk') else ''}",
            file=path,
            expected="UTF-8 encoding",
        ) from None
    rows = [row for row in csv_rows(io.StringIO(text, newline="")) if not blank(row[0])]
    if len(rows) < 2:
        what = "header only, no data rows" if rows else "file is empty"
        raise InputError(what, file=path, expected="a header line and data rows")
    header = [name.strip() for name in rows[0][0]]
    body = [cells for cells, _ in rows[1:]]
    if not rows[-1][1]:
        raise cut_row(path, len(body))
    short = next((n for n, cells in enumerate(body, start=1) if len(cells) != len(header)), None)
    if short is not None:
        raise InputError(
            f"has {len(body[short - 1])} fields, header has {len(header)} (a decimal comma, a stray "
            "comma or a row cut short?)",
            file=path,
            row=short,
            expected="one field per column: plain numbers such as 3185.86, text with commas quoted",
        )
    frame = pd.DataFrame(body, columns=header, dtype=str).apply(lambda column: column.str.strip())
    frame.attrs["notes"] = (
        ["UTF-8 byte-order mark removed"] if data.startswith(codecs.BOM_UTF8) else []
    )
    return frame


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError:
        return False
