"""One rule for a number and one for a commodity code, for every reader in `sources` (issue 20).

Numbers: ASCII digits with an optional sign, decimal point and exponent ("1.5e9", as programs write
large numbers; "+5", ".5"); "", "-" and "--" are no number (None, NaN in a column), an error where the
field is required. Digit groups ("1,234,567") only where the format writes them (GACC: grouped=True),
else refused as a thousands separator; a decimal comma ("1,5") is refused everywhere: neither is
guessed. The value is finite, and negative only in a field of changes (signed=True). A format's own
word for "unknown" (BACI's `NA`) is its reader's to blank out before the rule.

Commodity codes: ASCII digits, 2, 4, 6, 8 or 10 of them, kept as text: a lost leading zero is an error,
never padded here (only BACI's reader pads, because CEPII's `k` is six digits by definition). "TOTAL"
where the format has an all-goods row (Comtrade); a range such as "84-90" only where the format has
ranges (the wire's commodity rows). The group config's HS codes follow the same rule.

What the readers disagreed on before (a regression test each, tests/test_fields.py):
- the wire CSVs refused "1e3", "+5" and ".5", which Comtrade and GACC exports read, and called "-" not
  a number where the others read it as an empty field;
- digits of other scripts ("１２３", fullwidth) were numbers in the wire CSVs, BACI, the fuel rows and
  Comtrade's row reader, while Comtrade's DuckDB scan refused the same row;
- a negative BACI value or quantity, and a negative fuel quantity, passed;
- the GACC English table read "12,34" as 1234 and stopped on "1 000" with a bare ValueError;
- Comtrade's row reader stopped with a TypeError on a primaryValue of "-" (the DuckDB scan refused it);
- a code in fullwidth digits passed the wire check, BACI and the group config, not Comtrade or GACC;
  Comtrade's partner and breakdown codes (and its period) in fullwidth digits passed the row reader,
  not the scan;
- the group config refused a 10-digit code that every reader accepts.
A failure is a FieldError (an InputError) naming file, row, column and value.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING

from ..core.errors import InputError, excerpt

if TYPE_CHECKING:  # the config check reads codes without pandas (a second of imports)
    import pandas as pd

NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", re.ASCII)
GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII)
DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}", re.ASCII)
NO_NUMBER = ("", "-", "--")
CODE_LENGTHS = (2, 4, 6, 8, 10)
CODE = re.compile("|".join(rf"\d{{{n}}}" for n in CODE_LENGTHS), re.ASCII)
DIGITS = re.compile(r"\d+", re.ASCII)
# The editions of the HS a code may belong to, newest first (Comtrade's classificationCode H6..H0).
HS_EDITIONS = ("HS2022", "HS2017", "HS2012", "HS2007", "HS2002", "HS1996", "HS1992")


class FieldError(InputError, ValueError):
    """A field breaks the number or code rule; the message names file, row, column and value."""


def field_text(value) -> str:
    """The field as stripped text ("" when absent: None or NaN)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip().replace("，", ",")  # a fullwidth comma from a Chinese spreadsheet


def number(
    value, *, file=None, row=None, column=None, signed=False, grouped=False, required=False
) -> float | None:
    """The number a raw field holds, or None for an empty field ("", "-", "--")."""
    text = field_text(value)
    where, shown = {"file": file, "row": row, "column": column}, f"value {excerpt(text, 30)}"
    if text in NO_NUMBER:
        if required:
            raise FieldError(f"{shown} is empty", **where, expected="a number (required)")
        return None
    plain = text.replace(",", "") if grouped and GROUPED.fullmatch(text) else text
    if not NUMBER.fullmatch(plain):
        problem, expected = (
            ("has a thousands separator", "a plain number such as 1000 or 1000.5")
            if GROUPED.fullmatch(text)
            else ("uses a decimal comma", "a decimal point, e.g. 1.5")
            if DECIMAL_COMMA.fullmatch(text)
            else (
                "is not a number",
                "a number"
                + (" (digit groups as 1,234,567 allowed)" if grouped else "")
                + ("" if required else " or an empty field"),
            )
        )
        raise FieldError(f"{shown} {problem}", **where, expected=expected)
    result = float(plain)
    if not math.isfinite(result):
        raise FieldError(f"{shown} is not finite", **where, expected="a number")
    if result < 0 and not signed:
        raise FieldError(f"{shown} is negative", **where, expected="a non-negative amount")
    return result


def is_number(value, grouped: bool = False) -> bool:
    """Would `number` read a number here (not an empty field, not an error)?"""
    try:
        return number(value, signed=True, grouped=grouped) is not None
    except FieldError:
        return False


def numbers(texts: pd.Series, *, file=None, column=None, rows=None, **rule) -> pd.Series:
    """`number` over a whole column at pandas speed (rule: its signed, grouped, required): floats,
    NaN for an empty field; the first field refused raises `number`'s error, naming `rows`' number."""
    text = texts.fillna("").astype(str).str.strip().str.replace("，", ",", regex=False)
    if rule.get("grouped"):
        grouped = text.str.fullmatch(GROUPED.pattern, flags=re.ASCII)
        text = text.where(~grouped, text.str.replace(",", ""))
    ok = text.str.fullmatch(NUMBER.pattern, flags=re.ASCII)
    values = text.where(ok, "nan").astype(float)  # Python's float(), as `number`
    good = ok & values.abs().lt(math.inf) & (rule.get("signed", False) or values.ge(0))
    good |= text.isin(NO_NUMBER) & (not rule.get("required"))
    _first_refused(
        good, texts, rows, lambda text, row: number(text, file=file, row=row, column=column, **rule)
    )
    return values.rename(texts.name)


def commodity_code(
    value,
    *,
    file=None,
    row=None,
    column=None,
    allow_total=False,
    allow_range=False,
    what="commodity code",
) -> str:
    """A commodity code kept as text ('TOTAL' where the format has an all-goods row; 'a-b' where it
    has ranges). `what` names the field in the message (the group config: "HS code")."""
    code = field_text(value)
    if allow_total and code.upper() == "TOTAL":
        return "TOTAL"
    where, shown = {"file": file, "row": row, "column": column}, f"{what} {excerpt(code, 20)}"
    rule = "2, 4, 6, 8 or 10 digits 0-9 kept as text"
    for part in code.split("-") if allow_range and code.count("-") == 1 else [code]:
        if not DIGITS.fullmatch(part):
            example = ", e.g. 0303" + (", or a range such as 84-90" if allow_range else "")
            raise FieldError(f"{shown} is not digits", **where, expected=rule + example)
        if not CODE.fullmatch(part):
            lost = len(part) % 2 == 1 and len(part) < max(CODE_LENGTHS)
            raise FieldError(
                f"{shown} has {len(part)} digit{'s' * (len(part) > 1)}"
                + (": leading zero lost?" if lost else ""),
                **where,
                expected=(f"'0{part}': " if lost else "") + rule,
            )
    return code


def commodity_codes(codes: pd.Series, *, file=None, column=None, rows=None) -> None:
    """`commodity_code` over a whole column at pandas speed; the first bad code raises its error."""
    good = codes.fillna("").astype(str).str.strip().str.fullmatch(CODE.pattern, flags=re.ASCII)
    _first_refused(
        good, codes, rows, lambda code, row: commodity_code(code, file=file, row=row, column=column)
    )


def first_invalid(ok: pd.Series, texts: pd.Series, *, file, column, expected, rows=None) -> None:
    """A format's own rule over a column (a period, a country code): the first field `ok` marks False
    is refused as not valid."""

    def refuse(text, row):
        raise FieldError(
            f"value {excerpt(text, 30)} is not valid" if str(text).strip() else "field is empty",
            file=file,
            row=row,
            column=column,
            expected=expected,
        )

    _first_refused(ok, texts, rows, refuse)


def _first_refused(good: pd.Series, texts: pd.Series, rows, refuse) -> None:
    """refuse(text, row) -- the one-cell rule, which raises -- on the first field `good` marks False."""
    if not good.all():
        first = int((~good).to_numpy().nonzero()[0][0])
        refuse(texts.iloc[first], list(rows)[first] if rows is not None else first + 1)
        raise AssertionError(f"the column and the cell rule disagree on {texts.iloc[first]!r}")
