"""Claims of a direction only ("surged", "jumped"): every change published for the claim's groups in the
story's year up to its period, per metal (or other family of groups), and what each rests on.

A change published only as a multiple ("2.8 times") counts for the direction its words give (a rise or a
fall), quoted as published and never converted to a percentage (helpers.model.multiples).
"""
from ..core.text import month_name, signed_pct, span_label
from ..model.groups import NO_FIGURE, family_of, published_changes
from .verdicts import claim_row


def _when(change) -> str:
    if change.span == "month":
        return f"{month_name(change.period + '-01')} {change.period[:4]}"
    return change.period if change.span == "year" else span_label(change.period)


def _what(change, groups: dict) -> str:
    """'+29.5% in value' or 'value “2.8 times” as published (a rise)', naming a sub-group (unwrought nickel)."""
    part = "" if change.group == change.family else groups[change.group]["label"].split(" (")[0].lower() + ", "
    if change.kind == "y/y %":
        return f"{part}{signed_pct(change.yoy_pct, None)} in {change.measure}"
    return f"{part}{change.measure} “{change.multiple}” as published, a {change.direction}"


def _cite(change) -> str:
    inferred = ", year inferred by the compiler" if change.year_inferred else ""
    return f"{_when(change)}, {change.publisher}, row {change.source_row}{inferred}"


def _family_label(family: str, names, groups: dict) -> str:
    name = family if family in groups else next(n for n in names if family_of(n) == family)
    return groups[name]["label"].split(" (")[0]


def check_group_rise(claim, resolved_groups, groups, period_end_of_story, observations=None) -> dict:
    names = claim.get("groups") or [claim["group"]]
    year = period_end_of_story[:4]
    changes = published_changes(resolved_groups, observations, groups, names, year, period_end_of_story)
    settle = claim.get("settle_with", "HS-level GACC tables")
    if changes.empty:
        return claim_row(claim, "surge / jump", NO_FIGURE, "cannot be checked with this data",
                         f"No outlet published a figure for this in {year} up to {span_label(period_end_of_story)}. "
                         f"Data that would settle it: {settle}.", "")
    families = list(dict.fromkeys(family_of(n) for n in names))
    labels = {f: _family_label(f, names, groups) for f in families}
    by_family = {f: changes.loc[changes.family == f] for f in families}
    missing = [labels[f] for f in families if by_family[f].empty]
    not_rises = changes.loc[changes.direction != "rise"]
    only_multiples = [f for f in families if len(by_family[f]) and (by_family[f].kind == "multiple").all()]
    rests = []
    for family in families:
        found = by_family[family]
        if found.empty:
            rests.append(f"{labels[family]}: no change published")
            continue
        lead = "no percentage published; " if family in only_multiples else ""
        rests.append(f"{labels[family]}: {lead}" + "; ".join(f"{_what(c, groups)} ({_cite(c)})"
                                                              for c in found.itertuples()))
    latest = max(changes.period.where(changes.span != "year", changes.period + "-12"))
    coverage = ("" if latest >= period_end_of_story else
                f" None covers {span_label(period_end_of_story)} itself: the latest ends in "
                f"{month_name(latest + '-01')} {latest[:4]}.")
    multiples_note = (" A change published only as a multiple counts for the direction its words give, quoted as "
                      "published, never converted to a percentage." if (changes.kind == "multiple").any() else "")
    window = f"{year} up to {month_name(period_end_of_story + '-01')}"
    named = ", ".join(labels.values())
    if len(not_rises):
        verdict = "differs"
        opening = f"Not every change published for {window} is a rise ({len(not_rises)} of {len(changes)} not)."
    elif missing:
        verdict = "cannot be checked with this data"
        opening = (f"Every change published for {window} is a rise, but none was published for "
                   f"{', '.join(missing)}.")
    else:
        verdict = "consistent"
        opening = f"Every change published for {window} is a rise, and each of {named} has at least one."
    explanation = (f"{opening} What each rests on — " + ". ".join(rests) + "." + multiples_note + coverage
                   + f" Exact values need: {settle}.")
    short = "; ".join(f"{labels[f]} " + ", ".join(
        signed_pct(c.yoy_pct, None) if c.kind == "y/y %" else f"“{c.multiple}”" for c in by_family[f].itertuples())
        for f in families if len(by_family[f]))
    summary = (f"Rises published for {named}" if verdict == "consistent" else
               f"No change published for {', '.join(missing)}" if verdict != "differs" else
               f"{len(not_rises)} published change(s) not a rise")
    for family in only_multiples:
        summary += (f" ({labels[family]} only as multiples: "
                    + ", ".join(f"“{m}”" for m in by_family[family].multiple) + ")")
    rows_used = "; ".join(f"{c.publisher} (row {c.source_row}) {c.source_url}" for c in changes.itertuples())
    return claim_row(claim, "sharp rise", summary + "; " + short, verdict, explanation, rows_used)
