"""Lighthouse on the published briefing, served as a static host serves it (issue 22, point 2):

    make lighthouse                      # 3 runs per preset, medians printed
    .venv/bin/python scripts/lighthouse.py [--reports reports] [--runs 3] [--json out.json]

reports/ is served on 127.0.0.1 by tornado's static file handler with gzip (`compress_response`,
as a static host compresses HTML, JavaScript and SVG), and Lighthouse 12 (pinned in
tools/lighthouse/package-lock.json, installed by `npm ci`) audits briefing.html with the mobile
preset (simulated slow 4G and 4x CPU slowdown) and the desktop preset, in Debian's Chromium.
Each preset runs `--runs` times; the median of each number is printed (Lighthouse scores move by
a few points between runs, more when other processes share the CPU). Exit 0 whatever the scores:
this measures, BENCHMARKS.md records, tests/test_lighthouse.py holds the targets.
Scores are measured, never edited: a run under CPU load from other processes scores lower.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LIGHTHOUSE = ROOT / "tools" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {  # audit id -> (label, unit)
    "first-contentful-paint": ("FCP", "s"),
    "largest-contentful-paint": ("LCP", "s"),
    "total-blocking-time": ("TBT", "ms"),
    "cumulative-layout-shift": ("CLS", ""),
    "speed-index": ("SI", "s"),
}


def serve(folder: Path) -> tuple[int, callable]:
    """Serve `folder` on 127.0.0.1 (a free port) with gzip, in a thread; return (port, stop)."""
    import tornado.httpserver
    import tornado.netutil
    import tornado.web

    logging.getLogger("tornado.access").setLevel(logging.ERROR)  # no line per request
    ready, box = threading.Event(), {}

    def run() -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application(
            [(r"/(.*)", tornado.web.StaticFileHandler, {"path": str(folder)})],
            compress_response=True,
        )
        sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
        server = tornado.httpserver.HTTPServer(app)
        server.add_sockets(sockets)
        box.update(port=sockets[0].getsockname()[1], loop=loop)
        ready.set()
        loop.run_forever()
        server.stop()
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    ready.wait(10)

    def stop() -> None:
        box["loop"].call_soon_threadsafe(box["loop"].stop)
        thread.join(10)

    return box["port"], stop


def run_lighthouse(url: str, preset: str) -> dict:
    """One Lighthouse run; returns {category: score 0-100, metric label: value}."""
    if not LIGHTHOUSE.exists():
        raise SystemExit("lighthouse is not installed: run `npm ci --prefix tools/lighthouse`")
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as tmp:
        out = Path(tmp) / "report.json"
        command = [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        if preset == "desktop":
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM)}
        run = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
        if run.returncode != 0 or not out.exists():
            raise SystemExit(f"lighthouse failed ({run.returncode}): {run.stderr[-800:]}")
        report = json.loads(out.read_text(encoding="utf-8"))
    if report.get("runtimeError"):
        raise SystemExit(f"lighthouse: {report['runtimeError']}")
    result = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    for audit, (label, unit) in METRICS.items():
        value = report["audits"][audit]["numericValue"]
        result[label] = value / 1000 if unit == "s" else value
    result["DOM elements"] = report["audits"]["dom-size"].get("numericValue")
    result["bytes"] = report["audits"]["total-byte-weight"]["numericValue"]
    failed = [
        a["id"]
        for c in ("accessibility", "best-practices")
        for a in report["categories"][c]["auditRefs"]
        if report["audits"][a["id"]].get("score") not in (None, 1)
        and report["audits"][a["id"]].get("scoreDisplayMode") == "binary"
    ]
    result["failed audits"] = failed
    return result


def median_run(runs: list[dict]) -> dict:
    keys = [k for k in runs[0] if k != "failed audits"]
    out = {k: statistics.median(r[k] for r in runs) for k in keys}
    out["failed audits"] = sorted({a for r in runs for a in r["failed audits"]})
    out["runs"] = len(runs)
    return out


def format_row(preset: str, m: dict) -> str:
    return (
        f"{preset:<8} performance {m['performance']:>3.0f}  accessibility {m['accessibility']:>3.0f}  "
        f"best-practices {m['best-practices']:>3.0f}  seo {m['seo']:>3.0f}  |  FCP {m['FCP']:.2f} s  "
        f"LCP {m['LCP']:.2f} s  TBT {m['TBT']:.0f} ms  CLS {m['CLS']:.3f}  SI {m['SI']:.2f} s  |  "
        f"{m['DOM elements']:.0f} DOM elements, {m['bytes'] / 1024:.0f} KiB transferred"
        + (f"  |  failed: {', '.join(m['failed audits'])}" if m["failed audits"] else "")
    )


def measure(reports: Path, runs: int, presets=("mobile", "desktop")) -> dict[str, dict]:
    if not (reports / "briefing.html").is_file():
        raise SystemExit(f"{reports}/briefing.html is missing: run `make report` first")
    port, stop = serve(reports)
    try:
        url = f"http://127.0.0.1:{port}/briefing.html"
        results = {}
        for preset in presets:
            each = [run_lighthouse(url, preset) for _ in range(runs)]
            results[preset] = median_run(each) | {"each": each}
    finally:
        stop()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=Path, default=ROOT / "reports")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, help="write every run's numbers here")
    args = parser.parse_args(argv)
    results = measure(args.reports, args.runs)
    print(
        f"Lighthouse 12.2.3, median of {args.runs} run(s) per preset, {args.reports}/briefing.html"
    )
    for preset, m in results.items():
        print(format_row(preset, m))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
