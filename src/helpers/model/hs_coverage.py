"""Does a set of HS-level rows cover a group? Per month, per code, per currency, one source and one
classification at a time (issue 13, point 2). Pandas only: the rows come from helpers.sources.hs_level."""

import pandas as pd


def code_coverage(
    df: pd.DataFrame,
    partner: str,
    flow: str,
    months,
    codes_by_version: dict,
    source_order=("GACC query platform", "UN Comtrade"),
    version_order=("HS2022", "HS2017"),
) -> dict:
    """Per month, the first (source, classification) whose US$ rows cover EVERY code of the group.

    codes_by_version: {HS version: [code prefixes]} (a group's `hs:`); codes under `GACC` (national
    chapter 98) count in any version. One source and one classification per month, so a code present
    under H5 and H6, or in a Comtrade and a GACC file, is counted once.
    Returns {'complete', 'choice': {month: (source, version)}, 'missing': {month: reason}, 'rows': frame}.
    """
    rows = (
        df.loc[
            (df.partner == partner)
            & (df.flow == flow)
            & (df.span == "month")
            & (df.measure == "value")
            & (df.hs_code != "")
        ]
        if len(df)
        else df
    )
    national = [str(c) for c in codes_by_version.get("GACC", [])]
    versions = [v for v in version_order if v in codes_by_version and v != "GACC"] + [
        v for v in codes_by_version if v not in version_order and v != "GACC"
    ]
    # A group of national codes only (9804, low-value goods) is GACC's own classification: covered
    # by GACC rows alone, exactly as an HS group is by one edition's rows.
    versions = versions or (["GACC"] if national else [])
    choice, missing, chosen = {}, {}, []
    for month in sorted(set(months)):
        here = rows.loc[rows.period == month]
        best_gap = None
        for source in list(source_order) + sorted(set(here.publisher) - set(source_order)):
            for version in versions:
                own = [] if version == "GACC" else [str(c) for c in codes_by_version[version]]
                codes = own + national
                usable = here.loc[
                    (here.publisher == source)
                    & (here.currency_note == "usd")
                    & here.hs_version.isin([version, "GACC", ""])
                ]
                absent = [c for c in codes if not usable.hs_code.str.startswith(c).any()]
                if not absent:
                    choice[month] = (source, version)
                    chosen.append(usable.loc[usable.hs_code.str.startswith(tuple(codes))])
                    break
                in_yuan = here.loc[(here.publisher == source) & (here.currency_note == "cny")]
                yuan = [c for c in absent if in_yuan.hs_code.str.startswith(c).any()]
                gap = f"HS {'+'.join(absent)}" + (
                    " (only in yuan, not converted)" if yuan and len(yuan) == len(absent) else ""
                )
                if best_gap is None or len(absent) < best_gap[0]:
                    best_gap = (len(absent), gap)
            if month in choice:
                break
        if month not in choice:
            missing[month] = best_gap[1] if best_gap else "no rows"
    selected = pd.concat(chosen) if chosen else rows.iloc[0:0]
    return {"complete": not missing, "choice": choice, "missing": missing, "rows": selected}


def describe_gaps(missing: dict) -> str:
    """{'2025-03': 'HS 8704', ...} -> '2025-03 (HS 8704), 2025-04 (no rows)' (at most 6 months shown)."""
    items = [f"{month} ({reason})" for month, reason in sorted(missing.items())]
    return ", ".join(items[:6]) + (f" and {len(items) - 6} more months" if len(items) > 6 else "")
