"""Open executed notebooks in a real JupyterLab (this venv, localhost, no token) in headless Chromium
and report what a reader sees: which figure outputs are drawn, whether MathJax typeset any Markdown
output, and a screenshot of the whole notebook.

CLI: python -m helpers.report.lab_check build/nb/01_headline.ipynb ... --screenshots build/lab
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..core.paths import PROJECT_ROOT
from .browser_check import DevTools, console_errors, devtools_session, save_screenshot, stop_process
from .pdf import DEFAULT_CHROMIUM

# Everything the notebook panel shows, once JupyterLab has rendered it. A figure output is the output
# area JupyterLab rendered from a Vega-Lite MIME type; it is drawn when it holds marks (svg/canvas)
# or an <img>, not when JupyterLab fell back to the text/plain "<Figure ...>" line.
NOTEBOOK_STATE_JS = """(() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!panel) return JSON.stringify({ready: false});
  const notebook = panel.querySelector('.jp-Notebook');
  const outputs = [...panel.querySelectorAll('.jp-OutputArea-output')];
  const vega = outputs.filter(el => el.classList.contains('jp-RenderedVegaLite'));
  const vegaDrawn = vega.filter(el => [...el.querySelectorAll('canvas')].some(c => c.width > 0) ||
      el.querySelectorAll('svg g.role-mark > *').length > 0);
  const images = outputs.filter(el => el.classList.contains('jp-RenderedImage'));
  const imagesDrawn = images.filter(el => [...el.querySelectorAll('img')].some(i => i.naturalWidth > 0));
  const fallbacks = outputs.filter(el => /^<Figure /.test(el.innerText.trim()));
  const markdown = [...panel.querySelectorAll('.jp-RenderedMarkdown')];
  const math = markdown.filter(el => el.querySelector('mjx-container, .MathJax, .MathJax_Preview, math'));
  return JSON.stringify({
    ready: !!notebook,
    outputs: outputs.length,
    figures: vega.length + images.length + fallbacks.length,
    drawn: vegaDrawn.length + imagesDrawn.length,
    interactive: vegaDrawn.length,
    text_fallbacks: fallbacks.length,
    tables: outputs.filter(el => el.matches('.jp-RenderedHTML') && el.querySelector('table')).length,
    markdown_outputs: markdown.filter(el => el.classList.contains('jp-OutputArea-output')).length,
    math_elements: math.map(el => el.innerText.slice(0, 120)),
    // textContent, not innerText: JupyterLab 4 does not render cells scrolled out of view, whose innerText is empty
    text: panel.textContent,
    // the notebook scrolls inside its panel: full height = content height + what sits above the panel
    height: notebook ? Math.ceil(Math.max(...[...panel.querySelectorAll('.jp-WindowedPanel-inner, .jp-Notebook')]
        .map(el => el.scrollHeight)) + notebook.getBoundingClientRect().top + 80) : 0
  });
})()"""


@dataclass
class LabView:
    notebook: str
    expected_figures: int  # figure outputs stored in the notebook
    expected_tables: int  # table outputs stored in the notebook
    outputs: int = 0
    figures: int = 0  # outputs JupyterLab rendered from a figure bundle (chart, image or text)
    drawn: int = 0  # ... holding a drawn chart (canvas/svg marks) or a loaded image
    interactive: int = 0  # ... drawn by JupyterLab's Vega-Lite renderer
    text_fallbacks: int = 0  # ... shown as the text "<Figure ...>" instead of a chart
    tables: int = 0
    markdown_outputs: int = 0
    math_elements: list[str] = field(default_factory=list)  # Markdown outputs MathJax typeset
    console_errors: list[str] = field(default_factory=list)
    visible_text: str = ""
    screenshot: str | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            self.figures == self.drawn == self.expected_figures
            and self.text_fallbacks == 0
            and self.tables == self.expected_tables
            and not self.math_elements
        )


def stored_tables(path: Path) -> int:
    """HTML table outputs of an executed notebook: the section's tables (helpers.report.tables) and the tables a
    key step ends on (a DataFrame's own HTML)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(
        1
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
        if "<table" in "".join(output.get("data", {}).get("text/html", ""))
    )


def stored_outputs(path: Path, key: str) -> int:
    """Outputs of an executed notebook whose metadata has `key` (figure_id / table_id, set by
    helpers.report.figures)."""
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    return sum(
        1
        for cell in notebook["cells"]
        if cell["cell_type"] == "code"
        for output in cell.get("outputs", [])
        if key in output.get("metadata", {})
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_ok(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def jupyter_lab(root: Path = PROJECT_ROOT, timeout: float = 60):
    """A JupyterLab server on 127.0.0.1 (no token, nothing fetched from the network); yields its URL."""
    jupyter = Path(sys.executable).with_name("jupyter")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="briefing-lab-") as home:
        # A fresh settings dir: no saved layout, and no "get Jupyter news?" prompt over the notebook.
        settings = Path(home) / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')
        env = {
            **os.environ,
            "JUPYTERLAB_SETTINGS_DIR": f"{home}/settings",
            "JUPYTERLAB_WORKSPACES_DIR": f"{home}/workspaces",
        }
        command = [
            str(jupyter),
            "lab",
            "--no-browser",
            "--ServerApp.token=",
            "--ServerApp.password=",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--ServerApp.root_dir={root}",
            "--allow-root",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        ]
        log = open(Path(home) / "server.log", "w+", encoding="utf-8")
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        try:
            deadline = time.monotonic() + timeout
            while not http_ok(f"{url}/api/status"):
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"jupyter lab did not start:\n{log.read()[-2000:]}")
                time.sleep(0.25)
            yield url
        finally:
            stop_process(server, 15)
            log.close()


@contextlib.contextmanager
def chromium_page(
    chromium: str = DEFAULT_CHROMIUM, width: int = 1400, height: int = 1000, timeout: float = 30
):
    """Headless Chromium with DevTools on one page; only 127.0.0.1 is reachable."""
    flags = ["--proxy-server=127.0.0.9:9", "--proxy-bypass-list=127.0.0.1"]
    with devtools_session(
        chromium, flags, width, height, timeout, "briefing-lab-chromium-"
    ) as tools:
        for domain in ("Runtime", "Log", "Page"):
            tools.send(f"{domain}.enable")
        tools.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )
        yield tools


def notebook_state(tools: DevTools) -> dict:
    raw = tools.evaluate(NOTEBOOK_STATE_JS)
    return json.loads(raw) if raw else {"ready": False}


def wait_until_settled(
    tools: DevTools, expected_figures: int, timeout: float, quiet: float = 2.0
) -> dict:
    """Poll until the notebook shows every figure drawn (or nothing changes for `quiet` seconds after
    the outputs appeared, so an undrawn chart is reported rather than waited on until the timeout)."""
    deadline = time.monotonic() + timeout
    last, stable_since = None, time.monotonic()
    while True:
        state = notebook_state(tools)
        key = {k: v for k, v in state.items() if k != "text"}
        if key != last:
            last, stable_since = key, time.monotonic()
        settled = (
            state.get("ready") and state.get("outputs") and time.monotonic() - stable_since > quiet
        )
        if settled and (
            state["drawn"] >= expected_figures or time.monotonic() - stable_since > 3 * quiet
        ):
            return state
        if time.monotonic() > deadline:
            return state
        time.sleep(0.25)


def view_notebook(
    tools: DevTools,
    lab_url: str,
    notebook: Path,
    root: Path = PROJECT_ROOT,
    screenshot: Path | None = None,
    width: int = 1400,
    timeout: float = 60,
) -> LabView:
    """Open `notebook` (under `root`) in JupyterLab, wait for its outputs, describe what is drawn."""
    started = time.monotonic()
    relative = Path(notebook).resolve().relative_to(Path(root).resolve()).as_posix()
    view = LabView(
        notebook=relative,
        expected_figures=stored_outputs(notebook, "figure_id"),
        expected_tables=stored_tables(notebook),
    )
    seen_events = len(tools.events)
    tools.send("Page.navigate", url=f"{lab_url}/lab/tree/{urllib.request.quote(relative)}")
    state = wait_until_settled(tools, view.expected_figures, timeout)
    for name in (
        "outputs",
        "figures",
        "drawn",
        "interactive",
        "text_fallbacks",
        "tables",
        "markdown_outputs",
        "math_elements",
    ):
        setattr(view, name, state.get(name, getattr(view, name)))
    view.visible_text = state.get("text", "")
    if screenshot is not None:
        # The notebook scrolls inside its panel: make the window as tall as the notebook to see it all.
        tools.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=min(state.get("height", 1000), 16000),
            deviceScaleFactor=1,
            mobile=False,
        )
        time.sleep(
            1.5
        )  # JupyterLab lays the taller panel out and attaches any cells it had windowed away
        save_screenshot(tools, Path(screenshot), width, notebook_state(tools).get("height", 1000))
        tools.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=1000,
            deviceScaleFactor=1,
            mobile=False,
        )
        view.screenshot = str(screenshot)
    view.console_errors = console_errors(tools.events[seen_events:])
    view.seconds = round(time.monotonic() - started, 2)
    return view


def element_center(tools: DevTools, selector: str, index: int = 0) -> tuple[float, float] | None:
    found = tools.evaluate(f"""(() => {{ const el = document.querySelectorAll({json.dumps(selector)})[{index}];
        if (!el) return null; const box = el.getBoundingClientRect();
        return JSON.stringify([box.x + Math.min(box.width / 2, 200), box.y + box.height / 2]); }})()""")
    return tuple(json.loads(found)) if found else None


def click(tools: DevTools, point: tuple[float, float]) -> None:
    """A real mouse click (Lumino menus act on the item the pointer moved over)."""
    x, y = point
    tools.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
    time.sleep(0.3)
    for kind in ("mousePressed", "mouseReleased"):
        tools.send("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def press(tools: DevTools, key: str, code: str, key_code: int, modifiers: int = 0) -> None:
    for kind in ("keyDown", "keyUp"):
        tools.send(
            "Input.dispatchKeyEvent",
            type=kind,
            key=key,
            code=code,
            windowsVirtualKeyCode=key_code,
            modifiers=modifiers,
        )


def menu_click(tools: DevTools, menu: str, item: str) -> None:
    labels = "[...document.querySelectorAll('{}')].findIndex(el => el.innerText.trim() === {})"
    click(
        tools,
        element_center(
            tools,
            ".lm-MenuBar-itemLabel",
            tools.evaluate(labels.format(".lm-MenuBar-itemLabel", json.dumps(menu))),
        ),
    )
    time.sleep(0.8)
    index = tools.evaluate(labels.format(".lm-Menu-itemLabel", json.dumps(item)))
    if index is None or index < 0:
        raise RuntimeError(f"JupyterLab has no menu item {menu} > {item}")
    click(tools, element_center(tools, ".lm-Menu-itemLabel", index))


def edit_and_run_all(
    tools: DevTools,
    lab_url: str,
    notebook: Path,
    parameters_source: str,
    root: Path = PROJECT_ROOT,
    screenshot: Path | None = None,
    width: int = 1400,
    timeout: float = 180,
) -> LabView:
    """What a user does: open `notebook`, replace the text of its first code cell (the parameters) by typing,
    Run > Run All Cells, wait until every cell has run. JupyterLab saves the outputs into `notebook`."""
    started = time.monotonic()
    relative = Path(notebook).resolve().relative_to(Path(root).resolve()).as_posix()
    editor = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content"  # the first code cell: parameters
    tools.send("Page.navigate", url=f"{lab_url}/lab/tree/{urllib.request.quote(relative)}")
    deadline = time.monotonic() + timeout
    while element_center(tools, editor) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"JupyterLab did not show {relative}")
        time.sleep(0.25)
    time.sleep(2)  # let the kernel connect
    click(tools, element_center(tools, editor))
    press(tools, "a", "KeyA", 65, modifiers=2)  # Ctrl+A selects the cell's text
    tools.send("Input.insertText", text=parameters_source)
    press(tools, "Escape", "Escape", 27)
    menu_click(tools, "Run", "Run All Cells")
    prompts = "[...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputArea-prompt')]"
    # textContent, not innerText: JupyterLab 4 skips rendering cells scrolled out of view
    # (content-visibility), and their innerText is then empty although the cell has run.
    run_all = f"{prompts}.filter(el => el.closest('.jp-CodeCell')).every(el => /\\[\\d+\\]/.test(el.textContent))"
    while not tools.evaluate(run_all):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{relative}: Run All did not finish within {timeout} s")
        time.sleep(0.5)
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    # each figure / table call in the source shows one chart / table
    calls = [line for cell in nb["cells"] if cell["cell_type"] == "code" for line in cell["source"]]
    view = LabView(
        notebook=relative,
        expected_figures=sum("section.figure(" in line for line in calls),
        expected_tables=sum("section.show_table(" in line for line in calls),
    )
    state = wait_until_settled(
        tools, view.expected_figures, timeout=max(5.0, deadline - time.monotonic())
    )
    for name in (
        "outputs",
        "figures",
        "drawn",
        "interactive",
        "text_fallbacks",
        "tables",
        "markdown_outputs",
        "math_elements",
    ):
        setattr(view, name, state.get(name, getattr(view, name)))
    view.visible_text = state.get("text", "")
    if screenshot is not None:
        tools.send(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=min(state.get("height", 1000), 16000),
            deviceScaleFactor=1,
            mobile=False,
        )
        time.sleep(1.5)
        save_screenshot(tools, Path(screenshot), width, notebook_state(tools).get("height", 1000))
        view.screenshot = str(screenshot)
    view.seconds = round(time.monotonic() - started, 2)
    return view


def check_notebooks(
    notebooks: list[Path],
    screenshot_dir: Path | None = None,
    root: Path = PROJECT_ROOT,
    chromium: str = DEFAULT_CHROMIUM,
    timeout: float = 60,
) -> list[LabView]:
    """One JupyterLab server and one browser for all `notebooks`; one LabView each."""
    views = []
    with jupyter_lab(root) as url, chromium_page(chromium) as tools:
        for notebook in notebooks:
            shot = Path(screenshot_dir) / f"{Path(notebook).stem}.png" if screenshot_dir else None
            views.append(view_notebook(tools, url, Path(notebook), root, shot, timeout=timeout))
    return views


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.report.lab_check", description=__doc__)
    parser.add_argument(
        "notebooks", nargs="+", type=Path, help="executed notebooks under the project"
    )
    parser.add_argument("--screenshots", type=Path, default=Path("build/lab"))
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    args = parser.parse_args(argv)
    views = check_notebooks(args.notebooks, args.screenshots, chromium=args.chromium)
    for view in views:
        summary = {
            **asdict(view),
            "visible_text": f"<{len(view.visible_text)} characters>",
            "ok": view.ok,
        }
        print(json.dumps(summary, ensure_ascii=False))
    return 0 if all(view.ok for view in views) else 1


if __name__ == "__main__":
    sys.exit(main())
