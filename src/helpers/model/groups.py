"""Commodity groups (config/commodity_groups.yaml): group figures for the period and over time.

Two sources, in order of preference: HS-level raw files (UN Comtrade, GACC query exports) when
they cover every month needed — the group is then the exact sum of its HS codes — otherwise the
wire-reported figures whose commodity label belongs to the group.
"""

import math
from itertools import product

import pandas as pd

from ..core.text import is_missing, signed_pct, usd_bn
from .hs_coverage import code_coverage, describe_gaps
from .multiples import published_multiple
from .raw_rows import code_ytd, levels_change
from .resolve import cite_record, last_digit_unit, resolve, secondary_compilations
from .series import change_pct, ytd_value

GROUP_KEY = ["reporter", "partner", "group", "flow", "period", "span", "measure", "unit"]
NO_FIGURE = "no published figure"


def label_observations(commodities: pd.DataFrame, groups: dict) -> pd.DataFrame:
    """Wire-reported rows that measure a group (label listed in the group, same flow)."""
    frames = []
    for name, group in groups.items():
        rows = commodities.loc[
            commodities.commodity.isin(group.get("labels", []))
            & (commodities.flow == group["flow"])
        ]
        frames.append(rows.assign(group=name))
    return (
        pd.concat(frames, ignore_index=True) if frames else commodities.assign(group="").iloc[0:0]
    )


def resolve_groups(commodities: pd.DataFrame, groups: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = label_observations(commodities, groups)
    rows = rows.loc[rows.measure != ""]
    return resolve(rows, GROUP_KEY)


def hs_prefixes(group: dict) -> list[str]:
    return sorted({str(code) for codes in (group.get("hs") or {}).values() for code in codes})


def hs_level_ytd(hs_rows: pd.DataFrame, group: dict, partner: str, period_end: str) -> dict | None:
    """Exact group sum from HS-level monthly rows, or why it cannot be used.

    Used only when, for every month of January-period_end in both years, every code of the group has
    US$ rows from one source and one classification (helpers.sources.hs_level.code_coverage); GACC
    omits zero rows, so a missing code is a gap, never a zero. Returns None when no HS-level row
    touches the group, {'hs_level_note': ...} when rows exist but do not cover the span, else the sum.
    """
    if hs_rows is None or hs_rows.empty:
        return None
    year, month = int(period_end[:4]), int(period_end[5:7])
    prefixes = tuple(hs_prefixes(group))
    flow_rows = hs_rows.loc[(hs_rows.partner == partner) & (hs_rows.flow == group["flow"])]
    if not flow_rows.hs_code.str.startswith(prefixes).any():
        return None
    months = [f"{y}-{m:02d}" for y in (year - 1, year) for m in range(1, month + 1)]
    covered = code_coverage(
        flow_rows,
        partner,
        group["flow"],
        months,
        group.get("hs") or {},
        version_order=tuple(group.get("classification_preference") or ("HS2022", "HS2017")),
    )
    if not covered["complete"]:
        return {
            "hs_level_note": f"HS-level rows not used: missing {describe_gaps(covered['missing'])}"
        }
    rows = pd.concat(
        [one_code_level(part, prefixes) for _, part in covered["rows"].groupby("period")]
    )
    sums = {y: rows.loc[rows.period.str.startswith(f"{y}-")].value.sum() for y in (year, year - 1)}
    sources = sorted(set(rows.publisher))
    files = sorted(set(rows.source_file))
    # the editions of the rows summed, as the files give them (not the loop's preference)
    versions = sorted({v or "edition not given in the file" for v in rows.hs_version})
    return {
        **levels_change(sums[year], sums[year - 1]),
        "source": f"{', '.join(sources) or 'HS-level data'}: sum of HS {'+'.join(prefixes)} "
        f"({', '.join(versions)}; {', '.join(files)})",
        "basis": "HS-level sum",
    }


def one_code_level(rows: pd.DataFrame, prefixes) -> pd.DataFrame:
    """Comtrade returns a heading and its subheadings together: keep one level per prefix, never both."""
    kept = []
    for prefix in sorted(set(prefixes)):
        matching = rows.loc[rows.hs_code.str.startswith(prefix)]
        exact = matching.loc[matching.hs_code == prefix]
        if len(exact):
            kept.append(exact)
        elif len(matching):
            kept.append(
                matching.loc[matching.hs_code.str.len() == matching.hs_code.str.len().max()]
            )
    return pd.concat(kept).drop_duplicates() if kept else rows.iloc[0:0]


def exact_code_ytd(
    code_rows: pd.DataFrame | None, group: dict, partner: str, period_end: str
) -> dict | None:
    """The group from raw rows of single HS codes (the fuel files): only when every code of the group is
    itself in the rows for every month — rows for 2709 say nothing about chapter 27 as a whole.
    `secondary`: the secondary compilations (config/sources.yaml) the current year's rows come from."""
    if code_rows is None or code_rows.empty:
        return None
    codes = hs_prefixes(group)
    found = code_ytd(code_rows, codes, period_end, partner, group["flow"])
    if found is None:
        return None
    compilations = secondary_compilations()
    rows_source = f"{found['value_publishers']}: HS {'+'.join(codes)} ({found['value_rows']})"
    return {
        **{
            k: found[k]
            for k in ("value_usd_mn", "prior_value_usd_mn", "change_pct", "change_exact")
        },
        "basis": "sum of raw rows",
        "source": f"{found['publishers']}: HS {'+'.join(codes)} ({found['rows']})",
        **{
            k: found[k]
            for k in ("value_publishers", "value_rows", "prior_publishers", "prior_rows")
        },
        "rows_value_usd_mn": found["value_usd_mn"],
        "rows_change_pct": found["change_pct"],
        "rows_change_exact": found["change_exact"],
        "rows_source": rows_source,
        "rows_publishers": found["value_publishers"],
        "rows_rows": found["value_rows"],
        "secondary": [
            compilations[f]["compiled_by"] for f in found["value_files"] if f in compilations
        ],
        "prior_secondary": [
            compilations[f]["compiled_by"] for f in found["prior_files"] if f in compilations
        ],
    }


def wire_ytd(resolved_groups: pd.DataFrame, name: str, group: dict, period_end: str) -> dict | None:
    """The group's wire-reported GACC figure for January–period_end and the level a year earlier (US$ mn),
    or None when neither a value nor a y/y in value was published for the period.

    A y/y in value published without its level has no unit in the file (the unit is the level's): it is still
    the group's published change in value, used when no US$ record of the period gives a y/y."""
    if not len(resolved_groups):
        return None
    year, month = int(period_end[:4]), int(period_end[5:7])
    rows = resolved_groups  # looked up by masks, not filtered copies: a build makes ~180 calls
    in_group = (rows.group == name) & (rows.measure == "value")
    usd = in_group & (rows.unit == "usd_mn")
    current, prior = (
        ytd_value(rows, group["flow"], year, month, where=usd),
        ytd_value(rows, group["flow"], year - 1, month, where=usd),
    )
    bare = ytd_value(
        rows, group["flow"], year, month, where=in_group & (rows.unit == "") & rows.value.isna()
    )
    value = current.value if current is not None else math.nan
    published, yoy_record = (current.yoy_pct, current) if current is not None else (math.nan, None)
    if is_missing(published) and bare is not None and not is_missing(bare.yoy_pct):
        published, yoy_record = bare.yoy_pct, bare
    if is_missing(value) and is_missing(published):
        return None
    cited = (
        cite_record(current, "value") if not is_missing(value) else cite_record(yoy_record, "yoy")
    )
    base = prior.value if prior is not None else math.nan
    return {
        "value_usd_mn": value,
        "published_yoy_pct": published,
        "prior_value_usd_mn": base,
        "source": cited["source"],
        "citation": cited["citation"],
        "value_publisher": cited["publisher"],
        "value_row": cited["row"],
        "value_rows": cited["rows"],
        "prior_source": cite_record(prior, "value")["source"] if not is_missing(base) else "",
        "prior_publisher": prior.value_publisher if not is_missing(base) else "",
    }


def _published_or_levels(value, prior, published) -> dict:
    """A wire figure's change: the published y/y where there is one, else computed from the two levels (NaN
    where either is missing); change_pct for display (a computed one to one decimal), change_exact for verdicts."""
    if not is_missing(published):
        return {"change_pct": published, "change_exact": published, "basis": "published y/y"}
    change = levels_change(value, prior)
    return {k: change[k] for k in ("change_pct", "change_exact")} | {
        "basis": "computed from levels"
    }


def gacc_over_secondary(exact: dict, wire: dict | None) -> dict | None:
    """A sum of raw rows whose current year comes from a secondary compilation ranks below a published GACC
    figure (config/sources.yaml `secondary_compilations`): the GACC value and/or y/y is used, its published y/y
    as the change; the year-earlier level stays from the raw rows unless they are a secondary compilation too
    and GACC published that level. The compilation's sum stays beside it (rows_*). None: no GACC figure."""
    if not exact.get("secondary") or wire is None:
        return None
    prior, prior_source = (
        exact["prior_value_usd_mn"],
        f"{exact['prior_publishers']} ({exact['prior_rows']})",
    )
    prior_publishers = exact["prior_publishers"]
    if exact.get("prior_secondary") and not is_missing(wire["prior_value_usd_mn"]):
        prior, prior_source, prior_publishers = (
            wire["prior_value_usd_mn"],
            wire["prior_source"],
            wire["prior_publisher"],
        )
    value, published = wire["value_usd_mn"], wire["published_yoy_pct"]
    return {
        **exact,
        "value_usd_mn": value,
        "prior_value_usd_mn": prior,
        "published_yoy_pct": published,
        **_published_or_levels(value, prior, published),
        "source": f"{wire['source']}; year earlier: {prior_source}; beside it: {exact['rows_source']}, "
        f"{usd_bn(exact['rows_value_usd_mn'], 2)}, {signed_pct(exact['rows_change_pct'])}",
        "value_publishers": wire["value_publisher"],
        "value_rows": wire["value_rows"],
        "prior_publishers": prior_publishers,
        "prior_source": prior_source,
    }


def group_change(
    resolved_groups: pd.DataFrame,
    name: str,
    group: dict,
    period_end: str,
    hs_rows: pd.DataFrame | None = None,
    partner: str = "RU",
    code_rows: pd.DataFrame | None = None,
) -> dict:
    """January–period_end vs a year earlier for one group, with where each number comes from.

    Raw rows outrank wire quotes: HS-level files first, then raw rows of exact codes, then the wire; rows from a
    secondary compilation rank below a published GACC figure (gacc_over_secondary). `change_pct` is for display
    (a computed change to one decimal); a verdict compares `change_exact`."""
    exact = hs_level_ytd(hs_rows, group, partner, period_end) or {}
    if "basis" not in exact:
        exact = exact_code_ytd(code_rows, group, partner, period_end) or exact
    if "basis" in exact:
        ranked = gacc_over_secondary(exact, wire_ytd(resolved_groups, name, group, period_end))
        return {"group": name, "label": group["label"], **(ranked or exact)}
    # HS-level rows that do not cover the span: say so next to the wire figure used instead
    gap = f"{exact['hs_level_note']}; " if "hs_level_note" in exact else ""
    wire = wire_ytd(resolved_groups, name, group, period_end)
    if wire is None:
        return {
            "group": name,
            "label": group["label"],
            **levels_change(math.nan, math.nan),
            "source": gap.rstrip("; "),
            "basis": NO_FIGURE,
        }
    value, base, published = (
        wire["value_usd_mn"],
        wire["prior_value_usd_mn"],
        wire["published_yoy_pct"],
    )
    return {
        "group": name,
        "label": group["label"],
        "value_usd_mn": value,
        "prior_value_usd_mn": base,
        **_published_or_levels(value, base, published),
        "source": f"{gap}{wire['source']}",
        "published_yoy_pct": published,
        "prior_source": wire["prior_source"],
        "value_publishers": wire["value_publisher"],
        "value_rows": wire["value_rows"],
    }


SUM_OF_PARTS = "computed: sum of its parts"


def _half_unit(value: float) -> float:
    return 0.5 * last_digit_unit(value)


def group_figure(
    resolved_groups: pd.DataFrame,
    groups: dict,
    name: str,
    period_end: str,
    hs_rows: pd.DataFrame | None = None,
    partner: str = "RU",
    code_rows: pd.DataFrame | None = None,
) -> dict:
    """group_change; for a group configured as `sum_of` other groups (smartphones + computers) with no change
    of its own (none published, and its levels give none, e.g. a level without the year earlier's), its
    parts added up for January–period_end vs a year earlier. F4, the claim check and "Since the story" share
    this rule, so they never disagree on whether a group has a figure. The sum is computed here, never
    published. Each part needs a value for this year and one for a year earlier: a published level, or else
    the level its published y/y implies (value ÷ (1 + y/y)); where a part has neither, the group's own (no)
    figure. `change_low`/`change_high`: the change anywhere within the rounding of the published figures."""
    change = group_change(
        resolved_groups, name, groups[name], period_end, hs_rows, partner, code_rows
    )
    if not is_missing(change.get("change_pct")) or not groups[name].get("sum_of"):
        return change
    parts = [
        group_change(resolved_groups, part, groups[part], period_end, hs_rows, partner, code_rows)
        for part in groups[name]["sum_of"]
    ]
    if any(is_missing(p["value_usd_mn"]) for p in parts):
        return change
    corners = []  # per part: (value, prior) at each end of the published figures' rounding
    for part in parts:
        value, half_value = part["value_usd_mn"], _half_unit(part["value_usd_mn"])
        if not is_missing(part["prior_value_usd_mn"]):
            part["prior_basis"] = "published level"
            prior, half_prior = part["prior_value_usd_mn"], _half_unit(part["prior_value_usd_mn"])
            corners.append(
                [
                    (v, p)
                    for v in (value - half_value, value + half_value)
                    for p in (prior - half_prior, prior + half_prior)
                ]
            )
        elif not is_missing(part.get("published_yoy_pct", math.nan)):
            yoy = part["published_yoy_pct"]
            part["prior_basis"] = "implied by its published y/y"
            part["prior_value_usd_mn"] = value / (1 + yoy / 100)
            corners.append(
                [
                    (v, v / (1 + y / 100))
                    for v in (value - half_value, value + half_value)
                    for y in (yoy - _half_unit(yoy), yoy + _half_unit(yoy))
                ]
            )
        else:
            return change
    changes = [
        change_pct(sum(v for v, _ in combo), sum(p for _, p in combo))
        for combo in product(*corners)
    ]
    sources = [s for p in parts for s in (p["source"], p.get("prior_source", "")) if s]
    # change_pct/low/high for display; a verdict compares the unrounded change_exact/low_exact/high_exact
    return {
        "group": name,
        "label": groups[name]["label"],
        **levels_change(
            sum(p["value_usd_mn"] for p in parts), sum(p["prior_value_usd_mn"] for p in parts)
        ),
        "change_low": round(min(changes), 1),
        "change_high": round(max(changes), 1),
        "low_exact": min(changes),
        "high_exact": max(changes),
        "basis": SUM_OF_PARTS,
        "parts": parts,
        "source": "; ".join(dict.fromkeys(sources)),
    }


def period_changes(
    resolved_groups, groups: dict, period_end: str, hs_rows=None, partner="RU", code_rows=None
) -> pd.DataFrame:
    """F4's data: every group (group_figure), including those with no published figure (kept, not dropped)."""
    frame = pd.DataFrame(
        [
            group_figure(resolved_groups, groups, name, period_end, hs_rows, partner, code_rows)
            for name in groups
        ]
    )
    frame["flow"] = [groups[name]["flow"] for name in frame.group]
    frame["has_figure"] = frame.change_pct.notna()
    frame["bar_change_pct"] = frame.change_pct.fillna(0.0)
    frame["value_usd_bn"] = (frame.value_usd_mn / 1000).round(3)
    return frame[
        [
            "group",
            "label",
            "flow",
            "value_usd_bn",
            "value_usd_mn",
            "prior_value_usd_mn",
            "change_pct",
            "bar_change_pct",
            "has_figure",
            "basis",
            "source",
        ]
    ]


def family_of(name: str) -> str:
    """'nickel_unwrought' -> 'nickel': a sub-group joins its metal (F5's panels, the metals claim)."""
    return name.split("_")[0]


def _in_window(rows: pd.DataFrame, year: str, period_end: str) -> pd.DataFrame:
    month = rows.period.where(rows.period.str.len() == 7, rows.period + "-12")
    return rows.loc[(month.str[:4] == year) & (month <= period_end)]


CHANGE_COLUMNS = [
    "group",
    "family",
    "period",
    "span",
    "measure",
    "kind",
    "yoy_pct",
    "multiple",
    "direction",
    "publisher",
    "source_row",
    "source_url",
    "year_inferred",
]


def _change(r, kind: str, yoy_pct: float, found: dict) -> dict:
    """One row of CHANGE_COLUMNS from a row of a group (its source: publisher, source_row, source_url, quote);
    found: the change's multiple and direction."""
    return {
        "group": r.group,
        "family": family_of(r.group),
        "period": r.period,
        "span": r.span,
        "measure": r.measure,
        "kind": kind,
        "yoy_pct": yoy_pct,
        **found,
        "publisher": r.publisher,
        "source_row": int(r.source_row),
        "source_url": r.source_url,
        "year_inferred": "[year inferred" in str(r.quote),
    }


def published_changes(
    resolved_groups: pd.DataFrame,
    observations: pd.DataFrame,
    groups: dict,
    names,
    year: str,
    period_end: str,
) -> pd.DataFrame:
    """Every change published for the groups `names` in `year` up to period_end: y/y percentages (one per
    group, period, span and measure, by the source preference) and, where no percentage was published for
    that key, a change published only as a multiple ("2.8 times"), read for its direction only
    (model.multiples) and never converted to a number. kind: 'y/y %' or 'multiple'."""
    records = []
    rows = (
        resolved_groups.loc[resolved_groups.group.isin(names)]
        if len(resolved_groups)
        else resolved_groups
    )
    rows = _in_window(rows, year, period_end) if len(rows) else rows
    numeric = rows.loc[rows.yoy_pct.notna()] if len(rows) else rows
    # the y/y's own source, under the names an observation's source has
    numeric = numeric.rename(
        columns={f"yoy_{c}": c for c in ("publisher", "source_row", "source_url", "quote")}
    )
    for r in numeric.itertuples():
        direction = "rise" if r.yoy_pct > 0 else ("fall" if r.yoy_pct < 0 else "none")
        records.append(_change(r, "y/y %", r.yoy_pct, {"multiple": "", "direction": direction}))
    have = {(r.group, r.period, r.span, r.measure) for r in numeric.itertuples()}
    if observations is not None and len(observations):
        labelled = label_observations(observations, {n: groups[n] for n in names if n in groups})
        labelled = _in_window(
            labelled.loc[labelled.yoy_pct.isna() & (labelled.measure != "")], year, period_end
        )
        for r in labelled.sort_values("source_row").itertuples():
            key = (r.group, r.period, r.span, r.measure)
            found = published_multiple(r.quote)
            if key in have or found is None:
                continue
            have.add(key)
            records.append(_change(r, "multiple", math.nan, found))
    frame = pd.DataFrame(records, columns=CHANGE_COLUMNS)
    order = {name: i for i, name in enumerate(names)}
    return (
        frame.assign(_order=frame.group.map(order))
        .sort_values(["_order", "period", "measure", "kind"])
        .drop(columns="_order")
        .reset_index(drop=True)
    )


METALS = [
    "aluminium",
    "aluminium_unwrought",
    "copper",
    "copper_refined",
    "copper_ore",
    "nickel",
    "nickel_unwrought",
]


def metals_over_time(resolved_groups: pd.DataFrame, groups: dict, period_end: str) -> pd.DataFrame:
    """F5's data: every published change (and value) for the metal groups up to period_end."""
    wanted = [g for g in METALS if g in groups]
    rows = resolved_groups.loc[resolved_groups.group.isin(wanted)].copy()
    rows["month"] = rows.period.where(rows.period.str.len() == 7, rows.period + "-12")
    # a period published only as a multiple ("2.8 times") has neither a value nor a change to draw
    rows = rows.loc[(rows.month <= period_end) & (rows.value.notna() | rows.yoy_pct.notna())]
    rows["metal"] = rows.group.map(lambda g: groups[g]["label"])
    # F5 draws one panel per metal: sub-groups (unwrought nickel, refined copper) join their metal's panel.
    rows["metal_family"] = rows.group.map(family_of).str.capitalize()
    # A month or January–month figure sits in its last month; a full-year figure at mid-year, so a reader sees
    # it inside its year (at mid-December it sat by the next year's tick and read as that year's change).
    rows["date"] = (rows.month + "-15").where(rows.span != "year", rows.period.str[:4] + "-07-01")
    rows["source"] = rows.yoy_publisher.where(rows.yoy_pct.notna(), rows.value_publisher)
    # the raw row behind each drawn change (or value): every number traceable from the figure's CSV
    rows["source_row"] = rows.yoy_source_row.where(
        rows.yoy_pct.notna(), rows.value_source_row
    ).astype("Int64")
    rows["source_file"] = rows.yoy_source_file.where(rows.yoy_pct.notna(), rows.value_source_file)
    columns = [
        "metal_family",
        "metal",
        "group",
        "period",
        "span",
        "date",
        "measure",
        "unit",
        "value",
        "yoy_pct",
        "source",
        "source_file",
        "source_row",
    ]
    return rows[columns].sort_values(["group", "period", "span", "measure"]).reset_index(drop=True)
