"""Schemas of the raw files and a strict reader: every problem names file, row, column and expectation.

The raw CSVs are read as text and each field is checked before any number is trusted, because a
hand-exported spreadsheet fails in ways pandas would silently "fix" (thousands separators, decimal
commas, lost leading zeros, stray encodings).
"""

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from ..core.text import NUMBER
from ..core.yaml_config import sources_config
from .raw_guard import SNIFF_BYTES, check_not_utf16
from .text_rows import blank, csv_rows, cut_row

THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")
PERIOD_YEAR = re.compile(r"^(19|20)\d{2}$")
PERIOD_MONTH = re.compile(r"^(19|20)\d{2}-(0[1-9]|1[0-2])$")
HS_CODE = re.compile(r"^\d{2,10}(-\d{2,10})?$")


@dataclass(frozen=True)
class FileSchema:
    columns: tuple
    allowed: dict = field(default_factory=dict)  # column -> allowed values
    non_negative: tuple = ()  # numeric columns that must be >= 0
    signed: tuple = ()  # numeric columns that may be negative
    required_text: tuple = ("source_url", "publisher", "quote")
    numeric_text: tuple = ()  # numbers that may also be phrases ("over 40")
    optional_when_no_value: tuple = ()  # may be empty on rows without a value


TOTALS_SCHEMA = FileSchema(
    columns=(
        "period",
        "span",
        "flow",
        "value_usd_mn",
        "yoy_pct",
        "currency_note",
        "source_url",
        "publisher",
        "published_date",
        "quote",
    ),
    allowed={
        "span": {"month", "ytd", "year"},
        "flow": {"export", "import", "total"},
        "currency_note": {"usd", "cny"},
    },
    non_negative=("value_usd_mn",),
    signed=("yoy_pct",),
)

COMMODITIES_SCHEMA = FileSchema(
    columns=(
        "period",
        "span",
        "flow",
        "commodity",
        "hs_code",
        "measure",
        "value",
        "unit",
        "yoy_pct",
        "source_url",
        "publisher",
        "published_date",
        "quote",
    ),
    allowed={
        "span": {"month", "ytd", "year"},
        "flow": {"export", "import", "total"},
        "measure": {"value", "quantity"},
    },
    non_negative=("value",),
    signed=("yoy_pct",),
    required_text=("source_url", "publisher", "quote", "commodity"),
    optional_when_no_value=("measure",),
)

CONTEXT_SCHEMA = FileSchema(
    columns=(
        "topic",
        "entity",
        "period",
        "measure",
        "value",
        "unit",
        "source_url",
        "publisher",
        "published_date",
        "quote",
    ),
    required_text=(
        "topic",
        "entity",
        "period",
        "measure",
        "unit",
        "source_url",
        "publisher",
        "quote",
    ),
    numeric_text=("value",),
)


def read_text_table(path: Path, schema: FileSchema) -> tuple[pd.DataFrame, list[str]]:
    """Decode and split a raw CSV into text columns, checking the header. Returns (frame, notes)."""
    path = Path(path)
    data = path.read_bytes()
    notes = []
    if not data.strip():
        raise InputError("file is empty", file=path, expected="a header line and data rows")
    check_not_utf16(path, data[:SNIFF_BYTES])
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        notes.append("UTF-8 byte-order mark removed")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        hint = (
            " (looks like GBK/GB2312 from a Chinese export: re-save it as UTF-8)"
            if _looks_gbk(data)
            else ""
        )
        raise InputError(
            f"not UTF-8 text at byte {error.start}{hint}", file=path, expected="UTF-8 encoding"
        ) from None
    rows = list(csv_rows(io.StringIO(text, newline="")))
    header = [name.strip() for name in rows[0][0]]
    _check_header(path, header, schema)
    body = [(row, complete) for row, complete in rows[1:] if not blank(row)]
    if not body:
        raise InputError("header only, no data rows", file=path)
    for number, (row, complete) in enumerate(body, start=1):
        if not complete:
            raise cut_row(path, number)
        if len(row) != len(header):
            raise InputError(
                f"has {len(row)} fields, header has {len(header)}",
                file=path,
                row=number,
                expected="one field per column (quote text containing commas)",
            )
    frame = pd.DataFrame([row for row, _ in body], columns=header, dtype="str")
    frame.insert(0, "source_row", range(1, len(frame) + 1))
    return frame, notes


def _looks_gbk(data: bytes) -> bool:
    try:
        data.decode("gbk")
        return True
    except UnicodeDecodeError:
        return False


def _check_header(path, header, schema):
    expected = list(schema.columns)
    missing = [name for name in expected if name not in header]
    extra = [name for name in header if name not in expected]
    if missing and extra:
        raise InputError(
            f"column '{missing[0]}' is missing; found unexpected column '{extra[0]}' "
            "instead (renamed?)",
            file=path,
            column=missing[0],
            expected="columns " + ", ".join(expected),
        )
    if missing:
        raise InputError(
            "column is missing",
            file=path,
            column=missing[0],
            expected="columns " + ", ".join(expected),
        )
    if extra:
        raise InputError(
            "unexpected column", file=path, column=extra[0], expected="only " + ", ".join(expected)
        )
    if len(set(header)) != len(header):
        raise InputError("duplicate column names in header", file=path)


def parse_number(text: str, *, path, row, column, allow_negative: bool) -> float:
    """Strict number parsing: '1,000' and '1,5' are refused rather than guessed."""
    text = text.strip()
    if text == "":
        return float("nan")
    if THOUSANDS.match(text):
        raise InputError(
            f"value '{text}' has a thousands separator",
            file=path,
            row=row,
            column=column,
            expected="a plain number such as 1000 or 1000.5",
        )
    if DECIMAL_COMMA.match(text):
        raise InputError(
            f"value '{text}' uses a decimal comma",
            file=path,
            row=row,
            column=column,
            expected="a decimal point, e.g. 1.5",
        )
    if not NUMBER.match(text):
        raise InputError(
            f"value '{text}' is not a number",
            file=path,
            row=row,
            column=column,
            expected="a number or an empty field",
        )
    number = float(text)
    if number < 0 and not allow_negative:
        raise InputError(
            f"value {text} is negative",
            file=path,
            row=row,
            column=column,
            expected="a non-negative amount",
        )
    return number


def check_period(text: str, span: str | None, *, path, row, today: dt.date) -> None:
    if span == "year" or (span is None and PERIOD_YEAR.match(text)):
        if not PERIOD_YEAR.match(text):
            raise InputError(
                f"period '{text}' does not match span 'year'",
                file=path,
                row=row,
                column="period",
                expected="YYYY",
            )
        if int(text) > today.year:
            raise InputError(f"period {text} is in the future", file=path, row=row, column="period")
        return
    if not PERIOD_MONTH.match(text):
        raise InputError(
            f"period '{text}' is malformed",
            file=path,
            row=row,
            column="period",
            expected="YYYY-MM for month/ytd rows, YYYY for year rows",
        )
    if text > today.strftime("%Y-%m"):
        raise InputError(
            f"period {text} is in the future",
            file=path,
            row=row,
            column="period",
            expected=f"a month up to {today:%Y-%m}",
        )
    if span == "ytd" and text.endswith("-01"):
        raise InputError(
            f"ytd period {text} covers January alone",
            file=path,
            row=row,
            column="period",
            expected="GACC's first year-to-date release, January–February (YYYY-02)",
        )


def validate_table(
    path: Path, schema: FileSchema, today: dt.date | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Check every field; return numeric columns as floats and a list of recoverable notes."""
    today = today or dt.date.today()
    frame, notes = read_text_table(path, schema)
    for column, allowed in schema.allowed.items():
        # A row that published only a change ("fell 40%") has no measure: allowed, left empty.
        optional = column in schema.optional_when_no_value
        bad = frame.loc[~frame[column].isin(allowed) & ~(optional & (frame[column] == ""))]
        if len(bad):
            first = bad.iloc[0]
            raise InputError(
                f"'{first[column]}' is not an allowed value",
                file=path,
                row=first.source_row,
                column=column,
                expected="one of " + ", ".join(sorted(allowed)),
            )
    for column in schema.required_text:
        empty = frame.loc[frame[column].str.strip() == ""]
        if len(empty):
            raise InputError(
                "is empty",
                file=path,
                row=empty.iloc[0].source_row,
                column=column,
                expected="a non-empty source field",
            )
    for column in schema.non_negative + schema.signed:
        frame[column] = [
            parse_number(
                text, path=path, row=row, column=column, allow_negative=column in schema.signed
            )
            for text, row in zip(frame[column], frame.source_row)
        ]
    for column in schema.numeric_text:
        frame[column + "_number"] = pd.to_numeric(
            frame[column].where(frame[column].str.match(NUMBER)), errors="coerce"
        )
    if "span" in frame:
        for text, span, row in zip(frame.period, frame.span, frame.source_row):
            check_period(text, span, path=path, row=row, today=today)
    if "hs_code" in frame:
        for code, row in zip(frame.hs_code, frame.source_row):
            check_hs_code(code, path=path, row=row)
    if (
        "measure" in schema.allowed
    ):  # customs commodity rows; context facts carry free-text measures
        check_measure_present(frame, path)
        check_units(frame, path)
    return frame, notes


def check_hs_code(code: str, *, path, row) -> None:
    code = code.strip()
    if code == "":
        return
    if not re.match(r"^\d+(-\d+)?$", code):
        raise InputError(
            f"HS code '{code}' is not digits",
            file=path,
            row=row,
            column="hs_code",
            expected="an HS code such as 0303, 8703 or a range 84-90",
        )
    for part in code.split("-"):
        # checked before the length, so '3' (from '03') is reported as a lost zero, not as "not digits"
        if len(part) % 2:
            raise InputError(
                f"HS code '{code}' has an odd number of digits — leading zero lost?",
                file=path,
                row=row,
                column="hs_code",
                expected=f"'0{part}'",
            )
    if not HS_CODE.match(code):
        raise InputError(
            f"HS code '{code}' is too long",
            file=path,
            row=row,
            column="hs_code",
            expected="2 to 10 digits per code, e.g. 0303 or 87032342",
        )


def check_measure_present(frame: pd.DataFrame, path) -> None:
    for measure, unit, value, row in zip(frame.measure, frame.unit, frame.value, frame.source_row):
        if pd.notna(value) and (measure == "" or unit == ""):
            raise InputError(
                "a value without its measure/unit",
                file=path,
                row=row,
                column="measure" if measure == "" else "unit",
                expected="measure value|quantity and a unit on every row with a value",
            )


def check_units(frame: pd.DataFrame, path) -> None:
    units = sources_config()["units"]
    for measure, unit, value, row in zip(frame.measure, frame.unit, frame.value, frame.source_row):
        if measure == "" or unit in units["excluded"] or (unit == "" and pd.isna(value)):
            continue
        if unit not in units[measure]:
            raise InputError(
                f"unknown unit '{unit}' for measure '{measure}'",
                file=path,
                row=row,
                column="unit",
                expected="one of "
                + ", ".join(units[measure])
                + " (or add it to config/sources.yaml)",
            )
