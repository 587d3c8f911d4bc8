"""`make report` in a copy of the project, tried as a careless or hostile user would (issue 13):
shell injection through parameters, odd paths, an alias bomb, broken sidecars, an unwritable
reports/, stale and ignored inputs, and two builds at once. Every failure must be one line and exit 2.

The quick cases stop before any notebook runs. The slow case (`rebuilds`) builds three times:
baseline, then GACC exports with odd names copied in with an OLD time (`cp -p`), then one deleted;
`claims_edits` rewords a claim, breaks the claims file and restores it, each a warm build.
"""

import html
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from project_copy import copy_project, make

pytestmark = pytest.mark.slow  # runs `make` in copies of the project (left out of a fast lane)

FIXTURES = Path(__file__).parent / "fixtures" / "hs_level" / "raw" / "gacc"  # SYNTHETIC test data
OLD_TIME = 978307200  # 2001-01-01, as `cp -p` or unzip would leave it
PWNED = "/tmp/pwned-by-briefing-test"
ODD_2024 = "gacc_出口 2024 copy: \"Jan–Jul\" 'a'.csv"
ODD_2025 = "export (1): 2025 'b' \"c\"_出口.csv"


def our_error_lines(result) -> list[str]:
    """stderr lines other than make's own `make: *** [...] Error 2` (the kernel talks over IPC, so it
    prints no warning about TCP transport: any other line is ours)."""
    return [line for line in result.stderr.splitlines() if not line.startswith("make: ***")]


def processes_working_in(folder: Path) -> list[str]:
    """Command lines of the processes whose working directory is `folder` (a leftover kernel would be)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            if Path(os.readlink(proc / "cwd")) == folder.resolve():
                found.append(
                    (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
        except OSError:
            continue
    return found


def assert_one_line_failure(result, *fragments):
    lines = our_error_lines(result)
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:], result.stderr[-2000:])
    assert len(lines) == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("hostile"))


# --------------------------------------------------------------------------- injection
@pytest.mark.parametrize(
    "target,variable,value",
    [
        ("report", "PARTNER", f"`touch {PWNED}`"),
        ("report", "PARTNER", f"$(shell touch {PWNED})"),
        ("report", "PERIOD_END", f"2025-07$$(touch {PWNED})"),
        ("report", "GROUPS_FILE", f'config/commodity_groups.yaml"; touch {PWNED}; echo "'),
        ("fetch", "FROM", f"$(shell touch {PWNED})"),
        ("fetch", "PARTNER", f"`touch {PWNED}`"),
    ],
)
def test_parameters_are_never_run_as_commands(project, target, variable, value):
    Path(PWNED).unlink(missing_ok=True)
    extra = (
        ["TO=2025-07", "FROM=2024-01"]
        if target == "fetch" and variable != "FROM"
        else ["TO=2025-07"]
    )
    result = make(project, target, f"{variable}={value}", *extra, timeout=120)
    assert not Path(PWNED).exists(), f"{variable} ran a command"
    line = assert_one_line_failure(result)
    assert line.startswith(("report: error:", "fetch: error:")), line


# --------------------------------------------------------------------------- configs, sidecars, reports/
def test_groups_file_path_with_spaces_works(project):
    odd = project / "my configs" / "commodity groups: v2.yaml"
    odd.parent.mkdir(exist_ok=True)
    shutil.copy(project / "config" / "commodity_groups.yaml", odd)
    result = make(project, "plan", "GROUPS_FILE=my configs/commodity groups: v2.yaml", timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "report: would run: input check" in result.stdout
    # and the input check `make report` would run accepts it (argument lists, no shell in between)
    check = subprocess.run(
        [
            str(project / ".venv" / "bin" / "python"),
            "-m",
            "helpers.pipeline.check_inputs",
            "--groups",
            "my configs/commodity groups: v2.yaml",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(project / "src"), "BRIEFING_ROOT": str(project)},
        timeout=300,
    )
    assert check.returncode == 0 and ", 19 groups, " in check.stdout, check.stderr[-2000:]


def test_yaml_alias_bomb_as_groups_file_is_one_short_line(project):
    bomb = project / "bomb.yaml"
    bomb.write_text(
        "\n".join(
            ["a: &a [x, x, x, x, x, x, x, x, x]"]
            + [
                f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
                for i in range(8)
            ]
        )
        + "\ngroups: *i\n"
    )
    result = make(project, "report", "GROUPS_FILE=bomb.yaml", timeout=300)
    line = assert_one_line_failure(result, "bomb.yaml", "YAML anchor at line 1")
    assert len(result.stderr) < 1000 and len(line) < 300


@pytest.mark.parametrize(
    "sidecar",
    ["data/raw/comtrade/comtrade_extra.csv.meta.json", "data/raw/context_facts.meta.json"],
)
def test_sidecar_that_is_a_json_list_is_named_in_one_line(project, sidecar):
    path = project / sidecar
    path.parent.mkdir(parents=True, exist_ok=True)
    original = path.read_bytes() if path.exists() else None
    data_file = Path(str(path)[: -len(".meta.json")])
    created = not data_file.exists() and "comtrade" in sidecar
    if created:
        data_file.write_text("period,reporterCode\n")
    path.write_text("[1, 2, 3]\n")
    try:
        result = make(project, "report", timeout=300)
        assert_one_line_failure(result, f"{path.name}: sidecar is a JSON list, not an object")
        # The notebook kernel, started while the input check ran, ran nothing and is gone.
        assert "timing: 00_key_findings" not in result.stdout and not list(
            (project / "build" / "nb").glob("*")
        )
        assert processes_working_in(project) == []
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)
        if created:
            data_file.unlink()


def test_unwritable_reports_stops_before_the_build(project):
    reports = project / "reports"
    moved = project / "reports.moved"
    reports.rename(moved)
    reports.write_text("not a folder")
    try:
        result = make(project, "report", timeout=120)
        assert_one_line_failure(result, "reports is not a directory")
        assert "input check" not in result.stdout
    finally:
        reports.unlink()
        moved.rename(reports)


# --------------------------------------------------------------------------- stale inputs and the lock
def briefing_text(project: Path) -> str:
    # tags dropped without a space: numbers sit in no-break spans inside a sentence
    return html.unescape(
        re.sub(r"<[^>]+>", "", (project / "reports" / "briefing.html").read_text("utf-8"))
    )


def start_make(project: Path, log: Path, *args) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "BRIEFING_BUILD_DIR", "BRIEFING_ROOT")
    }
    env.update(PYTHONPATH=str(project / "src"), BRIEFING_ROOT=str(project))
    return subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(project), "report", *args],
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for(path: Path, text: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while text not in path.read_text(errors="replace"):
        assert process.poll() is None, path.read_text()
        assert time.monotonic() < deadline, path.read_text()
        time.sleep(0.1)


@pytest.fixture(scope="module")
def rebuilds(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("stale"))
    logs = tmp_path_factory.mktemp("logs")
    state = {"baseline": make(project, "report")}
    gacc = project / "data" / "raw" / "gacc"
    gacc.mkdir(parents=True, exist_ok=True)
    for source, name in (
        (FIXTURES / "gacc_出口_俄罗斯_2024-01_2024-07.csv", ODD_2024),
        (FIXTURES / "gacc_出口_俄罗斯_2025-01_2025-07.csv", ODD_2025),
    ):
        shutil.copy2(source, gacc / name)
        os.utime(gacc / name, (OLD_TIME, OLD_TIME))  # older than every build stamp

    first = start_make(project, logs / "first.log")
    wait_for(logs / "first.log", "report: rebuilding", first)  # printed while holding the lock
    state["refused"] = make(project, "report", "LOCK_WAIT=0", timeout=60)
    waiting = start_make(project, logs / "waiting.log")
    state["first_rc"], state["waiting_rc"] = first.wait(timeout=900), waiting.wait(timeout=900)
    state["first_log"], state["waiting_log"] = (
        (logs / "first.log").read_text(),
        (logs / "waiting.log").read_text(),
    )
    state["with_odd_files"] = briefing_text(project)

    started = time.monotonic()
    state["noop"] = make(project, "report")
    state["noop_seconds"] = time.monotonic() - started

    (gacc / ODD_2025).unlink()
    state["after_delete"] = make(project, "report")
    state["without_2025"] = briefing_text(project)
    state["project"] = project
    return state


def test_file_copied_in_with_an_old_time_is_built_and_cited(rebuilds):
    assert rebuilds["baseline"].returncode == 0, rebuilds["baseline"].stderr[-2000:]
    assert rebuilds["first_rc"] == 0, rebuilds["first_log"][-3000:]
    assert f"data/raw/gacc/{ODD_2024} added" in rebuilds["first_log"]
    text = rebuilds["with_odd_files"]
    assert ODD_2024 in text and ODD_2025 in text
    # synthetic fixture values: vehicles 8701+8703+8704 summed from the two exports
    assert "Vehicles (tractors, passenger cars, trucks): $6.8bn, −39.6% (HS-level sum)" in text


def test_deleted_input_is_no_longer_cited(rebuilds):
    assert rebuilds["after_delete"].returncode == 0, rebuilds["after_delete"].stderr[-2000:]
    assert f"data/raw/gacc/{ODD_2025} removed" in rebuilds["after_delete"].stdout
    assert ODD_2025 not in rebuilds["without_2025"]
    assert "$6.8bn, −39.6% (HS-level sum)" not in rebuilds["without_2025"]


def test_second_build_during_a_build_stops_or_waits(rebuilds):
    assert_one_line_failure(
        rebuilds["refused"], "another build is running in this project", "make report, pid"
    )
    log = rebuilds["waiting_log"]
    assert rebuilds["waiting_rc"] == 0, log[-3000:]
    assert "waiting for another build to finish" in log
    assert (
        "report: up to date" in log and "input check" not in log
    )  # it published nothing of its own


def test_nothing_changed_rebuild_is_fast(rebuilds):
    assert rebuilds["noop"].returncode == 0
    assert "report: up to date" in rebuilds["noop"].stdout
    assert rebuilds["noop_seconds"] < 1.0  # ~0.2 s measured through make (issue 20: under a second)


def test_published_record_matches_reports(rebuilds):
    project = rebuilds["project"]
    record = json.loads((project / "build" / "stamps" / "published.json").read_text())
    assert sorted(record["files"]) == sorted(
        str(p.relative_to(project / "reports"))
        for p in (project / "reports").rglob("*")
        if p.is_file() and p.name != ".gitkeep"
    )


# --------------------------------------------------------------------------- a claims edit, warm
CLAIM_WORDS = ("all-time high of about $245bn", "all-time peak of about $245bn")


def published_files(project: Path) -> dict[str, bytes]:
    """reports/ by relative path; the PDF (and the zip holding it) left out: Chromium numbers the PDF's
    structure elements (`/ID (node…)`) differently from one print to the next (the print path's business)."""
    reports = project / "reports"
    return {
        p.relative_to(reports).as_posix(): p.read_bytes()
        for p in sorted(reports.rglob("*"))
        if p.is_file() and p.suffix not in (".pdf", ".zip")
    }


@pytest.fixture(scope="module")
def claims_edits(tmp_path_factory):
    """Baseline build; a claim reworded; the claims file broken; the wording restored: each a warm build."""
    project = copy_project(tmp_path_factory.mktemp("claims"))
    claims = project / "config" / "claims.yaml"
    original = claims.read_text(encoding="utf-8")
    assert CLAIM_WORDS[0] in original
    state = {"baseline": make(project, "report"), "baseline_files": published_files(project)}
    claims.write_text(original.replace(*CLAIM_WORDS), encoding="utf-8")
    state["reworded"] = make(project, "report")
    state["reworded_text"] = briefing_text(project)
    state["reworded_files"] = published_files(project)
    claims.write_text(
        original.replace("tolerance: {value_usd_bn: 0.5}", "tolerance: {value_usd_bn: lots}")
    )
    state["broken"] = make(project, "report")
    state["after_broken"] = published_files(project)
    claims.write_text(original, encoding="utf-8")
    state["restored"] = make(project, "report")
    state["restored_files"] = published_files(project)
    return state


def test_claims_edit_rechecks_the_configs_only_and_publishes_the_new_wording(claims_edits):
    assert claims_edits["baseline"].returncode == 0, claims_edits["baseline"].stderr[-2000:]
    result = claims_edits["reworded"]
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        "report: rebuilding (config check, notebooks, render, publish); changes: config/claims.yaml changed"
        in result.stdout
    )
    assert "timing: config check" in result.stdout and "timing: input check" not in result.stdout
    assert "all-time peak of about $245bn" in claims_edits["reworded_text"]


def test_broken_claims_after_a_build_stop_it_in_one_line_before_any_notebook(claims_edits):
    result = claims_edits["broken"]
    assert_one_line_failure(
        result,
        "check-inputs: error: config/claims.yaml: claim 'record_2024', "
        "field 'tolerance.value_usd_bn': expected a number, got 'lots'",
    )
    assert "timing: 00_key_findings" not in result.stdout
    assert claims_edits["after_broken"] == claims_edits["reworded_files"]


def test_warm_builds_from_the_caches_publish_what_a_fresh_build_did(claims_edits):
    """The rewording changed the claims' page and notebooks only; restored, every published file is the
    baseline's again, built from build/cache/ (drawings, rasters, notebook pages) and the configs' check."""
    assert claims_edits["restored"].returncode == 0, claims_edits["restored"].stderr[-2000:]
    baseline, reworded = claims_edits["baseline_files"], claims_edits["reworded_files"]
    changed = sorted(name for name in baseline if baseline[name] != reworded.get(name))
    assert changed == [
        "briefing.html",
        "notebooks/00_key_findings.html",
        "notebooks/00_key_findings.ipynb",
        "notebooks/04_claim_check.html",
        "notebooks/04_claim_check.ipynb",
        "tables/t-claim-check.csv",
        "tables/t-verdicts.csv",
    ], changed
    assert claims_edits["restored_files"] == baseline


# --------------------------------------------------------------------------- read-only and full disks
def mount_tmpfs(folder: Path, options: str) -> None:
    """A small tmpfs over `folder` (needs root with mount rights; skipped elsewhere)."""
    folder.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()[:200]}")


def test_read_only_reports_stops_before_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    mount_tmpfs(project / "reports", "ro,size=1m")
    try:
        result = make(project, "report", timeout=120)
        assert_one_line_failure(result, "reports is not writable (read-only file system)")
        assert "input check" not in result.stdout
    finally:
        subprocess.run(["umount", str(project / "reports")], check=True)


def test_disk_full_while_publishing_is_one_line_and_leaves_no_temporary(tmp_path):
    """reports/ on its own 1.2 MB filesystem: the HTML (0.9 MB) fits, the PDF does not."""
    project = copy_project(tmp_path / "project")
    mount_tmpfs(project / "reports", "size=1200k")
    try:
        result = make(project, "report")
        assert_one_line_failure(result, "report: error: disk full", "reports/briefing.pdf)")
        assert sorted(p.name for p in (project / "reports").rglob("*")) == [
            "assets",
            "figures",
            "notebooks",
            "tables",
        ]  # empty folders: nothing half-written
    finally:
        subprocess.run(["umount", str(project / "reports")], check=True)
