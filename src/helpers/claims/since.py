"""Since the story: each claim followed to the last period its own data hold, and a trend verdict from one fixed
vocabulary, decided by the rule the claim's `since:` block writes (helpers.sources.config_schema.SinceRule), never by hand.

Input per claim: its measure over time (helpers.model.since, FOLLOW_COLUMNS), rows marked `later` when their
period ends in or after the story's month. The verdict rests on the latest later figure of the claim's own
measure covering at least `min_months` months (a proxy, e.g. smartphones alone, only where the claim's own
measure has none); shorter or other later figures are named beside it, never used to decide.
"""

import math

import pandas as pd

from ..core.text import month_name, signed_pct, span_label, usd_bn, word_list
from ..model.context_facts import claim_span
from ..model.since import month_of
from .verdicts import within

TRENDS = ("held", "deepened", "faded", "reversed", "too early to tell", "no later data")
HELD, DEEPENED, FADED, REVERSED, TOO_EARLY, NO_LATER = TRENDS
SINCE_COLUMNS = [
    "claim_id",
    "label",
    "story",
    "story_period",
    "full_year",
    "latest",
    "trend",
    "decided_on",
    "decided_short",
    "decided_figure",
    "as_of",
    "sentence",
    "rule",
    "settle",
    "sources",
]


def band_trend(story: float, later: float, rule) -> str:
    """held within `held_within` of the story's number; past `reversed_at` on the other side: reversed; further
    from `reversed_at` than the story's number: deepened; nearer: faded."""
    side = 1 if story > rule.reversed_at else -1
    if (later - rule.reversed_at) * side < 0:
        return REVERSED
    if within(later, story, rule.held_within):
        return HELD
    return DEEPENED if (later - story) * side > 0 else FADED


def record_trend(record: float, later_values) -> str:
    """The story's record year is still the highest: held; a later year above it: deepened (a new record)."""
    return DEEPENED if any(v > record for v in later_values) else HELD


def direction_trend(directions) -> str:
    """Each family's latest change a rise: held; every one a fall: reversed; some of each: faded."""
    directions = list(directions)
    if all(d == "rise" for d in directions):
        return HELD
    return REVERSED if all(d == "fall" for d in directions) else FADED


def story_period(claim: dict, story: dict) -> str:
    """The month the story's figure refers to (YYYY-MM): where the chart marks it."""
    kind = claim["kind"]
    if kind == "context_gdp_ratio":
        return f"{int(story['published'][:4]) - 1}-12"
    if kind == "context_car_share":
        return claim["story"]["after_by"]
    if kind == "context_machine_tools":
        return f"{claim_span(claim['statement'])[1]}-12"  # the claim check's reading of its span
    return month_of(str(claim.get("period", "")))


def period_text(period: str, span: str) -> str:
    """'January–July 2026', 'full-year 2025', 'October 2025' (a single month)."""
    if span == "month":
        return f"{month_name(period)} {period[:4]}"
    return span_label(period)


def value_text(row) -> str:
    """A figure as the sentence writes it: a change signed ('−6.9%', a published one as published), a level with
    its unit ('$228.1bn', '49.6%', '7.7×'), or a multiple as published ('“2.3 times”')."""
    if row.unit == "%":
        if isinstance(row.value, float) and math.isnan(row.value):
            return f"“{row.multiple}”"
        published = "published" in str(row.basis) or str(row.basis).startswith("y/y")
        return signed_pct(row.value, None if published else 1)
    if row.unit == "US$ bn":
        return usd_bn(row.value * 1000)
    if row.unit == "×":
        return f"{row.value:.1f}×"
    return f"{row.value:g}%"


def short_period(period: str, span: str) -> str:
    """'2025' (a full year), 'Jan–Jul 2026', 'Oct 2025': for page 1's box."""
    if span == "year":
        return period[:4]
    last = month_name(period)[:3]
    return f"{last} {period[:4]}" if span == "month" else f"Jan–{last} {period[:4]}"


def measure_name(row, label: str) -> str:
    """What a figure measures when it is not the claim's own label: 'smartphones alone', 'crude oil, coal, LNG
    and pipeline gas together'; '' for the claim's own measure under its own name."""
    name = row.series
    if row.role == "proxy":
        return f"{name.lower()} alone"
    return "" if name.lower() == label.lower() else name[0].lower() + name[1:]


def figure_text(row, label: str = "", levels: bool = True) -> str:
    """'crude oil, … together, January–July 2026: +21.2% ($50.5bn vs $41.7bn, customs rows)'; levels=False
    leaves the two levels out (the sentence; the table keeps them)."""
    levels = (
        [f"{usd_bn(row.level_usd_mn)} vs {usd_bn(row.prior_usd_mn)}"]
        if levels
        and row.unit == "%"
        and not math.isnan(row.level_usd_mn)
        and not math.isnan(row.prior_usd_mn)
        else []
    )
    rows = row.basis == "sum of raw rows"
    if rows and levels:
        levels.append("customs rows")
    name = measure_name(row, label) if label else ""
    return (
        f"{name + ', ' if name else ''}{period_text(row.period, row.span)}: {value_text(row)}"
        + (f" ({', '.join(levels)})" if levels else " from customs rows" if rows else "")
    )


def _pick(rows: pd.DataFrame):
    """The latest of `rows` (the longest span at the same month), the claim's own measure before a proxy."""
    if not len(rows):
        return None
    ranked = rows.assign(_own=(rows.role == "claim").astype(int))
    return ranked.sort_values(["period", "_own", "months"], kind="stable").iloc[-1]


def _deciding_pool(later: pd.DataFrame, rule) -> pd.DataFrame:
    long_enough = later.loc[later.months >= rule.min_months]
    own = long_enough.loc[long_enough.role == "claim"]
    return own if len(own) else long_enough.loc[long_enough.role == "proxy"]


def story_text(claim: dict, rule) -> str:
    """'−8.1%', '~$245bn, record', 'a rise', '9×', 'over 50%'."""
    story = claim["story"]
    if rule.rule == "record":
        return f"~${story['value_usd_bn']:g}bn, a record"
    if rule.rule == "direction":
        return "a rise"
    if rule.of == "change_pct":
        return signed_pct(story["change_pct"], None)
    if rule.of == "ratio":
        return f"about {story['ratio']:g}×"
    return f"over {story[rule.of]:g}%" if rule.of == "after_pct" else f"{story[rule.of]:g}"


def _story_phrase(claim: dict, rule) -> str:
    story = claim["story"]
    if rule.rule == "record":
        return f"{claim['period']} as the record year"
    if rule.rule == "direction":
        return "the story's rise"
    value = story[rule.of]
    if rule.of == "change_pct":
        return f"the story's {abs(value):g}% {'fall' if value < 0 else 'rise'}"
    if rule.of == "ratio":
        return f"the story's {value:g}×"
    return f"the story's share over {value:g}%"


VERB = {HELD: "held", DEEPENED: "deepened", FADED: "faded", REVERSED: "has reversed"}


def follow_claim(claim: dict, follow: pd.DataFrame, story: dict) -> dict:
    """One row of the section: the story's figure, the full year after and the latest figure, the trend and the
    sentence. `follow`: the claim's rows of helpers.model.since; `story`: claims.yaml's story block."""
    rule = claim["since"]  # helpers.sources.config_schema.SinceRule
    period = story_period(claim, story)
    later = (
        follow.loc[follow.later & follow.role.isin(["claim", "proxy"])] if len(follow) else follow
    )
    settle = rule.settle or claim.get("settle_with", "")
    row = {
        "claim_id": claim["id"],
        "label": rule.label,
        "story": story_text(claim, rule),
        "story_period": period_text(period, "month" if rule.min_months == 1 else "ytd"),
        "full_year": "",
        "latest": "",
        "rule": _rule_text(rule),
        "settle": "",
        "sources": "",
        "decided_on": "",
        "decided_short": "",
        "decided_figure": "",
        "as_of": "",
    }
    if not len(later):
        mixed = follow.loc[follow.later & (follow.role == "mixed")] if len(follow) else follow
        aside = (
            f"; {word_list(figure_text(r) for r in mixed.itertuples())} mixes sources or vintages "
            "and is not compared"
            if len(mixed)
            else ""
        )
        return {
            **row,
            "trend": NO_LATER,
            "settle": settle,
            "sentence": f"{rule.label}: no later data{aside}"
            + (f"; would settle it: {settle}." if settle else "."),
        }
    row["as_of"] = later.period.max()
    full = _pick(later.loc[(later.span == "year") & (later.period > period)])
    latest = _pick(later)
    row["full_year"] = figure_text(full, rule.label) if full is not None else ""
    row["latest"] = figure_text(latest, rule.label) if latest is not None else ""
    if rule.rule == "direction":
        return {**row, **_direction(claim, rule, later)}
    pool = _deciding_pool(later, rule)
    deciding = _pick(pool)
    if deciding is None:
        return {
            **row,
            "trend": TOO_EARLY,
            "sources": "; ".join(dict.fromkeys(later.source)),
            "sentence": f"{rule.label}: too early to tell: the only later figure{'s' if len(later) > 1 else ''}, "
            f"{word_list(figure_text(r, rule.label) for r in later.itertuples())}, "
            f"cover{'s' if len(later) == 1 else ''} fewer than {rule.min_months} months.",
        }
    if rule.rule == "record":
        record = follow.loc[follow.period == period, "value"].max()
        trend = record_trend(record, pool.value)
        highest = pool.loc[pool.value.idxmax()]
        years = ", ".join(f"{r.period[:4]} came to {value_text(r)}" for r in pool.itertuples())
        sentence = (
            f"{rule.label}: {claim['period']}'s {usd_bn(record * 1000)} is still the highest: {years}."
            if trend == HELD
            else f"{rule.label}: a new record, {value_text(highest)} in {highest.period[:4]}, above "
            f"{claim['period']}'s {usd_bn(record * 1000)}."
        )
        return {
            **row,
            "trend": trend,
            "decided_on": period_text(highest.period, highest.span),
            "decided_short": short_period(highest.period, highest.span),
            "sentence": sentence,
            "sources": "; ".join(dict.fromkeys(pool.source)),
        }
    trend = band_trend(claim["story"][rule.of], deciding.value, rule)
    row["decided_on"] = period_text(deciding.period, deciding.span)
    row["decided_short"] = short_period(deciding.period, deciding.span)
    row["decided_figure"] = value_text(deciding)
    others, seen = [], {(deciding.period, deciding.series)}
    for other in (full, latest):
        if other is not None and (other.period, other.series) not in seen:
            seen.add((other.period, other.series))
            others.append(other)
    asides = []
    for other in others:
        short = ", too short to decide" if other.months < rule.min_months else ""
        same = other.series == deciding.series  # the measure is named once
        asides.append(figure_text(other, "" if same else rule.label, levels=False) + short)
    if deciding.role == "proxy":
        row["settle"] = settle
    verb = VERB[trend]
    if trend == HELD and rule.of == "after_pct" and deciding.value < claim["story"][rule.of]:
        verb += f" within {rule.held_within:g} points"  # 49.6% against "over 50%": say why it held
    sentence = (
        f"{rule.label}: {_story_phrase(claim, rule)} {verb}: "
        f"{figure_text(deciding, rule.label, levels=False)}"
        + (f"; {'; '.join(asides)}" if asides else "")
        + "."
    )
    return {
        **row,
        "trend": trend,
        "sentence": sentence,
        "sources": "; ".join(dict.fromkeys([deciding.source] + [o.source for o in others])),
    }


def _family_figures(rows: pd.DataFrame) -> str:
    """'full-year 2025: aluminium “1.5 times”, unwrought aluminium +51%; refined copper +85%, …': each family's
    newest change(s), the longest span at that month; the period said once where the families share it."""
    parts, periods = [], []
    for family, found in rows.groupby("series", sort=True):
        newest = found.loc[found.period == found.period.max()]
        newest = newest.loc[newest.months == newest.months.max()]
        named = ", ".join(
            f"{r.basis.split(': ')[1] if ': ' in r.basis else family.lower()} {value_text(r)}"
            for r in newest.itertuples()
        )
        periods.append(period_text(newest.period.iloc[0], newest.span.iloc[0]))
        parts.append((named, periods[-1]))
    if len(set(periods)) == 1:
        return f"{periods[0]}: " + "; ".join(named for named, _ in parts)
    return "; ".join(f"{named} ({period})" for named, period in parts)


def _direction(claim: dict, rule, later: pd.DataFrame) -> dict:
    """The latest later change of each family (a metal and its sub-groups) covering at least min_months."""
    period = story_period(claim, {})
    years = later.loc[(later.span == "year") & (later.period > period)]
    shown = {
        "full_year": _family_figures(years) if len(years) else "",
        "latest": _family_figures(later),
    }
    long_enough = later.loc[later.months >= rule.min_months]
    if not len(long_enough):
        return {
            **shown,
            "trend": TOO_EARLY,
            "sentence": f"{rule.label}: too early to tell: the later changes cover fewer than "
            f"{rule.min_months} months.",
            "sources": "; ".join(dict.fromkeys(later.source)),
        }
    directions, sources, decided = [], [], []
    for _family, rows in long_enough.groupby("series", sort=True):
        newest = rows.loc[rows.period == rows.period.max()]
        newest = newest.loc[newest.months == newest.months.max()]
        directions += list(newest.direction)
        sources += list(newest.source)
        decided.append((newest.period.iloc[0], newest.span.iloc[0]))
    trend = direction_trend(directions)
    lead = {
        HELD: "every latest change is a rise",
        REVERSED: "every latest change is a fall",
        FADED: "the latest changes are mixed",
    }[trend]  # followed by the changes, e.g. "full-year 2025: …"
    decided = list(dict.fromkeys(decided))
    return {
        **shown,
        "trend": trend,
        "decided_on": word_list(period_text(p, sp) for p, sp in decided),
        "decided_short": word_list(short_period(p, sp) for p, sp in decided),
        "sentence": f"{rule.label}: {_story_phrase(claim, rule)} {VERB[trend]}, {lead}, "
        + _family_figures(long_enough)
        + ".",
        "sources": "; ".join(dict.fromkeys(sources)),
    }


def _rule_text(rule) -> str:
    """The rule as the table's CSV states it."""
    if rule.rule == "band":
        return (
            f"band: held within {rule.held_within:g} of the story's {rule.of}; reversed past "
            f"{rule.reversed_at:g}; at least {rule.min_months} months"
        )
    return f"{rule.rule}: at least {rule.min_months} months"


def since_table(claims: list[dict], follows: pd.DataFrame, story: dict) -> pd.DataFrame:
    """Every claim's row, in the claims file's order (helpers.model.since's rows per claim in `follows`)."""
    rows = [
        follow_claim(claim, follows.loc[follows.claim_id == claim["id"]], story) for claim in claims
    ]
    return pd.DataFrame(rows, columns=SINCE_COLUMNS)
