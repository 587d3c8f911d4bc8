"""Offline Chromium draws every figure of the fixture briefing without console errors."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from briefing_fixture import ABOUT, FIGURE_IDS, MARKER, PARAMS, skip_without_chromium, write_fixture
from helpers.report.browser_check import check_page
from helpers.report.figures import NOTEBOOK_VEGALITE_MIME
from helpers.report.page import render_briefing

ARTIFACTS = Path(__file__).resolve().parents[1] / "build" / "test-artifacts"

pytestmark = [skip_without_chromium(), pytest.mark.slow]


def test_offline_browser_draws_every_figure(tmp_path):
    html_path = render_briefing(write_fixture(tmp_path), tmp_path / "stage", PARAMS, ABOUT)
    screenshot = ARTIFACTS / "briefing-fixture.png"
    result = check_page(html_path, screenshot)
    assert result.finished
    assert result.figure_containers == len(FIGURE_IDS)
    assert result.drawn_ids == FIGURE_IDS
    assert result.console_errors == []
    assert result.external_requests == []
    assert " ".join(MARKER.split()) in " ".join(result.visible_text.split())
    assert screenshot.read_bytes().startswith(b"\x89PNG")


def test_checker_reports_a_chart_that_fails(tmp_path):
    """Guards against a vacuous check: a broken spec must show up as undrawn + console error."""
    notebooks = write_fixture(tmp_path)
    nb = nbformat.read(notebooks[1], as_version=4)
    output = nb.cells[1].outputs[0]
    spec = dict(output.data[NOTEBOOK_VEGALITE_MIME])
    spec["mark"] = {"type": "no-such-mark"}
    output.data[NOTEBOOK_VEGALITE_MIME] = spec
    nbformat.write(nb, notebooks[1])
    html_path = render_briefing(notebooks, tmp_path / "stage", PARAMS, ABOUT)
    result = check_page(html_path, ARTIFACTS / "briefing-broken-figure.png")
    assert result.figure_containers == 2 and result.drawn_ids == ["f1-exports-monthly"]
    assert any("f2-commodities-bar" in error for error in result.console_errors), json.dumps(
        result.console_errors
    )
