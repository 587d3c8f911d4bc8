"""The claim table for the story's periods: values, verdicts, and that group config drives results."""
from pathlib import Path

import pytest
import yaml

from helpers.sections.section import open_section as setup_section
from helpers.model.groups import period_changes, resolve_groups
from helpers.sources.configs import load_claims, load_groups
from helpers.core.errors import InputError
from helpers.sections.findings import claim_table


@pytest.fixture(scope="module")
def claims():
    return claim_table(setup_section(period_end="2025-07", partner="Russia")).set_index("claim_id")


def test_all_story_claims_are_listed(claims):
    assert list(claims.index) == ["record_2024", "turnover_jan_jul_2025", "fuel_exports", "phones_computers",
                                  "vehicles", "low_value_goods", "metals", "economy_ratio", "car_market_share",
                                  "machine_tools"]
    assert (claims.type == "customs").sum() == 7 and (claims.type == "context").sum() == 3


def test_customs_verdicts_and_values(claims):
    assert claims.loc["record_2024"].verdict == "reproduced"
    assert claims.loc["record_2024"].data_value == "$244.8bn (record)"
    assert claims.loc["turnover_jan_jul_2025"].verdict == "reproduced"
    assert claims.loc["turnover_jan_jul_2025"].data_value == "−8.1% published; −8.0% from levels"
    fuel = claims.loc["fuel_exports"]
    # computed from the raw fuel rows (data/raw/fuel/), the wire figure beside it
    assert fuel.verdict == "consistent"
    assert fuel.data_value == ("4 fuel codes together: $41.7bn vs $50.8bn, −18.0%; Crude oil (HS 2709): $29.6bn vs "
                               "$37.5bn, −20.9% (raw rows); wire: −21.3%")
    assert "2710 (oil products)" in fuel.explanation and "$29.5bn, −21.3%" in fuel.explanation
    phones = claims.loc["phones_computers"]
    assert phones.verdict == "consistent"
    assert "Computers (HS 8471): $1.1bn, −27.0%" in phones.data_value and "Smartphones" in phones.data_value
    vehicles = claims.loc["vehicles"]
    assert vehicles.verdict == "cannot be checked with this data"
    assert "−56.3%" in vehicles.data_value and "chapter 87" in vehicles.explanation
    assert "The latest full year in the raw rows is 2023: vehicles $18.5bn (CEPII BACI" in vehicles.explanation
    assert claims.loc["low_value_goods"].verdict == "cannot be checked with this data"
    assert "9804" in claims.loc["low_value_goods"].explanation
    metals = claims.loc["metals"]
    assert metals.verdict == "consistent" and "Aluminium" in metals.data_value and "Copper" in metals.data_value


def test_rows_used_point_to_publishers_and_links(claims):
    assert "Lenta.ru, citing TASS (row 383)" in claims.loc["turnover_jan_jul_2025"].rows_used
    assert "https://" in claims.loc["fuel_exports"].rows_used


def test_changing_a_group_definition_changes_the_result(tmp_path, customs):
    groups = load_groups()
    resolved, _ = resolve_groups(customs.commodities, groups)
    before = period_changes(resolved, groups, "2025-07").set_index("group").loc["vehicles"]
    assert before.basis == "no published figure"
    config = yaml.safe_load(Path("config/commodity_groups.yaml").read_text())
    config["groups"]["vehicles"]["labels"].append("passenger cars")  # count cars as the whole group
    changed_file = tmp_path / "groups.yaml"
    changed_file.write_text(yaml.safe_dump(config, allow_unicode=True))
    changed = load_groups(changed_file)
    resolved, _ = resolve_groups(customs.commodities, changed)
    after = period_changes(resolved, changed, "2025-07").set_index("group").loc["vehicles"]
    assert (after.value_usd_mn, after.change_pct) == (3300.0, -56.3)


def test_group_naming_a_nonexistent_hs_code_is_refused(tmp_path):
    config = yaml.safe_load(Path("config/commodity_groups.yaml").read_text())
    config["groups"]["vehicles"]["hs"]["HS2022"].append("7701")
    bad = tmp_path / "groups.yaml"
    bad.write_text(yaml.safe_dump(config, allow_unicode=True))
    with pytest.raises(InputError, match=r"names HS code '7701', which does not exist \(there is no HS chapter 77\)"):
        load_groups(bad)


def test_claim_referring_to_unknown_group_is_refused(tmp_path):
    config = yaml.safe_load(Path("config/claims.yaml").read_text())
    config["claims"][2]["group"] = "rocket_fuel"
    bad = tmp_path / "claims.yaml"
    bad.write_text(yaml.safe_dump(config, allow_unicode=True))
    with pytest.raises(InputError, match="claim 'fuel_exports' refers to unknown group 'rocket_fuel'"):
        load_claims(bad, load_groups())
