"""Measure the briefing's layout in Chromium: printed (A4, print stylesheet) and on screen (390/1280 px).

Print: the page is laid out with print media at the width of the A4 content box, every element of
every printed table and figure is measured against that box, chart labels are measured at their
printed size, and the page is printed as `make report` prints it (helpers.report.pdf.print_page).
Screen: the page must not scroll sideways; tables must keep every column inside their box (a full
table inside <details> may scroll in its own box, which is the designed behaviour on screen).

CLI: .venv/bin/python -m tests.browser.layout_check reports/briefing.html --pdf /tmp/layout/briefing.pdf
"""

from __future__ import annotations

import argparse
import html
import json
import math
import re
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import unquote

from helpers.report.pdf import (
    DEFAULT_CHROMIUM,
    PAGE_BUDGET,
    chromium,
    offline_page,
    open_briefing,
    pdf_pages,
    print_page,
    wait_for_figures,
)
from helpers.report.phone_layout import smallest_text_px

CSS_PX_PER_MM = 96 / 25.4
MIN_LABEL_PX = 10  # chart text at its printed size
SVG_DATA_URI = "data:image/svg+xml,"
PHONE_MAX_PX = 640  # the page's phone layout (its CSS and chart drawing) applies up to this width
# Every visible element of a table or figure whose right edge passes `limit` (CSS px), and chart
# text smaller than `minPx` once the SVG is scaled to the page.
MEASURE_JS = """([limit, skipDetails, minPx]) => {
  const visible = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const overflows = [], small = [], headers = [];
  for (const box of document.querySelectorAll('figure.table, figure.chart, table')) {
    const id = box.getAttribute('data-table-id') || box.id || name(box);
    for (const el of [box, ...box.querySelectorAll('*')]) {
      if (!visible(el)) continue;
      if (skipDetails && el.closest('details.full-table')) continue;
      const r = el.getBoundingClientRect();
      if (r.right > limit + 0.5 || r.left < -0.5)
        overflows.push({table: id, element: name(el), left: Math.round(r.left), right: Math.round(r.right),
                        text: (el.textContent || '').trim().slice(0, 60)});
      if (el.tagName === 'TD' && el.scrollWidth > el.clientWidth + 1)
        overflows.push({table: id, element: 'td (content wider than its cell)', right: Math.round(r.right),
                        text: (el.textContent || '').trim().slice(0, 60)});
    }
  }
  // Anything else on the page (prose, headings, the about section) must fit the box as well.
  for (const el of document.querySelectorAll('main *')) {
    if (el.closest('figure.table, figure.chart, table, svg') || !visible(el)) continue;
    if (skipDetails && el.closest('details.full-table')) continue;
    const r = el.getBoundingClientRect();
    if (r.right > limit + 0.5 || r.left < -0.5)
      overflows.push({table: 'page', element: name(el), left: Math.round(r.left), right: Math.round(r.right),
                      text: (el.textContent || '').trim().slice(0, 60)});
  }
  for (const th of document.querySelectorAll('figure.table th')) {
    if (visible(th) && !th.closest('details.full-table')) headers.push(th.textContent.trim());
  }
  for (const svg of document.querySelectorAll('figure.chart svg')) {
    const width = parseFloat(svg.getAttribute('width')) || svg.viewBox.baseVal.width;
    const scale = width ? svg.getBoundingClientRect().width / width : 1;
    const id = svg.closest('[data-figure-id]')?.getAttribute('data-figure-id');
    for (const t of svg.querySelectorAll('text')) {
      if (!t.textContent.trim()) continue;
      const size = parseFloat(getComputedStyle(t).fontSize) * scale;
      if (size < minPx - 0.05) small.push({figure: id, text: t.textContent.slice(0, 40),
                                              px: Math.round(size * 10) / 10});
    }
  }
  // a figure still shown as its picture: the drawing it shows and how wide (its text is sized in Python)
  const pictures = [...document.querySelectorAll('.figure[data-figure-id]')]
    .filter(box => !box.querySelector('.vega-view svg') && box.querySelector('img'))
    .map(box => ({figure: box.getAttribute('data-figure-id'), src: box.querySelector('img').currentSrc,
                  shown: box.querySelector('img').getBoundingClientRect().width}));
  const doc = document.documentElement;
  return {overflows, small, headers, pictures, page_width: doc.clientWidth,
          scroll_width: doc.scrollWidth};
}"""


@dataclass
class LayoutResult:
    mode: str  # "print" or "screen-<width>"
    width: float  # CSS px the layout was measured at
    scroll_width: int = 0  # document width; > width means the page scrolls sideways
    overflows: list[dict] = field(default_factory=list)
    small_labels: list[dict] = field(default_factory=list)
    printed_headers: list[str] = field(default_factory=list)
    pages: int | None = None
    pdf: str | None = None


def page_size_mm(html_text: str) -> tuple[float, float, float, float]:
    """(page width, left, right margin) in mm from the template's `@page { size: A4; margin: t r b }`."""
    match = re.search(r"@page\s*{\s*size:\s*A4;\s*margin:\s*([\d.]+)mm\s+([\d.]+)mm", html_text)
    if not match:
        raise ValueError("the page has no `@page { size: A4; margin: <top>mm <sides>mm ... }` rule")
    return 210.0, float(match.group(2)), float(match.group(2)), float(match.group(1))


def measure(page, width: float, media: str, skip_details: bool) -> LayoutResult:
    """The layout at `width` CSS px with `media` emulated, once the charts are drawn for that width
    (the page draws them again for a phone-width screen, and back)."""
    page.emulate_media(media=media)
    page.set_viewport_size({"width": int(round(width)), "height": 1000})
    wait_for_figures(page, "phone" if media == "screen" and width <= PHONE_MAX_PX else "page")
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    state = page.evaluate(MEASURE_JS, [width, skip_details, MIN_LABEL_PX])
    small = state["small"] + small_picture_text(state["pictures"])
    mode = "print" if media == "print" else f"screen-{width}"
    return LayoutResult(
        mode, width, state["scroll_width"], state["overflows"], small, state["headers"]
    )


def small_picture_text(pictures: list[dict]) -> list[dict]:
    """The figures whose picture (an SVG data URI) shows text under MIN_LABEL_PX at its shown width."""
    small = []
    for picture in pictures:
        if not picture["src"].startswith(SVG_DATA_URI):
            raise ValueError(f"{picture['figure']}: a picture that is not an SVG data URI")
        svg = unquote(picture["src"][len(SVG_DATA_URI) :])
        px = smallest_text_px(svg, picture["shown"])
        if px < MIN_LABEL_PX - 0.05:
            small.append({"figure": picture["figure"], "text": "(its picture)", "px": round(px, 1)})
    return small


def check_layout(
    html_path: Path,
    pdf_path: Path | None = None,
    screen_widths=(390, 1280),
    executable: str = DEFAULT_CHROMIUM,
) -> list[LayoutResult]:
    """Print layout first (and the PDF, when `pdf_path` is given), then each screen width."""
    html_path = Path(html_path).resolve()
    page_mm, left_mm, right_mm, _ = page_size_mm(html_path.read_text(encoding="utf-8"))
    # Whole CSS pixels: the emulated viewport is an integer width, and the page box must not be rounded up.
    content_px = math.floor((page_mm - left_mm - right_mm) * CSS_PX_PER_MM)
    with chromium(executable) as browser:
        page = offline_page(browser)
        open_briefing(page, html_path)
        if pdf_path is not None:  # first, as `make report` prints a page it has just opened
            print_page(page, Path(pdf_path))
        printed = measure(page, content_px, "print", skip_details=True)
        if pdf_path is not None:
            printed.pdf, printed.pages = str(pdf_path), pdf_pages(Path(pdf_path))
        results = [printed]
        page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
        results += [measure(page, width, "screen", skip_details=False) for width in screen_widths]
    return results


def pdf_words(pdf: Path) -> list[tuple[int, float, float, float, str, float, float]]:
    """(page, x, y, height, word, x_max, page_width) for every word of the PDF, from `pdftotext -bbox`."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    words, page, page_width = [], 0, 0.0
    for line in xhtml.splitlines():
        if "<page " in line:
            page += 1
            page_width = float(re.search(r'width="([\d.]+)"', line).group(1))
        match = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            line,
        )
        if match:
            x, y, x_max, y_max = (float(v) for v in match.groups()[:4])
            words.append((page, x, y, y_max - y, html.unescape(match.group(5)), x_max, page_width))
    return words


def words_past_margin(
    pdf: Path, side_margin_mm: float, slack_pt: float = 1.5
) -> list[tuple[int, str]]:
    """Words of the printed PDF that reach into the right margin or past the page: (page, word)."""
    margin_pt = side_margin_mm * 72 / 25.4
    return [
        (w[0], w[4])
        for w in pdf_words(pdf)
        if w[5] > w[6] - margin_pt + slack_pt or w[1] < margin_pt - slack_pt
    ]


def header_printed(header: str, words: list[tuple]) -> bool:
    """The header's characters, in order, in words on the same line or on following lines of the same cell
    (a header may wrap inside its cell, also after a dash; neighbouring cells may wrap at the same height)."""
    wanted = re.sub(r"\s+", "", header)
    for start, (page, x0, y0, _height, text, *_) in enumerate(words):
        if not text or not wanted.startswith(text):
            continue
        rest, last_x, last_y = wanted[len(text) :], x0, y0
        for page2, x, y, h, word, *_ in words[start + 1 :]:
            if not rest or page2 != page or y - last_y > 2.5 * h:
                break
            same_line = abs(y - last_y) < h / 2 and x > last_x
            next_line = 0 < y - last_y <= 2.5 * h and x0 - 2 <= x < x0 + 200
            if word and rest.startswith(word) and (same_line or next_line):
                rest, last_x, last_y = rest[len(word) :], x, y
        if not rest:
            return True
    return False


def missing_headers(headers: list[str], pdf: Path) -> list[str]:
    """Printed table headers that cannot be found, word by word, in the PDF's text."""
    words = pdf_words(pdf)
    return [h for h in dict.fromkeys(headers) if not header_printed(h, words)]


def snapshots(pdf: Path, out_dir: Path, first: int = 3, dpi: int = 60) -> list[Path]:
    """PNG images of the first pages (pdftoppm) for a human to look at."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(dpi),
            "-png",
            "-f",
            "1",
            "-l",
            str(first),
            str(pdf),
            str(out_dir / "page"),
        ],
        check=True,
    )
    return sorted(out_dir.glob("page-*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.browser.layout_check", description=__doc__
    )
    parser.add_argument("html", type=Path)
    parser.add_argument("--pdf", type=Path, default=Path("/tmp/briefing-layout/briefing.pdf"))
    parser.add_argument("--max-pages", type=int, default=PAGE_BUDGET)
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    args = parser.parse_args(argv)
    results = check_layout(args.html, args.pdf, executable=args.chromium)
    problems = 0
    for result in results:
        summary = asdict(result)
        summary["printed_headers"] = len(result.printed_headers)
        print(json.dumps(summary, ensure_ascii=False))
        # Label size is a print rule; on a phone charts shrink to the screen and readers zoom.
        labels = len(result.small_labels) if result.mode == "print" else 0
        problems += len(result.overflows) + labels + (result.scroll_width > result.width + 0.5)
    printed = results[0]
    lost = missing_headers(printed.printed_headers, Path(printed.pdf))
    if lost:
        print("headers missing from the PDF text:", lost)
    _, left_mm, _, _ = page_size_mm(args.html.read_text(encoding="utf-8"))
    outside = words_past_margin(Path(printed.pdf), left_mm)
    if outside:
        print("words in the PDF's side margins:", outside[:10])
    print(f"pages: {printed.pages} (max {args.max_pages})")
    return 0 if not problems and not lost and not outside and printed.pages <= args.max_pages else 1


if __name__ == "__main__":
    sys.exit(main())
