"""Claim check: each figure the story printed (config/claims.yaml) against what the data gives.

Verdicts come from one fixed set. "consistent" means a narrower or proxy measure lands within the
claim's tolerance; it is never upgraded to "reproduced".
"""

import math

from ..core.text import (
    is_missing,
    percentage_points,
    publisher_and_row,
    signed_pct,
    span_label,
    usd_bn,
)
from ..model.groups import NO_FIGURE, SUM_OF_PARTS, group_change, group_figure
from ..model.series import ytd_comparison
from ..model.turnover import annual_turnover, record_year
from .raw_rows import annual_base, check_fuel_rows
from .verdicts import claim_row, within


def check_annual_total(claim, customs) -> dict:
    year = claim["period"]
    annual = annual_turnover(customs, f"{year}-12")
    row = annual.loc[(annual.year == int(year)) & (annual.flow == "Turnover")].iloc[0]
    story = claim["story"]["value_usd_bn"]
    value = row.value_usd_bn
    record = record_year(annual)
    is_record = record is not None and int(record.year) == int(year)
    ok = within(value, story, claim["tolerance"]["value_usd_bn"]) and (
        is_record or not claim.get("also_check_record")
    )
    verdict = (
        "reproduced"
        if ok
        else ("differs" if not is_missing(value) else "cannot be checked with this data")
    )
    first = annual.loc[
        annual.value_usd_bn.notna(), "year"
    ].min()  # as the headline counts the series
    explanation = f"GACC's first-release total for {year} is {usd_bn(value * 1000)}" + (
        f", the highest in the annual series {first}–{year}."
        if is_record
        else f"; the record year in the series is {record.year}."
    )
    return claim_row(
        claim,
        f"~${story:g}bn, record",
        f"{usd_bn(value * 1000)}" + (" (record)" if is_record else ""),
        verdict,
        explanation,
        row.source,
    )


def check_ytd_change(claim, customs) -> dict:
    comparison = (
        ytd_comparison(customs.resolved_totals, claim["period"])
        .set_index("flow")
        .loc[claim["flow"]]
    )
    story = claim["story"]["change_pct"]
    published, levels = comparison.yoy_pct_published, comparison.yoy_pct_from_levels
    if not is_missing(published):
        verdict = (
            "reproduced"
            if within(published, story, claim["tolerance"]["change_pct"])
            else "differs"
        )
    else:
        verdict = "cannot be checked with this data"
    explanation = (
        f"GACC's published y/y for {span_label(claim['period'])} is {signed_pct(published)}; computed from the two "
        f"published levels ({usd_bn(comparison.value_usd_mn)} vs {usd_bn(comparison.prior_value_usd_mn)}) it "
        f"is {signed_pct(levels)} — GACC compares with its revised prior-year figure."
    )
    rows = "; ".join(s for s in (comparison.value_source, comparison.prior_source) if s)
    return claim_row(
        claim,
        signed_pct(story, None),
        f"{signed_pct(published)} published; {signed_pct(levels)} from levels",
        verdict,
        explanation,
        rows,
    )


def _describe(change: dict) -> str:
    if change["basis"] == NO_FIGURE:
        return f"{change['label']}: no figure"
    value = (
        f"{usd_bn(change['value_usd_mn'])}, "
        if change["value_usd_mn"] == change["value_usd_mn"]
        else ""
    )
    return f"{change['label']}: {value}{signed_pct(change['change_pct'])} ({change['basis']})"


def check_group_change(
    claim, resolved_groups, groups, hs_rows, partner, code_rows=None, annual_rows=None
) -> dict:
    """Raw rows first: a claim naming the codes its rows cover (`rows_cover`) is checked on them."""
    if claim.get("rows_cover") and code_rows is not None and len(code_rows):
        from_rows = check_fuel_rows(claim, resolved_groups, groups, code_rows, partner)
        if from_rows is not None:
            return from_rows
    period = claim["period"]
    story = claim["story"]
    tolerance = claim.get("tolerance", {})
    target = group_figure(
        resolved_groups, groups, claim["group"], period, hs_rows, partner, code_rows
    )
    proxies = [
        group_change(resolved_groups, name, groups[name], period, hs_rows, partner, code_rows)
        for name in claim.get("proxies", [])
    ]
    story_text = ", ".join(
        signed_pct(v, None) if k == "change_pct" else f"${v:g}bn" for k, v in story.items()
    )
    if target["basis"] == SUM_OF_PARTS:
        return sum_of_parts_claim(claim, target, story_text, tolerance.get("change_pct", 0))
    rows_used = "; ".join(c["source"] for c in [target] + proxies if c["source"])
    if target["basis"] != NO_FIGURE:
        checks = []
        if "change_pct" in story:
            checks.append(
                within(target["change_exact"], story["change_pct"], tolerance.get("change_pct", 0))
            )
        if "value_usd_bn" in story:
            checks.append(
                within(
                    target["value_usd_mn"] / 1000,
                    story["value_usd_bn"],
                    tolerance.get("value_usd_bn", 0),
                )
            )
        verdict = "reproduced" if all(checks) else "differs"
        explanation = f"{_describe(target)}; source: {target['source'].split(' http')[0]}."
        return claim_row(claim, story_text, _describe(target), verdict, explanation, rows_used)
    landing = [
        p
        for p in proxies
        if p["basis"] != NO_FIGURE
        and within(
            p["change_exact"], story.get("change_pct", math.nan), tolerance.get("change_pct", 0)
        )
    ]
    shown = "; ".join(_describe(p) for p in proxies)
    settle = claim.get("settle_with", "the HS-level GACC table for the group")
    if landing:
        explanation = (
            f"No figure for the whole group was published; {landing[0]['label']} lands within "
            f"{percentage_points(tolerance.get('change_pct', 0))} of the story's number. Settled exactly by: {settle}."
        )
        return claim_row(claim, story_text, shown, "consistent", explanation, rows_used)
    base, base_rows = annual_base(claim, groups, annual_rows)
    explanation = (
        f"No outlet published this group for {span_label(period)}, and the narrower figures that exist "
        f"do not pin it down ({shown or 'none'}). {base + ' ' if base else ''}"
        f"Data that would settle it: {settle}."
    )
    return claim_row(
        claim,
        story_text,
        shown or NO_FIGURE,
        "cannot be checked with this data",
        explanation,
        "; ".join(r for r in (rows_used, base_rows) if r),
    )


def _part_text(part: dict) -> str:
    name = part["label"].split(" (")[0].lower()
    row, prior_row = (
        publisher_and_row(part["source"])[1],
        publisher_and_row(part.get("prior_source") or "")[1],
    )
    if part["prior_basis"] == "published level":
        return (
            f"{name} {usd_bn(part['value_usd_mn'], 2)} vs {usd_bn(part['prior_value_usd_mn'], 2)} "
            f"(rows {row}, {prior_row}), {signed_pct(part['change_pct'])}"
        )
    yoy = part["published_yoy_pct"]
    return (
        f"{name} {usd_bn(part['value_usd_mn'], 2)}, {signed_pct(yoy, None)} (row {row}), "
        f"year-earlier level implied as {usd_bn(part['value_usd_mn'], 2)} ÷ {1 + yoy / 100:g} = "
        f"{usd_bn(part['prior_value_usd_mn'], 2)}"
    )


def sum_of_parts_claim(claim: dict, combined: dict, story_text: str, tolerance: float) -> dict:
    """A group claim no outlet published as such, checked on the sum of its parts (computed, so at best
    'consistent'); 'differs' only when every sum the rounding of the published parts allows is outside the
    tolerance, 'cannot be checked' when the rounding alone decides."""
    story = claim["story"]["change_pct"]
    change, low, high = combined["change_pct"], combined["change_low"], combined["change_high"]
    # the verdict compares the unrounded change and range (model.groups rounds change_pct/low/high for display)
    exact, low_exact, high_exact = (
        combined[k] for k in ("change_exact", "low_exact", "high_exact")
    )
    if within(exact, story, tolerance):
        verdict, outcome = "consistent", "within"
    elif high_exact < story - tolerance - 1e-9 or low_exact > story + tolerance + 1e-9:
        verdict, outcome = "differs", "outside"
    else:
        verdict, outcome = "cannot be checked with this data", "on the edge of"
    parts = combined["parts"]
    implied = [p for p in parts if p["prior_basis"] != "published level"]
    bases = (
        " (an implied level is GACC's revised base, a published one the first release)"
        if implied and len(implied) < len(parts)
        else ""
    )
    explanation = (
        f"Sum of the {len(parts)} parts, computed here (no outlet published it): "
        + "; ".join(_part_text(p) for p in parts)
        + bases
        + ". "
        f"Together {usd_bn(combined['value_usd_mn'], 2)} vs {usd_bn(combined['prior_value_usd_mn'], 2)}, "
        f"{signed_pct(change)} ({signed_pct(high)} to {signed_pct(low)} within the parts' rounding), "
        f"{abs(exact - story):.2f} points from the story's {signed_pct(story, None)}: {outcome} the tolerance of "
        f"{percentage_points(tolerance)}; the story may count other goods. "
        f"Settled exactly by: {claim.get('settle_with', 'the HS-level GACC table for the group')}."
    )
    data_value = (
        f"Sum of the parts (computed): {usd_bn(combined['value_usd_mn'], 2)} vs "
        f"{usd_bn(combined['prior_value_usd_mn'], 2)}, {signed_pct(change)}; "
        + ", ".join(
            f"{p['label'].split(' (')[0].lower()} {signed_pct(p['change_pct'], None)}"
            for p in parts
        )
    )
    return claim_row(claim, story_text, data_value, verdict, explanation, combined["source"])
