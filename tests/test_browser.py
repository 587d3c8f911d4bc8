"""Offline Chromium shows every figure of the fixture briefing without console errors.

(Vega's drawing on demand, and a spec it cannot draw: tests/test_page_figures.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_fixture import ABOUT, FIGURE_IDS, MARKER, PARAMS, skip_without_chromium, write_fixture
from helpers.report.browser_check import check_page
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
