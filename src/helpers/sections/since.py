"""The "Since the story" section: every claim followed to the latest data, whatever the briefing's period.

`follow_table` gathers each claim's measure over time (helpers.model.since, by the claim's kind), `since_rows`
decides the trend verdicts (helpers.claims.since); the notebook draws the small multiples from the first and
shows the second. Neither reads the briefing's `period_end`: a default build, a full-year build and
`PERIOD_END=latest` show the same rows.
"""

import pandas as pd

from ..claims.since import TRENDS, since_table, story_period
from ..core.text import count_word, day_label, month_year, word_list
from ..model import since as model
from ..model.context_facts import claim_span, machine_tool_production
from ..report.notes import note
from .fuel import short
from .notes import Citer
from .section import TABLES_KEPT


def last_month(section) -> str:
    """The last month any GACC total in the data covers (a full year counts as its December)."""
    return max(model.month_of(p) for p in section.customs.resolved_totals.period)


def follow_table(section) -> pd.DataFrame:
    """Every claim's measure over time (model.since.FOLLOW_COLUMNS), computed once per build."""

    def compute() -> pd.DataFrame:
        story = section.story
        month = story["published"][:7]
        frames = [
            # one claim's figures depend on that claim and the story's dates alone: a claims edit recomputes
            # only the claims it changed (the others from build/cache/tables/, Section.stored)
            section.stored(
                "since-follow",
                lambda claim=claim: _follow(section, claim, month),
                repr(claim),
                repr(story),
                keep=TABLES_KEPT * len(section.claims),
            )
            for claim in section.claims
        ]
        return pd.concat(
            [f for f in frames if len(f)] or [pd.DataFrame(columns=model.FOLLOW_COLUMNS)],
            ignore_index=True,
        )

    return section.shared("since_follow", compute)


def _follow(section, claim: dict, month: str) -> pd.DataFrame:
    kind, partner = claim["kind"], section.partner_code
    if kind == "ytd_change":
        return model.turnover_changes(claim, section.customs, month)
    if kind == "annual_total":
        return model.annual_totals(
            claim, section.customs, section.raw_annual_imports, last_month(section), month
        )
    if kind == "group_change" and claim.get("rows_cover") and len(section.code_rows):
        return model.fuel_changes(
            claim, section.resolved_groups, section.code_rows, section.groups, partner, month
        )
    if kind == "group_change":
        return model.group_changes(
            claim,
            section.resolved_groups,
            section.groups,
            section.hs_rows,
            section.code_rows,
            partner,
            month,
        )
    if kind == "group_rise":
        return model.published_rises(
            claim,
            section.resolved_groups,
            section.customs.commodities,
            section.groups,
            last_month(section),
            month,
        )
    facts = section.context_facts
    if kind == "context_gdp_ratio":
        return model.gdp_ratio_years(claim, facts, month)
    if kind == "context_car_share":
        return model.car_share_months(claim, facts, section.story["invasion_month"], month)
    if kind == "context_machine_tools":
        production = machine_tool_production(facts)
        return model.machine_tool_changes(claim, production, claim_span(claim["statement"]), month)
    return pd.DataFrame(columns=model.FOLLOW_COLUMNS)  # a kind with no later measure: no later data


def since_rows(section) -> pd.DataFrame:
    """One row per claim: story, full year after, latest, trend, sentence (helpers.claims.since)."""
    return section.shared(
        "since_rows", lambda: since_table(section.claims, follow_table(section), section.story)
    )


def labels(section) -> dict:
    """claim id -> its label in this section, in the claims file's order."""
    return {claim["id"]: claim["since"].label for claim in section.claims}


def story_marks(section) -> pd.DataFrame:
    """Where the chart marks each claim's story figure: its period and number (none for a rise)."""
    records = []
    for claim in section.claims:
        rule = claim["since"]
        value = claim["story"].get(rule.of) if rule.rule == "band" else None
        if rule.rule == "record":
            value = claim["story"]["value_usd_bn"]
        records.append(
            {
                "claim_id": claim["id"],
                "label": rule.label,
                "period": story_period(claim, section.story),
                "value": float(value) if value is not None else float("nan"),
            }
        )
    return pd.DataFrame(records)


UNIT_WORDS = {"%": "y/y %", "US$ bn": "US$ bn", "×": "times", "% share": "% share"}
CHART_FROM = "2022-01"  # the panels share one time axis: the story's run-up and what came after


def chart_data(follow: pd.DataFrame, marks: pd.DataFrame, labels: dict) -> pd.DataFrame:
    """Figure 12's one table: each claim's figures with a number (`layer` 'figure') and the story's own figure
    (`layer` 'story'), one panel per claim titled with its label and unit; a claim with no figure in the
    chart's years has no panel (the text names it). `labels`: claim id -> label."""
    shown = follow.loc[follow.value.notna() & (follow.period >= CHART_FROM)].copy()
    units = shown.groupby("claim_id").unit.first()
    shown["layer"] = "figure"
    shown["when"] = shown.later.map({True: "after the story", False: "before the story"})
    shown["measure"] = shown.role.map(
        {"claim": "the claim's measure", "proxy": "a narrower measure", "mixed": "mixed vintages"}
    )
    story = marks.loc[marks.claim_id.isin(units.index) & marks.value.notna()].assign(
        layer="story", series="the story's figure", role="story", when="", measure=""
    )
    story["unit"] = story.claim_id.map(units)
    frame = pd.concat([shown, story], ignore_index=True)
    frame["panel"] = [  # two lines in the chart's header: the claim, then the unit
        f"{labels[c]}|{UNIT_WORDS.get(u, u)}" for c, u in zip(frame.claim_id, frame.unit)
    ]
    frame["date"] = frame.period + "-15"
    frame[
        "value_text"
    ] = [  # the story's figures as the story wrote them, the data's to one decimal
        _chart_number(v, u, "g" if layer == "story" else ".1f")
        for v, u, layer in zip(frame.value, frame.unit, frame.layer)
    ]
    order = list(labels)
    frame["panel_order"] = frame.claim_id.map({c: i for i, c in enumerate(order)})
    columns = [
        "panel",
        "panel_order",
        "claim_id",
        "layer",
        "series",
        "measure",
        "when",
        "period",
        "span",
        "date",
        "value",
        "value_text",
        "unit",
        "basis",
        "source",
    ]
    return frame[columns].sort_values(["panel_order", "layer", "period"]).reset_index(drop=True)


def _chart_number(value: float, unit: str, spec: str) -> str:
    """'−8.1%', '$245bn', '9×', '50%' (the story's, spec 'g'); '−6.9%', '$228.1bn' (the data's, '.1f')."""
    if unit == "%":
        return f"{value:+{spec}}%".replace("-", "−")
    if unit == "US$ bn":
        return f"${value:{spec}}bn"
    return f"{value:{spec}}×" if unit == "×" else f"{value:{spec}}%"


# The full table's columns, in order, with the words shown for them (screen and CSV).
DISPLAY_COLUMNS = {
    "label": "Claim",
    "story": "Story",
    "story_period": "Story's period",
    "trend": "Trend",
    "decided_on": "Decided on",
    "as_of": "Data to",
    "sentence": "In short",
    "full_year": "Full year after",
    "latest": "Latest",
    "rule": "Rule (config/claims.yaml)",
    "settle": "Data that would settle it",
    "sources": "Sources",
}


def since_display(rows: pd.DataFrame) -> pd.DataFrame:
    """The full table (screen and CSV): words for headers, every figure and the rows behind it."""
    return rows[list(DISPLAY_COLUMNS)].rename(columns=DISPLAY_COLUMNS)


def since_sentences(rows: pd.DataFrame, citer: Citer | None = None) -> str:
    """One item per claim, led by the claim, its trend and the last month of its data (Markdown list),
    its rows in a note (outlet, date, file and row, as every other note cites them)."""
    citer = citer or Citer()
    items = []
    for r in rows.itertuples():
        tail = r.sentence.split(": ", 1)[1].removeprefix("no later data; ")
        items.append(
            f"- **{r.label}: {r.trend}**"
            + (f", on data to {month_year(r.as_of)}" if r.as_of else "")
            + f". {tail[0].upper()}{tail[1:]}"
            + note(citer.sources(short(r.sources)))
        )  # every figure's rows are in the full table below (on screen and as CSV)
    return "\n".join(items)


def since_summary(rows: pd.DataFrame) -> tuple[str, None]:
    """What print shows of the full table (Section.show_long_table): what it holds."""
    return (
        "<p>On screen and in the CSV: each claim's story figure, the full year after the story, the latest "
        "figure, the rule that decided its trend and the rows behind each figure.</p>",
        None,
    )


def since_intro(story: dict) -> str:
    """How the section follows the claims (the list below gives each one's trend)."""
    return (
        f"The story ran on {day_label(story['published'])}. Each claim is followed here to the last period "
        "its own data hold, whatever the briefing's month. A rule for each claim decides its trend: it "
        "compares the later figure with the story's, in the claim's own units."
        + note("The rule is the claim's since: block in config/claims.yaml")
        + " A span of too few months never decides."
    )


COUNTED = {  # a trend counted on page 1, in words: (one, several)
    "held": ("held", "held"),
    "too early to tell": ("is too early to tell", "are too early to tell"),
    "no later data": ("has no later data", "have no later data"),
}


def since_box(rows: pd.DataFrame) -> str:
    """Page 1's box: the claims whose trend changed, named with the figure that decided it; the others
    counted by trend (the section names them)."""
    changed, counted = [], []
    for trend in TRENDS:
        found = rows.loc[rows.trend == trend]
        if not len(found):
            continue
        if trend in ("deepened", "faded", "reversed"):
            changed += [
                f"{r.label.lower()} {'has ' if trend == 'reversed' else ''}**{trend}**, "
                f"{r.decided_figure} in {r.decided_short}"
                for r in found.itertuples()
            ]
        else:
            one, several = COUNTED.get(trend, (trend, trend))
            counted.append(f"{count_word(len(found))} {one if len(found) == 1 else several}")
    latest = rows.as_of.loc[rows.as_of != ""].max()
    text = f"> **Since the story**, on data to {month_year(latest)}: " + (
        "; ".join(changed) + "." if changed else "no trend has changed."
    )
    if counted:
        first, rest = counted[0].split(" ", 1)
        counted[0] = f"{first.capitalize()} claim{'' if first == 'one' else 's'} {rest}"
        text += " " + word_list(counted) + "."
    return text  # a box in print
