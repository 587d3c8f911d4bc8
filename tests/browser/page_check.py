"""Open a briefing in offline headless Chromium and report what a reader would see: which figures
drew, console errors and uncaught exceptions, and any request that tried to leave the machine.

CLI: .venv/bin/python -m tests.browser.page_check reports/briefing.html --screenshot /tmp/check.png
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers.report.pdf import DEFAULT_CHROMIUM, LOCAL_URL, chromium, offline_page, wait_for_figures

# Figure containers and those showing a chart: its static picture loaded, or Vega's marks.
FIGURES_JS = """() => {
  const boxes = [...document.querySelectorAll('.figure[data-figure-id]')];
  const drawn = boxes.filter(el => el.querySelector('canvas') || [...el.querySelectorAll('img')]
      .some(img => img.complete && img.naturalWidth > 0) ||
      el.querySelectorAll('svg g.role-mark > *').length > 0);
  return {containers: boxes.length, drawn: drawn.map(el => el.getAttribute('data-figure-id'))};
}"""


@dataclass
class CheckResult:
    url: str
    figure_containers: int = 0
    drawn_charts: int = 0
    drawn_ids: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    visible_text: str = ""
    screenshot: str | None = None
    seconds: float = 0.0


@contextmanager
def console_errors(page) -> Iterator[list[str]]:
    """A list that fills with the page's console errors and uncaught exceptions while in the block."""
    errors = []

    def on_console(message):
        if message.type in ("error", "assert"):
            errors.append(message.text)

    def on_error(error):
        errors.append(str(error))

    page.on("console", on_console)
    page.on("pageerror", on_error)
    try:
        yield errors
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_error)


def check_page(
    html_path: Path,
    screenshot: Path | None = None,
    executable: str = DEFAULT_CHROMIUM,
    width: int = 1000,
    timeout: float = 30,
) -> CheckResult:
    """Load `html_path` offline, wait for its figures to be final, report what drew."""
    url = Path(html_path).resolve().as_uri()
    started = time.monotonic()
    result = CheckResult(url=url)
    with chromium(executable) as browser:
        page = offline_page(browser, width, 900)
        local = re.compile(LOCAL_URL)  # every other request is aborted by the offline page
        page.on("request", lambda r: local.match(r.url) or result.external_requests.append(r.url))
        with console_errors(page) as result.console_errors:
            page.goto(url)
            wait_for_figures(page, "page", timeout)
            state = page.evaluate(FIGURES_JS)
            result.figure_containers, result.drawn_ids = state["containers"], state["drawn"]
            result.drawn_charts = len(state["drawn"])
            result.visible_text = page.inner_text("body")
            if screenshot is not None:
                Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=screenshot, full_page=True)
                result.screenshot = str(screenshot)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.page_check", description=__doc__)
    parser.add_argument("html", type=Path)
    parser.add_argument("--screenshot", type=Path)
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    parser.add_argument("--show-text", action="store_true", help="print the visible text too")
    args = parser.parse_args(argv)
    result = check_page(args.html, args.screenshot, args.chromium)
    summary = asdict(result)
    if not args.show_text:
        summary["visible_text"] = f"<{len(result.visible_text)} characters>"
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    ok = (
        result.drawn_charts == result.figure_containers
        and not result.console_errors
        and not result.external_requests
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
