"""Shared fixtures: the vendored customs data, loaded once per test session; a built copy of the
project; a folder for screenshots. A test session never writes the project's own reports/ or build/:
`pytest_sessionfinish` fails the run if it did."""

import os
import sys
import tempfile

import pytest

from helpers.sections.data import load_customs
from project_copy import ROOT, copy_project, make, tree_changes, tree_state

UNTOUCHED = pytest.StashKey[dict]()
ARTIFACTS = pytest.StashKey[object]()


@pytest.fixture(scope="session")
def customs():
    return load_customs()


@pytest.fixture(scope="session")
def notebooks_run_alone(tmp_path_factory):
    """Each source notebook executed alone from notebooks/ with an edited period_end (tests/notebooks_alone.py);
    shared by the notebook tests and the JupyterLab browser test so each runs once per session."""
    from notebooks_alone import run_all_alone

    return run_all_alone(tmp_path_factory.mktemp("notebooks-alone"))


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory, pytestconfig):
    """Screenshots and page images for a human to look at: in pytest's temporary folder (the last
    three runs are kept; the summary prints where), never in the project's build/."""
    folder = tmp_path_factory.mktemp("artifacts", numbered=False)
    pytestconfig.stash[ARTIFACTS] = folder
    return folder


@pytest.fixture(scope="session")
def built_project(tmp_path_factory):
    """A copy of the project in which `make report` has built the default briefing (the user's own
    reports/ and build/ stay as they are)."""
    project = copy_project(tmp_path_factory.mktemp("built"))
    result = make(project, "report")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return project


# Modules that run `make`, whole notebooks, Chromium or JupyterLab: part of `make test`, left out of
# `make test-fast` (the day-to-day lane: unit and data tests). Mark new such tests @pytest.mark.slow.
SLOW_MODULES = {
    "test_atomic_build",
    "test_briefing_build",
    "test_notebooks",
    "test_browser",
    "test_hs_level_dropin",
    "test_run_notebooks",
    "test_update_workflow",
}
SLOW_TESTS = {
    "test_whole_briefing_renders_for_another_period",
    "test_cli_writes_html_figures_and_pdf_with_marker",
    "test_capped_gacc_file_is_shown_and_flagged",
}  # reads a 10,000-line export row by row (~8 s)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if (
            item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES
            or item.originalname in SLOW_TESTS
        ):
            item.add_marker(pytest.mark.slow)


def pytest_configure(config):
    """Code a test runs in this process (a page rendered, its phone drawings cached) writes build files
    under BRIEFING_BUILD_DIR, which `make test` sets to the project's own build/: point it at a
    folder of this session instead (each xdist worker gets its own)."""
    os.environ["BRIEFING_BUILD_DIR"] = tempfile.mkdtemp(prefix="briefing-test-build-")


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the controller of an xdist run, or a plain run
        session.config.stash[UNTOUCHED] = tree_state(ROOT)


def pytest_sessionfinish(session, exitstatus):
    before = session.config.stash.get(UNTOUCHED, None)
    if before is None:
        return
    changed = tree_changes(before, tree_state(ROOT))
    if changed:
        report = session.config.pluginmanager.get_plugin("terminalreporter")
        if report:
            report.write_line("")  # after the progress line
        write = report.write_line if report else lambda line, **_: sys.stderr.write(line + "\n")
        write(
            f"FAILED: the tests wrote the project's own reports/ or build/ ({len(changed)} paths):"
        )
        for line in changed[:20]:
            write(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, config):
    if ARTIFACTS in config.stash:
        terminalreporter.write_line(f"screenshots and page images: {config.stash[ARTIFACTS]}")
