"""A stopped `make report` stops everything it started (issue 23, point 5): SIGTERM or SIGINT to make's
process group (what a terminal's Ctrl-C or `kill -- -PGID` sends), or SIGTERM to make alone, while the
input check, a notebook or the PDF print runs. Within 5 s no process of the build is left (notebook
runner, kernel, Chromium: each carries the build's BRIEFING_ROOT in its environment), the build printed
one line and no traceback, reports/ is byte-identical, and the next `make report` builds normally.
Runs in a throwaway copy of the project."""

import hashlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from project_copy import copy_project, make

pytestmark = pytest.mark.slow


def tree_hash(folder: Path) -> dict:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def build_processes(project: Path) -> list[str]:
    """Processes whose environment names this project copy as BRIEFING_ROOT (every stage's does)."""
    marker = f"BRIEFING_ROOT={project}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                if marker in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(
                        (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:80]
                    )
            except OSError:
                pass
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("signals"))
    result = make(project, "report")
    assert result.returncode == 0, result.stderr[-2000:]
    return project


# (moment: the stdout line after which to wait, and how long) -- while that stage runs. A claims edit
# re-checks the configs alone (in the driver), so the input check's moment follows an edit of sources.yaml.
MOMENTS = {
    "input check": ("report: rebuilding", 0.5),
    "notebook": ("timing: kernel start + imports", 0.3),
    "PDF print": ("timing: html page", 0.3),
}


def stopped_build(project: Path, moment: str, signum: int, whole_group: bool = True) -> dict:
    """Start `make report` after a change to a config, signal it at `moment`, measure the stop."""
    edited = project / "config" / ("sources.yaml" if moment == "input check" else "claims.yaml")
    edited.write_text(edited.read_text(encoding="utf-8") + f"# {moment} {signum}\n", "utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env.update(PYTHONPATH=str(project / "src"), BRIEFING_ROOT=str(project))
    env.pop("BRIEFING_BUILD_DIR", None)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(project), "report"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives a command
    )
    seen, reached, err = [], threading.Event(), []
    marker, delay = MOMENTS[moment]

    def read_stdout():
        for line in process.stdout:
            seen.append(line)
            if line.startswith(marker):
                reached.set()

    reader = threading.Thread(target=read_stdout, daemon=True)
    reader.start()
    errors = threading.Thread(target=lambda: err.extend(process.stderr), daemon=True)
    errors.start()
    assert reached.wait(180), "".join(seen) + "".join(err)
    time.sleep(delay)
    assert process.poll() is None, f"the build ended before the signal: {''.join(seen)}"
    running = build_processes(project)
    sent = time.monotonic()
    if whole_group:
        os.killpg(process.pid, signum)
    else:
        os.kill(process.pid, signum)
    process.wait(30)
    stopped = time.monotonic() - sent
    time.sleep(0.2)  # anything still alive now outlived the build
    left = build_processes(project)
    reader.join(5)
    errors.join(5)
    return {"seconds": stopped, "running": running, "left": left, "stderr": "".join(err)}


@pytest.mark.parametrize(
    "moment, signum, whole_group",
    [
        ("input check", signal.SIGTERM, True),
        ("notebook", signal.SIGTERM, True),
        ("notebook", signal.SIGINT, True),
        ("notebook", signal.SIGTERM, False),
        ("PDF print", signal.SIGTERM, True),
    ],
    ids=["check-term", "notebook-term", "notebook-ctrl-c", "notebook-term-make-only", "pdf-term"],
)
def test_a_stopped_build_leaves_nothing_running(project, moment, signum, whole_group):
    before = tree_hash(project / "reports")
    stop = stopped_build(project, moment, signum, whole_group)
    print(
        f"{moment} {signal.Signals(signum).name}: stopped in {stop['seconds']:.2f} s, "
        f"{len(stop['running'])} processes running at the signal: {stop['running']}"
    )
    assert len(stop["running"]) >= 2  # the driver and a stage at least
    assert stop["seconds"] < 5, stop
    assert stop["left"] == [], stop["left"]
    ours = [line for line in stop["stderr"].splitlines() if not line.startswith("make: *** ")]
    name = signal.Signals(signum).name
    assert len(ours) == 1 and ours[0].startswith(f"report: stopped by {name}: the "), stop["stderr"]
    assert "reports/ unchanged; build/ is ready for the next run" in ours[0]
    assert "Traceback" not in stop["stderr"] and "AssertionError" not in stop["stderr"]
    assert tree_hash(project / "reports") == before


def test_the_next_build_after_a_stop_publishes_normally(project):
    stopped_build(project, "notebook", signal.SIGTERM)
    result = make(project, "report")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "report: published" in result.stdout
    assert build_processes(project) == []
