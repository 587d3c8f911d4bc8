"""helpers.report.publish: all-or-nothing replacement of reports/."""

from __future__ import annotations

import errno
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import helpers.report.publish as publish_module
from helpers.report.publish import IncompleteStage, NotPublishable, publish

REPO = Path(__file__).resolve().parents[1]


def make_stage(root: Path, figure_ids: list[str], tag: str) -> Path:
    """A staged build shaped like helpers.report.render's output (contents are placeholders)."""
    root.mkdir(parents=True)
    divs = "".join(
        f'<div id="fig-{f}" class="figure" data-figure-id="{f}"></div>\n' for f in figure_ids
    )
    # the page's loader names the assets beside it that draw its charts on demand
    assets = '<script>var scripts = ["assets/vega.js?v=0123456789ab", "assets/figures.js?v=ba9876543210"];</script>'
    (root / "briefing.html").write_text(f"<html><body>{tag}\n{divs}{assets}</body></html>\n")
    (root / "briefing.pdf").write_bytes(b"%PDF-1.4 " + tag.encode())
    (root / "figures").mkdir()
    (root / "assets").mkdir()
    for name in ("vega.js", "figures.js"):
        (root / "assets" / name).write_text(f"// {tag} {name}")
    for figure_id in figure_ids:
        for suffix in (".png", ".svg", ".csv"):
            (root / "figures" / f"{figure_id}{suffix}").write_text(f"{tag} {figure_id}{suffix}")
    publish_module.write_bundle(root)
    return root


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def reports(tmp_path) -> Path:
    """Reports already holding a previous build (figures a, old) and a tracked .gitkeep."""
    reports = tmp_path / "reports"
    publish(make_stage(tmp_path / "previous", ["a", "old"], "previous"), reports)
    (reports / ".gitkeep").write_text("")
    return reports


@pytest.mark.parametrize("breakage", ["no-pdf", "empty-html", "no-svg", "no-asset", "no-stage"])
def test_incomplete_stage_leaves_reports_identical(tmp_path, reports, breakage):
    stage = make_stage(tmp_path / "stage", ["a", "b"], "new")
    if breakage == "no-pdf":
        (stage / "briefing.pdf").unlink()
    elif breakage == "empty-html":
        (stage / "briefing.html").write_text("")
    elif breakage == "no-svg":
        (stage / "figures" / "b.svg").unlink()
    elif breakage == "no-asset":
        (stage / "assets" / "figures.js").unlink()
    else:
        shutil.rmtree(stage)
    before = snapshot(reports)
    with pytest.raises(IncompleteStage, match="reports left unchanged"):
        publish(stage, reports)
    assert snapshot(reports) == before


def test_failure_while_copying_leaves_reports_identical(tmp_path, reports, monkeypatch):
    """reports/ on another filesystem than build/ (copy, then replace): the disk fills up on the 4th copy."""
    stage = make_stage(tmp_path / "stage", ["a", "b"], "new")
    before = snapshot(reports)
    real_copy, calls = shutil.copyfile, []

    def flaky_copy(src, dst):
        calls.append(src)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, "No space left on device", str(dst))
        return real_copy(src, dst)

    monkeypatch.setattr(publish_module, "_same_filesystem", lambda stage, reports: False)
    monkeypatch.setattr(publish_module.shutil, "copyfile", flaky_copy)
    with pytest.raises(OSError, match="No space left"):
        publish(stage, reports)
    assert len(calls) == 4
    assert snapshot(reports) == before  # also: no temporary files left behind


def test_same_filesystem_publish_writes_no_temporary_into_reports(tmp_path, reports, monkeypatch):
    """The usual case: staged files are moved (os.replace) into reports/, nothing is copied there."""
    stage = make_stage(tmp_path / "stage", ["a"], "new")
    monkeypatch.setattr(
        publish_module.shutil, "copyfile", lambda *a: pytest.fail("copied into reports/")
    )
    publish(stage, reports)
    assert (reports / "briefing.pdf").read_bytes() == b"%PDF-1.4 new"
    assert not list(reports.rglob("*" + publish_module.TMP_SUFFIX))


def test_unwritable_reports_is_refused_before_anything_moves(tmp_path):
    stage = make_stage(tmp_path / "stage", ["a"], "new")
    (tmp_path / "reports").write_text("a file where the folder should be")
    with pytest.raises(NotPublishable, match="is not a directory"):
        publish(stage, tmp_path / "reports")
    assert (stage / "briefing.pdf").exists()


def test_complete_stage_replaces_and_removes_stale_figures(tmp_path, reports):
    stage = make_stage(tmp_path / "stage", ["a", "b"], "new")
    expected = {**snapshot(stage), ".gitkeep": b""}  # the stage's files are moved, not copied
    published = publish(stage, reports)
    assert "figures/b.svg" in published
    after = snapshot(reports)
    assert after == expected  # old.{png,svg,csv} removed, .gitkeep untouched
    assert "assets/figures.js" in published


def test_a_page_without_charts_leaves_no_assets_behind(tmp_path, reports):
    stage = make_stage(tmp_path / "stage", [], "new")
    page = (stage / "briefing.html").read_text()
    (stage / "briefing.html").write_text(page.split("<script>")[0] + "</body></html>\n")
    shutil.rmtree(stage / "assets")
    publish_module.write_bundle(stage)
    publish(stage, reports)
    assert not any((reports / "assets").iterdir())  # the previous build's vega.js is gone


def test_cli_exit_codes(tmp_path, reports):
    incomplete = make_stage(tmp_path / "bad", ["a"], "bad")
    (incomplete / "figures" / "a.png").unlink()
    command = [sys.executable, "-m", "helpers.report.publish"]
    bad = subprocess.run(
        [*command, str(incomplete), str(reports)], capture_output=True, text=True, cwd=REPO
    )
    assert (
        bad.returncode == 2 and "figures/a.png" in bad.stderr and len(bad.stderr.splitlines()) == 1
    )
    good = subprocess.run(
        [*command, str(make_stage(tmp_path / "ok", ["a"], "ok")), str(reports)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert good.returncode == 0, good.stderr
    assert (reports / "briefing.pdf").read_bytes() == b"%PDF-1.4 ok"


def test_first_publish_into_a_fresh_clone_creates_the_tables_folder(tmp_path):
    """A fresh clone has reports/.gitkeep only: the page's table CSVs must still land in reports/tables/."""
    stage = make_stage(tmp_path / "stage", ["a"], "new")
    page = (stage / "briefing.html").read_text()
    (stage / "briefing.html").write_text(
        page.replace(
            "</body>",
            '<figure class="table" data-table-id="t-x" data-csv="tables/t-x.csv"></figure></body>',
        )
    )
    (stage / "tables").mkdir()
    (stage / "tables" / "t-x.csv").write_text("Year,US$ bn\n2024,129.881\n")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".gitkeep").write_text("")
    published = publish(stage, reports)
    assert "tables/t-x.csv" in published
    assert (reports / "tables" / "t-x.csv").read_text() == "Year,US$ bn\n2024,129.881\n"


def test_bundle_holds_the_page_and_every_linked_file_at_its_path_and_is_reproducible(
    tmp_path, monkeypatch
):
    """briefing.zip is what a reporter sends: the page's figure links resolve inside it once unzipped, and the
    same stage gives the same bytes (entries sorted, one fixed date from SOURCE_DATE_EPOCH)."""
    import zipfile

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764547200")  # 2025-12-01
    stage = make_stage(tmp_path / "stage", ["f1-a", "f2-b"], "new")
    first = (stage / "briefing.zip").read_bytes()
    with zipfile.ZipFile(stage / "briefing.zip") as archive:
        assert archive.namelist() == [
            "briefing.html",
            "briefing.pdf",
            "figures/f1-a.png",
            "figures/f1-a.svg",
            "figures/f1-a.csv",
            "figures/f2-b.png",
            "figures/f2-b.svg",
            "figures/f2-b.csv",
            "assets/vega.js",
            "assets/figures.js",
        ]
        assert archive.read("figures/f2-b.svg") == b"new f2-b.svg"
        assert {info.date_time for info in archive.infolist()} == {(2025, 12, 1, 0, 0, 0)}
    publish_module.write_bundle(stage)
    assert (stage / "briefing.zip").read_bytes() == first


def stage_with_notebooks(root: Path, names: list[str], tag: str, missing: str = "") -> Path:
    """A stage whose page links `notebooks/<name>.html` and `.ipynb` (as the methods section does)."""
    stage = make_stage(root, ["a"], tag)
    links = "".join(
        f'<a href="notebooks/{n}.html">{n}</a> (<a href="notebooks/{n}.ipynb">ipynb</a>)'
        for n in names
    )
    page = (stage / "briefing.html").read_text().replace("</body>", f"<p>{links}</p></body>")
    (stage / "briefing.html").write_text(page)
    (stage / "notebooks").mkdir()
    for name in names:
        for suffix in (".html", ".ipynb"):
            if f"{name}{suffix}" != missing:
                (stage / "notebooks" / f"{name}{suffix}").write_text(f"{tag} {name}{suffix}")
    if (
        not missing
    ):  # (the bundle of an incomplete stage cannot be written; the zip stays the old one)
        publish_module.write_bundle(stage)
    return stage


def test_linked_notebooks_are_published_in_reports_and_the_bundle(tmp_path, reports):
    publish(stage_with_notebooks(tmp_path / "one", ["01_x", "02_y"], "one"), reports)
    assert sorted(p.name for p in (reports / "notebooks").iterdir()) == [
        "01_x.html",
        "01_x.ipynb",
        "02_y.html",
        "02_y.ipynb",
    ]
    import zipfile

    with zipfile.ZipFile(reports / "briefing.zip") as bundle:
        assert "notebooks/02_y.ipynb" in bundle.namelist()
    # a notebook the next build no longer links (here: 02_y removed) leaves reports/ with it
    publish(stage_with_notebooks(tmp_path / "two", ["01_x"], "two"), reports)
    assert sorted(p.name for p in (reports / "notebooks").iterdir()) == ["01_x.html", "01_x.ipynb"]
    assert (reports / "notebooks" / "01_x.html").read_text() == "two 01_x.html"


def test_a_linked_notebook_missing_from_the_stage_stops_publishing(tmp_path, reports):
    before = snapshot(reports)
    stage = stage_with_notebooks(tmp_path / "stage", ["01_x"], "new", missing="01_x.ipynb")
    with pytest.raises(IncompleteStage, match="notebooks/01_x.ipynb"):
        publish(stage, reports)
    assert snapshot(reports) == before
