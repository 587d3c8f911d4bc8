"""Benchmark: `make report` with many small raw files against the same build with none (issue 23.4).

    .venv/bin/python scripts/many_files_bench.py [--files 2000] [--rounds 3] [--out BENCHMARKS.md]

Makes two throwaway copies of the project (tracked files, the real .venv linked) under build/bench/:
`none` as vendored, and `many` with --files byte-identical copies of the vendored Comtrade file
(data/raw/comtrade/comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv) under other names, as a
user who saves one download many times would have them. Each copy first gets one full build (the input
check registers the copies, writing their sidecars). Then, in interleaved rounds (none, many, none,
many, ...), build/stamps/ is removed and `make report` runs every stage again; the wall time of each
build is measured. Prints the median of each and their ratio, and writes a section into --out.
Target: many / none <= 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from project_copy import copy_project  # noqa: E402

VENDORED = "data/raw/comtrade/comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv"
SECTION = "## Many files: `make report` with 2,000 identical small files"


def make_report(project: Path) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))}
    env.update(PYTHONPATH=str(project / "src"), BRIEFING_ROOT=str(project))
    env.pop("BRIEFING_BUILD_DIR", None)
    started = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(project), "report"],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"make report failed in {project}:\n{result.stderr[-2000:]}")
    return seconds, result.stdout


def prepare(base: Path, files: int) -> dict[str, Path]:
    shutil.rmtree(base, ignore_errors=True)
    projects = {}
    for name, count in (("none", 0), ("many", files)):
        project = base / name
        project.mkdir(parents=True)
        copy_project(project)
        for n in range(1, count + 1):
            shutil.copyfile(
                project / VENDORED, project / VENDORED.replace(Path(VENDORED).stem, f"copy_{n:04d}")
            )
        projects[name] = project
    return projects


def stage_times(stdout: str) -> dict[str, float]:
    return {
        m[1].strip(): float(m[2])
        for m in re.finditer(r"^timing: (.{24}) +([\d.]+) s", stdout, re.M)
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="BENCHMARKS.md")
    args = parser.parse_args(argv)
    projects = prepare(ROOT / "build" / "bench" / "many-files", args.files)
    first = {name: make_report(project) for name, project in projects.items()}
    times: dict[str, list[float]] = {"none": [], "many": []}
    last: dict[str, str] = {}
    for _ in range(args.rounds):
        for name, project in projects.items():
            shutil.rmtree(project / "build" / "stamps")
            seconds, last[name] = make_report(project)
            times[name].append(seconds)
            print(f"{name}: {seconds:.1f} s", flush=True)
    median = {name: statistics.median(values) for name, values in times.items()}
    ratio = median["many"] / median["none"]
    stages = {name: stage_times(out) for name, out in last.items()}
    rows = "\n".join(
        f"| {label} | {stages['none'].get(label, 0):.1f} | {stages['many'].get(label, 0):.1f} |"
        for label in stages["many"]
        if label not in ("parameter check", "total")
    )
    section = f"""{SECTION}

Date: {dt.date.today()}. Data: the vendored Comtrade file and {args.files:,} byte-identical copies of it
under other names (`copy_0001.csv` …) in `data/raw/comtrade/` of a throwaway copy of the project, against
a copy with none. The numbers of the briefing are the same in both (the copies count once).

Reproduce: `.venv/bin/python scripts/many_files_bench.py --files {args.files} --rounds {args.rounds}`.

Each build below runs every stage (`build/stamps/` removed first; the files' checksums are cached, as in
any build after the first); {args.rounds} interleaved rounds, wall time of `make report`:

| build | median s | runs s |
|---|---:|---|
| no extra files | {median["none"]:.1f} | {", ".join(f"{t:.1f}" for t in times["none"])} |
| {args.files:,} identical small files | {median["many"]:.1f} | {", ".join(f"{t:.1f}" for t in times["many"])} |

**Ratio many / none: {ratio:.2f}** (target ≤ 2: {"met" if ratio <= 2 else "**not met**"}). The first
build of each copy (the input check registers the {args.files:,} files, writing a sidecar for each):
{first["none"][0]:.1f} s and {first["many"][0]:.1f} s.

Stage times of the last round (s; the machine is shared, so single stages are noisy):

| stage | none | many |
|---|---:|---:|
{rows}
"""
    out = ROOT / args.out
    text = out.read_text(encoding="utf-8") if out.exists() else ""
    if SECTION in text:  # replace the earlier run's section (it runs to the next `## ` or the end)
        start = text.index(SECTION)
        end = text.find("\n## ", start + 1)
        text = text[:start] + section.rstrip("\n") + ("\n" + text[end:] if end != -1 else "\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    out.write_text(text, encoding="utf-8")
    print(f"many_over_none={ratio:.2f} none_s={median['none']:.1f} many_s={median['many']:.1f}")
    return 0 if ratio <= 2 else 1


if __name__ == "__main__":
    sys.exit(main())
