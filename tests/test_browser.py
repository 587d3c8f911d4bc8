"""Offline Chromium shows every figure of the fixture briefing without console errors.

(Vega's drawing on demand, and a spec it cannot draw: tests/test_page_figures.py.)"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from briefing_fixture import ABOUT, FIGURE_IDS, MARKER, PARAMS, skip_without_chromium, write_fixture
from browser.page_check import check_page
from helpers.report.page import render_briefing

pytestmark = [skip_without_chromium(), pytest.mark.slow]


def test_offline_browser_draws_every_figure(tmp_path, artifacts):
    html_path = render_briefing(write_fixture(tmp_path), tmp_path / "stage", PARAMS, ABOUT)
    screenshot = artifacts / "briefing-fixture.png"
    result = check_page(html_path, screenshot)  # returns once the page says its figures are final
    assert result.figure_containers == len(FIGURE_IDS)
    assert result.drawn_ids == FIGURE_IDS
    assert result.console_errors == []
    assert result.external_requests == []
    assert " ".join(MARKER.split()) in " ".join(result.visible_text.split())
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_checker_reports_requests_that_leave_the_machine(tmp_path):
    """Guards against a vacuous offline check: a page asking the network for a script, an image and
    data gets none of them, and each request is reported."""
    page = tmp_path / "online.html"
    # It marks its one (empty) figure final once the fetch has failed, as the briefing marks its
    # layout: check_page waits for that mark, so the fetch's error is in by then.
    page.write_text(
        '<p>x</p><div class="figure" data-figure-id="f0-x"></div>'
        '<img src="https://example.com/a.png"><script src="http://cdn.example.org/v.js">'
        "</script><script>"
        'fetch("https://api.example.net/x").catch(e => console.error("no " + e)).finally(() => {'
        "const root = document.documentElement; root.setAttribute('data-figures-layout', 'page');"
        "root.setAttribute('data-figures-done', '0'); })</script>",
        encoding="utf-8",
    )
    result = check_page(page)
    assert sorted(result.external_requests) == [
        "http://cdn.example.org/v.js",
        "https://api.example.net/x",
        "https://example.com/a.png",
    ]
    assert "no TypeError: Failed to fetch" in result.console_errors


def test_checker_waits_for_the_page_to_mark_its_figures_final(tmp_path):
    """Guards against a vacuous wait (it once passed any page without a figures script): a page whose
    script never marks its layout is never final, so the check stops with a timeout."""
    page = tmp_path / "unmarked.html"
    page.write_text(
        '<div class="figure" data-figure-id="f1-x"><img src="data:,"></div><script>1</script>',
        encoding="utf-8",
    )
    with pytest.raises(PlaywrightTimeout, match="Timeout 2000ms"):
        check_page(page, timeout=2)
