"""Number and period formatting shared by every narrative sentence (so all sections read alike)."""
import calendar
import math
import re

# A plain decimal number as raw files must write it (no thousands separators, no decimal comma).
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def usd_bn(value_usd_mn: float) -> str:
    return f"${value_usd_mn / 1000:,.1f}bn"


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


def direction(change_pct: float, up: str = "up", down: str = "down", flat: str = "unchanged") -> str:
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
    return value is None or (isinstance(value, float) and math.isnan(value))
