"""The check that a test session leaves the project's reports/ and build/ as it found them
(tests/conftest.py, pytest_sessionfinish) sees every kind of write."""

import os

from project_copy import tree_changes, tree_state


def test_tree_changes_name_every_file_added_removed_or_rewritten(tmp_path):
    (tmp_path / "reports" / "figures").mkdir(parents=True)
    (tmp_path / "build" / "stamps").mkdir(parents=True)
    figure = tmp_path / "reports" / "figures" / "f1.csv"
    figure.write_text("a,1\n")
    (tmp_path / "build" / "stamps" / "check.json").write_text("{}")
    (tmp_path / "notebooks").mkdir()  # outside reports/ and build/: not watched
    before = tree_state(tmp_path)
    assert tree_changes(before, tree_state(tmp_path)) == []

    stat = figure.stat()
    figure.write_text("a,2\n")  # same size, same time: reports/ is compared by content
    os.utime(figure, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (tmp_path / "build" / "stamps" / "check.json").unlink()
    (tmp_path / "build" / "test-artifacts").mkdir()
    (tmp_path / "notebooks" / "x.ipynb").write_text("{}")
    assert tree_changes(before, tree_state(tmp_path)) == [
        "added: build/test-artifacts",
        "changed: reports/figures/f1.csv",
        "removed: build/stamps/check.json",
    ]
