"""Offline Chromium draws every figure of the fixture briefing without console errors."""

from __future__ import annotations

import json

import nbformat
import pytest

from briefing_fixture import ABOUT, FIGURE_IDS, MARKER, PARAMS, skip_without_chromium, write_fixture
from browser.page_check import check_page
from helpers.report.figures import NOTEBOOK_VEGALITE_MIME
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


def test_checker_reports_a_chart_that_fails(tmp_path, artifacts):
    """Guards against a vacuous check: a broken spec must show up as undrawn + console error."""
    notebooks = write_fixture(tmp_path)
    nb = nbformat.read(notebooks[1], as_version=4)
    output = nb.cells[1].outputs[0]
    spec = dict(output.data[NOTEBOOK_VEGALITE_MIME])
    spec["mark"] = {"type": "no-such-mark"}
    output.data[NOTEBOOK_VEGALITE_MIME] = spec
    nbformat.write(nb, notebooks[1])
    html_path = render_briefing(notebooks, tmp_path / "stage", PARAMS, ABOUT)
    result = check_page(html_path, artifacts / "briefing-broken-figure.png")
    assert result.figure_containers == 2 and result.drawn_ids == ["f1-exports-monthly"]
    assert any("f2-commodities-bar" in error for error in result.console_errors), json.dumps(
        result.console_errors
    )


def test_checker_reports_requests_that_leave_the_machine(tmp_path):
    """Guards against a vacuous offline check: a page asking the network for a script, an image and
    data gets none of them, and each request is reported."""
    page = tmp_path / "online.html"
    # It marks its (no) figures final once the fetch has failed, as the briefing does once its
    # charts have settled: check_page waits for that mark, so the fetch's error is in by then.
    page.write_text(
        '<p>x</p><img src="https://example.com/a.png"><script src="http://cdn.example.org/v.js">'
        '</script><script id="briefing-figures" type="application/json">[]</script><script>'
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
