"""Row-level rules for every HS-level raw format (Comtrade API/bulk, GACC query exports), in one place.

Each reader turns raw text into numbers and codes by the one rule of helpers.sources.fields (amounts
through `amount`, which adds the plausible bound) as it reads each row. A failure is one line naming
file, row, column and value (an InputError). Plain code rather than pandera: the checks are few, and
each must name the raw row and column, which only the reader knows.

The rules (issue 13, point 3):
- amounts are finite, non-negative and below a plausibility bound per row (PLAUSIBLE_MAX);
- required fields are present: a truncated row is an error, not a row of blanks;
- commodity codes as helpers.sources.fields says: 2, 4, 6, 8 or 10 ASCII digits, never padded;
- periods lie between FIRST_PLAUSIBLE_YEAR and the current month; months are 1-12.
"""

import datetime as dt

from ..core.errors import InputError, excerpt
from .fields import field_text, number


class RowRuleError(InputError, ValueError):
    """A raw row breaks one of the rules above; the message names file, row, column and value."""


# Per raw row, in the file's own unit (US$ or yuan, not millions). China's whole annual trade with the
# World is ~6e12 US$; a single row above 1e13 US$ (7e13 yuan at any rate seen) is a corrupt number.
PLAUSIBLE_MAX = {"usd": 1e13, "cny": 1e14, "quantity": 1e14}
FIRST_PLAUSIBLE_YEAR = 2000  # the briefing's raw sources start in 2017; Comtrade H1+ data in 2000s


def require(record: dict, fields, *, file, row) -> None:
    """Every field in `fields` present and non-empty (a truncated or blank-padded row is refused)."""
    for name in fields:
        if not field_text(record.get(name)):
            raise RowRuleError(
                "required field is empty (truncated row?)",
                file=file,
                row=row,
                column=name,
                expected="every required field filled, as the source writes it",
            )


def amount(
    text, *, file, row, column, kind: str, grouped: bool = False, required: bool = False
) -> float | None:
    """Raw amount -> float in the file's unit (helpers.sources.fields' number rule), None when empty,
    at most PLAUSIBLE_MAX[kind] ('usd', 'cny' or 'quantity'). grouped: digit groups as the format
    writes them (GACC: "5,848,714"); required: an empty field ("-") is an error."""
    value = number(text, file=file, row=row, column=column, grouped=grouped, required=required)
    bound = PLAUSIBLE_MAX[kind]
    if value is not None and value > bound:  # `number` refused negative and non-finite values
        raise RowRuleError(
            f"value {excerpt(str(text).strip(), 30)} is implausibly large",
            file=file,
            row=row,
            column=column,
            expected=f"a finite amount from 0 to {bound:.0e} per row "
            f"({'quantity' if kind == 'quantity' else kind.upper()})",
        )
    return value


def period(year: int, month: int | None, *, file, row, column, today: dt.date | None = None) -> str:
    """'YYYY-MM' (month 1-12) or 'YYYY' (month None), within the plausible range."""
    today = today or dt.date.today()
    if month is not None and not 1 <= month <= 12:
        raise RowRuleError(
            f"month {month} is outside 1-12",
            file=file,
            row=row,
            column=column,
            expected="a month 1-12 (Comtrade marks annual rows with freqCode A)",
        )
    if not FIRST_PLAUSIBLE_YEAR <= year <= today.year:
        raise RowRuleError(
            f"period year {year} is outside {FIRST_PLAUSIBLE_YEAR}-{today.year}",
            file=file,
            row=row,
            column=column,
            expected=f"a period from {FIRST_PLAUSIBLE_YEAR} to {today:%Y-%m}",
        )
    if month is None:
        return f"{year:04d}"
    text = f"{year:04d}-{month:02d}"
    if text > today.strftime("%Y-%m"):
        raise RowRuleError(
            f"period {text} is in the future",
            file=file,
            row=row,
            column=column,
            expected=f"a month up to {today:%Y-%m}",
        )
    return text
