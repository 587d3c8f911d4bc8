"""Monthly and year-to-date series from resolved GACC releases.

GACC publishes monthly releases cumulatively (January–month) and, from its own tables, single
months; January is published only together with February. A month is `published` where a page gave
it, `derived` as the difference of two consecutive year-to-date totals otherwise, and missing
(a gap, never filled) when neither exists. `mislabelled` marks a month whose figure rests on a page
flagged as mislabelled (config/sources.yaml: it ranks last, but may be the only figure): reconciliations
and raw-row cross-checks leave such months out instead of reading the page's error as a gap.
"""

import math

import numpy as np
import pandas as pd

from ..core.text import is_missing

KEY = ["reporter", "partner", "flow", "commodity", "measure", "unit"]


def change_pct(value, prior) -> float:
    """100 × (value ÷ prior − 1), the change between two levels in %: NaN where either is missing or prior is 0."""
    return (
        100 * (value / prior - 1)
        if not is_missing(value) and not is_missing(prior) and prior
        else math.nan
    )


def first_row(frame: pd.DataFrame, mask: pd.Series) -> pd.Series | None:
    """`frame.loc[mask].iloc[0]`, or None where no row matches, without building the filtered frame: on these
    small tables with many text columns that copy is most of a lookup, and a build makes a few thousand."""
    hits = np.flatnonzero(mask.to_numpy())
    return frame.iloc[hits[0]] if len(hits) else None


def ytd_value(
    resolved: pd.DataFrame, flow: str, year: int, month: int, where: pd.Series | None = None
) -> pd.Series | None:
    """The resolved year-to-date record for January..month of `year`, or None; `where`: of those rows only."""
    if month == 12:
        span, period = "year", str(year)
    else:
        span, period = "ytd", f"{year}-{month:02d}"
    mask = (resolved.flow == flow) & (resolved.span == span) & (resolved.period == period)
    return first_row(resolved, mask if where is None else mask & where)


def monthly_series(
    resolved: pd.DataFrame, flow: str, first_year: int, last_period: str
) -> pd.DataFrame:
    """One row per calendar month up to `last_period` (YYYY-MM): value, status and provenance."""
    rows = []
    last_year, last_month = int(last_period[:4]), int(last_period[5:7])
    months = resolved.loc[(resolved.flow == flow) & (resolved.span == "month")].set_index("period")
    # January–month records of this flow by (year, month), looked up once instead of filtering per month
    # (December's is the annual figure, as in ytd_value; the first record wins, as there)
    cumulative: dict = {}
    for _, record in resolved.loc[
        (resolved.flow == flow) & resolved.span.isin(["ytd", "year"])
    ].iterrows():
        month = 12 if record.span == "year" else int(record.period[5:7])
        if record.span == "ytd" and month == 12:
            continue
        cumulative.setdefault((int(record.period[:4]), month), record)
    for year in range(first_year, last_year + 1):
        for month in range(1, 13):
            if (year, month) > (last_year, last_month):
                break
            rows.append(_month_record(cumulative, months, flow, year, month))
    frame = pd.DataFrame(rows)
    frame["yoy_pct_computed"] = _computed_yoy(frame)
    return frame


def _month_record(cumulative: dict, months, flow, year, month) -> dict:
    period = f"{year}-{month:02d}"
    record = {
        "flow": flow,
        "period": period,
        "value": math.nan,
        "status": "missing",
        "yoy_pct_published": math.nan,
        "source": "",
        "source_rows": "",
        "yoy_source": "",
        "yoy_source_row": "",
        "mislabelled": False,
    }
    if period in months.index and not math.isnan(months.loc[period, "yoy_pct"]):
        # the month's y/y can come from another outlet than its value (July 2025: value Lenta.ru, −2.8% SCMP)
        published = months.loc[period]
        record.update(
            yoy_pct_published=published.yoy_pct,
            yoy_source=published.yoy_publisher,
            yoy_source_row=str(int(published.yoy_source_row)),
        )
    if period in months.index and not math.isnan(months.loc[period, "value"]):
        record.update(_cited(months.loc[period], "published"))
        return record
    current = cumulative.get((year, month))
    if month == 1:
        # January alone is not published; the January–February figure is attached to February -- unless February
        # was published alone (2026): then January is that figure less February, derived like any other month.
        february, both = f"{year}-02", cumulative.get((year, 2))
        if (
            february in months.index
            and not math.isnan(months.loc[february, "value"])
            and both is not None
            and not math.isnan(both.value)
        ):
            record.update(_difference(both, months.loc[february]))
        else:
            record["status"] = "in Jan–Feb total"
        return record
    if month == 2:
        if current is not None and not math.isnan(current.value):
            record.update(_cited(current, "Jan–Feb combined"))
        return record
    previous = cumulative.get((year, month - 1))
    if (
        current is not None
        and previous is not None
        and not (math.isnan(current.value) or math.isnan(previous.value))
    ):
        record.update(_difference(current, previous))
    return record


def _cited(row, status: str) -> dict:
    return {
        "value": row.value,
        "status": status,
        "source": row.value_publisher,
        "source_rows": str(int(row.value_source_row)),
        "mislabelled": bool(row.get("value_mislabelled", False)),
    }


def _difference(total, part) -> dict:
    """A month derived as one published total less another, citing both."""
    return {
        "value": total.value - part.value,
        "status": "derived",
        "source": f"{total.value_publisher} − {part.value_publisher}",
        "source_rows": f"{int(total.value_source_row)}−{int(part.value_source_row)}",
        "mislabelled": bool(
            total.get("value_mislabelled", False) or part.get("value_mislabelled", False)
        ),
    }


def _computed_yoy(frame: pd.DataFrame) -> pd.Series:
    by_period = frame.set_index("period").value
    computed = []
    for period, value in zip(frame.period, frame.value):
        previous = f"{int(period[:4]) - 1}{period[4:]}"
        base = by_period.get(previous, math.nan)
        computed.append(round(change_pct(value, base), 2))
    return pd.Series(computed, index=frame.index)


def ytd_comparison(
    resolved: pd.DataFrame, period_end: str, flows=("export", "import", "total")
) -> pd.DataFrame:
    """January–period_end this year vs the same months a year earlier, per flow.

    Shows the published y/y (GACC's, against its revised prior-year figure) next to the y/y computed
    from the two published levels; they can differ by a few tenths of a point.
    """
    year, month = int(period_end[:4]), int(period_end[5:7])
    rows = []
    for flow in flows:
        current = ytd_value(resolved, flow, year, month)
        prior = ytd_value(resolved, flow, year - 1, month)
        value = current.value if current is not None else math.nan
        base = prior.value if prior is not None else math.nan
        rows.append(
            {
                "flow": flow,
                "period": period_end,
                "value_usd_mn": value,
                "prior_value_usd_mn": base,
                "yoy_pct_published": current.yoy_pct if current is not None else math.nan,
                "yoy_pct_from_levels": round(change_pct(value, base), 2),
                "value_source": _source_label(current, "value"),
                "prior_source": _source_label(prior, "value"),
                "yoy_source": _source_label(current, "yoy"),
            }
        )
    return pd.DataFrame(rows)


def _source_label(record, prefix: str) -> str:
    if record is None or pd.isna(record.get(f"{prefix}_publisher")):
        return ""
    return f"{record[f'{prefix}_publisher']} (row {int(record[f'{prefix}_source_row'])})"
