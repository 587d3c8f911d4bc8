"""The story's three context claims (GDP ratio, Chinese car share, machine tools) against the context facts."""

from __future__ import annotations

import pandas as pd

from ..core.text import month_name, signed_pct
from ..model.context_facts import (
    car_share_view,
    claim_span,
    first_month_above,
    gdp_ratios,
    gdp_view,
    latest_same_vintage_ratio,
    machine_tool_production,
    machine_tools_check,
    prewar_range,
    rows_used,
)
from .verdicts import CLAIM_COLUMNS, VERDICTS, claim_by_id, claim_row, within


def economy_ratio_claim(claim: dict, facts: pd.DataFrame, story_published: str) -> dict:
    story, tolerance = claim["story"]["ratio"], claim["tolerance"]["ratio"]
    reference_year = int(story_published[:4]) - 1  # the latest full year when the story ran
    gdp = gdp_view(facts)
    ratios = gdp_ratios(gdp)
    best = latest_same_vintage_ratio(ratios, reference_year)
    story_value = f"about {story:g}×"
    if best is None:
        return claim_row(
            claim,
            story_value,
            "no same-vintage pair",
            VERDICTS[3],
            "No year has China's and Russia's GDP from the same source and vintage.",
            [],
        )
    used = rows_used(gdp.loc[gdp.source_row.isin([best.china_row, best.russia_row])])
    inside = within(best.ratio, story, tolerance)
    if inside and best.year == reference_year:
        verdict = VERDICTS[0]
    else:
        verdict = VERDICTS[1] if inside else VERDICTS[2]
    data_value = (
        f"{best.ratio:.1f}× in {best.year} (China ${best.china_gdp_usd_tn:.2f}tn ÷ Russia "
        f"${best.russia_gdp_usd_tn:.2f}tn, {best.china_source.split(' (')[0]})"
    )
    same_reference = ratios.loc[(ratios.year == reference_year)]
    note = ""
    if len(same_reference) and same_reference.basis.iloc[0] == "mixed vintages":
        note = (
            f"; for {reference_year} only mixed vintages exist "
            f"({same_reference.ratio.iloc[0]:.1f}×, not used)"
        )
    explanation = (
        f"The latest year with both GDP figures from one source and vintage is {best.year}, "
        f"giving {best.ratio:.2f}×, {'within' if inside else 'outside'} ±{tolerance:g} of the story's "
        f"{story:g}×"
        + (
            f" but for {best.year}, not {reference_year}"
            if inside and verdict != VERDICTS[0]
            else ""
        )
        + note
        + "."
    )
    return claim_row(claim, story_value, data_value, verdict, explanation, used)


def car_share_claim(claim: dict, facts: pd.DataFrame, invasion_month: str) -> dict:
    before, after, after_by = (
        claim["story"][key] for key in ("before_pct", "after_pct", "after_by")
    )
    view = car_share_view(facts, invasion_month)
    prewar = view.loc[view.before_invasion & view.plotted]
    below = [
        (row.share_pct < before) or (row.value_kind == "upper bound" and row.share_pct <= before)
        for row in prewar.itertuples()
    ]
    first = first_month_above(view, after)
    story_value = f"under {before:g}% before the war; over {after:g}% by {month_name(after_by + '-01')} {after_by[:4]}"
    pre_text = (
        f"{len(prewar)} pre-war figures, all below {before:g}% ({prewar_range(prewar)})"
        if len(prewar) and all(below)
        else f"{sum(below)} of {len(prewar)} pre-war figures below {before:g}%"
    )
    first_text = (
        f"first month above {after:g}%: {month_name(first.date)} {first.date[:4]} ({first.share_pct:g}%, "
        f"{first.source})"
        if first is not None
        else f"no dated month above {after:g}%"
    )
    supports_before = len(prewar) > 0 and all(below)
    supports_after = first is not None and first.date[:7] <= after_by
    verdict = (
        VERDICTS[0]
        if supports_before and supports_after
        else (VERDICTS[2] if len(prewar) and first is not None else VERDICTS[3])
    )
    used_rows = pd.concat(
        [prewar, view.loc[view.source_row == first.source_row]] if first is not None else [prewar]
    )
    used = rows_used(facts.loc[facts.source_row.isin(used_rows.source_row)])
    explanation = (
        "Every pre-war share in the data is below the story's bound and the first month above half is "
        "no later than the story says"
        if verdict == VERDICTS[0]
        else "The data do not bear out both parts of the statement"
    ) + f" ({pre_text}; {first_text})."
    return claim_row(claim, story_value, f"{pre_text}; {first_text}", verdict, explanation, used)


def machine_tools_claim(claim: dict, facts: pd.DataFrame) -> dict:
    start, end_year = claim_span(claim["statement"])
    production = machine_tool_production(facts)
    check = machine_tools_check(production, start, end_year)
    story_value = f"{signed_pct(claim['story']['change_pct'], None)} ({start}–{end_year})"
    used = rows_used(production)
    if check["checkable"]:
        change = check["change_pct"]
        verdict = VERDICTS[0] if abs(change - claim["story"]["change_pct"]) <= 1 else VERDICTS[2]
        return claim_row(
            claim,
            story_value,
            signed_pct(change),
            verdict,
            f"{check['measure']} changed {signed_pct(change)} over the same span.",
            used,
        )
    spans = "; ".join(f"{s['measure']}: {', '.join(map(str, s['years']))}" for s in check["spans"])
    return claim_row(
        claim,
        story_value,
        f"no series with both {start} and {end_year}; years per series: {spans}",
        VERDICTS[3],
        f"No production series in the data covers both {start} and {end_year}; "
        f"it would be settled by {claim['settle_with']}.",
        used,
    )


def context_claims(claims_config: dict, facts: pd.DataFrame) -> pd.DataFrame:
    """Verdicts on the story's three context claims. The claims are about the story's own time, so
    the result does not depend on the briefing's reporting period."""
    story = claims_config["story"]
    rows = [
        economy_ratio_claim(claim_by_id(claims_config, "economy_ratio"), facts, story["published"]),
        car_share_claim(
            claim_by_id(claims_config, "car_market_share"), facts, story["invasion_month"]
        ),
        machine_tools_claim(claim_by_id(claims_config, "machine_tools"), facts),
    ]
    return pd.DataFrame(rows, columns=CLAIM_COLUMNS)
