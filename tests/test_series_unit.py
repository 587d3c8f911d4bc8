"""Unit tests of resolution, series building and reconciliation on small hand-made frames."""

import math

import pandas as pd
import pytest

from helpers.model.reconcile import flows_add_up, months_vs_ytd
from helpers.model.resolve import agree, last_digit_unit, resolve
from helpers.model.series import monthly_series, ytd_comparison

KEY = ["reporter", "partner", "flow", "period", "span", "commodity", "measure", "unit"]


def obs(
    flow, period, span, value, yoy=math.nan, publisher="TASS", date="2025-01-10", row=1, quote="q"
):
    return {
        "reporter": "CN",
        "partner": "RU",
        "flow": flow,
        "period": period,
        "span": span,
        "commodity": "TOTAL",
        "hs_code": "",
        "hs_version": "",
        "measure": "value",
        "unit": "usd_mn",
        "value": value,
        "yoy_pct": yoy,
        "currency_note": "usd",
        "source_file": "t.csv",
        "source_row": row,
        "source_url": f"https://example.org/{row}",
        "publisher": publisher,
        "published_date": date,
        "quote": quote,
    }


def test_rounding_units_and_agreement():
    assert last_digit_unit(125800) == 100
    assert last_digit_unit(244810) == 10
    assert last_digit_unit(895.95) == pytest.approx(0.01)
    assert agree(244800, 244810) and not agree(228105, 234000)


def test_conflict_resolved_by_preference_and_recorded():
    frame = pd.DataFrame(
        [
            obs("total", "2024", "year", 244800, publisher="Some blog", date="2025-01-12", row=1),
            obs("total", "2024", "year", 250000, publisher="TASS", date="2025-01-13", row=2),
            obs("total", "2024", "year", 244819, publisher="RIA Novosti", date="2025-08-29", row=3),
        ]
    )
    resolved, conflicts = resolve(frame, KEY)
    # tier-1 publisher beats the earlier blog; earliest tier-1 release beats the later revision
    assert resolved.iloc[0].value == 250000 and resolved.iloc[0].value_publisher == "TASS"
    assert sorted(conflicts.other) == [244800, 244819]


def test_mislabel_marker_ranks_last():
    frame = pd.DataFrame(
        [
            obs(
                "export",
                "2023-03",
                "month",
                11020,
                publisher="TASS",
                row=1,
                quote="exported [sic] 11.02",
            ),
            obs("export", "2023-03", "month", 9044, publisher="Blog", row=2),
        ]
    )
    resolved, _ = resolve(frame, KEY)
    assert resolved.iloc[0].value == 9044


def _with_flag(monkeypatch, published):
    from helpers.core.yaml_config import sources_config
    from helpers.model import resolve as resolve_module

    rules = dict(sources_config()["source_preference"])
    rules["flagged_rows"] = [
        {
            "file": "t.csv",
            "row": 1,
            "field": "yoy_pct",
            "published": published,
            "reason": "the page printed the previous month's change",
        }
    ]
    monkeypatch.setattr(resolve_module, "sources_config", lambda: {"source_preference": rules})


def test_flagged_row_ranks_last_for_its_field_only(monkeypatch):
    _with_flag(monkeypatch, -7.7)
    frame = pd.DataFrame(
        [
            obs(
                "export",
                "2022-04",
                "month",
                3800,
                yoy=-7.7,
                publisher="reprint of Bloomberg",
                row=1,
            ),
            obs(
                "export",
                "2022-04",
                "month",
                3800,
                yoy=-25.9,
                publisher="Blog",
                date="2025-02-01",
                row=2,
            ),
        ]
    )
    resolved, conflicts = resolve(frame, KEY)
    assert resolved.iloc[0].yoy_pct == -25.9 and resolved.iloc[0].yoy_source_row == 2
    assert (
        resolved.iloc[0].value_source_row == 1
    )  # the flag is on the y/y only: the row's level still ranks first
    assert conflicts.other.tolist() == [-7.7]


def test_flag_on_a_row_that_no_longer_holds_the_figure_is_refused(monkeypatch):
    from helpers.core.errors import InputError

    _with_flag(monkeypatch, -7.7)
    frame = pd.DataFrame([obs("export", "2022-04", "month", 3800, yoy=-25.9, row=1)])
    with pytest.raises(
        InputError,
        match=r"t.csv, row 1.*flagged in config/sources.yaml as misprinted -7.7, but the "
        r"row holds -25.9",
    ):
        resolve(frame, KEY)


def test_monthly_series_derives_marks_and_leaves_gaps():
    frame = pd.DataFrame(
        [
            obs("total", "2025-02", "ytd", 30000, row=1),
            obs("total", "2025-03", "ytd", 46000, row=2),
            obs("total", "2025-04", "month", 15500, row=3),
            obs("total", "2025-06", "ytd", 90000, row=4),
        ]
    )
    resolved, _ = resolve(frame, KEY)
    series = monthly_series(resolved, "total", 2025, "2025-06").set_index("period")
    assert series.loc["2025-01"].status == "in Jan–Feb total"
    assert (series.loc["2025-02"].status, series.loc["2025-02"].value) == (
        "Jan–Feb combined",
        30000,
    )
    assert (series.loc["2025-03"].status, series.loc["2025-03"].value) == ("derived", 16000)
    assert series.loc["2025-03"].source_rows == "2−1"
    assert series.loc["2025-04"].status == "published"
    assert series.loc["2025-05"].status == "missing" and math.isnan(series.loc["2025-05"].value)
    assert series.loc["2025-06"].status == "missing"  # no ytd for May: never filled in


def test_january_is_derived_when_february_is_published_alone():
    """2026: Prime gave February alone (19,190) and January–February (39,044): January is their difference,
    marked derived, instead of a silent gap (the trial's catch); without February alone it stays in the total."""
    frame = pd.DataFrame(
        [
            obs("total", "2026-02", "month", 19190, row=432),
            obs("total", "2026-02", "ytd", 39044, row=435),
        ]
    )
    resolved, _ = resolve(frame, KEY)
    series = monthly_series(resolved, "total", 2026, "2026-02").set_index("period")
    january = series.loc["2026-01"]
    assert (january.status, january.value, january.source_rows) == ("derived", 19854, "435−432")
    assert (series.loc["2026-02"].status, series.loc["2026-02"].value) == ("published", 19190)
    combined, _ = resolve(pd.DataFrame([obs("total", "2026-02", "ytd", 39044, row=435)]), KEY)
    only_total = monthly_series(combined, "total", 2026, "2026-02").set_index("period")
    assert (
        only_total.loc["2026-01"].status == "in Jan–Feb total"
        and only_total.loc["2026-02"].status == "Jan–Feb combined"
    )


def test_ytd_comparison_published_and_level_based():
    frame = pd.DataFrame(
        [
            obs("total", "2025-07", "ytd", 125800, yoy=-8.1, row=1),
            obs("total", "2024-07", "ytd", 136670, yoy=1.6, row=2),
        ]
    )
    resolved, _ = resolve(frame, KEY)
    row = ytd_comparison(resolved, "2025-07", flows=("total",)).iloc[0]
    assert row.yoy_pct_published == -8.1 and row.yoy_pct_from_levels == -7.95


def test_reconciliations():
    frame = pd.DataFrame(
        [
            obs("export", "2025-02", "ytd", 10130, row=1),
            obs("import", "2025-02", "ytd", 12240, row=2),
            obs("total", "2025-02", "ytd", 22370, row=3),
            obs("export", "2025-03", "ytd", 15130, row=4),
            obs("import", "2025-03", "ytd", 18240, row=5),
            obs("total", "2025-03", "ytd", 34370, row=6),
            obs("total", "2025-03", "month", 11870, row=7),
        ]
    )
    resolved, _ = resolve(frame, KEY)
    flows = flows_add_up(resolved).set_index("period")
    assert bool(flows.loc["2025-02"].agrees) and not bool(flows.loc["2025-03"].agrees)
    assert flows.loc["2025-03"].difference == 1000
    monthly = monthly_series(resolved, "total", 2025, "2025-03")
    check = months_vs_ytd(resolved, monthly).iloc[0]
    assert (check.sum_of_months, check.published_ytd, bool(check.agrees)) == (34240, 34370, False)
