"""Schemas of the raw files and a strict reader: every problem names file, row, column and expectation.

The raw CSVs are read as text and each field is checked before any number is trusted, because a
hand-exported spreadsheet fails in ways pandas would silently "fix" (thousands separators, decimal
commas, lost leading zeros, stray encodings). Numbers and HS codes follow the one rule of every reader
(helpers.sources.fields); periods, allowed values and units are the wire files' own.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from ..core.yaml_config import sources_config
from .fields import commodity_code, first_invalid, is_number, number, numbers
from .text_rows import check_header, read_csv_as_text

PERIOD_YEAR = re.compile(r"^(19|20)\d{2}$")
PERIOD_MONTH = re.compile(r"^(19|20)\d{2}-(0[1-9]|1[0-2])$")


CITED = ("source_url", "publisher", "quote")  # every row names where its number was published
CITATION = ("source_url", "publisher", "published_date", "quote")  # the last columns of every file
SPANS, FLOWS = {"month", "ytd", "year"}, {"export", "import", "total"}


@dataclass(frozen=True)
class FileSchema:
    columns: tuple
    allowed: dict = field(default_factory=dict)  # column -> allowed values
    non_negative: tuple = ()  # numeric columns that must be >= 0
    signed: tuple = ()  # numeric columns that may be negative
    required_text: tuple = CITED
    numeric_text: tuple = ()  # numbers that may also be phrases ("over 40")
    optional_when_no_value: tuple = ()  # may be empty on rows without a value


TOTALS_SCHEMA = FileSchema(
    columns=(*"period span flow value_usd_mn yoy_pct currency_note".split(), *CITATION),
    allowed={"span": SPANS, "flow": FLOWS, "currency_note": {"usd", "cny"}},
    non_negative=("value_usd_mn",),
    signed=("yoy_pct",),
)
COMMODITIES_SCHEMA = FileSchema(
    columns=(*"period span flow commodity hs_code measure value unit yoy_pct".split(), *CITATION),
    allowed={"span": SPANS, "flow": FLOWS, "measure": {"value", "quantity"}},
    non_negative=("value",),
    signed=("yoy_pct",),
    required_text=(*CITED, "commodity"),
    optional_when_no_value=("measure",),
)
CONTEXT_SCHEMA = FileSchema(
    columns=(*"topic entity period measure value unit".split(), *CITATION),
    required_text=(*"topic entity period measure unit".split(), *CITED),
    numeric_text=("value",),
)


def read_text_table(path: Path, schema: FileSchema) -> tuple[pd.DataFrame, list[str]]:
    """The raw CSV as text columns (helpers.sources.text_rows), its header checked. Returns (frame, notes)."""
    path = Path(path)
    frame = read_csv_as_text(path)
    check_header(path, list(frame.columns), schema.columns)
    notes = frame.attrs.pop("notes")
    frame.insert(0, "source_row", range(1, len(frame) + 1))
    return frame, notes


def check_period(text: str, span: str | None, *, path, row, today: dt.date) -> None:
    def refuse(what: str, expected: str | None = None):
        raise InputError(what, file=path, row=row, column="period", expected=expected)

    if span == "year" or (span is None and PERIOD_YEAR.match(text)):
        if not PERIOD_YEAR.match(text):
            refuse(f"period '{text}' does not match span 'year'", "YYYY")
        if int(text) > today.year:
            refuse(f"period {text} is in the future")
    elif not PERIOD_MONTH.match(text):
        refuse(f"period '{text}' is malformed", "YYYY-MM for month/ytd rows, YYYY for year rows")
    elif text > today.strftime("%Y-%m"):
        refuse(f"period {text} is in the future", f"a month up to {today:%Y-%m}")
    elif span == "ytd" and text.endswith("-01"):
        refuse(
            f"ytd period {text} covers January alone",
            "GACC's first year-to-date release, January–February (YYYY-02)",
        )


def validate_table(
    path: Path, schema: FileSchema, today: dt.date | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """Check every field; return numeric columns as floats and a list of recoverable notes."""
    today = today or dt.date.today()
    frame, notes = read_text_table(path, schema)
    where = {"file": path, "rows": frame.source_row}
    for column, allowed in schema.allowed.items():
        # A row that published only a change ("fell 40%") has no measure: allowed, left empty.
        ok = frame[column].isin(allowed)
        ok |= (column in schema.optional_when_no_value) & (frame[column] == "")
        expected = "one of " + ", ".join(sorted(allowed))
        first_invalid(ok, frame[column], column=column, expected=expected, **where)
    for column in schema.required_text:
        expected = "a non-empty source field"
        first_invalid(frame[column] != "", frame[column], column=column, expected=expected, **where)
    for column in schema.non_negative + schema.signed:
        frame[column] = numbers(
            frame[column], column=column, signed=column in schema.signed, **where
        )
    for column in schema.numeric_text:  # a phrase ("over 40") is no number here
        frame[column + "_number"] = [
            number(text, signed=True) if is_number(text) else float("nan") for text in frame[column]
        ]
    if "span" in frame:
        for text, span, row in zip(frame.period, frame.span, frame.source_row):
            check_period(text, span, path=path, row=row, today=today)
    if "hs_code" in frame:
        for code, row in zip(frame.hs_code, frame.source_row):
            if code.strip():  # a row of all goods has no code
                commodity_code(code, file=path, row=row, column="hs_code", allow_range=True)
    if "measure" in schema.allowed:  # commodity rows; context facts carry free-text measures
        for column in ("measure", "unit"):  # on every row with a value
            ok = frame.value.isna() | (frame[column] != "")
            expected = "measure value|quantity and a unit on every row with a value"
            first_invalid(ok, frame[column], column=column, expected=expected, **where)
        check_units(frame, path)
    return frame, notes


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
