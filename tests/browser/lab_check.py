"""Open executed notebooks in a real JupyterLab (this venv, localhost, no token) in headless Chromium
and report what a reader sees: which figure outputs are drawn, whether MathJax typeset any Markdown
output, and a screenshot of the whole notebook.

CLI: .venv/bin/python -m tests.browser.lab_check build/nb/01_headline.ipynb ... --screenshots /tmp/lab
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from helpers.core.paths import PROJECT_ROOT
from helpers.report.pdf import DEFAULT_CHROMIUM, chromium, offline_page

from .page_check import console_errors

# Everything the notebook panel shows, once JupyterLab has rendered it. A figure output is the output
# area JupyterLab rendered from a Vega-Lite MIME type; it is drawn when it holds marks (svg/canvas)
# or an <img>, not when JupyterLab fell back to the text/plain "<Figure ...>" line; it failed when
# JupyterLab shows Vega's error instead.
NOTEBOOK_STATE_JS = """panelId => {
  const panel = document.getElementById(panelId);
  if (!panel) return {ready: false};
  const notebook = panel.querySelector('.jp-Notebook');
  const outputs = [...panel.querySelectorAll('.jp-OutputArea-output')];
  const vega = outputs.filter(el => el.classList.contains('jp-RenderedVegaLite'));
  const vegaDrawn = vega.filter(el => [...el.querySelectorAll('canvas')].some(c => c.width > 0) ||
      el.querySelectorAll('svg g.role-mark > *').length > 0);
  // a chart Vega could not draw: JupyterLab puts the error, as stderr text, in its place
  const failed = [...panel.querySelectorAll('.jp-OutputArea-child [data-mime-type="application/vnd.jupyter.stderr"]')]
      .filter(el => /^\\s*Javascript Error/.test(el.textContent));
  const images = outputs.filter(el => el.classList.contains('jp-RenderedImage'));
  const imagesDrawn = images.filter(el => [...el.querySelectorAll('img')].some(i => i.naturalWidth > 0));
  const fallbacks = outputs.filter(el => /^<Figure /.test(el.textContent.trim()));
  const markdown = [...panel.querySelectorAll('.jp-RenderedMarkdown')];
  const math = markdown.filter(el => el.querySelector('mjx-container, .MathJax, .MathJax_Preview, math'));
  // JupyterLab hands every rendered Markdown to MathJax, which it loads on first use; MathJax's first
  // run adds its style sheet, and from then on a Markdown is typeset as soon as it is rendered.
  const mathjaxRan = !!document.querySelector('style[id^="MJX-"][id$="-styles"]');
  return {
    ready: !!notebook,
    shown: panel.querySelectorAll('.jp-OutputArea-child').length,
    outputs: outputs.length,
    figures: vega.length + images.length + fallbacks.length,
    drawn: vegaDrawn.length + imagesDrawn.length,
    failed: failed.length,
    interactive: vegaDrawn.length,
    text_fallbacks: fallbacks.length,
    tables: outputs.filter(el => el.matches('.jp-RenderedHTML') && el.querySelector('table')).length,
    markdown_outputs: markdown.filter(el => el.classList.contains('jp-OutputArea-output')).length,
    math_elements: math.map(el => el.innerText.slice(0, 120)),
    typeset: markdown.every(el => el.childNodes.length > 0) && (!markdown.length || mathjaxRan),
    // textContent, not innerText: JupyterLab 4 does not render cells scrolled out of view, whose innerText is empty
    text: panel.textContent,
    // the notebook scrolls inside its panel: full height = content height + what sits above the panel
    height: notebook ? Math.ceil(Math.max(...[...panel.querySelectorAll('.jp-WindowedPanel-inner, .jp-Notebook')]
        .map(el => el.scrollHeight)) + notebook.getBoundingClientRect().top + 80) : 0
  };
}"""
# Settled: every output the notebook holds is shown, each figure is drawn, failed or shown as text,
# and MathJax has seen every Markdown (so math it typesets is there to be found).
SETTLED_JS = f"""([panelId, outputs, figures]) => {{
  const state = ({NOTEBOOK_STATE_JS})(panelId);
  return state.ready && state.shown >= outputs && state.typeset &&
      state.drawn + state.failed + state.text_fallbacks >= Math.max(figures, state.figures);
}}"""
# The id of the panel showing notebook `name`, once its tab is the current one (a restored workspace
# may show another notebook first).
PANEL_JS = """name => {
  const tab = [...document.querySelectorAll('.lm-DockPanel .lm-TabBar-tab.lm-mod-current')]
      .find(t => t.querySelector('.lm-TabBar-tabLabel')?.textContent.trim() === name);
  return tab && document.getElementById(tab.dataset.id) ? tab.dataset.id : null;
}"""
# textContent, not innerText: JupyterLab 4 skips rendering cells scrolled out of view
# (content-visibility), and their innerText is then empty although the cell has run.
ALL_RUN_JS = """panelId => [...document.getElementById(panelId).querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
  .every(el => /\\[\\d+\\]/.test(el.textContent))"""
# Run All has started: some code cell is queued, running or done ("[*]" or "[n]").
STARTED_JS = """panelId => [...document.getElementById(panelId).querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
  .some(el => /\\[(\\*|\\d+)\\]/.test(el.textContent))"""
# What each code cell shows (prompt, first line of any error): a Run All that stopped says where.
PROMPTS_JS = """panelId => [...document.getElementById(panelId).querySelectorAll('.jp-CodeCell')].map(cell =>
  cell.querySelector('.jp-InputArea-prompt').textContent + ' ' +
  ([...cell.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"]')]
      .map(el => el.textContent.trim().split('\\n').pop()).join(' ')))"""
FIELDS = (
    "outputs",
    "figures",
    "drawn",
    "interactive",
    "text_fallbacks",
    "tables",
    "markdown_outputs",
    "math_elements",
)


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


def shown_outputs(path: Path) -> int:
    """Output areas JupyterLab shows for an executed notebook: one per output, except that a stream
    continuing the one before it (same name) is shown in the same area."""
    shown = 0
    for cell in json.loads(Path(path).read_text(encoding="utf-8"))["cells"]:
        previous = None
        for output in cell.get("outputs", []):
            stream = output.get("name") if output["output_type"] == "stream" else None
            shown += not (stream and stream == previous)
            previous = stream
    return shown


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
            while not http_ok(f"{url}/api/status"):  # a server, not a page: nothing to auto-wait on
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"jupyter lab did not start:\n{log.read()[-2000:]}")
                time.sleep(0.25)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()


@contextlib.contextmanager
def lab_page(executable: str = DEFAULT_CHROMIUM, width: int = 1400, height: int = 1000):
    """A headless Chromium page that can reach 127.0.0.1 (the JupyterLab server) and nothing else."""
    with chromium(executable, loopback=True) as browser:
        yield offline_page(browser, width, height, allowed=r"https?://127\.0\.0\.1[:/]")


def open_notebook(
    page, lab_url: str, notebook: Path, root: Path, timeout: float
) -> tuple[str, str]:
    """Open `notebook` (under `root`) in JupyterLab: (its path from `root`, the id of its panel)."""
    relative = Path(notebook).resolve().relative_to(Path(root).resolve()).as_posix()
    page.goto(f"{lab_url}/lab/tree/{urllib.request.quote(relative)}")
    found = page.wait_for_function(PANEL_JS, arg=Path(notebook).name, timeout=timeout * 1000)
    return relative, found.json_value()


def describe(
    page, view: LabView, panel: str, outputs: int, timeout: float, screenshot: Path | None
) -> LabView:
    """Wait until `outputs` outputs are shown and every figure output has settled, then fill `view`
    with what the panel shows (and take a screenshot of the whole notebook)."""
    settled = [panel, outputs, view.expected_figures]
    page.wait_for_function(SETTLED_JS, arg=settled, timeout=timeout * 1000)
    state = page.evaluate(NOTEBOOK_STATE_JS, panel)
    for name in FIELDS:
        setattr(view, name, state.get(name, getattr(view, name)))
    view.visible_text = state.get("text", "")
    if screenshot is not None:
        # The notebook scrolls inside its panel: make the window as tall as the notebook to see it all,
        # and wait for JupyterLab to lay the taller panel out with every figure drawn again.
        width = page.viewport_size["width"]
        page.set_viewport_size({"width": width, "height": min(state.get("height", 1000), 16000)})
        page.wait_for_function(SETTLED_JS, arg=settled, timeout=timeout * 1000)
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        Path(screenshot).parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=screenshot)
        page.set_viewport_size({"width": width, "height": 1000})
        view.screenshot = str(screenshot)
    return view


def view_notebook(
    page,
    lab_url: str,
    notebook: Path,
    root: Path = PROJECT_ROOT,
    screenshot: Path | None = None,
    timeout: float = 60,
) -> LabView:
    """Open `notebook` (under `root`) in JupyterLab, wait for its outputs, describe what is drawn."""
    started = time.monotonic()
    with console_errors(page) as errors:
        relative, panel = open_notebook(page, lab_url, notebook, root, timeout)
        view = LabView(
            notebook=relative,
            expected_figures=stored_outputs(notebook, "figure_id"),
            expected_tables=stored_tables(notebook),
        )
        describe(page, view, panel, shown_outputs(notebook), timeout, screenshot)
    view.console_errors = errors
    view.seconds = round(time.monotonic() - started, 2)
    return view


def edit_and_run_all(
    page,
    lab_url: str,
    notebook: Path,
    parameters_source: str,
    root: Path = PROJECT_ROOT,
    screenshot: Path | None = None,
    timeout: float = 180,
) -> LabView:
    """What a user does: open `notebook`, replace the text of its first code cell (the parameters) by typing,
    Run > Run All Cells, wait until every cell has run. JupyterLab saves the outputs into `notebook`."""
    started = time.monotonic()
    page.set_default_timeout(timeout * 1000)
    relative, panel_id = open_notebook(page, lab_url, notebook, root, timeout)
    panel = page.locator(f"[id='{panel_id}']")
    # the kernel has started and is idle: the panel's execution indicator says so
    panel.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    # the first code cell: the parameters (the notebook opens with a Markdown cell)
    panel.locator(".jp-CodeCell .cm-content").first.click()
    page.keyboard.press("Control+a")  # the cell's text
    page.keyboard.insert_text(parameters_source)
    page.keyboard.press("Escape")
    # A Run All clicked while the kernel is still connecting can be dropped although the indicator
    # already says idle (seen under load: every prompt stayed "[ ]"). Click again if no cell started.
    for attempt in range(3):
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        try:
            page.wait_for_function(STARTED_JS, arg=panel_id, timeout=20_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise TimeoutError(f"{relative}: Run All started no cell in three tries") from None
    try:
        page.wait_for_function(ALL_RUN_JS, arg=panel_id, timeout=timeout * 1000)
    except PlaywrightTimeout:
        if screenshot is not None:
            page.screenshot(path=Path(screenshot).with_suffix(".timeout.png"))
        prompts = page.evaluate(PROMPTS_JS, panel_id)
        raise TimeoutError(
            f"{relative}: Run All did not finish in {timeout} s: {prompts}"
        ) from None
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    # each figure / table call in the source shows one chart / table
    calls = [line for cell in nb["cells"] if cell["cell_type"] == "code" for line in cell["source"]]
    view = LabView(
        notebook=relative,
        expected_figures=sum("section.figure(" in line for line in calls),
        expected_tables=sum("section.show_table(" in line for line in calls),
    )
    # every cell has run: its outputs are in the model, only figures may still be drawing
    describe(page, view, panel_id, 1, timeout, screenshot)
    view.seconds = round(time.monotonic() - started, 2)
    return view


def check_notebooks(
    notebooks: list[Path],
    screenshot_dir: Path | None = None,
    root: Path = PROJECT_ROOT,
    executable: str = DEFAULT_CHROMIUM,
    timeout: float = 60,
) -> list[LabView]:
    """One JupyterLab server and one browser for all `notebooks`; one LabView each."""
    views = []
    with jupyter_lab(root) as url, lab_page(executable) as page:
        for notebook in notebooks:
            shot = Path(screenshot_dir) / f"{Path(notebook).stem}.png" if screenshot_dir else None
            views.append(view_notebook(page, url, Path(notebook), root, shot, timeout=timeout))
    return views


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.browser.lab_check", description=__doc__)
    parser.add_argument(
        "notebooks", nargs="+", type=Path, help="executed notebooks under the project"
    )
    parser.add_argument("--screenshots", type=Path, default=Path("/tmp/briefing-lab"))
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    args = parser.parse_args(argv)
    views = check_notebooks(args.notebooks, args.screenshots, executable=args.chromium)
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
