"""Lighthouse 12 on the published briefing, served with gzip as a static host serves it (issue 22).

Targets: mobile performance >= 90, desktop >= 98, accessibility 100, best practices >= 96, CLS <= 0.05
(scripts/lighthouse.py; `make lighthouse` prints the medians of 3 runs, recorded in BENCHMARKS.md).
Other processes on the machine only ever slow a run down, so a performance score under its target
is measured once more and the better run counts; every other number must hold on the first run.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from briefing_fixture import skip_without_chromium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import lighthouse  # noqa: E402 - scripts/lighthouse.py

TARGETS = {"mobile": 90, "desktop": 98}

pytestmark = [
    skip_without_chromium(),
    pytest.mark.slow,
    pytest.mark.skipif(
        not lighthouse.LIGHTHOUSE.exists() and not os.environ.get("CI"),
        reason="Lighthouse not installed (make tools/lighthouse/node_modules/.bin/lighthouse)",
    ),
]


@pytest.fixture(scope="module")
def served(built_project):
    """The default briefing built in a project copy (the user's reports/ stays as it is), served."""
    port, stop = lighthouse.serve(built_project / "reports")
    yield f"http://127.0.0.1:{port}/briefing.html"
    stop()


@pytest.mark.parametrize("preset", ["mobile", "desktop"])
def test_the_briefing_meets_its_lighthouse_targets(served, preset):
    run = lighthouse.run_lighthouse(served, preset)
    assert run["accessibility"] == 100, run["failed audits"]
    assert run["best-practices"] >= 96, run["failed audits"]
    assert run["CLS"] <= 0.05
    assert run["DOM elements"] < 3000  # 10,475 when long tables and charts were built at load
    assert run["bytes"] < 200 * 1024  # the page alone: Vega and the specs wait for a reader
    if run["performance"] < TARGETS[preset]:
        run = max(run, lighthouse.run_lighthouse(served, preset), key=lambda r: r["performance"])
    assert run["performance"] >= TARGETS[preset], lighthouse.format_row(preset, run)
    if preset == "mobile":
        assert run["FCP"] <= 2.0 and run["TBT"] <= 200, lighthouse.format_row(preset, run)
