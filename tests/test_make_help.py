"""`make help` lists every target a user can run, each with what it does (the `## ` note on its rule)."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def phony_targets() -> list[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    return re.search(r"^\.PHONY:(.*)$", makefile, re.M).group(1).split()


def test_make_help_lists_every_target_with_its_note():
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    listed = dict(
        re.fullmatch(r"  make (\S+) +(.+)", line).groups() for line in result.stdout.splitlines()
    )
    assert sorted(listed) == sorted(phony_targets())
    assert listed["report"].startswith("build reports/: briefing.html, briefing.pdf")
    assert listed["help"] == "list the targets"
    assert list(listed)[0] == "report"  # in the Makefile's order: the default target first
