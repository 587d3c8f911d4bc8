"""End to end: `make report` builds the briefing; parameters are checked before any notebook runs.

These use the real Makefile (the README's command) in a copy of the project (conftest.built_project,
shared with test_print_layout). The first run builds everything; later runs are no-ops when nothing
changed.
"""

import re

import pandas as pd
import pytest

from browser.page_check import check_page
from helpers.report.theme import palette
from project_copy import make as make_in

# in page order: Figure N of the briefing is fN-... on disk (the number an editor quotes names the file)
FIGURE_IDS = [
    "f1-annual-turnover",
    "f2-monthly-turnover",
    "f3-ytd-comparison",
    "f4-commodity-changes",
    "f5-metals",
    "f6-trade-composition",
    "f7-fuel-imports-by-code",
    "f8-imports-rows-vs-wire",
    "f9-chinese-car-share",
    "f10-gdp-ratio",
    "f11-key-rate",
    "f12-since-the-story",
]


@pytest.fixture(scope="module")
def project(built_project):
    return built_project


def make(project, *args, check=True):
    result = make_in(project, *args)
    if check and result.returncode != 0:
        raise AssertionError(
            f"make {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result


@pytest.fixture(scope="module")
def briefing(project):
    return project / "reports" / "briefing.html"


def test_briefing_is_self_contained(briefing):
    html = briefing.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link)[^>]+(src|href)=[\"']https?://", html)
    for figure_id in FIGURE_IDS:
        assert html.count(f'id="fig-{figure_id}"') == 1, figure_id


def test_default_briefing_states_the_story_numbers(briefing):
    text = re.sub(r"<[^>]+>", "", briefing.read_text(encoding="utf-8"))
    assert "January–July 2025 came to $125.8bn, down 8.1%" in text
    assert "2024, at $244.8bn" in text


def test_every_figure_has_png_svg_csv(briefing):
    figures = briefing.parent / "figures"
    for figure_id in FIGURE_IDS:
        for suffix in (".png", ".svg", ".csv"):
            assert (figures / f"{figure_id}{suffix}").stat().st_size > 0, figure_id + suffix
    assert (briefing.parent / "briefing.pdf").read_bytes()[:5] == b"%PDF-"


def test_the_story_date_rule_is_drawn_once_a_panel(briefing):
    # a rule placed by a fixed datum draws once per row of its layer's data: stacked copies (17 in F11,
    # 44 in F10, 102 in F12 before) darken the line; each rule takes one row of its own
    figures = briefing.parent / "figures"
    gold = f'stroke="{palette.gold}"'
    panels = pd.read_csv(figures / "f12-since-the-story.csv").panel.nunique()
    counts = {
        figure_id: (figures / f"{figure_id}.svg").read_text(encoding="utf-8").count(gold)
        for figure_id in ("f9-chinese-car-share", "f10-gdp-ratio", "f11-key-rate")
    }
    assert counts == {"f9-chinese-car-share": 1, "f10-gdp-ratio": 1, "f11-key-rate": 1}
    assert panels == 8
    assert (figures / "f12-since-the-story.svg").read_text(encoding="utf-8").count(gold) == panels


def test_offline_browser_draws_every_chart(briefing, artifacts):
    result = check_page(briefing, screenshot=artifacts / "briefing.png")
    assert result.figure_containers == len(FIGURE_IDS)
    assert result.drawn_charts == len(FIGURE_IDS)
    assert result.console_errors == []
    assert result.external_requests == []
    assert "$125.8bn" in result.visible_text


def test_noop_rebuild_runs_no_notebook(project, briefing):
    result = make(project, "report")
    assert "timing: kernel start" not in result.stdout
    assert "timing: render total" not in result.stdout


@pytest.mark.parametrize(
    "period_end, message",
    [
        (
            "2031-01",
            "PERIOD_END 2031-01 is after the latest release in the data; valid: a month YYYY-MM from 2021-02 to 2026-02",
        ),
        (
            "July",
            "PERIOD_END 'July' is not a month in YYYY-MM form; valid: a month YYYY-MM from 2021-02 to 2026-02",
        ),
        ("2019-05", "PERIOD_END 2019-05 is before the first monthly release in the data (2021-02)"),
    ],
)
def test_bad_period_end_fails_before_any_notebook(project, period_end, message, briefing):
    before = briefing.read_bytes()
    result = make(project, "report", f"PERIOD_END={period_end}", check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert "timing: kernel start" not in result.stdout and "Traceback" not in result.stderr
    assert briefing.read_bytes() == before


def test_unknown_partner_names_valid_values(project):
    result = make(project, "report", "PARTNER=Atlantis", check=False)
    assert result.returncode != 0
    assert (
        "PARTNER 'Atlantis' has no data in data/raw; valid values:" in result.stderr
        and "Russia" in result.stderr
    )


def test_executed_notebooks_are_published_and_linked_from_the_methods(project, briefing):
    """reports/notebooks/ holds every section's executed notebook (with its outputs) and a static page of it that
    loads nothing from the network; the methods section links both."""
    import json

    html = briefing.read_text(encoding="utf-8")
    methods = html[html.index('id="data-and-methods"') :]
    for source in sorted((project / "notebooks").glob("[0-9]*.ipynb")):
        for suffix in (".html", ".ipynb"):
            assert f'href="notebooks/{source.stem}{suffix}"' in methods, source.stem + suffix
        executed = json.loads((briefing.parent / "notebooks" / source.name).read_text())
        assert any(cell.get("outputs") for cell in executed["cells"]), source.name
        page = (briefing.parent / "notebooks" / f"{source.stem}.html").read_text(encoding="utf-8")
        assert not re.search(r"<(script|link)\b", page), source.stem


def test_main_text_reads_as_plain_prose_with_its_detail_in_notes(briefing):
    """Issue 22 point 3, measured on the built page by helpers.report.prose: median sentence <= 20 words,
    90th percentile <= 32, none over 45, <= 0.4 parentheses a sentence, key findings <= 6 bullets of
    <= 35 words. A miss names the target and the worst sentence."""
    from helpers.report.prose import measure, missed_targets

    html = briefing.read_text(encoding="utf-8")
    numbers = measure(html)
    assert numbers["sentences"] >= 50 and numbers["key_findings"] >= 5  # the real text, measured
    missed = missed_targets(numbers)
    assert missed == [], "\n".join(missed)


def test_every_note_number_leads_to_its_source(briefing):
    """A superscript in the text links to its note in the Notes list; the note names outlet, date and raw
    row, the outlet linked to the page that published the number."""
    html = briefing.read_text(encoding="utf-8")
    refs = re.findall(r'<sup class="note-ref"><a href="#note-(\d+)"', html)
    notes = dict(re.findall(r'<li id="note-(\d+)">(.*?)</li>', html, re.S))
    assert len(notes) >= 20 and set(refs) == set(notes)
    assert '<sup class="note">' not in html  # every marker was numbered
    first = notes[refs[0]]  # the headline's turnover: Lenta.ru citing TASS, row 383
    assert (
        '<a href="https://lenta.ru/news/2025/08/07/tovarooborot-rossii-i-kitaya-snizilsya/">'
        "Lenta.ru, citing TASS</a>, 2025-08-07: gacc_cn_ru_totals.csv row 383" in first
    )
    assert html.index('id="notes"') > html.index('id="data-and-methods"')
