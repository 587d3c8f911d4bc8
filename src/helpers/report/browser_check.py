"""Open a briefing in offline headless Chromium and report what a reader would see.

Uses the Chrome DevTools Protocol (websocket-client) to collect console errors, uncaught
exceptions and any network request that tried to leave the machine.

CLI: python -m helpers.report.browser_check build/stage/briefing.html --screenshot build/check.png
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import itertools
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

import websocket

from .pdf import CHROMIUM_FLAGS, DEFAULT_CHROMIUM, OFFLINE_FLAGS, require_chromium

# Counts figure containers and those showing a chart: its static picture loaded, or Vega's marks.
PAGE_STATE_JS = """(() => {
  const boxes = [...document.querySelectorAll('.figure[data-figure-id]')];
  const drawn = boxes.filter(el => el.querySelector('canvas') || [...el.querySelectorAll('img')]
      .some(img => img.complete && img.naturalWidth > 0) ||
      el.querySelectorAll('svg g.role-mark > *').length > 0);
  return JSON.stringify({
    done: document.documentElement.getAttribute('data-figures-done'),
    containers: boxes.length,
    drawn: drawn.map(el => el.getAttribute('data-figure-id')),
    text: document.body ? document.body.innerText : '',
    height: Math.ceil(document.documentElement.scrollHeight)
  });
})()"""
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome", "devtools:")


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
    finished: bool = False  # the page's "all figures settled" flag was seen
    seconds: float = 0.0


class DevTools:
    """Minimal CDP client on one page target: send commands, keep every event seen."""

    def __init__(self, ws_url: str, timeout: float):
        self.ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        message_id = next(self.ids)
        self.ws.send(json.dumps({"id": message_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == message_id:
                if "error" in message:
                    raise RuntimeError(f"CDP {method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float) -> dict | None:
        """Wait for an event (or return the one already seen)."""
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                return None
            self.events.append(json.loads(self.ws.recv()))
        return next(e for e in self.events if e.get("method") == method)

    def evaluate(self, expression: str):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def close(self) -> None:
        self.ws.close()


def wait_for_port(profile: Path, process: subprocess.Popen, timeout: float) -> int:
    """Chromium writes the port it chose for --remote-debugging-port=0 into the profile."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Chromium exited early with code {process.returncode}")
        if marker.exists() and marker.read_text().strip():
            return int(marker.read_text().split()[0])
        time.sleep(0.05)
    raise TimeoutError("Chromium did not open its DevTools port")


@contextlib.contextmanager
def devtools_session(
    chromium: str, flags: list[str], width: int, height: int, timeout: float, prefix: str
):
    """Headless Chromium on a fresh profile with DevTools on one page; closed and stopped on exit."""
    binary = require_chromium(chromium)
    # Chromium's helper processes may still be writing the profile as it exits: never fail on its cleanup
    with tempfile.TemporaryDirectory(prefix=prefix, ignore_cleanup_errors=True) as profile:
        command = [
            binary,
            *CHROMIUM_FLAGS,
            *flags,
            f"--user-data-dir={profile}",
            "--remote-debugging-port=0",
            "--remote-debugging-address=127.0.0.1",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            tools = DevTools(page_ws_url(wait_for_port(Path(profile), process, timeout)), timeout)
            try:
                yield tools
            finally:
                tools.close()
        finally:
            stop_process(process, 10)


def stop_process(process: subprocess.Popen, grace_seconds: float) -> None:
    """Terminate a helper process (Chromium, a JupyterLab server); kill it if it does not go in time."""
    process.terminate()
    try:
        process.wait(timeout=grace_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def page_ws_url(port: int) -> str:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # ignore env proxies
    targets = json.load(opener.open(f"http://127.0.0.1:{port}/json/list", timeout=5))
    return next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")


def console_errors(events: list[dict]) -> list[str]:
    errors = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(
                " ".join(
                    str(a.get("value", a.get("description", ""))) for a in params.get("args", [])
                )
            )
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            errors.append(
                details.get("exception", {}).get("description") or details.get("text", "")
            )
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            entry = params["entry"]
            errors.append(f"{entry.get('text')} {entry.get('url', '')}".strip())
    return errors


def external_requests(events: list[dict]) -> list[str]:
    urls = [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    return [url for url in urls if not url.startswith(LOCAL_SCHEMES)]


def wait_until_drawn(tools: DevTools, timeout: float) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        raw = tools.evaluate(PAGE_STATE_JS)  # None while the new document is not ready yet
        state = json.loads(raw) if raw else None
        if (state and state["done"] is not None) or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    if state is None:
        raise TimeoutError("the page never became scriptable")
    return state


def save_screenshot(tools: DevTools, path: Path, width: int, height: int) -> None:
    tools.send(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=min(height, 16000),
        deviceScaleFactor=1,
        mobile=False,
    )
    shot = tools.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


def inspect_page(
    tools: DevTools, url: str, screenshot: Path | None, width: int, timeout: float
) -> CheckResult:
    for domain in ("Runtime", "Log", "Network", "Page"):
        tools.send(f"{domain}.enable")
    tools.send("Page.navigate", url=url)
    tools.wait_for("Page.loadEventFired", timeout)
    state = wait_until_drawn(tools, timeout)
    result = CheckResult(
        url=url,
        figure_containers=state["containers"],
        drawn_charts=len(state["drawn"]),
        drawn_ids=state["drawn"],
        visible_text=state["text"],
        finished=state["done"] is not None,
    )
    if screenshot is not None:
        save_screenshot(tools, screenshot, width, state["height"])
        result.screenshot = str(screenshot)
    tools.send("Runtime.evaluate", expression="0")  # flush events queued during the capture
    result.console_errors = console_errors(tools.events)
    result.external_requests = external_requests(tools.events)
    return result


def check_page(
    html_path: Path,
    screenshot: Path | None = None,
    chromium: str = DEFAULT_CHROMIUM,
    width: int = 1000,
    timeout: float = 30,
) -> CheckResult:
    """Load `html_path` with networking disabled, wait for the figures, report what drew."""
    url = Path(html_path).resolve().as_uri()
    started = time.monotonic()
    with devtools_session(chromium, OFFLINE_FLAGS, width, 900, timeout, "briefing-check-") as tools:
        result = inspect_page(tools, url, screenshot, width, timeout)
    result.seconds = round(time.monotonic() - started, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m helpers.report.browser_check", description=__doc__
    )
    parser.add_argument("html", type=Path)
    parser.add_argument("--screenshot", type=Path, default=Path("build/browser-check.png"))
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    parser.add_argument("--show-text", action="store_true", help="print the visible text too")
    args = parser.parse_args(argv)
    result = check_page(args.html, args.screenshot, args.chromium)
    summary = asdict(result)
    if not args.show_text:
        summary["visible_text"] = f"<{len(result.visible_text)} characters>"
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    ok = (
        result.finished
        and result.drawn_charts == result.figure_containers
        and not result.console_errors
        and not result.external_requests
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
