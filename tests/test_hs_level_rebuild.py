"""Exact rebuild: with HS-level data present, the vehicles claim uses the sum of 8701+8703+8704."""

from pathlib import Path

from helpers.claims.customs import check_group_change
from helpers.model.groups import group_change, resolve_groups
from helpers.sources.configs import load_claims, load_groups
from helpers.sources.hs_level import load_hs_level

FIXTURE_RAW = Path(__file__).parent / "fixtures" / "hs_level" / "raw"  # SYNTHETIC test data


def test_vehicles_claim_uses_hs_level_sum(customs):
    hs_rows = load_hs_level(FIXTURE_RAW)
    groups = load_groups()
    resolved, _ = resolve_groups(customs.commodities, groups)
    change = group_change(resolved, "vehicles", groups["vehicles"], "2025-07", hs_rows, "RU")
    assert change["basis"] == "HS-level sum"
    assert (
        round(change["value_usd_mn"], 2) == 6820.25
        and round(change["prior_value_usd_mn"], 2) == 11300.0
    )
    claim = next(c for c in load_claims(groups=groups) if c["id"] == "vehicles")
    row = check_group_change(claim, resolved, groups, hs_rows, "RU")
    assert row["verdict"] == "differs"  # synthetic fixture: -39.6%, not the story's -46%
    assert "HS-level sum" in row["data_value"] and "8701+8703+8704" in row["rows_used"]


def test_without_hs_level_data_the_wire_figures_are_used(customs):
    groups = load_groups()
    resolved, _ = resolve_groups(customs.commodities, groups)
    change = group_change(resolved, "crude_oil", groups["crude_oil"], "2025-07", None, "RU")
    assert (change["value_usd_mn"], change["change_pct"], change["basis"]) == (
        29480.0,
        -21.3,
        "published y/y",
    )
