"""Shared fixtures: the vendored customs data, loaded once per test session."""
import pytest

from helpers.sections.data import load_customs


@pytest.fixture(scope="session")
def customs():
    return load_customs()
