"""The "Since the story" section: each claim followed to the latest data, with a trend verdict decided by the rule
in its `since:` block of config/claims.yaml, the same whatever the briefing's period_end."""

import csv
import math

import pandas as pd
import pytest
import yaml

from helpers.claims.since import (
    DEEPENED,
    FADED,
    HELD,
    NO_LATER,
    REVERSED,
    TOO_EARLY,
    band_trend,
    direction_trend,
    follow_claim,
    record_trend,
)
from helpers.core.errors import InputError
from helpers.core.paths import RAW_DIR
from helpers.model.fuel import fuel_table
from helpers.model.since import FOLLOW_COLUMNS, fuel_changes
from helpers.sections import since
from helpers.sections.section import open_section
from helpers.sources.config_schema import SinceRule
from helpers.sources.configs import load_claims, load_claims_config, load_groups

FUEL_2025_26 = RAW_DIR / "fuel" / "customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv"


def section_for(period_end: str):
    return open_section(
        period_end=period_end,
        partner="Russia",
        groups_file="config/commodity_groups.yaml",
        claims_file="config/claims.yaml",
    )


@pytest.fixture(scope="module")
def rows():
    return since.since_rows(section_for("2025-07")).set_index("claim_id")


def jan_jul_sum(year: str) -> float:
    """China's imports from Russia of the four fuel codes, January–July of `year`, US$ mn, straight from the CSV."""
    with open(FUEL_2025_26, newline="", encoding="utf-8") as handle:
        return sum(
            float(r["value_usd_bn"]) * 1000
            for r in csv.DictReader(handle)
            if r["period"][:4] == year and r["period"][4:] <= "07"
        )


def test_fuel_is_followed_to_january_july_2026_from_the_rows_and_reversed(rows):
    now, before = jan_jul_sum("2026"), jan_jul_sum("2025")
    assert (round(now, 1), round(before, 1)) == (50530.4, 41694.2)
    change = 100 * (now / before - 1)
    fuel = rows.loc["fuel_exports"]
    assert f"{change:+.1f}" == "+21.2"
    assert (fuel.trend, fuel.decided_on, fuel.as_of) == (REVERSED, "January–July 2026", "2026-07")
    assert fuel.latest == (
        "crude oil, coal, liquefied natural gas and pipeline natural gas together, January–July 2026: +21.2% "
        "($50.5bn vs $41.7bn, customs rows)"
    )
    assert fuel.sentence.startswith("Fuel: the story's 20% fall has reversed: crude oil, coal,")
    assert "full-year 2025: −16.3%" in fuel.sentence and fuel.decided_figure == "+21.2%"
    assert "customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv rows" in fuel.sources


def test_turnover_holds_through_2025_and_january_february_2026_is_too_short_to_decide(rows):
    turnover = rows.loc["turnover_jan_jul_2025"]
    assert (turnover.trend, turnover.decided_on, turnover.as_of) == (
        HELD,
        "full-year 2025",
        "2026-02",
    )
    assert turnover.full_year == "full-year 2025: −6.9% ($228.1bn vs $244.8bn)"
    assert turnover.latest == "January–February 2026: +12%"
    assert turnover.sentence == (
        "Turnover: the story's 8.1% fall held: full-year 2025: −6.9%; January–February 2026: +12%, "
        "too short to decide."
    )


def test_every_claim_has_a_row_and_those_without_later_data_name_what_would_settle_them(rows):
    claims = load_claims("config/claims.yaml", load_groups())
    assert list(rows.index) == [c["id"] for c in claims]
    assert rows.trend.to_dict() == {
        "record_2024": HELD,
        "turnover_jan_jul_2025": HELD,
        "fuel_exports": REVERSED,
        "phones_computers": HELD,
        "vehicles": HELD,
        "low_value_goods": NO_LATER,
        "metals": HELD,
        "economy_ratio": NO_LATER,
        "car_market_share": HELD,
        "machine_tools": NO_LATER,
    }
    for claim_id in ("low_value_goods", "economy_ratio", "machine_tools"):
        row = rows.loc[claim_id]
        assert row.as_of == "" and "would settle it: " in row.sentence and row.settle
    assert "GACC code 9804" in rows.loc["low_value_goods"].sentence
    # a GDP ratio mixing vintages is named and never compared
    assert "full-year 2025: 7.7× mixes sources or vintages and is not compared" in (
        rows.loc["economy_ratio"].sentence
    )


def test_the_other_claims_rest_on_their_latest_figures(rows):
    assert rows.loc["record_2024"].sentence == (
        "Record year: 2024's $244.8bn is still the highest: 2025 came to $228.1bn."
    )
    phones = rows.loc["phones_computers"]
    assert phones.sentence == (
        "Smartphones and computers: the story's 27.5% fall held: smartphones alone, full-year 2025: −32.1%."
    )
    assert (
        "computers (HS 8471)" in phones.settle
    )  # the proxy says what would settle the whole group
    vehicles = rows.loc["vehicles"]
    assert (vehicles.decided_on, vehicles.decided_figure) == ("January–November 2025", "−46%")
    assert "passenger cars alone, full-year 2025: −44.3%" in vehicles.sentence
    metals = rows.loc["metals"]
    assert metals.decided_on == "full-year 2025"
    assert metals.sentence == (
        "Metals: the story's rise held, every latest change is a rise, full-year 2025: aluminium “1.5 times”, "
        "unwrought aluminium +51%; refined copper +85%, copper ore and concentrates “twofold”; "
        "unwrought nickel +73%."
    )
    cars = rows.loc["car_market_share"]
    assert (cars.trend, cars.decided_on, cars.as_of) == (HELD, "October 2025", "2025-10")
    assert cars.sentence == (
        "Chinese car brands: the story's share over 50% held within 5 points: "
        "share of Russia's new-car market, October 2025: 49.6%."
    )  # under the story's 50%, so the sentence says why it still counts as held


def test_the_section_does_not_depend_on_period_end(rows):
    for period_end in ("2025-12", "latest"):
        other = since.since_rows(section_for(period_end)).set_index("claim_id")
        pd.testing.assert_frame_equal(other, rows)


def test_page_one_box_names_the_reversal_and_counts_the_rest(rows):
    assert since.since_box(rows.reset_index()) == (
        "> **Since the story**, on data to July 2026: fuel has **reversed**, +21.2% in Jan–Jul 2026. "
        "Six claims held and three have no later data."
    )


def test_each_claim_in_the_list_cites_outlet_date_file_and_row(rows):
    section = section_for("2025-07")
    items = since.since_sentences(rows.reset_index(), citer=section.citer).split("\n")
    record = next(i for i in items if i.startswith("- **Record year"))
    # the model's 'TASS (…) (row 428)' named no file: the note finds the row by its outlet
    assert "2026-01-14: gacc_cn_ru_totals.csv row 428" in record
    cars = next(i for i in items if i.startswith("- **Chinese car brands"))
    assert '<a href="https://vazhno.news/' in cars and "context_facts.csv row 149" in cars
    no_data = next(i for i in items if i.startswith("- **Machine tools"))
    assert 'class="note"' not in no_data  # no figure, no rows, no note


def test_fuel_series_equals_the_fuel_table_for_every_month():
    """model.since.fuel_changes sums the rows directly where GACC published nothing for the span: it must give
    exactly what model.fuel.fuel_table gives (GACC's figure above the compilation where there is one)."""
    section = section_for("2025-07")
    claim = next(
        c for c in load_claims("config/claims.yaml", section.groups) if c["id"] == "fuel_exports"
    )
    series = fuel_changes(
        claim, section.resolved_groups, section.code_rows, section.groups, "RU", "2025-08"
    )
    assert (
        series.period.min() == "2024-01" and series.period.max() == "2026-07" and len(series) == 31
    )
    for figure in series.itertuples():
        table = fuel_table(
            section.resolved_groups,
            section.code_rows,
            section.groups,
            claim["rows_cover"],
            figure.period,
        ).set_index("group")
        assert figure.value == pytest.approx(table.loc["together"].change_exact, abs=1e-9), (
            figure.period
        )
    at_story = series.set_index("period").loc["2025-07"]
    assert round(at_story.value, 2) == -18.30 and not at_story.later  # the claim check's −18.3%


def test_chart_has_a_panel_per_claim_with_figures_and_marks_the_story(rows):
    section = section_for("2025-07")
    plotted = since.chart_data(
        since.follow_table(section), since.story_marks(section), since.labels(section)
    )
    assert list(dict.fromkeys(plotted.panel)) == [
        "Record year|US$ bn",
        "Turnover|y/y %",
        "Fuel|y/y %",
        "Smartphones and computers|y/y %",
        "Vehicles|y/y %",
        "Metals|y/y %",
        "Size of the economies|times",
        "Chinese car brands|% share",
    ]
    story = plotted.loc[plotted.layer == "story"].set_index("claim_id")
    assert story.value_text.to_dict() == {
        "record_2024": "$245bn",
        "turnover_jan_jul_2025": "−8.1%",
        "fuel_exports": "−20%",
        "phones_computers": "−27.5%",
        "vehicles": "−46%",
        "economy_ratio": "9×",
        "car_market_share": "50%",
    }
    assert story.loc["fuel_exports", "date"] == "2025-07-15"
    later = plotted.loc[(plotted.claim_id == "fuel_exports") & (plotted.when == "after the story")]
    assert later.period.min() == "2025-08" and later.period.max() == "2026-07"


# ----------------------------------------------------------------------------------- the rules, on numbers
RULE = SinceRule(label="X", rule="band", min_months=3, of="change_pct", held_within=2.0)


@pytest.mark.parametrize(
    "later, expected",
    [(-8.1, HELD), (-6.2, HELD), (-10.2, DEEPENED), (-5.9, FADED), (0.0, FADED), (0.4, REVERSED)],
)
def test_band_rule_in_the_claims_own_units(later, expected):
    assert band_trend(-8.1, later, RULE) == expected


def test_band_rule_for_a_level_reversed_past_its_own_threshold():
    share = SinceRule(
        label="S", rule="band", min_months=1, of="after_pct", held_within=5, reversed_at=10
    )
    assert [band_trend(50, v, share) for v in (49.6, 61.9, 30, 9.9)] == [
        HELD,
        DEEPENED,
        FADED,
        REVERSED,
    ]


def test_record_and_direction_rules():
    assert record_trend(244.81, [228.105]) == HELD and record_trend(244.81, [250.0]) == DEEPENED
    assert direction_trend(["rise", "rise"]) == HELD
    assert direction_trend(["fall"]) == REVERSED and direction_trend(["rise", "fall"]) == FADED


def follow(*figures) -> pd.DataFrame:
    """A claim's measure over time, built by hand (SYNTHETIC): (period, span, value, later)."""
    records = []
    for period, span, value, later in figures:
        record = dict.fromkeys(FOLLOW_COLUMNS, "")
        record.update(
            claim_id="t",
            series="Turnover",
            role="claim",
            period=period,
            span=span,
            months=12 if span == "year" else int(period[5:]),
            value=value,
            unit="%",
            basis="published y/y",
            source=f"synthetic row {period}",
            level_usd_mn=math.nan,
            prior_usd_mn=math.nan,
            later=later,
        )
        records.append(record)
    return pd.DataFrame(records, columns=FOLLOW_COLUMNS)


CLAIM = {
    "id": "t",
    "kind": "ytd_change",
    "period": "2025-07",
    "statement": "x",
    "story": {"change_pct": -8.1},
    "since": RULE,
}


def test_only_a_short_later_span_is_too_early_to_tell_and_a_longer_one_decides():
    early = follow_claim(
        CLAIM, follow(("2025-07", "ytd", -8.1, False), ("2026-02", "ytd", 12.0, True)), {}
    )
    assert early["trend"] == TOO_EARLY and early["as_of"] == "2026-02"
    assert early["sentence"] == (
        "X: too early to tell: the only later figure, turnover, January–February 2026: +12%, covers fewer "
        "than 3 months."
    )
    decided = follow_claim(
        CLAIM,
        follow(
            ("2025-07", "ytd", -8.1, False),
            ("2026-02", "ytd", 12.0, True),
            ("2026-03", "ytd", 9.0, True),
        ),
        {},
    )
    assert (decided["trend"], decided["decided_on"]) == (REVERSED, "January–March 2026")
    assert follow_claim(CLAIM, follow(("2025-07", "ytd", -8.1, False)), {})["trend"] == NO_LATER


# ----------------------------------------------------------------------------------- the since: block
def claims_with_since(tmp_path, **since_block):
    """config/claims.yaml with fuel_exports' since: block changed, written to tmp_path."""
    config = yaml.safe_load(open("config/claims.yaml"))
    claim = next(c for c in config["claims"] if c["id"] == "fuel_exports")
    claim["since"] = {**claim["since"], **since_block}
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "change, message",
    [
        (
            {"rule": "trend"},
            "field 'since.rule': expected 'band', 'record' or 'direction', got 'trend'",
        ),
        (
            {"of": "value_usd_bn"},
            "field 'since.of': 'value_usd_bn' is not a number of the claim's story",
        ),
        ({"min_months": 0}, "field 'since.min_months': expected a whole number of months, 1 to 12"),
        ({"held_within": -1}, "field 'since.held_within': expected a number ≥ 0, got -1"),
        ({"reversed_at": -20}, "field 'since.reversed_at': equals the story's number -20"),
        ({"colour": "red"}, "field 'since.colour': unknown field (known: label, rule, min_months"),
        (
            {"rule": "record"},
            "field 'since.of': given for rule record (expected it only with rule: band)",
        ),
    ],
)
def test_a_wrong_since_rule_stops_with_one_line_naming_claim_and_field(tmp_path, change, message):
    with pytest.raises(InputError) as error:
        load_claims_config(claims_with_since(tmp_path, **change))
    assert f"claims.yaml: claim 'fuel_exports', {message}" in str(error.value)


def test_every_claim_needs_a_since_rule(tmp_path):
    config = yaml.safe_load(open("config/claims.yaml"))
    del config["claims"][0]["since"]
    path = tmp_path / "claims.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="claim 'record_2024', field 'since': missing"):
        load_claims(path, load_groups())
