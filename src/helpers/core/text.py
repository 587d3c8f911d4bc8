"""Number and period formatting shared by every narrative sentence (so all sections read alike)."""

import calendar
import math

import pandas as pd


def usd_bn(value_usd_mn: float, decimals: int = 1) -> str:
    """30412.0 -> '$30.4bn' (decimals=2: '$30.41bn', where tenths would hide a difference)."""
    return f"${value_usd_mn / 1000:,.{decimals}f}bn"


def word_list(items) -> str:
    """['coal', 'LNG', 'pipeline gas'] -> 'coal, LNG and pipeline gas'."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def outlet_name(publisher: str) -> str:
    """'Dar El Hilal (Arabic, citing Chinese customs)' -> 'Dar El Hilal'; 'News Front (Spanish), citing …' ->
    'News Front': an outlet's name without the notes the data file adds to it."""
    return str(publisher).split(" (")[0].split(",")[0]


def publisher_and_row(source: str) -> tuple[str, str]:
    """'bne IntelliNews, citing TASS (row 347) https://…' -> ('bne IntelliNews, citing TASS', '347'); a source
    without a row number -> (source, '')."""
    source = source.split(" http")[0]
    if "(row " not in source:
        return source, ""
    name, row = source.rsplit(" (row ", 1)
    return name, row.split(")")[0]


COUNT_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def count_word(n: int) -> str:
    """A count as a wire writes it: 'seven' up to nine, '12' from ten on."""
    return COUNT_WORDS[n] if 0 <= n < len(COUNT_WORDS) else str(n)


def month_year(period: str) -> str:
    """'2026-07' -> 'July 2026' (a month as a reader says it)."""
    return f"{calendar.month_name[int(period[5:7])]} {period[:4]}"


def signed_pct(value: float, decimals: int | None = 1) -> str:
    """'+12.3%' or '−4.5%' (a true minus sign, as the charts print it); decimals=None writes the number
    as short as it is ('−46%', '+137%': the story's own figures). A change that rounds to zero has no
    sign ('0.0%', never '−0.0%')."""
    number = f"{value:+g}" if decimals is None else f"{value:+.{decimals}f}"
    if float(number) == 0:
        number = number[1:]
    return number.replace("-", "−") + "%"


def percentage_points(value: float) -> str:
    """'1 point', '2 points', '0.5 points' (a tolerance in percentage points)."""
    return f"{value:g} point{'' if value == 1 else 's'}"


def pct(value: float, decimals: int = 1) -> str:
    return f"{abs(value):.{decimals}f}%"


def direction(
    change_pct: float, up: str = "up", down: str = "down", flat: str = "unchanged"
) -> str:
    if change_pct is None or math.isnan(change_pct):
        return "n/a"
    return up if change_pct > 0 else (down if change_pct < 0 else flat)


def month_name(period: str) -> str:
    return calendar.month_name[int(period[5:7])]


def day_label(date: str) -> str:
    """'2025-08-28' -> '28 August 2025'."""
    return f"{int(date[8:10])} {calendar.month_name[int(date[5:7])]} {date[:4]}"


def span_label(period_end: str) -> str:
    """'January–July 2025', or 'full-year 2024' for December."""
    year, month = period_end[:4], int(period_end[5:7])
    if month == 12:
        return f"full-year {year}"
    if month == 2:
        return f"January–February {year}"
    return f"January–{month_name(period_end)} {year}"


def is_missing(value) -> bool:
    """None, NaN or pandas' NA (a nullable column's missing value)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# The kinds of real customs files, as the build log and Data and methods count them (files, rows each):
# HS-level = data/raw/comtrade and data/raw/gacc, fuel = data/raw/fuel, BACI = data/raw/baci.
RAW_KINDS = ("HS-level", "fuel", "BACI")


def raw_rows_count(parts: dict) -> str:
    """'87,191 real customs observations (value and quantity apart) from 4 files (1 HS-level file, 96;
    2 fuel files, 556; 1 BACI file, 86,539)'."""
    files, rows = (sum(part[i] for part in parts.values()) for i in (0, 1))
    each = "; ".join(
        f"{n} {name} file{'' if n == 1 else 's'}, {r:,}" for name, (n, r) in parts.items()
    )
    return (
        f"{rows:,} real customs observations (value and quantity apart) from {files} "
        f"file{'' if files == 1 else 's'} ({each})"
    )
