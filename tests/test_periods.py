"""Every section renders for the periods the data supports, and key findings follow the data."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from helpers.pipeline.run_notebooks import main as run_main
from helpers.report.notes import without_notes
from helpers.report.prose import words
from helpers.report.render import main as render_main
from helpers.sections.findings import key_findings
from helpers.sections.section import open_section as setup_section

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "period_end, expected",
    [
        (
            "2025-12",
            [
                "full-year 2025 came to **$228.1bn**, down **6.9%**",
                "The record year is **2024**, at **$244.8bn**",
                "aluminium +55.3%",
            ],
        ),
        (
            "2025-08",
            [
                "January–August 2025 came to **$143.8bn**, down **9.4%**",
                "Exports fell 8.8% to $64.8bn",
                "trucks −75.7%",
            ],
        ),
        # crude oil from the Comtrade rows (data/raw/fuel/), which outrank the wire figure (+2.8%)
        (
            "2024-12",
            ["full-year 2024 came to **$244.8bn**, up **1.9%**", "crude oil +3.5%"],
        ),
        (
            "2023-12",
            [
                "full-year 2023 came to **$240.1bn**, up **26.3%**",
                "The record year is **2023**, at **$240.1bn**",
            ],
        ),
    ],
)
def test_key_findings_follow_the_period(period_end, expected):
    text = key_findings(setup_section(period_end=period_end, partner="Russia"))
    bullets = without_notes(text).splitlines()
    for sentence in expected:
        assert sentence in without_notes(text)
    # page 1's budget: at most six bullets of at most 35 words, whatever the period
    assert len(bullets) <= 6 and max(words(b.removeprefix("- ")) for b in bullets) <= 35, bullets


def figure_3(period_end: str, build_dir: Path) -> tuple[str, dict]:
    """F3 as notebooks/01_headline.ipynb publishes it for `period_end`: its title and its Vega-Lite spec."""
    from notebook_cells import run_cells

    _, shown = run_cells(
        "01_headline", build_dir, stop_after='"f3-ytd-comparison"', period_end=period_end
    )
    [title] = [
        o["metadata"]["title"]
        for o in shown
        if o["metadata"].get("figure_id") == "f3-ytd-comparison"
    ]
    return title, json.loads((build_dir / "figures" / "f3-ytd-comparison.vl.json").read_text())


def test_ytd_figure_title_says_full_year_for_december(tmp_path):
    assert (
        figure_3("2024-12", tmp_path)[0] == "Full-year 2024 vs full-year 2023"
    )  # not "full-year 2024 vs the same months …"
    assert figure_3("2025-07", tmp_path)[0] == "January–July 2025 vs the same months a year earlier"


def test_full_year_2025_exports_and_imports_are_said_in_yuan_terms_never_as_us_dollar_changes(
    tmp_path,
):
    """GACC's full-year 2025 exports and imports are in the data only as Reuters' yuan-terms rates (rows 424-425,
    currency_note cny): the headline and Figure 3 say so, and no US$ y/y column carries them (the audit's catch:
    they had been shown as 'published y/y' beside the US$ turnover change)."""
    from helpers.model.turnover import ytd_long
    from helpers.sections.headline import headline_text

    section = setup_section(period_end="2025-12", partner="Russia")
    comparison = section.ytd_view().set_index("flow")
    assert (
        comparison.loc["China's exports"].yoy_pct_published
        != comparison.loc["China's exports"].yoy_pct_published
    )
    assert (
        comparison.loc["China's exports"].yoy_pct_yuan,
        comparison.loc["China's imports"].yoy_pct_yuan,
    ) == (-9.9, -3.4)
    text = headline_text(
        section.annual_turnover(),
        section.ytd_view(),
        section.period_end,
        section.partner_name,
        citer=section.citer,
    )
    assert (
        "No US$ figure for China's exports and imports in full-year 2025 is in the data. In yuan terms, "
        "exports fell 9.9% and imports fell 3.4%; the briefing does not convert them."
    ) in without_notes(text)
    assert "LIGA.net, citing Reuters</a>, 2026-01-14: gacc_cn_ru_totals.csv rows 424–425" in text
    assert "The annual series runs from 2016 to 2025" in text
    long = ytd_long(section.ytd_view(), section.period_end)
    assert (
        long.yoy_pct_yuan.dtype == "float64"
    )  # an object column kept NaN, which the chart's JSON cannot hold
    layers = figure_3(section.period_end, tmp_path)[1]["layer"]
    note = layers[1]
    assert note["mark"]["type"] == "text" and note["transform"][0] == {
        "filter": "!isValid(datum.value_usd_bn)"
    }
    assert (
        "no US$ level in the data" in note["transform"][1]["calculate"]
        and "in yuan terms" in note["transform"][1]["calculate"]
    )
    annual = section.annual_turnover().set_index(["year", "flow"])
    assert annual.loc[(2025, "China's exports")].status == "yuan figure only"
    assert (
        annual.loc[(2025, "China's exports")].yoy_pct_published
        != annual.loc[(2025, "China's exports")].yoy_pct_published
    )


def test_a_us_dollar_rate_published_without_its_level_is_said_as_gacc_s_rate():
    """The other branch of the headline: a US$ y/y GACC published without a level (no such row in today's data,
    so a comparison is built here) is given as GACC's published rate, not dropped and not called yuan."""
    from helpers.sections.headline import headline_text

    section = setup_section(period_end="2025-12", partner="Russia")
    comparison = section.ytd_view()
    exports = comparison.flow == "China's exports"
    comparison.loc[exports, ["yoy_pct_published", "yoy_pct_yuan"]] = [-9.0, float("nan")]
    text = headline_text(
        section.annual_turnover(), comparison, section.period_end, section.partner_name
    )
    text = without_notes(text)
    assert (
        "GACC published China's exports down 9.0% on a year earlier, with no level for it in the data."
        in text
    )
    # and the yuan sentence names only the flow it is about (it said "exports or imports" whatever the case)
    assert (
        "No US$ figure for China's imports in full-year 2025 is in the data. In yuan terms, imports fell "
        "3.4%; the briefing does not convert them."
    ) in text


@pytest.mark.parametrize(
    "period_end, span, total, title",
    [
        ("2025-12", "full-year 2025", "$228.1bn", "Full-year 2025 vs full-year 2024"),
        # twelve commodity groups have a figure (seven for January-July): Figure 4 went onto a page of its own and the
        # PDF to 13 pages until Figure 4's bars were drawn 20 px apart (26 before) and Figure 3 120 px high (150)
        (
            "2025-08",
            "January–August 2025",
            "$143.8bn",
            "January–August 2025 vs the same months a year earlier",
        ),
    ],
)
def test_whole_briefing_renders_for_another_period(
    tmp_path, monkeypatch, period_end, span, total, title
):
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tmp_path))
    params = tmp_path / "params.json"
    params.write_text(
        json.dumps(
            {
                "period_end": period_end,
                "partner": "Russia",
                "groups_file": "config/commodity_groups.yaml",
                "claims_file": "config/claims.yaml",
                "partner_code": "RU",
                "partner_name": "Russia",
            }
        )
    )
    notebooks = sorted(str(p) for p in (ROOT / "notebooks").glob("[0-9]*.ipynb"))
    assert run_main(notebooks + ["--params", str(params), "--out", str(tmp_path / "nb")]) == 0
    executed = sorted(str(p) for p in (tmp_path / "nb").glob("*.ipynb"))
    assert (
        render_main(
            [
                "--notebooks",
                *executed,
                "--params",
                str(params),
                "--out",
                str(tmp_path / "stage"),
                "--figures-dir",
                str(tmp_path / "figures"),
            ]
        )
        == 0
    )
    text = re.sub(
        r"<[^>]+>", "", (tmp_path / "stage" / "briefing.html").read_text(encoding="utf-8")
    )
    assert f"{span} came to {total}" in text
    assert title in text  # Figure 3's title
    assert (
        f"Groups with no figure for {span}" in text
    )  # groups without a figure are listed, not dropped
    # the PDF stays within the 12-page budget for a period other than the default too
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "stage" / "briefing.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) <= 12
