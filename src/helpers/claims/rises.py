"""Claims of a direction only ("surged", "jumped"): every change published for the claim's groups in the
story's year up to its period, per metal (or other family of groups), and what each rests on.

A change published only as a multiple ("2.8 times") counts for the direction its words give (a rise or a
fall), quoted as published and never converted to a percentage (helpers.model.multiples). Raw rows
outrank quotes: a family whose group the HS-level rows cover in full (model.groups.hs_level_ytd, e.g.
GACC code 9804 from a GACC export) is decided by that exact sum, not by what outlets published.
"""

from ..core.text import month_name, signed_pct, span_label, usd_bn
from ..model.groups import NO_FIGURE, family_of, hs_level_ytd, published_changes
from .verdicts import claim_row

NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five"}


def _when(change) -> str:
    """'Jan–Feb', 'Apr', 'full year' (the year is the claim's and said once)."""
    if change.span == "year":
        return "full year"
    last = month_name(change.period + "-01")[:3]
    return last if change.span == "month" else f"Jan–{last}"


def _what(change, groups: dict) -> str:
    """'+29.5% value (Jan–Feb, row 188*)' or 'value “2.8 times” (Jan–Feb, row 370*)'; a sub-group is named."""
    part = (
        ""
        if change.group == change.family
        else groups[change.group]["label"].split(" (")[0].lower() + " "
    )
    figure = (
        f"{signed_pct(change.yoy_pct, None)} {change.measure}"
        if change.kind == "y/y %"
        else f"{change.measure} “{change.multiple}”"
    )
    return f"{part}{figure} ({_when(change)}, row {change.source_row}{'*' if change.year_inferred else ''})"


def _family_label(family: str, names, groups: dict) -> str:
    name = family if family in groups else next(n for n in names if family_of(n) == family)
    return groups[name]["label"].split(" (")[0]


def hs_level_sums(names, groups: dict, hs_rows, partner: str, period_end: str) -> dict:
    """{family: the exact HS-level sum of its first group (in the claim's order) the rows cover}."""
    sums = {}
    for name in names:
        if family_of(name) not in sums:
            exact = hs_level_ytd(hs_rows, groups[name], partner, period_end) or {}
            if "basis" in exact:
                sums[family_of(name)] = {"group": name, **exact}
    return sums


def _sum_text(found: dict, groups: dict) -> str:
    """'low-value goods −25.6%: US$0.22bn vs US$0.29bn (HS-level sum, computed)'."""
    name = groups[found["group"]]["label"].split(" (")[0]
    return (
        f"{name} {signed_pct(found['change_pct'])}: {usd_bn(found['value_usd_mn'], 2)} vs "
        f"{usd_bn(found['prior_value_usd_mn'], 2)} ({found['basis']}, computed)"
    )


def rise_from_sums(claim, sums: dict, groups: dict, period_end: str) -> dict:
    """Every family of the claim settled by exact HS-level sums: a rise is consistent, a fall differs."""
    falls = [f for f, found in sums.items() if not found["change_exact"] > 0]
    verdict = "differs" if falls else "consistent"
    window = f"{span_label(period_end)} against a year earlier"
    shown = "; ".join(_sum_text(found, groups) for found in sums.values())
    fell = f"{len(falls)} of {len(sums)} fell" if len(sums) > 1 else "It fell"
    outcome = f"{fell}, so the rows do not show a rise." if falls else "The rows show a rise."
    explanation = f"Summed from the raw HS-level rows for {window}: {shown}. {outcome}"
    return claim_row(
        claim,
        "surge / jump",
        shown,
        verdict,
        explanation,
        [found["source"] for found in sums.values()],
    )


def check_group_rise(
    claim,
    resolved_groups,
    groups,
    period_end_of_story,
    observations=None,
    hs_rows=None,
    partner="RU",
) -> dict:
    names = claim.get("groups") or [claim["group"]]
    sums = hs_level_sums(names, groups, hs_rows, partner, period_end_of_story)
    if sums and set(sums) == {family_of(n) for n in names}:
        return rise_from_sums(claim, sums, groups, period_end_of_story)
    year = period_end_of_story[:4]
    changes = published_changes(
        resolved_groups, observations, groups, names, year, period_end_of_story
    )
    settle = claim.get("settle_with", "HS-level GACC tables")
    if changes.empty:
        return claim_row(
            claim,
            "surge / jump",
            NO_FIGURE,
            "cannot be checked with this data",
            f"No outlet published a figure for this in {year} up to {span_label(period_end_of_story)}. "
            f"Data that would settle it: {settle}.",
            "",
        )
    families = list(dict.fromkeys(family_of(n) for n in names))
    labels = {f: _family_label(f, names, groups) for f in families}
    by_family = {f: changes.loc[changes.family == f] for f in families}
    missing = [labels[f] for f in families if by_family[f].empty]
    not_rises = changes.loc[changes.direction != "rise"]
    only_multiples = [
        f for f in families if len(by_family[f]) and (by_family[f].kind == "multiple").all()
    ]
    rests = []
    for family in families:
        found = by_family[family]
        lead = ", no percentage published" if family in only_multiples else ""
        rests.append(
            f"{labels[family]}{lead}: "
            + (
                ", ".join(_what(c, groups) for c in found.itertuples())
                if len(found)
                else "no change published"
            )
        )
    latest = max(changes.period.where(changes.span != "year", changes.period + "-12"))
    coverage = (
        ""
        if latest >= period_end_of_story
        else f" None covers {span_label(period_end_of_story)} itself (the latest ends in "
        f"{month_name(latest + '-01')})."
    )
    notes = (
        " Multiples count for their direction only, never as a number."
        if (changes.kind == "multiple").any()
        else ""
    ) + (" *Year inferred by the compiler." if changes.year_inferred.any() else "")
    window = f"{year} up to {month_name(period_end_of_story + '-01')}"
    if len(not_rises):
        verdict = "differs"
        opening = f"Not every change published for {window} is a rise ({len(not_rises)} of {len(changes)} not)."
    elif missing:
        verdict = "cannot be checked with this data"
        opening = (
            f"Every change published for {window} is a rise, but none was published for "
            f"{', '.join(missing)}."
        )
    else:
        verdict = "consistent"
        opening = f"All published changes for {window} are rises:"
    explanation = (
        f"{opening} " + ". ".join(rests) + "." + notes + coverage + f" Exact values need: {settle}."
    )
    with_figures = [labels[f] for f in families if len(by_family[f])]
    summary = (
        (
            f"Rises for all {NUMBER_WORDS.get(len(families), len(families))}"
            if len(families) > 1
            else "A rise"
        )
        if verdict == "consistent"
        else f"No change published for {', '.join(missing)}; rises for {', '.join(with_figures)}"
        if verdict != "differs"
        else f"{len(not_rises)} published change(s) not a rise; changes for {', '.join(with_figures)}"
    )
    shown = [summary] + [
        f"{labels[f].lower()} only as multiples ("
        + ", ".join(f"“{m}”" for m in by_family[f].multiple)
        + ")"
        for f in only_multiples
    ]
    rows_used = []
    for (publisher, url), cited in changes.groupby(["publisher", "source_url"], sort=False):
        numbers = ", ".join(str(r) for r in cited.source_row)
        rows_used.append(f"{publisher} (row{'s' if len(cited) > 1 else ''} {numbers}) {url}")
    return claim_row(claim, "sharp rise", "; ".join(shown), verdict, explanation, rows_used)
