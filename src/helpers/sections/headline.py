"""Headline section: annual turnover (F1), monthly turnover (F2), January–period vs a year earlier (F3)."""

import math

import altair as alt
import pandas as pd

from ..core.text import direction, is_missing, pct, signed_pct, span_label, usd_bn, word_list
from ..model.raw_rows import row_ranges
from ..model.turnover import FLOW_ORDER, record_year


def annual_chart(annual: pd.DataFrame) -> alt.LayerChart:
    """Grouped bars by year: US$ figures, published or summed from raw rows (the CSV lists the gaps too)."""
    base = (
        alt.Chart()
        .transform_filter("isValid(datum.value_usd_bn)")
        .encode(
            x=alt.X("year:O", title=None, axis=alt.Axis(labelAngle=0)),
            xOffset=alt.XOffset("flow:N", sort=FLOW_ORDER),
            y=alt.Y("value_usd_bn:Q", title="US$ billion"),
            color=alt.Color("flow:N", sort=FLOW_ORDER, title=None, legend=alt.Legend(orient="top")),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("flow:N"),
                alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=",.1f"),
                alt.Tooltip("status:N", title="figure"),
                alt.Tooltip("yoy_pct_published:Q", title="y/y % (published)", format="+.1f"),
                alt.Tooltip("source:N"),
            ],
        )
    )
    record = (
        base.transform_filter(alt.datum.record)
        .mark_text(dy=-8, fontWeight="bold", color="#333")
        .encode(text=alt.value("record"))
    )
    return alt.layer(base.mark_bar(), record, data=annual).properties(width=600, height=170)


STATUS_COLORS = alt.Scale(
    domain=["published", "derived", "Jan–Feb combined"], range=["#1f5f8b", "#9ecae1", "#c9a227"]
)


YOY_KINDS = ["published", "computed from levels"]


def monthly_chart(monthly: pd.DataFrame) -> alt.VConcatChart:
    tooltip = [
        alt.Tooltip("period:N"),
        alt.Tooltip("status:N"),
        alt.Tooltip("value_usd_bn:Q", title="US$ bn (period total)", format=",.2f"),
        alt.Tooltip("yoy_pct:Q", title="y/y %", format="+.1f"),
        alt.Tooltip("yoy_kind:N", title="y/y is"),
        alt.Tooltip("source:N"),
        alt.Tooltip("source_rows:N", title="raw rows"),
        alt.Tooltip("yoy_source:N", title="y/y source"),
        alt.Tooltip("yoy_source_row:N", title="y/y raw row"),
    ]
    # Ticks every six months as "Jan 2024" (Vega's default mixes years and month names, which collide here).
    # labelSeparation: greedy overlap removal drops a label closer than this to the previous one ("Jan 2022" was
    # pushed right against "Jul 2022" by the flush first label in a four-year build)
    time_axis = alt.Axis(
        format="%b %Y",
        tickCount={"interval": "month", "step": 6},
        labelOverlap="greedy",
        labelSeparation=8,
    )
    bars = (
        alt.Chart()
        .transform_filter("isValid(datum.value_usd_bn)")
        .mark_bar(stroke="white", strokeWidth=0.5)
        .encode(
            x=alt.X("bar_start:T", title=None, axis=time_axis),
            x2="bar_end:T",
            y=alt.Y("bar_height_usd_bn:Q", title="US$ billion per month"),
            y2=alt.datum(0),
            color=alt.Color(
                "status:N",
                scale=STATUS_COLORS,
                title="Month value",
                legend=alt.Legend(orient="top"),
            ),
            tooltip=tooltip,
        )
        .properties(width=600, height=150)
    )
    points = (
        alt.Chart()
        .transform_filter("isValid(datum.yoy_pct)")
        .transform_calculate(bar_middle="(time(datum.bar_start) + time(datum.bar_end)) / 2")
        .mark_point(filled=True, size=45, strokeWidth=1.5, stroke="#d1603d")
        .encode(
            x=alt.X(
                "bar_middle:T", title=None, axis=time_axis
            ),  # under its bar, not at the month's end
            y=alt.Y(
                "yoy_pct:Q", title="y/y change, %", axis=alt.Axis(tickCount=4)
            ),  # 80 px high: Vega's own
            # count left a lone "0" on an axis running from −17 to +11
            # published solid, computed from levels hollow: shape and fill share one legend
            shape=alt.Shape(
                "yoy_kind:N",
                title="y/y",
                scale=alt.Scale(domain=YOY_KINDS),
                legend=alt.Legend(orient="top"),
            ),
            color=alt.Color(
                "yoy_kind:N",
                title="y/y",
                scale=alt.Scale(domain=YOY_KINDS, range=["#d1603d", "white"]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=tooltip,
        )
    )
    zero = alt.Chart().mark_rule(color="#888").encode(y=alt.datum(0))
    return alt.vconcat(
        bars, alt.layer(points, zero).properties(width=600, height=80), data=monthly
    ).resolve_scale(x="shared", color="independent", shape="independent")


def ytd_title(period_end: str) -> str:
    """F3's title: 'January–July 2025 vs the same months a year earlier', or 'Full-year 2024 vs full-year 2023'."""
    if period_end.endswith("-12"):
        return f"Full-year {period_end[:4]} vs full-year {int(period_end[:4]) - 1}"
    return f"{span_label(period_end)} vs the same months a year earlier"


def ytd_caption(comparison: pd.DataFrame) -> str:
    """F3's caption: the two y/y rates, and which levels are sums of raw rows rather than the wire's figures."""
    caption = (
        "Published y/y is GACC's (against its revised prior-year figure); y/y from levels divides the two "
        "levels shown; neither is corrected."
    )
    for row in comparison.itertuples():
        period = row.period
        spans = [(period, row.value_basis), (f"{int(period[:4]) - 1}{period[4:]}", row.prior_basis)]
        raw = [
            span_label(p) if not p.endswith("-12") else f"full-year {p[:4]}"
            for p, basis in spans
            if basis not in ("published", None)
        ]
        if raw:
            caption += (
                f" {row.flow}, {' and '.join(raw)}: UN Comtrade rows (they outrank the wire)."
            )
    return caption


def ytd_chart(long: pd.DataFrame, period_end: str) -> alt.LayerChart:
    tooltip = [
        alt.Tooltip("flow:N"),
        alt.Tooltip("year:N"),
        alt.Tooltip("value_usd_bn:Q", title="US$ bn", format=",.1f"),
        alt.Tooltip("yoy_pct_published:Q", title="y/y % published", format="+.1f"),
        alt.Tooltip("yoy_pct_from_levels:Q", title="y/y % from levels", format="+.2f"),
        alt.Tooltip("source:N"),
    ]
    months = (
        "full year"
        if period_end.endswith("-12")
        else span_label(period_end).replace(period_end[:4], "").strip()
    )
    y, offset = alt.Y("flow:N", sort=FLOW_ORDER, title=None), alt.YOffset("year:N")
    bars = (
        alt.Chart()
        .transform_filter("isValid(datum.value_usd_bn)")
        .mark_bar()
        .encode(
            y=y,
            yOffset=offset,
            x=alt.X("value_usd_bn:Q", title=f"US$ billion, {months}"),
            # by year, not by order: with no year-earlier figure the one year drawn would take the grey
            color=alt.Color(
                "year:N",
                scale=alt.Scale(
                    domain=[str(int(period_end[:4]) - 1), period_end[:4]],
                    range=["#b0b0b0", "#1f5f8b"],
                ),
                title=None,
                legend=alt.Legend(orient="top"),
            ),
            tooltip=tooltip,
        )
    )

    # Where a year has no level (GACC's full-year 2025 exports and imports came as y/y rates only), its slot
    # says so instead of staying blank, with the published rate where there is one.
    def rate(field):
        return f"replace(format(datum.{field}, '+.1f'), '-', '−') + '%'"

    missing = (
        alt.Chart()
        .transform_filter("!isValid(datum.value_usd_bn)")
        .transform_calculate(
            note=f"datum.year + ': no US$ level in the data' + (isValid(datum.yoy_pct_published) ? '; published y/y ' + "
            f"{rate('yoy_pct_published')} : isValid(datum.yoy_pct_yuan) ? '; in yuan terms ' + {rate('yoy_pct_yuan')} "
            ": '')"
        )
        .mark_text(align="left", dx=4, fontSize=11, color="#555")
        .encode(y=y, yOffset=offset, x=alt.datum(0), text="note:N", tooltip=tooltip)
    )
    return alt.layer(bars, missing, data=long).properties(width=560, height=120)


def headline_text(
    annual: pd.DataFrame, comparison: pd.DataFrame, period_end: str, partner_name: str
) -> str:
    """The section's sentences, written from the numbers (nothing typed by hand)."""
    label = span_label(period_end)
    total = comparison.set_index("flow").loc["Turnover"]
    sentences = []
    if is_missing(total.value_usd_mn):
        sentences.append(
            f"No turnover figure for {label} is in the data: no outlet in the vendored set "
            f"reported GACC's year-to-date total for that period."
        )
    else:
        sentence = f"China–{partner_name} trade in {label} came to **{usd_bn(total.value_usd_mn)}**"
        if not is_missing(total.yoy_pct_published):
            sentence += (
                f", {direction(total.yoy_pct_published)} **{pct(total.yoy_pct_published)}** on a year earlier "
                f"by GACC's published rate"
            )
        if not is_missing(total.yoy_pct_from_levels):
            sentence += (
                f" ({direction(total.yoy_pct_from_levels)} {pct(total.yoy_pct_from_levels)} computed from "
                f"the two published levels, {usd_bn(total.value_usd_mn)} vs "
                f"{usd_bn(total.prior_value_usd_mn)}; GACC compares with its revised prior-year figure, so the "
                f"two can differ by a few tenths of a point)"
            )
        sentences.append(sentence + ".")
    parts = []
    rates_only, in_yuan, yuan_sources = [], [], []
    for flow in ("China's exports", "China's imports"):
        row = comparison.set_index("flow").loc[flow]
        if is_missing(
            row.value_usd_mn
        ):  # a rate without a level is still said, in its own currency
            if not is_missing(row.yoy_pct_published):
                rates_only.append(f"{flow.split()[-1]} {signed_pct(row.yoy_pct_published)}")
            elif not is_missing(
                row.get("yoy_pct_yuan", math.nan)
            ):  # full-year 2025: Reuters' yuan-terms rates
                in_yuan.append((flow.split()[-1], signed_pct(row.yoy_pct_yuan)))
                yuan_sources.append((row.yuan_publisher, int(row.yuan_source_row)))
            continue
        published = not is_missing(row.yoy_pct_published)
        change = row.yoy_pct_published if published else row.yoy_pct_from_levels
        text = f"{flow.lower().replace('china', 'China')} {usd_bn(row.value_usd_mn)}"
        notes = []
        if not is_missing(change):  # a rate GACC did not publish is marked as computed
            notes.append(f"{signed_pct(change)}{'' if published else ' from levels'}")
        if (
            row.get("value_basis", "published") != "published"
        ):  # e.g. the sum of UN Comtrade's monthly rows
            notes.append(row.value_basis)
        if notes:
            text += f" ({'; '.join(notes)})"
        parts.append(text)
    if parts:
        sentence = "Of this, " + " and ".join(parts)
        by_flow = comparison.set_index("flow")
        levels = by_flow.loc[["China's exports", "China's imports"]]
        mixed = (
            levels.get("value_basis", pd.Series("published", index=levels.index)) != "published"
        ).any()
        if mixed and not levels.value_usd_mn.isna().any() and not is_missing(total.value_usd_mn):
            # a sum of raw rows beside GACC's published total: say why the parts need not add up to it
            sentence += (
                f"; these come from different sources (a sum of raw rows beside GACC's published figures), "
                f"so together they give {usd_bn(levels.value_usd_mn.sum())}, not the total's "
                f"{usd_bn(total.value_usd_mn)}"
            )
        sentences.append(sentence + ".")
    if rates_only:
        sentences.append(
            f"China's {' and '.join(rates_only)} on a year earlier by GACC's published "
            f"rate{'s' if len(rates_only) > 1 else ''}; no level for them is in the data."
        )
    if in_yuan:
        by_page: dict = {}  # each page once, its rows together
        for page, row in yuan_sources:
            by_page.setdefault(page, []).append(row)
        cited = "; ".join(
            f"{page}, row{'s' if len(rows) > 1 else ''} {row_ranges(rows)}"
            for page, rows in by_page.items()
        )
        sentences.append(
            f"No US$ figure for China's {word_list(f for f, _ in in_yuan)} in {label} is in the data; "
            f"in yuan terms {' and '.join(f'{f} {pct}' for f, pct in in_yuan)} ({cited}), not converted."
        )
    record = record_year(annual)
    if record is not None:
        years = annual.loc[annual.value_usd_bn.notna(), "year"]
        sentences.append(
            f"The record year in the annual series ({years.min()}–{years.max()}) is **{record.year}**, "
            f"at **{usd_bn(record.value_usd_bn * 1000)}**."
        )
    return " ".join(sentences)
