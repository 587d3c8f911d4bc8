"""What the real customs rows settle (pandas only): trade composition (BACI), fuel imports by code
(Comtrade + China customs as compiled by china-energy-monitor; the codes' table is model.fuel) and China's monthly imports from
Russia (Comtrade) beside the wire-reported series.

Raw rows outrank wire quotes for the same number: where rows cover a figure it is computed from
them, and the wire figure is shown beside it; a difference beyond the wire's rounding is a conflict.
Every computed number carries `source_file` and `source_rows` (1-based data rows of that file).
"""

import math
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import PurePosixPath

import numpy as np
import pandas as pd

from ..core.text import is_missing
from .resolve import agree, cite_record
from .series import change_pct


@dataclass
class RawRows:
    """The tidy rows of the vendored real customs files (helpers.sources.baci / fuel_monitor / comtrade)."""

    baci: pd.DataFrame  # annual HS6, both directions
    fuel: pd.DataFrame  # monthly imports, four fuel codes
    comtrade_totals: pd.DataFrame  # monthly imports, all goods
    notes: list = field(default_factory=list)


def consecutive_runs(items, number=int) -> list[list]:
    """[1, 2, 3, 7] -> [[1, 2, 3], [7]]: sorted items in runs whose numbers (`number(item)`) follow on."""
    # consecutive items keep the same difference from their position in the list: one run each
    runs = groupby(enumerate(items), lambda p: number(p[1]) - p[0])
    return [[item for _, item in run] for _, run in runs]


def row_ranges(rows) -> str:
    """[1, 2, 3, 7] -> '1–3, 7' (rows of one file, as a reader can find them)."""
    runs = consecutive_runs(sorted({int(r) for r in rows}))
    return ", ".join(f"{run[0]}" if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


def cite(rows: pd.DataFrame) -> str:
    """'data/raw/x.csv rows 1–3, 7; data/raw/y.csv rows 2' for the rows behind a number."""
    return cite_pairs(zip(rows.source_file.tolist(), rows.source_row.tolist()))


def cite_pairs(pairs) -> str:
    """cite() of (source_file, source_row) pairs: plain Python, as a build cites a few rows ~900 times (a
    groupby per citation cost about a second in all). A row without a file is not cited (as groupby)."""
    by_file: dict[str, list] = {}
    for name, row in pairs:
        if not pd.isna(name):
            by_file.setdefault(name, []).append(row)
    return "; ".join(
        f"{name} row{'s' if len(set(found)) > 1 else ''} {row_ranges(found)}"
        for name, found in sorted(by_file.items())
    )


def _values(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.loc[(rows.measure == "value") & (rows.unit == "usd_mn")]


# ------------------------------------------------------------------------------------ composition (BACI)
def top_level_groups(groups: dict, flow: str, version: str = "HS2017") -> list[str]:
    """Groups of one flow with HS codes in `version`, leaving out any whose codes another group covers
    (passenger cars inside vehicles, crude oil inside mineral fuels), so the parts do not overlap."""
    codes = {
        name: [str(c) for c in (g.get("hs") or {}).get(version, [])]
        for name, g in groups.items()
        if g["flow"] == flow and (g.get("hs") or {}).get(version)
    }
    kept = []
    for name, own in codes.items():
        covered_by = [
            other
            for other, theirs in codes.items()
            if other != name
            and all(any(code.startswith(t) for t in theirs) for code in own)
            and not (set(theirs) == set(own) and list(codes).index(other) > list(codes).index(name))
        ]
        if not covered_by:
            kept.append(name)
    return kept


def composition(baci: pd.DataFrame, groups: dict, version: str = "HS2017") -> pd.DataFrame:
    """Value per year, direction and top-level group, plus 'all other goods' and the total (US$ mn).

    Only rows in `version` are used: group codes differ between HS editions (smartphones 851712 -> 851713)."""
    values = _values(baci)
    values = values.loc[values.hs_version == version]
    records = []
    for flow in ("export", "import"):
        flow_rows = values.loc[values.flow == flow]
        names = top_level_groups(groups, flow, version)
        for year, year_rows in flow_rows.groupby("period"):
            used = pd.Series(False, index=year_rows.index)
            for name in names:
                prefixes = tuple(str(c) for c in groups[name]["hs"][version])
                mask = year_rows.hs_code.str.startswith(prefixes)
                used |= mask
                records.append(_part(flow, year, name, groups[name]["label"], year_rows.loc[mask]))
            records.append(_part(flow, year, "other", "All other goods", year_rows.loc[~used]))
            records.append(_part(flow, year, "total", "All goods", year_rows))
    frame = pd.DataFrame(records)
    totals = frame.loc[frame.group == "total"].set_index(["flow", "year"]).value_usd_mn
    frame["share_pct"] = [
        round(100 * v / totals[(f, y)], 1)
        for f, y, v in zip(frame.flow, frame.year, frame.value_usd_mn)
    ]
    return frame


def _part(flow, year, group, label, rows) -> dict:
    return {
        "flow": flow,
        "direction": "China → Russia" if flow == "export" else "Russia → China",
        "year": str(year),
        "group": group,
        "label": label,
        "value_usd_mn": rows.value.sum(),
        "value_usd_bn": round(rows.value.sum() / 1000, 3),
        "hs_codes": rows.hs_code.nunique(),
        "source_file": ", ".join(sorted(set(rows.source_file))),
        "source_rows": row_ranges(rows.source_row),
    }


def composition_change(frame: pd.DataFrame, start: str, end: str) -> pd.DataFrame:
    """Each part's value in two years (start_usd_bn, end_usd_bn) and the change between them."""
    wide = frame.pivot_table(
        index=["flow", "direction", "group", "label"],
        columns="year",
        values="value_usd_mn",
        aggfunc="sum",
    ).reset_index()
    wide.columns.name = None
    out = wide[["flow", "direction", "group", "label"]].copy()
    out["start"], out["end"] = start, end
    out["start_usd_bn"] = (wide[start] / 1000).round(3)
    out["end_usd_bn"] = (wide[end] / 1000).round(3)
    out["change_pct"] = (100 * (wide[end] / wide[start] - 1)).round(1)
    return out


# ------------------------------------------------------------------------------------ fuel rows
def fuel_monthly(fuel: pd.DataFrame) -> pd.DataFrame:
    rows = _values(fuel).sort_values(["period", "hs_code"])
    return pd.DataFrame(
        {
            "period": rows.period,
            "date": rows.period + "-15",
            "hs_code": rows.hs_code,
            "commodity": rows.commodity,
            "label": rows.commodity + " (HS " + rows.hs_code + ")",
            "value_usd_mn": rows.value,
            "value_usd_bn": (rows.value / 1000).round(4),
            "publisher": rows.publisher,
            "source_file": rows.source_file,
            "source_row": rows.source_row,
        }
    ).reset_index(drop=True)


def levels_change(value, prior) -> dict:
    """Two levels and the change between them: change_pct is for display (one decimal); a verdict
    compares change_exact, never the rounded figure; NaN where either level is missing or zero."""
    exact = change_pct(value, prior)
    return {
        "value_usd_mn": value,
        "prior_value_usd_mn": prior,
        "change_pct": round(exact, 1),
        "change_exact": exact,
    }


def code_ytd(
    rows: pd.DataFrame, codes, period_end: str, partner: str = "RU", flow: str = "import"
) -> dict | None:
    """January–period_end vs a year earlier, summed over exact HS codes, when every month of both years
    has a row for every code (absence is never read as zero). None otherwise."""
    year, month = int(period_end[:4]), int(period_end[5:7])
    codes = [str(c) for c in codes]
    # one filter, then plain Python over the few rows left: a build calls this a few hundred times
    rows = rows.loc[
        (rows.measure == "value")
        & (rows.unit == "usd_mn")
        & (rows.partner == partner)
        & (rows.flow == flow)
        & (rows.span == "month")
        & rows.hs_code.isin(codes),
        ["period", "hs_code", "value", "publisher", "source_file", "source_row"],
    ]
    records = list(zip(*(rows[column].tolist() for column in rows.columns)))
    sums, used = {}, []
    for y in (year, year - 1):
        months = [f"{y}-{m:02d}" for m in range(1, month + 1)]
        picked = [r for r in records if r[0] in months]
        if {(r[0], r[1]) for r in picked} != {(p, c) for p in months for c in codes}:
            return None
        sums[y] = np.nansum(np.array([r[2] for r in picked], dtype="float64"))  # as Series.sum
        used.append(picked)
    return {
        **levels_change(sums[year], sums[year - 1]),
        "publishers": ", ".join(sorted({r[3] for r in used[0] + used[1]})),
        "rows": cite_pairs((r[4], r[5]) for r in used[0] + used[1]),
        "value_publishers": ", ".join(sorted({r[3] for r in used[0]})),
        "value_rows": cite_pairs((r[4], r[5]) for r in used[0]),
        "prior_publishers": ", ".join(sorted({r[3] for r in used[1]})),
        "prior_rows": cite_pairs((r[4], r[5]) for r in used[1]),
        "value_files": sorted({r[4] for r in used[0]}),
        "prior_files": sorted({r[4] for r in used[1]}),
    }


# ------------------------------------------------------------------------------------ Comtrade vs wire
FLAGGED_WIRE = "page flagged as mislabelled"


def monthly_import_rows(totals: pd.DataFrame) -> pd.DataFrame:
    """China's all-goods monthly import rows in US$ mn, cut to the columns the sums read (they filter
    these rows a few hundred times)."""
    return totals.loc[
        (totals.measure == "value")
        & (totals.unit == "usd_mn")
        & (totals.flow == "import")
        & (totals.span == "month")
        & (totals.hs_code == ""),
        ["period", "value", "source_file", "source_row"],
    ]


def imports_raw_vs_wire(
    comtrade_totals: pd.DataFrame, wire_monthly: pd.DataFrame, period_end: str
) -> pd.DataFrame:
    """One bar per month of China's imports from the partner: Comtrade rows where they exist, otherwise the
    wire-reported GACC month (published or derived); the wire figure is kept beside as a cross-check, marked
    `wire_mislabelled` when it comes from a page flagged as mislabelled (config/sources.yaml)."""
    raw = monthly_import_rows(comtrade_totals)
    raw = raw.groupby("period").agg(
        raw_usd_mn=("value", "sum"),
        raw_file=("source_file", "first"),
        raw_rows=("source_row", row_ranges),
    )
    wire = wire_monthly.loc[wire_monthly.flow == "import"].set_index("period")
    months = sorted(set(raw.index) | set(wire.index))
    records = []
    for period in (p for p in months if p <= period_end):
        r = raw.loc[period] if period in raw.index else None
        w = wire.loc[period] if period in wire.index else None
        wire_value = w.value if w is not None and w.status in ("published", "derived") else math.nan
        flagged = bool(w is not None and w.get("mislabelled", False))
        if r is None and flagged:
            continue  # a flagged page's figure is never drawn as the month's imports (not even as the only one)
        if r is not None:
            value, source, rows = r.raw_usd_mn, "UN Comtrade rows", f"{r.raw_file} row {r.raw_rows}"
        elif not is_missing(wire_value):
            value, source, rows = (
                wire_value,
                f"GACC via wire ({w.status})",
                f"{w.source} (row {w.source_rows})",
            )
        else:
            continue
        records.append(
            {
                "period": period,
                "date": period + "-15",
                "value_usd_mn": value,
                "value_usd_bn": round(value / 1000, 3),
                "bar_source": source,
                "source": rows,
                "wire_usd_bn": round(wire_value / 1000, 3)
                if not is_missing(wire_value)
                else math.nan,
                "wire_status": (w.status + (f", {FLAGGED_WIRE}" if flagged else ""))
                if w is not None
                else "not in wire data",
                "wire_mislabelled": flagged,
                "wire_source": (
                    f"{w.source} (row {w.source_rows})" if w is not None and w.source else ""
                ),
            }
        )
    return pd.DataFrame(records)


def monthly_cross_check(comtrade_totals: pd.DataFrame, wire_monthly: pd.DataFrame) -> pd.DataFrame:
    """Each month (and GACC's combined January–February) that both the Comtrade rows and a published wire
    figure give: the rows' sum beside the wire figure. Derived wire months are left out (not published).
    `wire_mislabelled`: the wire figure comes from a page flagged as mislabelled (config/sources.yaml), so its
    gap to the rows is the page's error, not a wire-vs-rows difference; the caller says so."""
    raw = monthly_import_rows(comtrade_totals).set_index("period")
    wire = wire_monthly.loc[
        (wire_monthly.flow == "import")
        & wire_monthly.status.isin(["published", "Jan–Feb combined"])
    ]
    records = []
    for row in wire.itertuples():
        months = (
            [row.period[:4] + "-01", row.period]
            if row.status == "Jan–Feb combined"
            else [row.period]
        )
        if row.value != row.value or not all(m in raw.index for m in months):
            continue
        rows = raw.loc[months]
        records.append(
            {
                "period": row.period,
                "span": "Jan–Feb" if len(months) == 2 else "month",
                "raw_usd_mn": rows.value.sum(),
                "raw_rows": cite(rows.reset_index()),
                "wire_usd_mn": row.value,
                "wire_source": f"{row.source} (row {row.source_rows})",
                "within_rounding": agree(row.value, rows.value.sum()),
                "wire_mislabelled": bool(getattr(row, "mislabelled", False)),
            }
        )
    return pd.DataFrame(
        records,
        columns=[
            "period",
            "span",
            "raw_usd_mn",
            "raw_rows",
            "wire_usd_mn",
            "wire_source",
            "within_rounding",
            "wire_mislabelled",
        ],
    )


def ytd_cross_check(
    comtrade_totals: pd.DataFrame, resolved_totals: pd.DataFrame, period_end: str
) -> pd.DataFrame:
    """Each wire-published January–month import figure up to period_end whose months the Comtrade rows all give:
    the rows' sum beside it, with the wire figure's publisher and file row (the conflicts table's pair, which
    judges the rounding). January–February is left to monthly_cross_check (GACC's combined figure) and
    January–December to the annual check."""
    spans = {r.period: r for r in raw_ytd_imports(comtrade_totals).itertuples(index=False)}
    wire = resolved_totals.loc[
        (resolved_totals.flow == "import")
        & (resolved_totals.span == "ytd")
        & resolved_totals.value.notna()
        & (resolved_totals.period <= period_end)
        & ~resolved_totals.period.str[5:].isin(["02", "12"])
    ]
    records = []
    for row in wire.itertuples():
        if row.period not in spans:
            continue
        raw, wire_cited = spans[row.period], cite_record(row, "value")
        records.append(
            {
                "period": row.period,
                "raw_usd_mn": raw.value_usd_mn,
                "raw_rows": raw.source,
                "wire_usd_mn": row.value,
                "wire_publisher": wire_cited["publisher"],
                "wire_rows": wire_cited["rows"],
            }
        )
    return pd.DataFrame(
        records,
        columns=["period", "raw_usd_mn", "raw_rows", "wire_usd_mn", "wire_publisher", "wire_rows"],
    )


def raw_annual_imports(comtrade_totals: pd.DataFrame) -> pd.DataFrame:
    """China's imports per full year (all twelve months present) summed from the Comtrade monthly rows:
    year ('2024'), value_usd_mn, source (the file and rows). Raw rows outrank a wire's figure for the same year."""
    spans = raw_ytd_imports(comtrade_totals)
    years = spans.loc[spans.period.str.endswith("-12")]  # January–December: the full year
    return pd.DataFrame(
        {
            "year": years.period.str[:4],
            "value_usd_mn": years.value_usd_mn,
            "source": years.source,
            "files": years.files,
            "rows": years.rows,
        }
    ).reset_index(drop=True)


def raw_ytd_imports(comtrade_totals: pd.DataFrame) -> pd.DataFrame:
    """China's imports for January–month of each year whose rows cover every one of those months, summed from
    the Comtrade monthly rows: period ('2024-07' = January–July 2024; '2024-12' = the full year), value_usd_mn,
    source (the file and rows), and apart, for tables: files (the files' names) and rows ('85–91' where the rows
    are in one file, else the whole citation). Raw rows outrank a wire's year-to-date figure for the same span."""
    raw = monthly_import_rows(comtrade_totals)
    records = []
    for year, rows in raw.groupby(raw.period.str[:4]):
        rows = list(zip(*(rows[column].tolist() for column in rows.columns)))  # plain Python below
        for month in range(1, 13):
            months = [f"{year}-{m:02d}" for m in range(1, month + 1)]
            if not set(months) <= {r[0] for r in rows}:
                break
            picked = [r for r in rows if r[0] in months]
            files = sorted({r[2] for r in picked})
            cited = cite_pairs((r[2], r[3]) for r in picked)
            records.append(
                {
                    "period": months[-1],
                    "value_usd_mn": np.nansum(np.array([r[1] for r in picked], dtype="float64")),
                    "source": cited,
                    "files": "; ".join(PurePosixPath(f).name for f in files),
                    "rows": row_ranges([r[3] for r in picked]) if len(files) == 1 else cited,
                }
            )
    return pd.DataFrame(records, columns=["period", "value_usd_mn", "source", "files", "rows"])


def annual_cross_check(comtrade_totals: pd.DataFrame, wire_annual: pd.DataFrame) -> pd.DataFrame:
    """Full years of Comtrade import rows against the wire-published GACC annual import figure.

    wire_annual: rows of helpers.model.turnover.annual_turnover (without raw_imports) for China's imports."""
    records = []
    for year, value, source in raw_annual_imports(comtrade_totals)[
        ["year", "value_usd_mn", "source"]
    ].itertuples(index=False):
        wire = wire_annual.loc[wire_annual.year.astype(str) == year]
        wire_value = (
            wire.value_usd_bn.iloc[0] * 1000 if len(wire) else math.nan
        )  # NaN: no US$ figure published
        has_wire = not is_missing(wire_value)
        records.append(
            {
                "year": year,
                "raw_usd_bn": round(value / 1000, 3),
                "raw_source": source,
                "wire_usd_bn": round(wire_value / 1000, 3) if has_wire else math.nan,
                "wire_source": wire.source.iloc[0] if len(wire) and has_wire else "",
                "difference_pct": round(change_pct(wire_value, value), 2),
                "within_rounding": bool(has_wire and agree(wire_value, value)),
            }
        )
    return pd.DataFrame(records)


def raw_wire_conflicts(pairs: list[dict]) -> pd.DataFrame:
    """Rows for the conflicts table where a raw-row figure and a wire figure disagree beyond rounding.

    pairs: {commodity, flow, period, span, raw_usd_mn, raw_publisher, raw_rows, wire_usd_mn, wire_publisher,
    wire_row} — raw_* is the figure used: the raw rows', or a GACC figure that a secondary compilation's rows
    (config/sources.yaml) rank below, wire_* then being the compilation's sum."""
    records = []
    for p in pairs:
        if p["wire_usd_mn"] != p["wire_usd_mn"] or agree(p["wire_usd_mn"], p["raw_usd_mn"]):
            continue
        records.append(
            {
                "commodity": p["commodity"],
                "flow": p["flow"],
                "period": p["period"],
                "span": p["span"],
                "field": "value",
                "used": round(p["raw_usd_mn"], 1),
                "used_publisher": p["raw_publisher"],
                "used_source_row": p["raw_rows"],
                "other": p["wire_usd_mn"],
                "other_publisher": p["wire_publisher"],
                "other_source_row": p["wire_row"],
                "relative_diff_pct": round(
                    100 * (p["wire_usd_mn"] - p["raw_usd_mn"]) / p["raw_usd_mn"], 2
                ),
            }
        )
    return pd.DataFrame(records)
