"""Each claim's measure over time, to the last period its own data hold (pandas only): what the "Since the
story" section compares with the story's figure and draws.

One tidy table per claim (FOLLOW_COLUMNS): a row per figure, January–month and full-year spans as the data give
them, computed by the same rules as the rest of the briefing (model.series for GACC's totals, model.fuel for the
fuel rows, model.groups for commodity groups, model.context_facts for the context). Nothing here depends on the
briefing's reporting period: every figure the data hold is listed, and `later` marks those whose period ends in
or after the story's month (the story ran on 28 Aug 2025 with January–July figures).
"""

import math

import pandas as pd

from ..core.text import is_missing, word_list
from .context_facts import car_share_view, gdp_ratios, gdp_view, level_series
from .customs import CustomsData
from .fuel import TOGETHER, fuel_table
from .groups import NO_FIGURE, group_figure, published_changes
from .raw_rows import code_ytd
from .series import change_pct, ytd_comparison
from .turnover import annual_turnover

FOLLOW_COLUMNS = [
    "claim_id",
    "series",  # what is measured, as the chart's legend and the text name it
    "role",  # 'claim': the claim's own measure; 'proxy': a narrower one (e.g. smartphones alone)
    "period",  # YYYY-MM, the last month the figure covers
    "span",  # month, ytd (January–month) or year
    "months",  # months covered: a later figure shorter than the claim's min_months decides nothing
    "value",
    "unit",  # '%' (a y/y change), 'US$ bn', '×', '% share'
    "direction",  # rise / fall / none (a change published only as a multiple has no value)
    "multiple",  # the multiple as published ("2.8 times"), never converted
    "level_usd_mn",
    "prior_usd_mn",
    "basis",
    "source",  # the rows behind the figure: publisher (row N), or data/raw/<file> rows …
    "later",
]
CHANGE, LEVEL_BN, RATIO, SHARE = "%", "US$ bn", "×", "% share"


def month_of(period: str) -> str:
    """'2025' (a full year) -> '2025-12'; a month stays as it is."""
    return period if len(period) == 7 else f"{period}-12"


def months_covered(period: str, span: str) -> int:
    return {"month": 1, "year": 12}.get(span, int(month_of(period)[5:7]))


def _frame(records: list[dict], claim_id: str, story_month: str) -> pd.DataFrame:
    frame = pd.DataFrame(records, columns=FOLLOW_COLUMNS)
    if not len(frame):
        return frame
    frame["claim_id"] = claim_id
    frame["later"] = frame.period >= story_month
    return frame.sort_values(["role", "series", "period", "months"], kind="stable").reset_index(
        drop=True
    )


def _record(series, role, period, span, value, unit, **rest) -> dict:
    record = dict.fromkeys(FOLLOW_COLUMNS, "")
    record.update(
        series=series,
        role=role,
        period=month_of(period),
        span=span,
        months=months_covered(period, span),
        value=value,
        unit=unit,
        direction="rise" if value > 0 else ("fall" if value < 0 else "none"),
        level_usd_mn=math.nan,
        prior_usd_mn=math.nan,
    )
    record.update(rest)
    return record


def turnover_changes(claim: dict, customs: CustomsData, story_month: str) -> pd.DataFrame:
    """GACC's January–month and full-year y/y for the claim's flow (published, else from the two levels), from
    the year before the story's on."""
    resolved = customs.resolved_totals
    first = int(claim["period"][:4]) - 1
    spans = resolved.loc[
        (resolved.flow == claim["flow"])
        & resolved.span.isin(["ytd", "year"])
        & (resolved.period.str[:4].astype(int) >= first)
    ]
    records = []
    for period, span in sorted(set(zip(spans.period, spans.span))):
        row = ytd_comparison(resolved, month_of(period), flows=(claim["flow"],)).iloc[0]
        published = not is_missing(row.yoy_pct_published)
        value = row.yoy_pct_published if published else row.yoy_pct_from_levels
        if is_missing(value):
            continue
        source = row.yoy_source if published else f"{row.value_source}; {row.prior_source}"
        records.append(
            _record(
                "Turnover",
                "claim",
                period,
                span,
                value,
                CHANGE,
                level_usd_mn=row.value_usd_mn,
                prior_usd_mn=row.prior_value_usd_mn,
                basis="published y/y" if published else "computed from levels",
                source=source,
            )
        )
    return _frame(records, claim["id"], story_month)


def annual_totals(
    claim: dict, customs: CustomsData, raw_imports, last_month: str, story_month: str
) -> pd.DataFrame:
    """Turnover per full year (GACC's first release, US$ bn), every year Figure 1 has."""
    annual = annual_turnover(customs, last_month, raw_imports=raw_imports)
    totals = annual.loc[(annual.flow == "Turnover") & annual.value_usd_bn.notna()]
    records = [
        _record(
            "Turnover",
            "claim",
            str(r.year),
            "year",
            r.value_usd_bn,
            LEVEL_BN,
            level_usd_mn=r.value_usd_bn * 1000,
            basis="published level",
            source=r.source,
            direction="",
        )
        for r in totals.itertuples()
    ]
    return _frame(records, claim["id"], story_month)


def fuel_changes(
    claim: dict, resolved_groups, code_rows, groups: dict, partner: str, story_month: str
) -> pd.DataFrame:
    """The fuel codes together, January–month vs a year earlier, for every month the rows cover, from the year
    before the story's on: model.fuel.fuel_table (GACC's figure above a compilation's rows) where GACC published
    a January–month or full-year figure for one of the groups, else the rows' sum (model.raw_rows.code_ytd,
    which is what fuel_table gives when no GACC figure ranks above the rows)."""
    names = claim["rows_cover"]
    codes = [str(c) for n in names for c in groups[n]["hs"]["HS2017"]]
    resolved_groups = (
        resolved_groups.loc[resolved_groups.group.isin(names)]
        if len(resolved_groups)
        else resolved_groups
    )
    published = (
        {
            month_of(p)
            for p in resolved_groups.loc[
                resolved_groups.span.isin(["ytd", "year"]) & (resolved_groups.measure == "value"),
                "period",
            ]
        }
        if len(resolved_groups)
        else set()
    )
    months = sorted(set(code_rows.period)) if len(code_rows) else []
    first = int(claim["period"][:4]) - 1
    records = []
    for month in (m for m in months if int(m[:4]) >= first):
        if month in published:
            table = fuel_table(resolved_groups, code_rows, groups, names, month, partner)
            if table.empty or TOGETHER not in set(table.group):
                continue
            found = table.set_index("group").loc[TOGETHER]
        else:
            found = code_ytd(code_rows, codes, month, partner)
            if found is None:
                continue
            found["basis"] = "sum of raw rows"
        records.append(
            _record(
                f"{word_list(groups[n]['label'].split(' (')[0].lower() for n in names)} together",
                "claim",
                month,
                "year" if month.endswith("-12") else "ytd",
                found["change_exact"],
                CHANGE,
                level_usd_mn=found["value_usd_mn"],
                prior_usd_mn=found["prior_value_usd_mn"],
                basis=found["basis"],
                source=f"{found['value_rows']}; {found['prior_rows']}",
            )
        )
    return _frame(records, claim["id"], story_month)


def group_changes(
    claim: dict, resolved_groups, groups: dict, hs_rows, code_rows, partner: str, story_month: str
) -> pd.DataFrame:
    """The claim's group (a sum of its parts where it is one and no figure was published) and its proxies, each
    January–month or full-year span published for them from the story's year on (model.groups.group_figure)."""
    names = [claim["group"]] + list(claim.get("proxies", []))
    parts = {part for name in names for part in groups[name].get("sum_of", [])}
    wanted = resolved_groups.loc[
        resolved_groups.group.isin(set(names) | parts)
        & resolved_groups.span.isin(["ytd", "year"])
        & (resolved_groups.measure == "value")
        & (resolved_groups.period.str[:4] >= claim["period"][:4])
    ]
    periods = sorted({month_of(p) for p in wanted.period})
    records = []
    for name in names:
        role = "claim" if name == claim["group"] else "proxy"
        label = groups[name]["label"].split(" (")[0]
        for period in periods:
            change = group_figure(
                resolved_groups, groups, name, period, hs_rows, partner, code_rows
            )
            if change["basis"] == NO_FIGURE or is_missing(change.get("change_exact")):
                continue
            records.append(
                _record(
                    label,
                    role,
                    period,
                    "year" if period.endswith("-12") else "ytd",
                    change["change_exact"],
                    CHANGE,
                    level_usd_mn=change["value_usd_mn"],
                    prior_usd_mn=change["prior_value_usd_mn"],
                    basis=change["basis"],
                    source=change["source"],
                )
            )
    return _frame(records, claim["id"], story_month)


def published_rises(
    claim: dict, resolved_groups, observations, groups: dict, last_month: str, story_month: str
) -> pd.DataFrame:
    """Every change in value published for the claim's groups (y/y %, or a multiple read for its direction only),
    from the story's year to the last month of the data; `series` is the family (a sub-group joins its metal)."""
    names = claim.get("groups") or [claim["group"]]
    years = range(int(claim["period"][:4]), int(last_month[:4]) + 1)
    changes = pd.concat(
        [
            published_changes(resolved_groups, observations, groups, names, str(y), f"{y}-12")
            for y in years
        ],
        ignore_index=True,
    )
    changes = changes.loc[changes.measure == "value"]
    records = []
    for c in changes.itertuples():
        family = groups[c.family]["label"] if c.family in groups else c.family
        part = "" if c.group == c.family else groups[c.group]["label"].split(" (")[0].lower()
        records.append(
            {
                **_record(
                    family.split(" (")[0],
                    "claim",
                    c.period,
                    c.span,
                    c.yoy_pct if c.kind == "y/y %" else math.nan,
                    CHANGE,
                    basis=c.kind + (f": {part}" if part else ""),
                    source=f"{c.publisher} (row {c.source_row})",
                    multiple=c.multiple,
                ),
                "direction": c.direction,
            }
        )
    return _frame(records, claim["id"], story_month)


def gdp_ratio_years(claim: dict, facts: pd.DataFrame, story_month: str) -> pd.DataFrame:
    """China's GDP ÷ Russia's per year, from one source and vintage only (a mixed pair is listed, role 'mixed',
    never compared: model.context_facts.gdp_ratios)."""
    ratios = gdp_ratios(gdp_view(facts))
    records = [
        _record(
            "China's GDP ÷ Russia's",
            "claim" if r.basis == "same source and vintage" else "mixed",
            str(r.year),
            "year",
            r.ratio,
            RATIO,
            basis=r.basis,
            source=f"{r.china_source} (row {int(r.china_row)}); {r.russia_source} (row "
            f"{int(r.russia_row)})",
            direction="",
        )
        for r in ratios.loc[ratios.ratio.notna()].itertuples()
    ]
    return _frame(records, claim["id"], story_month)


def car_share_months(
    claim: dict, facts: pd.DataFrame, invasion_month: str, story_month: str
) -> pd.DataFrame:
    """Chinese brands' share of Russia's new-car market, every exactly dated month published as a number."""
    view = car_share_view(facts, invasion_month)
    months = view.loc[view.exact_month & (view.value_kind == "exact")]
    records = [
        _record(
            "Share of Russia's new-car market",
            "claim",
            r.date[:7],
            "month",
            r.share_pct,
            SHARE,
            basis=r.measure,
            source=f"{r.source} (row {int(r.source_row)})",
            direction="",
        )
        for r in months.itertuples()
    ]
    return _frame(records, claim["id"], story_month)


def machine_tool_changes(
    claim: dict, production: pd.DataFrame, span_years: tuple[int, int], story_month: str
) -> pd.DataFrame:
    """The claim's change over the same number of years, ending in each later year that one production series
    holds at both ends (none in the vendored data: an empty table)."""
    start, end = span_years
    records = []
    for (measure, _unit), years in level_series(production).items():
        for year in sorted(y for y in years if y > end and y - (end - start) in years):
            change = change_pct(years[year], years[year - (end - start)])
            records.append(
                _record(
                    measure, "claim", str(year), "year", change, CHANGE, basis="from two levels"
                )
            )
    return _frame(records, claim["id"], story_month)
