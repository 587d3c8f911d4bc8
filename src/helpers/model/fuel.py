"""Fuel imports by code for one period (pandas only): each fuel group as model.groups.group_change ranks its
figures, the raw rows' sum and the wire's GACC figure beside it, and the codes together.

Precedence (config/sources.yaml): raw rows outrank a wire quote, except rows of a secondary compilation, which
rank below a published GACC figure for the same group and period. The codes together are a sum computed here:
each code's level as used (GACC's where it published one, else the raw rows'), against the year-earlier rows.
"""

import math

import pandas as pd

from ..core.text import is_missing
from .groups import group_change, wire_ytd
from .raw_rows import cite, code_ytd, levels_change
from .resolve import cite_record, secondary_compilations

TOGETHER = "together"


def _part(
    resolved_groups, code_rows, groups: dict, name: str, period_end: str, partner: str
) -> dict | None:
    """One group: the figure used, the raw rows' own sum (rows_*) and the wire figure (wire_*); None when the
    rows do not cover the period for every code of the group."""
    change = group_change(resolved_groups, name, groups[name], period_end, None, partner, code_rows)
    if "rows_value_usd_mn" not in change:
        return None
    wire = (
        wire_ytd(resolved_groups, name, groups[name], period_end) if len(resolved_groups) else None
    )
    used_gacc = change["basis"] != "sum of raw rows"
    # The level that goes into the codes' sum: GACC's where it published one, else the rows' (GACC gave a y/y only)
    level = (
        change["value_usd_mn"]
        if not is_missing(change["value_usd_mn"])
        else change["rows_value_usd_mn"]
    )
    return {
        **{
            k: change[k]
            for k in (
                "group",
                "label",
                "value_usd_mn",
                "prior_value_usd_mn",
                "change_pct",
                "change_exact",
                "basis",
                "value_publishers",
                "value_rows",
                "prior_publishers",
                "prior_rows",
                "rows_value_usd_mn",
                "rows_change_pct",
                "rows_change_exact",
                "rows_source",
                "rows_publishers",
                "rows_rows",
            )
        },
        "secondary": ", ".join(change.get("secondary") or []),
        "used": "GACC" if used_gacc else "rows",
        "level_usd_mn": level,
        "level_publishers": change["value_publishers"]
        if not is_missing(change["value_usd_mn"])
        else change["rows_publishers"],
        "level_rows": change["value_rows"]
        if not is_missing(change["value_usd_mn"])
        else change["rows_rows"],
        "wire_usd_mn": wire["value_usd_mn"] if wire else math.nan,
        "wire_change_pct": wire["published_yoy_pct"] if wire else math.nan,
        "wire_source": wire["citation"] if wire else "",
        "wire_link": wire["source"] if wire else "",
        "wire_publisher": wire["value_publisher"] if wire else "",
        "wire_row": wire["value_row"] if wire else 0,
        "wire_rows": wire["value_rows"] if wire else "",
    }


def _level_rows(records: list[dict], code_rows, groups: dict, period_end: str, partner: str) -> str:
    """Where the codes' current levels come from: the GACC rows used, then the raw rows of the other codes."""
    gacc = [p["level_rows"] for p in records if p["level_rows"] != p["rows_rows"]]
    from_rows = [
        str(c)
        for p in records
        if p["level_rows"] == p["rows_rows"]
        for c in groups[p["group"]]["hs"]["HS2017"]
    ]
    rows = code_ytd(code_rows, from_rows, period_end, partner) if from_rows else None
    return "; ".join(gacc + ([rows["value_rows"]] if rows else []))


def fuel_table(
    resolved_groups: pd.DataFrame,
    code_rows: pd.DataFrame,
    groups: dict,
    names,
    period_end: str,
    partner: str = "RU",
) -> pd.DataFrame:
    """Each fuel group the rows cover, then the codes together when the rows cover every one of them."""
    parts = [
        _part(resolved_groups, code_rows, groups, n, period_end, partner)
        for n in names
        if n in groups
    ]
    records = [p for p in parts if p is not None]
    codes = [str(c) for n in names if n in groups for c in groups[n]["hs"]["HS2017"]]
    rows = code_ytd(code_rows, codes, period_end, partner) if codes else None
    if rows is None or len(records) != len(names):
        return pd.DataFrame(records)
    value = sum(p["level_usd_mn"] for p in records)
    prior = sum(p["prior_value_usd_mn"] for p in records)
    by_publisher: dict[str, list] = {}
    for p in records:
        by_publisher.setdefault(p["level_publishers"], []).append(p["label"].split(" (")[0])
    records.append(
        {
            "group": TOGETHER,
            "label": f"The {len(records)} codes together",
            **levels_change(value, prior),
            "basis": "sum of the codes' levels"
            if any(p["used"] == "GACC" for p in records)
            else "sum of raw rows",
            "value_publishers": ", ".join(by_publisher),
            "value_by_publisher": by_publisher,
            "value_rows": _level_rows(records, code_rows, groups, period_end, partner),
            "prior_publishers": rows["prior_publishers"],
            "prior_rows": rows["prior_rows"],
            "rows_value_usd_mn": rows["value_usd_mn"],
            "rows_change_pct": rows["change_pct"],
            "rows_change_exact": rows["change_exact"],
            "rows_source": f"{rows['value_publishers']}: HS {'+'.join(codes)} ({rows['value_rows']})",
            "rows_publishers": rows["value_publishers"],
            "rows_rows": rows["value_rows"],
            "secondary": ", ".join(
                dict.fromkeys(p["secondary"] for p in records if p["secondary"])
            ),
            "used": "GACC and rows" if any(p["used"] == "GACC" for p in records) else "rows",
            "level_usd_mn": value,
            "level_publishers": ", ".join(by_publisher),
            "level_rows": "",
            "wire_usd_mn": math.nan,
            "wire_change_pct": math.nan,
            "wire_source": "",
            "wire_link": "",
            "wire_publisher": "",
            "wire_row": 0,
            "wire_rows": "",
        }
    )
    return pd.DataFrame(records)


def fuel_wire_pairs(
    resolved_groups: pd.DataFrame, code_rows: pd.DataFrame, groups: dict, names, partner: str = "RU"
) -> pd.DataFrame:
    """Each month, January–month span and year for which the raw rows (every code of a fuel group in every month)
    and a wire-reported GACC value for that group both give China's imports, for the conflicts table: `used` is
    the figure ranked first -- GACC's where the rows come from a secondary compilation (config/sources.yaml),
    else the rows' -- and `other` the one below.

    Columns: group, label, period, span, used_usd_mn, used_publisher, used_rows, other_usd_mn, other_publisher,
    other_rows. Figure 7 draws the rows; this is where they disagree with GACC's published figures."""
    compilations = secondary_compilations()
    raw = (
        code_rows.loc[
            (code_rows.measure == "value")
            & (code_rows.unit == "usd_mn")
            & (code_rows.span == "month")
            & (code_rows.partner == partner)
            & (code_rows.flow == "import")
        ]
        if len(code_rows)
        else code_rows
    )
    records = []
    for name in (n for n in names if n in groups):
        codes = {str(c) for c in groups[name]["hs"]["HS2017"]}
        wire = (
            resolved_groups.loc[
                (resolved_groups.group == name)
                & resolved_groups.span.isin(["month", "ytd", "year"])
                & (resolved_groups.measure == "value")
                & (resolved_groups.unit == "usd_mn")
                & (resolved_groups.partner == partner)
            ]
            if len(resolved_groups)
            else resolved_groups
        )
        for record in wire.itertuples():
            year, last = record.period[:4], 12 if record.span == "year" else int(record.period[5:7])
            months = (
                [record.period]
                if record.span == "month"
                else [f"{year}-{m:02d}" for m in range(1, last + 1)]
            )
            rows = raw.loc[raw.period.isin(months) & raw.hs_code.isin(codes)]
            if set(zip(rows.period, rows.hs_code)) != {(m, c) for m in months for c in codes}:
                continue  # a month or code without a row: no sum to compare (absence is not zero)
            cited = {
                "usd_mn": round(rows.value.sum(), 1),
                "publisher": ", ".join(sorted(set(rows.publisher))),
                "rows": cite(rows),
            }
            cited_gacc = cite_record(record, "value")
            gacc = {
                "usd_mn": record.value,
                "publisher": cited_gacc["publisher"],
                "rows": cited_gacc["rows"],
            }
            used, other = (
                (gacc, cited) if set(rows.source_file) <= set(compilations) else (cited, gacc)
            )
            records.append(
                {
                    "group": name,
                    "label": groups[name].get("label", name),
                    "period": record.period,
                    "span": record.span,
                    **{f"used_{k}": v for k, v in used.items()},
                    **{f"other_{k}": v for k, v in other.items()},
                }
            )
    return pd.DataFrame(
        records,
        columns=[
            "group",
            "label",
            "period",
            "span",
            "used_usd_mn",
            "used_publisher",
            "used_rows",
            "other_usd_mn",
            "other_publisher",
            "other_rows",
        ],
    )
