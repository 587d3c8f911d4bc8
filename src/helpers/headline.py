"""Headline section: annual turnover (F1), monthly turnover (F2), January–period vs a year earlier (F3)."""
import math

import altair as alt
import pandas as pd

from .customs import CustomsData
from .series import ytd_comparison
from .text import direction, is_missing, pct, span_label, usd_bn

FLOW_LABELS = {"export": "China's exports", "import": "China's imports", "total": "Turnover"}
FLOW_ORDER = ["China's exports", "China's imports", "Turnover"]


def last_full_year(period_end: str) -> int:
    year, month = int(period_end[:4]), int(period_end[5:7])
    return year if month == 12 else year - 1


def annual_turnover(data: CustomsData, period_end: str, first_year: int = 2015) -> pd.DataFrame:
    """One row per (year, flow): US$ value where published, otherwise the reason it is absent."""
    resolved = data.resolved_totals.loc[data.resolved_totals.span == "year"]
    last_year = last_full_year(period_end)
    rows = []
    for year in range(first_year, last_year + 1):
        for flow in ("export", "import", "total"):
            match = resolved.loc[(resolved.period == str(year)) & (resolved.flow == flow)]
            record = match.iloc[0] if len(match) else None
            value = record.value if record is not None else math.nan
            yuan_only = record is not None and is_missing(value) and (data.totals.loc[
                (data.totals.period == str(year)) & (data.totals.flow == flow), "currency_note"] == "cny").any()
            rows.append({
                "year": year, "flow": FLOW_LABELS[flow],
                "value_usd_bn": round(value / 1000, 3) if not is_missing(value) else math.nan,
                "yoy_pct_published": record.yoy_pct if record is not None else math.nan,
                "status": "published" if not is_missing(value) else
                ("yuan figure only" if yuan_only else "no published figure"),
                "source": "" if record is None or is_missing(value) else
                f"{record.value_publisher} (row {int(record.value_source_row)})",
            })
    frame = pd.DataFrame(rows)
    totals = frame.loc[(frame.flow == "Turnover") & frame.value_usd_bn.notna()]
    frame["record"] = False
    if len(totals):
        frame.loc[totals.value_usd_bn.idxmax(), "record"] = True
    return frame


def record_year(annual: pd.DataFrame) -> pd.Series | None:
    record = annual.loc[annual.record]
    return record.iloc[0] if len(record) else None


def annual_chart(annual: pd.DataFrame) -> alt.LayerChart:
    """Grouped bars by year; only published US$ figures are drawn (the CSV lists the gaps too)."""
    published = alt.datum.status == "published"
    base = alt.Chart().transform_filter(published).encode(
        x=alt.X("year:O", title=None),
        xOffset=alt.XOffset("flow:N", sort=FLOW_ORDER),
        y=alt.Y("value_usd_bn:Q", title="US$ billion"),
        color=alt.Color("flow:N", sort=FLOW_ORDER, title=None, legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("year:O"), alt.Tooltip("flow:N"),
                 alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=",.1f"),
                 alt.Tooltip("yoy_pct_published:Q", title="y/y % (published)", format="+.1f"),
                 alt.Tooltip("source:N")])
    record = base.transform_filter(alt.datum.record).mark_text(dy=-8, fontWeight="bold", color="#333").encode(
        text=alt.value("record"))
    return alt.layer(base.mark_bar(), record, data=annual).properties(width=600, height=300)


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
    monthly["bar_height_usd_bn"] = monthly.value_usd_bn.where(~jan_feb, (monthly.value_usd_bn / 2).round(3))
    monthly["bar_start"] = monthly.period.where(~jan_feb, monthly.period.str[:4] + "-01") + "-01"
    monthly["bar_end"] = (pd.to_datetime(monthly.period + "-01") + pd.offsets.MonthEnd(0)).dt.strftime("%Y-%m-%d")
    monthly["yoy_pct"] = monthly.yoy_pct_published.where(monthly.yoy_pct_published.notna(), monthly.yoy_pct_computed)
    monthly["yoy_kind"] = [
        "published" if not is_missing(p) else ("computed from levels" if not is_missing(c) else "")
        for p, c in zip(monthly.yoy_pct_published, monthly.yoy_pct_computed)]
    columns = ["period", "status", "value_usd_bn", "bar_height_usd_bn", "bar_start", "bar_end", "yoy_pct",
               "yoy_kind", "yoy_pct_published", "yoy_pct_computed", "source", "source_rows"]
    return monthly.loc[monthly.status != "in Jan–Feb total", columns].reset_index(drop=True)


STATUS_COLORS = alt.Scale(domain=["published", "derived", "Jan–Feb combined"],
                          range=["#1f5f8b", "#9ecae1", "#c9a227"])


def monthly_chart(monthly: pd.DataFrame) -> alt.VConcatChart:
    tooltip = [alt.Tooltip("period:N"), alt.Tooltip("status:N"),
               alt.Tooltip("value_usd_bn:Q", title="US$ bn (period total)", format=",.2f"),
               alt.Tooltip("yoy_pct:Q", title="y/y %", format="+.1f"), alt.Tooltip("yoy_kind:N", title="y/y is"),
               alt.Tooltip("source:N"), alt.Tooltip("source_rows:N", title="raw rows")]
    bars = alt.Chart().transform_filter("isValid(datum.value_usd_bn)").mark_bar(
        stroke="white", strokeWidth=0.5).encode(
        x=alt.X("bar_start:T", title=None), x2="bar_end:T",
        y=alt.Y("bar_height_usd_bn:Q", title="US$ billion per month"), y2=alt.datum(0),
        color=alt.Color("status:N", scale=STATUS_COLORS, title="Month value", legend=alt.Legend(orient="top")),
        tooltip=tooltip).properties(width=600, height=220)
    points = alt.Chart().transform_filter("isValid(datum.yoy_pct)").mark_point(filled=True, size=45).encode(
        x=alt.X("bar_end:T", title=None),
        y=alt.Y("yoy_pct:Q", title="y/y change, %"),
        shape=alt.Shape("yoy_kind:N", title="y/y", legend=alt.Legend(orient="top")),
        color=alt.value("#d1603d"), tooltip=tooltip)
    zero = alt.Chart().mark_rule(color="#888").encode(y=alt.datum(0))
    return alt.vconcat(bars, alt.layer(points, zero).properties(width=600, height=120),
                       data=monthly).resolve_scale(x="shared")


def ytd_view(data: CustomsData, period_end: str) -> pd.DataFrame:
    comparison = ytd_comparison(data.resolved_totals, period_end)
    comparison["flow"] = comparison.flow.map(FLOW_LABELS)
    return comparison


def ytd_long(comparison: pd.DataFrame, period_end: str) -> pd.DataFrame:
    """Both years' levels, one row per (flow, year): the data F3 plots."""
    year = int(period_end[:4])
    keep = ["flow", "yoy_pct_published", "yoy_pct_from_levels"]
    long = pd.concat([
        comparison[keep].assign(year=str(year - 1), value_usd_bn=(comparison.prior_value_usd_mn / 1000).round(3),
                                source=comparison.prior_source),
        comparison[keep].assign(year=str(year), value_usd_bn=(comparison.value_usd_mn / 1000).round(3),
                                source=comparison.value_source),
    ], ignore_index=True)
    return long[["flow", "year", "value_usd_bn", "yoy_pct_published", "yoy_pct_from_levels", "source"]]


def ytd_chart(long: pd.DataFrame, period_end: str) -> alt.Chart:
    tooltip = [alt.Tooltip("flow:N"), alt.Tooltip("year:N"), alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=",.1f"),
               alt.Tooltip("yoy_pct_published:Q", title="y/y % published", format="+.1f"),
               alt.Tooltip("yoy_pct_from_levels:Q", title="y/y % from levels", format="+.2f"), alt.Tooltip("source:N")]
    months = span_label(period_end).replace(period_end[:4], "").strip()
    return alt.Chart(long).transform_filter("isValid(datum.value_usd_bn)").mark_bar().encode(
        y=alt.Y("flow:N", sort=FLOW_ORDER, title=None), yOffset=alt.YOffset("year:N"),
        x=alt.X("value_usd_bn:Q", title=f"US$ billion, {months}"),
        color=alt.Color("year:N", scale=alt.Scale(range=["#b0b0b0", "#1f5f8b"]), title=None,
                        legend=alt.Legend(orient="top")),
        tooltip=tooltip).properties(width=560, height=200)


def headline_text(annual: pd.DataFrame, comparison: pd.DataFrame, period_end: str, partner_name: str) -> str:
    """The section's sentences, written from the numbers (nothing typed by hand)."""
    label = span_label(period_end)
    total = comparison.set_index("flow").loc["Turnover"]
    sentences = []
    if is_missing(total.value_usd_mn):
        sentences.append(f"No turnover figure for {label} is in the data: no outlet in the vendored set "
                         f"reported GACC's year-to-date total for that period.")
    else:
        sentence = f"China–{partner_name} trade in {label} came to **{usd_bn(total.value_usd_mn)}**"
        if not is_missing(total.yoy_pct_published):
            sentence += (f", {direction(total.yoy_pct_published)} **{pct(total.yoy_pct_published)}** on a year earlier "
                         f"by GACC's published rate")
        if not is_missing(total.yoy_pct_from_levels):
            sentence += (f" ({direction(total.yoy_pct_from_levels)} {pct(total.yoy_pct_from_levels)} computed from "
                         f"the two published levels, {usd_bn(total.value_usd_mn)} vs "
                         f"{usd_bn(total.prior_value_usd_mn)}; GACC compares with its revised prior-year figure, so the "
                         f"two can differ by a few tenths of a point)")
        sentences.append(sentence + ".")
    parts = []
    for flow in ("China's exports", "China's imports"):
        row = comparison.set_index("flow").loc[flow]
        if is_missing(row.value_usd_mn):
            continue
        change = row.yoy_pct_published if not is_missing(row.yoy_pct_published) else row.yoy_pct_from_levels
        text = f"{flow.lower().replace('china', 'China')} {usd_bn(row.value_usd_mn)}"
        if not is_missing(change):
            text += f" ({'+' if change > 0 else '−'}{pct(change)})"
        parts.append(text)
    if parts:
        sentences.append("Of this, " + " and ".join(parts) + ".")
    record = record_year(annual)
    if record is not None:
        years = annual.loc[annual.value_usd_bn.notna(), "year"]
        sentences.append(f"The record year in the annual series ({years.min()}–{years.max()}) is **{record.year}**, "
                         f"at **{usd_bn(record.value_usd_bn * 1000)}**.")
    return " ".join(sentences)
