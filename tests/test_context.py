"""Context section on the vendored context_facts.csv: real published values, verdicts, and the
rule that a ratio mixing vintages is never produced without saying so."""

import math

import pytest

from helpers.claims.context import context_claims
from helpers.claims.verdicts import VERDICTS
from helpers.core.paths import CONFIG_DIR
from helpers.core.yaml_config import read_yaml
from helpers.model.context_facts import (
    car_share_view,
    claim_span,
    first_month_above,
    gdp_figure_data,
    gdp_ratios,
    gdp_view,
    key_rate_path,
    machine_tool_production,
    machine_tools_check,
    phrase_value,
)
from helpers.report.notes import without_notes
from helpers.sections.context import (
    context_text,
    key_rate_text,
    machine_tools_text,
)
from helpers.sections.data import context_facts
from notebook_cells import run_cells


@pytest.fixture(scope="module")
def facts():
    return context_facts()


@pytest.fixture(scope="module")
def claims_config():
    return read_yaml(CONFIG_DIR / "claims.yaml")


def test_phrases_stay_phrases():
    assert phrase_value("51.8", 51.8) == (51.8, "")  # read as a number by the reader
    assert phrase_value("less than 10") == (10.0, "upper bound")
    assert phrase_value("over 40") == (40.0, "lower bound")
    assert phrase_value("nearly 55") == (55.0, "approximate")


def test_july_2023_is_first_month_above_half(facts):
    view = car_share_view(facts, "2022-02")
    first = first_month_above(view, 50)
    assert first.date[:7] == "2023-07"
    assert first.share_pct == 51.8
    assert "Autostat" in first.measure
    # no exactly dated month before it exceeds 50%
    earlier = view.loc[view.exact_month & (view.date < first.date)]
    assert (earlier.share_pct <= 50).all()


def test_less_than_10_is_kept_as_a_bound(facts):
    view = car_share_view(facts, "2022-02")
    row = view.loc[view.value_as_published == "less than 10%"].iloc[0]
    assert row.value_kind == "upper bound" and row.share_pct == 10 and row.before_invasion
    assert row.marker.startswith("phrase")


def test_same_vintage_ratio_is_china_over_russia_of_those_rows(facts):
    gdp = gdp_view(facts)
    ratios = gdp_ratios(gdp).set_index("year")
    r2023 = ratios.loc[2023]
    assert r2023.basis == "same source and vintage"
    china = gdp.loc[gdp.source_row == r2023.china_row].iloc[0]
    russia = gdp.loc[gdp.source_row == r2023.russia_row].iloc[0]
    assert (china.gdp_usd_tn, russia.gdp_usd_tn) == (17.795, 2.02)
    assert china.vintage_key == russia.vintage_key
    assert r2023.ratio == pytest.approx(17.795 / 2.02)
    # World Bank WDI, July 2021 vintage: 14,722,731 / 1,483,498 US$ million
    assert ratios.loc[2020].ratio == pytest.approx(14722731 / 1483498)


def test_mixed_vintage_ratio_is_always_labelled(facts):
    gdp = gdp_view(facts)
    ratios = gdp_ratios(gdp)
    for row in ratios.loc[ratios.ratio.notna()].itertuples():
        china = gdp.loc[gdp.source_row == row.china_row].iloc[0]
        russia = gdp.loc[gdp.source_row == row.russia_row].iloc[0]
        same = china.vintage_key == russia.vintage_key
        assert row.basis == ("same source and vintage" if same else "mixed vintages")
    assert ratios.set_index("year").loc[2024].basis == "mixed vintages"
    assert math.isnan(ratios.set_index("year").loc[2019].ratio)  # China only: no ratio invented


def test_context_claim_verdicts(facts, claims_config):
    claims = context_claims(claims_config, facts).set_index("claim_id")
    assert list(claims.index) == ["economy_ratio", "car_market_share", "machine_tools"]
    assert set(claims.verdict) <= set(VERDICTS)
    assert claims.loc["economy_ratio", "verdict"] == "consistent"  # 8.81x for 2023, not 2024
    assert "8.8" in claims.loc["economy_ratio", "data_value"]
    assert claims.loc["car_market_share", "verdict"] == "reproduced"
    assert "July 2023" in claims.loc["car_market_share", "data_value"]
    assert "51.8%" in claims.loc["car_market_share", "data_value"]
    assert claims.loc["machine_tools", "verdict"] == "cannot be checked with this data"
    assert "Rosstat" in claims.loc["machine_tools", "explanation"]
    assert all(claims.rows_used.map(len) > 0)


def test_machine_tools_has_no_2021_to_2024_series(facts, claims_config):
    production = machine_tool_production(facts)
    statement = next(c for c in claims_config["claims"] if c["id"] == "machine_tools")["statement"]
    assert claim_span(statement) == (2021, 2024)
    assert not machine_tools_check(production, 2021, 2024)["checkable"]
    # ATK+ units: 5,300 (2020) -> 11,360 (2024) is in the data: a different span
    assert machine_tools_check(production, 2020, 2024)["change_pct"] == pytest.approx(
        (11360 / 5300 - 1) * 100
    )


def test_key_rate_path_steps(facts):
    path = key_rate_path(facts, "2025-08-28")
    assert path.date.is_monotonic_increasing
    assert path.rate_pct.max() == 21
    assert path.loc[path.date == "2025-06-06", "rate_pct"].item() == 20


def test_machine_tools_text_says_why_it_cannot_be_checked_and_what_the_data_hold(
    facts, claims_config
):
    claim = next(c for c in claims_config["claims"] if c["id"] == "machine_tools")
    text = machine_tools_text(machine_tool_production(facts), claim)
    plain = without_notes(text)
    assert plain.startswith(
        "The story's +137% rise in machine-tool output over the three years to 2024 cannot be "
        "checked here: no production series in the data has both 2021 and 2024."
    )
    assert (
        "Domestic machine tool production has figures for 2020 and 2024: +114% between them, a "
        "different span." in plain
    )
    assert "ATK+" in text.split("+114%")[1]  # the series' source, in the note beside it
    assert (
        "Five series have figures for 2023 only; the table and its CSV list them." in plain
    )  # one sentence, not five
    assert "88% for growth of machine tool production, 2023 vs 2019" in plain
    assert "(" not in plain


def test_key_rate_text_says_why_the_chart_is_there_and_reads_the_rate_on_the_story_date(facts):
    text = without_notes(key_rate_text(key_rate_path(facts, "2025-08-28"), "2025-08-28"))
    assert text.startswith("Context, not a checked claim:")
    assert (
        "key rate was **18%** on the story's date, 28 August 2025. It had peaked at 21%, held "
        "from 25 October 2024 to 6 June 2025."
    ) in text
    # a story dated before the first decision in the data: said, not guessed
    assert "No Bank of Russia decision up to the story's date" in key_rate_text(
        key_rate_path(facts, "2023-01-01"), "2023-01-01"
    )


@pytest.mark.parametrize("period_end", ["2021-02", "2023-07", "2025-07", "2026-02"])
def test_section_works_for_any_period(facts, claims_config, period_end, tmp_path):
    view, gdp = car_share_view(facts, "2022-02"), gdp_view(facts)
    ratios = gdp_ratios(gdp)
    assert period_end in context_text(view, ratios, period_end)
    assert len(context_claims(claims_config, facts)) == 3
    # the section's notebook draws and publishes its three figures for the period
    run_cells("03_context", tmp_path, period_end=period_end)
    for figure_id in ("f9-chinese-car-share", "f10-gdp-ratio", "f11-key-rate"):
        assert (tmp_path / "figures" / f"{figure_id}.svg").read_text().startswith("<svg")
    assert len(gdp_figure_data(gdp, ratios)) == len(
        (tmp_path / "figures" / "f10-gdp-ratio.csv").read_text().splitlines()[1:]
    )


def test_a_source_says_page_undated_only_when_nothing_dates_it():
    from types import SimpleNamespace as Row

    from helpers.model.context_facts import source_label

    assert (
        source_label(Row(publisher="TASS", published_date="2025-08-07"))
        == "TASS, published 2025-08-07"
    )
    assert source_label(Row(publisher="Autostat", published_date="")) == "Autostat, page undated"
    # the date the compiler recorded inside the publisher's name: no "page undated" beside it (the trial's catch)
    assert (
        source_label(Row(publisher="Vazhno.news (citing Autostat, 19 Nov 2025)", published_date=""))
        == "Vazhno.news (citing Autostat, 19 Nov 2025)"
    )
