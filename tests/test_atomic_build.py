"""`make report` is all-or-nothing, deterministic and keeps secrets out of its outputs.

The project (its git-tracked files) is copied into a tmp dir with a symlink to the real .venv, and
`make report` runs there, never in the working tree. One module-scoped fixture builds it twice:

1. full build with COMTRADE_API_KEY set to a dummy value -> record sha256 of the published outputs,
   scan build/ and reports/ for the key;
2. one byte of data/raw/gacc_cn_ru_totals.csv corrupted -> `make report` must fail naming the file and
   the checksum, and leave the published briefing untouched; the file is then restored;
3. build/ deleted, full rebuild -> every file in reports/, the PDF included, must be byte-identical
   to step 1 (Chromium's print dates are normalised to SOURCE_DATE_EPOCH).
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from project_copy import copy_project
from project_copy import make as make_in_copy

ROOT = Path(__file__).resolve().parents[1]
SECRET = "dummy-key-5f3a9c1e77"
TOTALS = Path("data/raw/gacc_cn_ru_totals.csv")


def make(project: Path, *args, timeout=900) -> subprocess.CompletedProcess:
    return make_in_copy(project, *args, env={"COMTRADE_API_KEY": SECRET}, timeout=timeout)


def published(project: Path) -> dict[str, str]:
    """sha256 of every file in reports/ (briefing.html, briefing.pdf, figures), by relative path."""
    reports = project / "reports"
    return {
        str(p.relative_to(reports)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(reports.rglob("*"))
        if p.is_file()
    }


def files_containing(project: Path, text: str) -> list[str]:
    needle = text.encode()
    hits = []
    for folder in ("build", "reports"):
        for path in (project / folder).rglob("*"):
            if path.is_file() and not path.is_symlink() and needle in path.read_bytes():
                hits.append(str(path.relative_to(project)))
    return hits


def ok(result: subprocess.CompletedProcess, what: str) -> None:
    if result.returncode != 0:
        raise AssertionError(
            f"{what} failed ({result.returncode}):\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("project"))
    state = {"project": project}

    first = make(project, "report")
    ok(first, "first make report")
    state["first"] = published(project)
    state["leaks_first"] = files_containing(project, SECRET)

    raw = project / TOTALS
    original = raw.read_bytes()
    corrupted = bytearray(original)
    corrupted[1000] = ord("7") if corrupted[1000] != ord("7") else ord("8")
    raw.write_bytes(bytes(corrupted))
    state["corrupt"] = make(project, "report", timeout=300)
    state["after_corrupt"] = published(project)
    raw.write_bytes(original)

    shutil.rmtree(
        project / "build"
    )  # `make clean` also deletes reports/: a rebuild from build/ only
    second = make(project, "report")
    ok(second, "rebuild after deleting build/")
    state["second"] = published(project)
    state["leaks_second"] = files_containing(project, SECRET)
    state["local_paths"] = [
        name for name in files_containing(project, str(project)) if name.startswith("reports")
    ]
    return state


def test_first_build_publishes_briefing_and_figures(builds):
    names = builds["first"]
    assert "briefing.html" in names and "briefing.pdf" in names
    assert not [n for n in names if "tmp" in n], names  # no temporary file left in reports/
    assert any(n.endswith(".csv") for n in names) and any(n.endswith(".svg") for n in names)


def test_corrupt_raw_file_stops_build_and_names_it(builds):
    result = builds["corrupt"]
    assert result.returncode != 0, result.stdout[-2000:]
    assert "gacc_cn_ru_totals.csv" in result.stderr and "checksum" in result.stderr, result.stderr[
        -2000:
    ]
    assert "Traceback" not in result.stderr


def test_failed_build_leaves_published_briefing_untouched(builds):
    assert builds["after_corrupt"] == builds["first"]


def test_rebuild_from_scratch_is_byte_identical(builds):
    first, second = builds["first"], builds["second"]
    assert sorted(first) == sorted(second)
    differing = [name for name in first if first[name] != second[name]]
    assert not differing, f"not byte-identical after a clean rebuild: {differing}"


def test_api_key_never_written_to_build_or_reports(builds):
    assert builds["leaks_first"] == [] and builds["leaks_second"] == []


def test_no_local_path_in_the_published_briefing(builds):
    """Chromium's absolute file:// links to the stage directory are rewritten relative in the PDF."""
    assert builds["local_paths"] == []
