"""Turnover views: annual series, monthly series for the chart, and January–period comparisons (pandas only)."""

import math

import pandas as pd

from ..core.text import is_missing, publisher_and_row
from .customs import CustomsData
from .series import change_pct, first_row, ytd_comparison

FLOW_LABELS = {"export": "China's exports", "import": "China's imports", "total": "Turnover"}


def last_full_year(period_end: str) -> int:
    year, month = int(period_end[:4]), int(period_end[5:7])
    return year if month == 12 else year - 1


RAW_IMPORTS = "sum of UN Comtrade monthly rows"


def annual_turnover(
    data: CustomsData,
    period_end: str,
    first_year: int = 2015,
    raw_imports: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per (year, flow): US$ value where published, otherwise the reason it is absent.

    raw_imports (helpers.model.raw_rows.raw_annual_imports): China's imports of a year the Comtrade rows
    cover in full are their sum, not the wire's figure (raw rows outrank wire quotes for the same number;
    the raw-rows section sets the two side by side). Exports and turnover stay GACC's published figures."""
    resolved = data.resolved_totals.loc[data.resolved_totals.span == "year"]
    last_year = last_full_year(period_end)
    rows = []
    for year in range(first_year, last_year + 1):
        for flow in ("export", "import", "total"):
            record = first_row(resolved, (resolved.period == str(year)) & (resolved.flow == flow))
            value = record.value if record is not None else math.nan
            yuan_only = (
                is_missing(value)
                and (
                    data.totals.loc[
                        (data.totals.period == str(year)) & (data.totals.flow == flow),
                        "currency_note",
                    ]
                    == "cny"
                ).any()
            )
            rows.append(
                {
                    "year": year,
                    "flow": FLOW_LABELS[flow],
                    "value_usd_bn": round(value / 1000, 3) if not is_missing(value) else math.nan,
                    "yoy_pct_published": record.yoy_pct if record is not None else math.nan,
                    "status": "published"
                    if not is_missing(value)
                    else ("yuan figure only" if yuan_only else "no published figure"),
                    "source": ""
                    if record is None or is_missing(value)
                    else f"{record.value_publisher} (row {int(record.value_source_row)})",
                }
            )
    frame = pd.DataFrame(rows)
    if raw_imports is not None and len(raw_imports):
        frame = _with_raw_imports(frame, raw_imports)
    totals = frame.loc[(frame.flow == "Turnover") & frame.value_usd_bn.notna()]
    frame["record"] = False
    if len(totals):
        frame.loc[totals.value_usd_bn.idxmax(), "record"] = True
    return frame


def _with_raw_imports(frame: pd.DataFrame, raw_imports: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for year, value, source in raw_imports[["year", "value_usd_mn", "source"]].itertuples(
        index=False
    ):
        row = (frame.year.astype(str) == str(year)) & (frame.flow == FLOW_LABELS["import"])
        frame.loc[row, ["value_usd_bn", "status", "source"]] = [
            round(value / 1000, 3),
            RAW_IMPORTS,
            source,
        ]
    return frame


def record_year(annual: pd.DataFrame) -> pd.Series | None:
    record = annual.loc[annual.record]
    return record.iloc[0] if len(record) else None


def monthly_view(data: CustomsData, period_end: str, years_back: int = 3) -> pd.DataFrame:
    """Monthly turnover for the chart: derived and Jan–Feb months flagged; gaps stay empty."""
    first_year = max(2021, int(period_end[:4]) - years_back)
    monthly = data.monthly(period_end, first_year)
    monthly = monthly.loc[monthly.flow == "total"].copy()
    monthly["date"] = monthly.period + "-15"
    monthly["value_usd_bn"] = (monthly.value / 1000).round(3)
    # GACC publishes January+February as one figure: drawn as one bar spanning both months at
    # the per-month average height, so area stays proportional to value; the tooltip gives the total.
    jan_feb = monthly.status == "Jan–Feb combined"
    monthly["bar_height_usd_bn"] = monthly.value_usd_bn.where(
        ~jan_feb, (monthly.value_usd_bn / 2).round(3)
    )
    monthly["bar_start"] = monthly.period.where(~jan_feb, monthly.period.str[:4] + "-01") + "-01"
    monthly["bar_end"] = (
        pd.to_datetime(monthly.period + "-01") + pd.offsets.MonthEnd(0)
    ).dt.strftime("%Y-%m-%d")
    monthly["yoy_pct"] = monthly.yoy_pct_published.where(
        monthly.yoy_pct_published.notna(), monthly.yoy_pct_computed
    )
    monthly["yoy_kind"] = [
        "published" if not is_missing(p) else ("computed from levels" if not is_missing(c) else "")
        for p, c in zip(monthly.yoy_pct_published, monthly.yoy_pct_computed)
    ]
    columns = [
        "period",
        "status",
        "value_usd_bn",
        "bar_height_usd_bn",
        "bar_start",
        "bar_end",
        "yoy_pct",
        "yoy_kind",
        "yoy_pct_published",
        "yoy_pct_computed",
        "source",
        "source_rows",
        "yoy_source",
        "yoy_source_row",
    ]
    return monthly.loc[monthly.status != "in Jan–Feb total", columns].reset_index(drop=True)


def ytd_view(
    data: CustomsData, period_end: str, raw_imports: pd.DataFrame | None = None
) -> pd.DataFrame:
    """This period vs the same months a year earlier, per flow. Where the Comtrade rows cover every month of
    a span (January–period this year or a year earlier), China's imports for that span are the rows' sum, not
    the wire's figure (raw rows outrank the wire, as in annual_turnover); the wire's figure stays beside it
    (`wire_value_usd_mn`, `wire_prior_value_usd_mn`, named in the source) and the y/y from levels divides the
    levels used. The published y/y stays GACC's. Exports and turnover stay the wire's (no rows for them).

    raw_imports: helpers.model.raw_rows.raw_ytd_imports (period 'YYYY-MM'; a full year is 'YYYY-12')."""
    comparison = ytd_comparison(data.resolved_totals, period_end)
    yuan = [_yuan_rate(data.totals, flow, period_end) for flow in comparison.flow]
    # typed columns: an object column keeps NaN as a float, which a chart's JSON cannot hold (JupyterLab warns)
    comparison["yoy_pct_yuan"] = pd.Series(
        [rate for rate, _, _ in yuan], index=comparison.index, dtype="float64"
    )
    comparison["yuan_publisher"] = [publisher for _, publisher, _ in yuan]
    comparison["yuan_source_row"] = pd.Series(
        [row for _, _, row in yuan], index=comparison.index, dtype="int64"
    )
    comparison["value_basis"] = comparison["prior_basis"] = "published"
    comparison["wire_value_usd_mn"] = comparison.value_usd_mn
    comparison["wire_prior_value_usd_mn"] = comparison.prior_value_usd_mn
    comparison["wire_value_source"] = comparison.value_source
    comparison["wire_prior_source"] = comparison.prior_source
    for level in ("value", "prior"):
        comparison[f"raw_{level}_files"] = comparison[f"raw_{level}_row_ranges"] = ""
    spans = (
        {r.period: r for r in raw_imports.itertuples(index=False)}
        if raw_imports is not None
        else {}
    )
    year, month = int(period_end[:4]), period_end[5:7]
    row = comparison.index[comparison.flow == "import"]
    for level, source, basis, raw_columns, period in (
        ("value_usd_mn", "value_source", "value_basis", "raw_value", f"{year}-{month}"),
        ("prior_value_usd_mn", "prior_source", "prior_basis", "raw_prior", f"{year - 1}-{month}"),
    ):
        if period not in spans or not len(row):
            continue
        raw = spans[period]
        wire_value, wire_source = (
            comparison.loc[row[0], "wire_" + level],
            comparison.loc[row[0], "wire_" + source],
        )
        publisher, wire_row = publisher_and_row(wire_source or "")
        beside = (
            f" (wire: {wire_value:,.0f}, {publisher}{', row ' + wire_row if wire_row else ''})"
            if not is_missing(wire_value)
            else " (no wire figure)"
        )
        comparison.loc[row, [level, source, basis]] = [
            raw.value_usd_mn,
            f"{RAW_IMPORTS}: {raw.source}{beside}",
            RAW_IMPORTS,
        ]
        comparison.loc[row, [f"{raw_columns}_files", f"{raw_columns}_row_ranges"]] = [
            raw.files,
            raw.rows,
        ]
    comparison["yoy_pct_from_levels"] = [
        round(change_pct(value, base), 2)
        for value, base in zip(comparison.value_usd_mn, comparison.prior_value_usd_mn)
    ]
    comparison["flow"] = comparison.flow.map(FLOW_LABELS)
    return comparison


def _yuan_rate(totals: pd.DataFrame, flow: str, period_end: str) -> tuple[float, str, int]:
    """A y/y published in yuan terms for the flow's January–period_end (the year, for December), its publisher
    and row, else (NaN, '', 0): shown as such where no US$ figure exists, never as a US$ change (no conversion)."""
    period, span = (period_end[:4], "year") if period_end.endswith("-12") else (period_end, "ytd")
    rows = totals.loc[
        (totals.currency_note == "cny")
        & (totals.flow == flow)
        & (totals.period == period)
        & (totals.span == span)
        & totals.yoy_pct.notna()
    ]
    if not len(rows):
        return math.nan, "", 0
    row = rows.iloc[0]
    return row.yoy_pct, row.publisher, int(row.source_row)


def ytd_long(comparison: pd.DataFrame, period_end: str) -> pd.DataFrame:
    """Both years' levels, one row per (flow, year): the data F3 plots."""
    year = int(period_end[:4])
    keep = ["flow", "yoy_pct_published", "yoy_pct_from_levels", "yoy_pct_yuan"]
    long = pd.concat(
        [  # the change belongs to this year's row only (the CSV must not put it on the base year)
            comparison[keep].assign(
                year=str(year - 1),
                value_usd_bn=(comparison.prior_value_usd_mn / 1000).round(3),
                source=comparison.prior_source,
                yoy_pct_published=math.nan,
                yoy_pct_from_levels=math.nan,
                yoy_pct_yuan=math.nan,
            ),
            comparison[keep].assign(
                year=str(year),
                value_usd_bn=(comparison.value_usd_mn / 1000).round(3),
                source=comparison.value_source,
            ),
        ],
        ignore_index=True,
    )
    return long[
        [
            "flow",
            "year",
            "value_usd_bn",
            "yoy_pct_published",
            "yoy_pct_from_levels",
            "yoy_pct_yuan",
            "source",
        ]
    ]
