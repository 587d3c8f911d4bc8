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
