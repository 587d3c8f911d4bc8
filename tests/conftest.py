"""Shared fixtures: the vendored customs data, loaded once per test session."""

import pytest

from helpers.sections.data import load_customs


@pytest.fixture(scope="session")
def customs():
    return load_customs()


@pytest.fixture(scope="session")
def notebooks_run_alone():
    """Each source notebook executed alone from notebooks/ with an edited period_end (tests/notebooks_alone.py);
    shared by the notebook tests and the JupyterLab browser test so each runs once per session."""
    from notebooks_alone import run_all_alone

    return run_all_alone()


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
    import pytest

    for item in items:
        if (
            item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES
            or item.originalname in SLOW_TESTS
        ):
            item.add_marker(pytest.mark.slow)
