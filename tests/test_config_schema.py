"""config/claims.yaml and config/commodity_groups.yaml are read through one pydantic model each
(helpers.sources.config_schema): a wrong type, a missing field or an unknown field stops with one line
that names the file, the claim (or group) and the field."""

import copy
from pathlib import Path

import pytest
import yaml

from helpers.core.errors import InputError
from helpers.sources.configs import load_claims, load_claims_config, load_groups

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = yaml.safe_load((ROOT / "config" / "claims.yaml").read_text(encoding="utf-8"))
GROUPS = yaml.safe_load((ROOT / "config" / "commodity_groups.yaml").read_text(encoding="utf-8"))


def claim(config: dict, claim_id: str) -> dict:
    return next(c for c in config["claims"] if c["id"] == claim_id)


def refused(tmp_path, base: dict, change, load) -> str:
    config = copy.deepcopy(base)
    change(config)
    path = tmp_path / ("claims.yaml" if "claims" in config else "commodity_groups.yaml")
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load(path)
    assert "\n" not in str(info.value)
    return str(info.value)


CLAIM_CASES = [
    (
        "wrong type",
        lambda c: claim(c, "fuel_exports")["tolerance"].update(change_pct="two"),
        "claim 'fuel_exports', field 'tolerance.change_pct': expected a number, got 'two'",
    ),
    (
        "missing field",
        lambda c: claim(c, "vehicles").pop("statement"),
        "claim 'vehicles', field 'statement': missing (a required field)",
    ),
    (
        "unknown field",
        lambda c: claim(c, "fuel_exports").update(tolerance_pp=2),
        "claim 'fuel_exports', field 'tolerance_pp': unknown field (known: id, type, statement, "
        "kind, flow, period, group, groups, proxies, rows_cover, story, tolerance, "
        "also_check_record, settle_with, since)",
    ),
    (
        "unknown nested field",
        lambda c: claim(c, "vehicles")["story"].update(change=-46),
        "claim 'vehicles', field 'story.change': unknown field (known: value_usd_bn, change_pct, "
        "direction, ratio, before_pct, after_pct, after_by)",
    ),
    (
        "a field its kind needs",
        lambda c: claim(c, "record_2024")["tolerance"].pop("value_usd_bn"),
        "claim 'record_2024', field 'tolerance.value_usd_bn': missing: kind annual_total needs it",
    ),
    (
        "a value outside its choices",
        lambda c: claim(c, "turnover_jan_jul_2025").update(flow="turnover"),
        "claim 'turnover_jan_jul_2025', field 'flow': expected 'export', 'import' or 'total', "
        "got 'turnover'",
    ),
    (
        "an unquoted period",
        lambda c: claim(c, "record_2024").update(period=2024),
        "claim 'record_2024', field 'period': expected a year \"YYYY\" or month \"YYYY-MM\" in "
        "quotes, got 2024",
    ),
    (
        "a duplicate id",
        lambda c: claim(c, "vehicles").update(id="fuel_exports"),
        "claim 'fuel_exports', field 'id': id 'fuel_exports' is used by an earlier claim",
    ),
    (
        "a claim without an id is named by its position",
        lambda c: c["claims"][1].pop("id"),
        "claim 2, field 'id': missing (a required field)",
    ),
    (
        "the story block",
        lambda c: c["story"].update(published="28 Aug 2025"),
        "field 'story.published': expected a date \"YYYY-MM-DD\" in quotes, got '28 Aug 2025'",
    ),
]


@pytest.mark.parametrize(
    "change, message", [c[1:] for c in CLAIM_CASES], ids=[c[0] for c in CLAIM_CASES]
)
def test_claims_file_errors_name_the_claim_and_the_field(tmp_path, change, message):
    assert refused(tmp_path, CLAIMS, change, load_claims_config).startswith(
        f"claims.yaml: {message}"
    )


GROUP_CASES = [
    (
        "wrong type",
        lambda c: c["groups"]["trucks"].update(labels="trucks"),
        "group 'trucks', field 'labels': expected a list, got 'trucks'",
    ),
    (
        "an HS code as a number",
        lambda c: c["groups"]["trucks"]["hs"]["HS2017"].append(8708),
        "group 'trucks', field 'hs.HS2017': HS code 8708 is a number: write it as text, "
        'e.g. "0303"',
    ),
    (
        "missing field",
        lambda c: c["groups"]["coal"].pop("flow"),
        "group 'coal', field 'flow': missing (a required field)",
    ),
    (
        "unknown field",
        lambda c: c["groups"]["coal"].update(colour="black"),
        "group 'coal', field 'colour': unknown field (known: label, flow, hs, labels, sum_of, "
        "classification_preference)",
    ),
    (
        "an unknown HS edition",
        lambda c: c["groups"]["lng"]["hs"].update(H6=["271111"]),
        "group 'lng', field 'hs.H6': expected 'HS2022', 'HS2017', 'HS2012', 'HS2007', 'HS2002', "
        "'HS1996', 'HS1992' or 'GACC', got 'H6'",
    ),
    (
        "a sum of an unknown group",
        lambda c: c["groups"]["smartphones_computers"].update(sum_of=["smartphones", "tablets"]),
        "group 'smartphones_computers', field 'sum_of': sums unknown group 'tablets'",
    ),
    (
        "the file's classification preference",
        lambda c: c.update(classification_preference=["HS2022", "HS2022"]),
        "field 'classification_preference': expected a list of distinct HS editions",
    ),
]


@pytest.mark.parametrize(
    "change, message", [c[1:] for c in GROUP_CASES], ids=[c[0] for c in GROUP_CASES]
)
def test_groups_file_errors_name_the_group_and_the_field(tmp_path, change, message):
    text = refused(tmp_path, GROUPS, change, load_groups)
    assert text.startswith(f"commodity_groups.yaml: {message}")


def test_all_problems_are_counted_and_the_first_is_named(tmp_path):
    def two_problems(config):
        claim(config, "vehicles")["story"].update(change_pct="minus 46")
        claim(config, "metals").update(period="July")

    text = refused(tmp_path, CLAIMS, two_problems, load_claims_config)
    assert text == (
        "claims.yaml: claim 'vehicles', field 'story.change_pct': expected a number, got "
        "'minus 46' (and 1 more problem)"
    )


def test_the_configs_read_as_validated_dicts_with_defaults_filled():
    groups = load_groups()
    # the file's preference reaches every group; no group lacks a field the model defines
    assert groups["coal"]["classification_preference"] == ["HS2022", "HS2017"]
    assert groups["low_value_goods"]["hs"] == {"GACC": ["9804"]} and groups["coal"]["sum_of"] == []
    claims = {c["id"]: c for c in load_claims(groups=groups)}
    # numbers keep the type YAML gave them (245, not 245.0), so the text printed from them is unchanged
    assert claims["record_2024"]["story"] == {"value_usd_bn": 245}
    assert claims["vehicles"]["tolerance"] == {"change_pct": 1.0, "value_usd_bn": 0.1}
    # in the file's order, which the printed story value follows ("−46%, $5.8bn")
    assert list(claims["vehicles"]["story"]) == ["change_pct", "value_usd_bn"]
    assert claims["economy_ratio"]["type"] == "context" and claims["vehicles"]["type"] == "customs"
    assert claims["metals"]["proxies"] == [] and "tolerance" not in claims["metals"]
