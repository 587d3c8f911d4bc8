"""Claims settled (or bounded) by the real customs rows: the fuel claim from the monthly fuel rows, and the
latest annual base (BACI) for a group whose story period the rows do not reach."""

import pandas as pd

from ..core.text import outlet_name, percentage_points, signed_pct, span_label, usd_bn, word_list
from ..model.fuel import fuel_table
from ..model.raw_rows import cite, consecutive_runs
from ..model.resolve import is_tier1
from .verdicts import claim_row, within

# HS 2017 headings of chapter 27 (mineral fuels), to say what a set of fuel codes leaves out.
CHAPTER_27 = {
    "2701": "coal",
    "2702": "lignite",
    "2703": "peat",
    "2704": "coke",
    "2705": "coal gas",
    "2706": "tar",
    "2707": "coal-tar oils",
    "2708": "pitch",
    "2709": "crude oil",
    "2710": "oil products",
    "2711": "petroleum gases",
    "2712": "petroleum jelly and waxes",
    "2713": "petroleum coke and bitumen",
    "2714": "natural bitumen",
    "2715": "bituminous mixtures",
    "2716": "electricity",
}


def uncovered_chapter_27(codes) -> str:
    """'2702–2708, 2710 (oil products), 2712–2716 and 2711 other than 271111, 271121': what codes leave out."""
    codes = sorted(str(c) for c in codes)
    missing = [h for h in CHAPTER_27 if not any(c.startswith(h) for c in codes)]
    partial = [h for h in CHAPTER_27 if h not in codes and any(c.startswith(h) for c in codes)]
    runs = consecutive_runs(missing)  # headings, e.g. 2702–2708
    parts = [f"{r[0]} ({CHAPTER_27[r[0]]})" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    parts += [
        f"{h} other than {', '.join(c for c in codes if c.startswith(h))} (other {CHAPTER_27[h]}, e.g. LPG)"
        for h in partial
    ]
    return word_list(parts)


def _points(change: float, story: float, tolerance: float, again: bool = False) -> str:
    """'1.70 points from the story's −20%, within the tolerance of 2 points' (unrounded change); again=True, for a
    second figure in the same text: '2.03 points away, outside it'."""
    gap = abs(change - story)
    inside = "within" if within(change, story, tolerance) else "outside"
    if again:
        return f"{gap:.2f} points away, {inside} it"
    return (
        f"{gap:.2f} points from the story's {signed_pct(story, None)}, "
        f"{inside} the tolerance of {percentage_points(tolerance)}"
    )


def check_fuel_rows(
    claim: dict, resolved_groups: pd.DataFrame, groups: dict, fuel: pd.DataFrame, partner: str
):
    """The fuel claim from the codes in `rows_cover` (model.fuel: the monthly fuel rows, with a published GACC
    figure ranked above a secondary compilation's rows); None when the rows do not cover the claim's period
    (the wire-based check applies then). The verdict compares the unrounded change with the tolerance."""
    names = claim["rows_cover"]
    period = claim["period"]
    table = fuel_table(resolved_groups, fuel, groups, names, period, partner)
    if table.empty or "together" not in set(table.group):
        return None
    story, tolerance = claim["story"]["change_pct"], claim.get("tolerance", {}).get("change_pct", 0)
    by_group = table.set_index("group")
    together = by_group.loc["together"]
    codes = [str(c) for n in names for c in groups[n]["hs"]["HS2017"]]
    lead = (
        by_group.loc[names[0]] if "crude_oil" not in by_group.index else by_group.loc["crude_oil"]
    )
    lead_name = lead.label.split(" (")[0].lower()
    lands = within(together.change_exact, story, tolerance)
    verdict = "consistent" if lands else "differs"
    label = span_label(period)
    levels = "; ".join(
        f"{word_list(label.lower() for label in labels)} from {publisher}"
        for publisher, labels in together.value_by_publisher.items()
    )
    if lead.used == "GACC":
        lead_text = (
            f"{lead_name} alone {signed_pct(lead.change_pct)} (GACC's {usd_bn(lead.level_usd_mn, 2)}, row "
            f"{lead.wire_row}; the compilation's "
            f"{usd_bn(lead.rows_value_usd_mn, 2)}, {signed_pct(lead.rows_change_pct)}, ranks below it)"
        )
        lead_value = (
            f"{signed_pct(lead.change_pct)} (GACC via {outlet_name(lead.wire_publisher)}); "
            f"compilation: {signed_pct(lead.rows_change_pct)}"
        )
    else:
        wire = (
            f"; the wire-reported GACC figure: {signed_pct(lead.wire_change_pct)} ({lead.wire_source})"
            if lead.wire_change_pct == lead.wire_change_pct
            else "; no wire figure for it"
        )
        lead_text = f"{lead_name} {signed_pct(lead.change_pct)} from the rows{wire}"
        lead_value = f"{signed_pct(lead.change_pct)} (raw rows)"
    # GACC figures whose level the sum takes (crude oil), read from the table (not typed: crude oil for 2025-07);
    # a GACC y/y without a level (pipeline gas) moves nothing here, its group's rows being the level used: it is
    # neither named as making the difference nor listed as a GACC source of this claim
    moving = [
        r
        for r in by_group.drop(index="together").itertuples()
        if r.used == "GACC" and r.level_usd_mn != r.rows_value_usd_mn
    ]
    alone, borderline = "", False
    if abs(together.rows_change_exact - together.change_exact) > 1e-9:
        gacc_names = word_list(r.label.split(" (")[0].lower() for r in moving) + (
            " figures" if len(moving) > 1 else " figure"
        )
        flips = within(together.rows_change_exact, story, tolerance) != lands
        # a verdict resting on a page that is no wire agency or official channel: the reader is told whose page
        weak = [p for p in dict.fromkeys(r.wire_publisher for r in moving) if not is_tier1(p)]
        borderline = bool(flips and weak)
        alone = (
            f" On the compilation's rows alone the {len(names)} codes give {signed_pct(together.rows_change_exact, 2)}, "
            f"{_points(together.rows_change_exact, story, tolerance, again=True)}: "
            + (
                f"the verdict turns on GACC's {gacc_names} ranking above the compilation"
                + (
                    f", published by {word_list(outlet_name(p) for p in weak)} (not a wire agency): a "
                    "borderline verdict."
                    if weak
                    else "."
                )
                if flips
                else "the verdict is the same either way."
            )
        )
    data_value = (
        f"{len(names)} fuel codes together: {usd_bn(together.value_usd_mn)} vs "
        f"{usd_bn(together.prior_value_usd_mn)}, {signed_pct(together.change_pct)}; "
        f"{lead.label}: {usd_bn(lead.level_usd_mn)} vs {usd_bn(lead.prior_value_usd_mn)}, {lead_value}"
        + ("; borderline (see Why)" if borderline else "")
    )  # where the verdict tables show it
    explanation = (
        f"Computed here for HS {', '.join(codes)}, {label} vs a year earlier: the {len(names)} codes together "
        f"{usd_bn(together.value_usd_mn, 2)} vs {usd_bn(together.prior_value_usd_mn, 2)}, "
        f"{signed_pct(together.change_exact, 2)} ({levels}; {int(period[:4]) - 1} from "
        f"{together.prior_publishers}); {lead_text}. The verdict rests on this unrounded change: "
        f"{_points(together.change_exact, story, tolerance)}.{alone} Narrower than all mineral fuels: the rows "
        f"leave out chapter-27 codes {uncovered_chapter_27(codes)}. Pipeline-gas values look estimated. "
        f"Settled exactly by: {claim.get('settle_with', 'the HS-level table for chapter 27')}."
    )
    rows_used = (
        [f"{together.value_rows}; {together.prior_rows}"]
        + [f"GACC: {r.wire_link}" for r in moving]
        + ([f"ranked below it: {'; '.join(r.rows_rows for r in moving)}"] if moving else [])
    )
    return claim_row(claim, signed_pct(story, None), data_value, verdict, explanation, rows_used)


def annual_base(
    claim: dict, groups: dict, annual: pd.DataFrame | None, version: str = "HS2017"
) -> tuple[str, str]:
    """('The latest full year in the raw rows is 2023: vehicles $18.5bn (CEPII BACI, HS 8701+8703+8704) …', rows):
    the latest full year the annual rows give for the group, and the raw file and rows behind it."""
    group = groups[claim["group"]]
    codes = tuple(str(c) for c in (group.get("hs") or {}).get(version, []))
    if annual is None or annual.empty or not codes:
        return "", ""
    rows = annual.loc[
        (annual.measure == "value")
        & (annual.flow == group["flow"])
        & annual.hs_code.str.startswith(codes)
    ]
    if rows.empty:
        return "", ""
    year = max(rows.period)
    rows = rows.loc[rows.period == year]
    publisher = rows.publisher.iloc[0].split(" (")[0]
    text = (
        f"The latest full year in the raw rows is {year}: {group['label'].split(' (')[0].lower()} "
        f"{usd_bn(rows.value.sum())} ({publisher}, HS {'+'.join(codes)}), the level the later fall is measured from."
    )
    return text, cite(rows)
