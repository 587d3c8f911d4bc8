"""The page's figures: static drawings that need no script, and Vega drawn in their place on demand.

Every figure is an <img> of its SVG in the page (a phone-width drawing for screens up to 640 px), so a
reader without JavaScript, or with the page alone, sees every chart; pointing at a chart (or scrolling)
loads assets/vega.js and assets/figures.js beside the page and draws it in place, same size. A long
table's full version is text until its <details> is opened.
"""

from __future__ import annotations

import json
import re
import shutil
import urllib.parse
from contextlib import contextmanager
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from briefing_fixture import ABOUT, FIGURE_IDS, PARAMS, skip_without_chromium, write_fixture
from browser.page_check import console_errors
from helpers.report.page import render_briefing
from helpers.report.pdf import LOCAL_URL, chromium
from helpers.report.phone_layout import PHONE_ROOM_PX, smallest_text_px
from helpers.report.tables import long_table_html

pytestmark = [skip_without_chromium(), pytest.mark.slow]

LONG_ROWS = 60
# Per figure box: how its picture is shown, and the text size of the drawing it shows at that width.
FIGURES_JS = """JSON.stringify([...document.querySelectorAll('.figure[data-figure-id]')].map(box => {
  const img = box.querySelector('img'), svg = box.querySelector('.vega-view svg');
  return {id: box.dataset.figureId, state: box.dataset.interactive || null,
          height: box.getBoundingClientRect().height, width: box.getBoundingClientRect().width,
          src: img.currentSrc, complete: img.complete, natural: img.naturalWidth,
          shown: img.getBoundingClientRect().width, marks: box.querySelectorAll('g.role-mark > *').length,
          vega_width: svg ? svg.getBoundingClientRect().width : null};
}))"""


def long_table_notebook() -> nbformat.NotebookNode:
    rows = pd.DataFrame(
        {"Month": [f"2020-{m:02d}" for m in range(1, LONG_ROWS + 1)], "Value": range(LONG_ROWS)}
    )
    html = long_table_html(rows, "t-long", "A long table", "<p>Sixty rows in all.</p>")
    cell = new_code_cell("show_long_table(...)", execution_count=1)
    cell.outputs = [new_output("display_data", data={"text/html": html, "text/plain": ""})]
    return new_notebook(cells=[cell])


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("page")
    notebooks = write_fixture(root)
    nbformat.write(long_table_notebook(), root / "03_long.ipynb")
    return render_briefing([*notebooks, root / "03_long.ipynb"], root / "stage", PARAMS, ABOUT)


@contextmanager
def open_page(html_path: Path, width: int, scripts: bool = True):
    """The page in offline Chromium at `width` px (scripts on or off), with every request it makes,
    its console warnings and its console errors and uncaught exceptions."""
    with chromium() as browser:
        context = browser.new_context(
            viewport={"width": width, "height": 900}, java_script_enabled=scripts
        )
        context.route(re.compile(f"^(?!{LOCAL_URL})"), lambda route: route.abort("blockedbyclient"))
        page = context.new_page()
        page.requests, page.warnings = [], []
        page.on("request", lambda request: page.requests.append(request.url))
        page.on("console", lambda m: m.type == "warning" and page.warnings.append(m.text))
        with console_errors(page) as page.errors:
            page.goto(Path(html_path).resolve().as_uri())
            yield page


def figure_states(page) -> list[dict]:
    return json.loads(page.evaluate(FIGURES_JS))


# Every figure box has reached one of the given states (data-interactive: "drawn" by Vega, "static").
SETTLED_JS = """states => [...document.querySelectorAll('.figure[data-figure-id]')]
  .every(box => states.includes(box.dataset.interactive))"""


def wait_for(page, *states: str, timeout: float = 30) -> list[dict]:
    """The figure states once every figure is in one of `states` (Playwright polls the page)."""
    try:
        page.wait_for_function(SETTLED_JS, arg=list(states), timeout=timeout * 1000)
    except PlaywrightTimeout:
        raise TimeoutError(json.dumps(figure_states(page))[:500]) from None
    return figure_states(page)


def point_at_every_figure(page) -> None:
    page.evaluate(
        "document.querySelectorAll('.figure[data-figure-id]').forEach(box => "
        "box.dispatchEvent(new PointerEvent('pointerenter')))"
    )


def svg_of(data_uri: str) -> str:
    assert data_uri.startswith("data:image/svg+xml,"), data_uri[:40]
    return urllib.parse.unquote(data_uri.split(",", 1)[1])


@pytest.mark.parametrize("width", [390, 1280])
def test_without_javascript_every_figure_and_row_is_shown(page, width):
    """Scripts off (Chromium's own switch): each figure's picture has loaded, at 390 px the phone
    drawing with text of at least 10 px, and a long table's rows are real rows inside its <details>."""
    with open_page(page, width, scripts=False) as tab:
        # Playwright's evaluate runs even with the page's scripts disabled
        states = figure_states(tab)
        rows = tab.evaluate("document.querySelectorAll('details.full-table tbody tr').length")
        scripted = tab.evaluate("document.documentElement.hasAttribute('data-figures-done')")
    assert [s["id"] for s in states] == FIGURE_IDS
    assert not scripted  # the page's script really did not run
    assert rows == LONG_ROWS
    for state in states:
        assert state["complete"] and state["natural"] > 0, state["id"]
        assert state["state"] is None  # nothing was drawn by Vega
        svg = svg_of(state["src"])
        assert smallest_text_px(svg, state["shown"]) >= 10, (state["id"], state["shown"])
        if width == 390:  # the phone drawing, shown at its own width, inside the text column
            assert state["natural"] <= PHONE_ROOM_PX + 1 and state["shown"] == state["natural"]
        else:
            assert state["natural"] > PHONE_ROOM_PX + 100


@pytest.mark.parametrize("width", [390, 1280])
def test_pointing_at_a_chart_draws_it_with_vega_in_place(page, width):
    """Nothing is loaded until a reader reaches for a chart; then Vega draws every chart offline
    from the assets beside the page, in the box of its picture (no layout shift), without errors."""
    with open_page(page, width) as tab:
        before = figure_states(tab)
        loaded = tab.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
        assert not any("assets/" in url for url in loaded), loaded
        assert all(s["state"] is None and s["marks"] == 0 for s in before)
        point_at_every_figure(tab)
        after = wait_for(tab, "drawn")
        errors, requests = list(tab.errors), list(tab.requests)
    assert errors == []
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert any(url.split("?")[0].endswith("assets/vega.js") for url in requests)
    for old, new in zip(before, after, strict=True):
        assert new["marks"] > 0, new["id"]
        assert abs(new["height"] - old["height"]) <= 1, (old, new)  # replaced in place
        assert new["vega_width"] <= new["width"] + 1, new  # the phone spec fits the phone


def test_without_its_assets_the_page_keeps_its_pictures(page, tmp_path):
    """briefing.html sent alone: pointing at a chart finds no Vega, and the picture stays."""
    alone = tmp_path / "briefing.html"
    shutil.copyfile(page, alone)
    with open_page(alone, 1280) as tab:
        point_at_every_figure(tab)
        states = wait_for(tab, "static")
        errors = list(tab.errors)
    assert not [e for e in errors if "ERR_FILE_NOT_FOUND" not in e], errors  # no exception
    assert all(s["complete"] and s["natural"] > 0 and s["marks"] == 0 for s in states)


def test_a_spec_vega_cannot_draw_leaves_its_picture_and_says_so(page, tmp_path):
    """Guards against a vacuous check: a broken spec in assets/figures.js shows up as a warning
    naming the figure, and only that figure stays a picture."""
    copy = tmp_path / "stage"
    shutil.copytree(page.parent, copy)
    specs = copy / "assets" / "figures.js"
    text = specs.read_text(encoding="utf-8")
    payload = json.loads(text.split("=", 1)[1].strip().rstrip(";"))
    payload["f2-commodities-bar"]["spec"]["mark"] = {"type": "no-such-mark"}
    specs.write_text(f"window.briefingFigures = {json.dumps(payload)};\n", encoding="utf-8")
    with open_page(copy / "briefing.html", 1280) as tab:
        point_at_every_figure(tab)
        states = wait_for(tab, "drawn", "static")
        warnings = list(tab.warnings)
    assert [s["state"] for s in states] == ["drawn", "static"]
    assert any("f2-commodities-bar" in w for w in warnings), warnings


def test_a_long_table_is_text_until_opened(page):
    with open_page(page, 1280) as tab:
        closed = tab.evaluate("document.querySelectorAll('details.full-table tr').length")
        tab.evaluate("document.querySelector('details.full-table').open = true")
        tab.wait_for_function(
            "n => document.querySelectorAll('details.full-table tr').length > n", arg=LONG_ROWS
        )
        opened = tab.evaluate("document.querySelectorAll('details.full-table tr').length")
        text = tab.evaluate("document.querySelector('details.full-table').innerText")
    assert closed == 0
    assert opened == LONG_ROWS + 1  # the header and every row
    assert "2020-60" in text
