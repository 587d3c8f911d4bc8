"""A group of GACC national codes only (9804, low-value goods) is an HS-level sum once a GACC export
covers every month of both periods (issue 23, point 1: code_coverage once looped over no version)."""

from pathlib import Path

import pytest

from helpers.claims.rises import check_group_rise
from helpers.model.groups import group_change
from helpers.model.hs_coverage import code_coverage
from helpers.sources.configs import load_claims_config, load_groups
from helpers.sources.hs_level import load_hs_level

FIXTURES = Path(__file__).parent / "fixtures" / "hs_level" / "raw"  # SYNTHETIC test data


@pytest.fixture(scope="module")
def hs_rows():
    return load_hs_level(FIXTURES)


def test_a_national_code_group_is_covered_by_the_gacc_export(hs_rows):
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 8)]
    covered = code_coverage(hs_rows, "RU", "export", months, {"GACC": ["9804"]})
    assert covered["complete"] and covered["missing"] == {}
    assert set(covered["choice"].values()) == {("GACC query platform", "GACC")}
    assert set(covered["rows"].hs_code) == {"980400"}
    # a month the export does not cover is a gap, never a zero
    assert code_coverage(hs_rows, "RU", "export", ["2025-08"], {"GACC": ["9804"]})["missing"] == {
        "2025-08": "HS 9804"
    }


def test_the_low_value_goods_group_and_claim_get_the_hs_level_change(hs_rows):
    groups = load_groups()
    change = group_change(
        hs_rows.iloc[0:0], "low_value_goods", groups["low_value_goods"], "2025-07", hs_rows, "RU"
    )
    # fixture sums (tests/fixtures/hs_level/README.md): 217.9 vs 293.0 US$ mn -> -25.6%
    assert change["basis"] == "HS-level sum"
    assert change["value_usd_mn"] == pytest.approx(217.9)
    assert change["prior_value_usd_mn"] == pytest.approx(293.0)
    assert change["change_pct"] == -25.6
    claim = next(c for c in load_claims_config()["claims"] if c["id"] == "low_value_goods")
    row = check_group_rise(claim, hs_rows.iloc[0:0], groups, "2025-07", None, hs_rows, "RU")
    # the story says "surged"; the synthetic rows fall, so the verdict is 'differs', not 'cannot be checked'
    assert row["verdict"] == "differs"
    assert row["data_value"] == (
        "Low-value goods under simplified customs clearance −25.6%: $0.22bn vs $0.29bn "
        "(HS-level sum, computed)"
    )
    assert row["explanation"].endswith(
        "(HS-level sum, computed). It fell, so the rows do not show a rise."
    )
    assert "sum of HS 9804 (GACC;" in row["rows_used"]


H7_FILE = (  # SYNTHETIC: one row classified H7 (no such edition), one H6
    "freqCode,period,reporterCode,flowCode,partnerCode,cmdCode,classificationCode,primaryValue\n"
    "M,202401,156,X,643,8703,H7,1000000\n"
    "M,202401,156,X,643,8704,H6,2000000\n"
)


@pytest.mark.parametrize("large", [False, True], ids=["read", "scanned"])
def test_an_unknown_comtrade_classification_is_left_out_with_a_note(tmp_path, large):
    """Comtrade classificationCode H7 once mapped to an empty edition, which the coverage check takes
    as any edition (and the briefing then called HS2022): now its rows are left out, and said so."""
    (tmp_path / "comtrade").mkdir()
    (tmp_path / "comtrade" / "comtrade_cn_ru_2024.csv").write_text(H7_FILE, encoding="utf-8")
    rows = load_hs_level(
        tmp_path, partner="RU", hs_prefixes=["8703", "8704"], large_csv_bytes=0 if large else None
    )
    assert list(zip(rows.hs_code, rows.hs_version)) == [("8704", "HS2022")]
    assert any(
        "1 row(s) with classificationCode H7 is not an HS edition this project knows" in note
        for note in rows.attrs["notes"]
    ), rows.attrs["notes"]
    covered = code_coverage(rows, "RU", "export", ["2024-01"], {"HS2022": ["8703"]})
    assert covered["missing"] == {"2024-01": "HS 8703"}
