"""Print the briefing to PDF in Debian's Chromium through Playwright, offline, once its figures are final.

This is the one print path: `make report` (helpers.report.render) prints with `Printer.print`, and the
layout check (tests/browser/layout_check.py) prints the page it has measured with `print_page`, so the
tests measure the PDF that ships. `FIGURES_FINAL_JS` is the one condition every print and browser check
waits for.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlparse

from .blocks import RenderError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Playwright already starts Chromium headless, without sandbox (as root in a container), without
# background networking, component updates, sync, extensions or first-run pages. The proxy to a dead
# port and the resolver that finds no host keep the browser off the network whatever a page asks.
CHROMIUM_ARGS = ["--disable-gpu", "--proxy-server=127.0.0.1:9"]
NO_HOSTS = "MAP * ~NOTFOUND"
# Requests that stay on this machine; every other one is aborted (and a check may report it). Loopback
# (a JupyterLab server) bypasses the proxy; callers that need it add it to `allowed`.
LOCAL_URL = r"(file|data|blob|about|chrome|devtools):"
# The page's figures are final for `layout` ("page": print and wide screens; "phone": screens up to
# 640 px, where each figure shows its phone drawing): the page's script has marked the layout it is
# in, and every figure's picture has loaded. A page without figures is final once loaded.
FIGURES_FINAL_JS = """layout => {
  const boxes = [...document.querySelectorAll('.figure[data-figure-id]')];
  return !boxes.length || (document.documentElement.getAttribute('data-figures-layout') === layout &&
    boxes.every(box => [...box.querySelectorAll('img')].every(img => img.complete)));
}"""
# The address a briefing is opened at to be printed: served from its folder by Playwright (nothing goes
# to the network; `.invalid` never resolves), so the links the PDF keeps are the same wherever the
# project lives, and so are the PDF's bytes.
PAGE_ORIGIN = "http://briefing.invalid/"
# The window the page is printed from (Playwright's default): the charts are drawn for it as built.
PRINT_VIEWPORT = {"width": 1280, "height": 720}
# Chromium 156 writes the print time into the Info dictionary (no XMP packet, no trailer /ID):
#   /CreationDate (D:20261128171916+00'00')  /ModDate (D:20261128171916+00'00')
# Only a date of that length is matched, so its replacement keeps every byte offset valid.
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][0-9']{6}\)")
# The print layout is planned for at most this many pages (the default period prints 12; tests hold it).
PAGE_BUDGET = 12


def pdf_pages(pdf: Path) -> int:
    if shutil.which("pdfinfo"):
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", Path(pdf).read_bytes()))


def require_chromium(chromium: str | Path) -> str:
    path = shutil.which(str(chromium))
    if not path:
        raise RenderError(
            f"Chromium not found at {chromium}; install it with "
            "`sudo apt-get install chromium` (Debian) or pass its path"
        )
    return path


@contextmanager
def chromium(
    executable: str | Path = DEFAULT_CHROMIUM, loopback: bool = False
) -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (no browser download), off the network (`loopback`:
    except 127.0.0.1, for a local server); closed on exit. Playwright's objects belong to the thread
    that opened them."""
    from playwright.sync_api import sync_playwright  # 0.3 s to import: only where a browser starts

    binary = require_chromium(executable)
    hosts = f"{NO_HOSTS}, EXCLUDE 127.0.0.1" if loopback else NO_HOSTS
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=binary, args=[*CHROMIUM_ARGS, f"--host-resolver-rules={hosts}"]
        )
        try:
            yield browser
        finally:
            browser.close()


def offline_page(browser: Browser, width: int = 1280, height: int = 720, allowed: str = "") -> Page:
    """A page in a fresh context (no cookies, no cache) where every request that leaves the machine is
    aborted; `allowed` is a regular expression of URL prefixes let through too (e.g. a local server)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    local = f"{LOCAL_URL}|{allowed}" if allowed else LOCAL_URL
    context.route(re.compile(f"^(?!{local})"), lambda route: route.abort("blockedbyclient"))
    return context.new_page()


def open_briefing(page: Page, html_path: Path, timeout: float = 60) -> None:
    """Load the page at PAGE_ORIGIN, with any file it asks for from its own folder."""
    folder = Path(html_path).resolve().parent

    def serve(route) -> None:
        file = folder / unquote(urlparse(route.request.url).path).lstrip("/")
        if file.is_file():
            route.fulfill(path=file)
        else:
            route.fulfill(status=404)

    page.route(f"{PAGE_ORIGIN}**", serve)
    page.goto(PAGE_ORIGIN + quote(Path(html_path).name), timeout=timeout * 1000)


def wait_for_figures(page: Page, layout: str = "page", timeout: float = 60) -> None:
    page.wait_for_function(FIGURES_FINAL_JS, arg=layout, timeout=timeout * 1000)


def print_page(page: Page, pdf_path: Path, timeout: float = 60) -> Path:
    """Print a loaded briefing as `make report` ships it, whatever the page was emulating before: the
    window it is printed from, its figures final for that window, A4 from its own `@page` rule,
    backgrounds, tagged (as Chromium's --print-to-pdf); then the dates set to SOURCE_DATE_EPOCH and the
    links to files beside the page made relative, so two builds print the same bytes (open the page
    with `open_briefing` for the same bytes wherever the project lives)."""
    page.emulate_media(media="null")
    page.set_viewport_size(PRINT_VIEWPORT)
    wait_for_figures(page, "page", timeout)
    pdf_path = Path(pdf_path)
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    data = page.pdf(prefer_css_page_size=True, print_background=True, tagged=True)
    data = relativise_pdf_links(
        number_structure_ids(normalise_pdf_dates(data)), page.url.rsplit("/", 1)[0] + "/"
    )
    pdf_path.write_bytes(data)
    return pdf_path


class Printer:
    """Chromium kept open to print briefings (`make report` starts it while the notebooks run).
    Use it from one thread: `with Printer() as printer: printer.print(html, pdf)`."""

    def __init__(self, executable: str | Path = DEFAULT_CHROMIUM, timeout: float = 120):
        self.executable, self.timeout = executable, timeout
        self._open = ExitStack()

    def __enter__(self) -> Printer:
        try:
            self._browser = self._open.enter_context(chromium(self.executable))
            # the first page opened now, while the notebooks run: a fresh context takes ~0.4 s to open
            self._next_page = offline_page(self._browser)
        except RenderError:
            self._open.close()
            raise
        except Exception as error:
            self._open.close()
            raise RenderError(f"Chromium did not start: {str(error).splitlines()[0]}") from error
        return self

    def __exit__(self, *exc) -> None:
        self._open.close()

    def print(self, html_path: Path, pdf_path: Path) -> Path:
        pdf_path = Path(pdf_path).resolve()
        if pdf_path.exists():
            pdf_path.unlink()  # so a stale PDF can't pass for a fresh one
        page, self._next_page = self._next_page or offline_page(self._browser), None
        try:
            open_briefing(page, html_path, self.timeout)
            return print_page(page, pdf_path, self.timeout)
        except Exception as error:  # Playwright's errors carry a call log: keep its first line
            raise RenderError(
                f"Chromium did not print {pdf_path}: {str(error).splitlines()[0]}"
            ) from error
        finally:
            page.context.close()


def relativise_pdf_links(data: bytes, base_url: str) -> bytes:
    """Chromium turns the page's relative links (figures/x.csv) into absolute URLs of the address it
    printed the page from: useless to a reader, and a local path when that is a file:// URL. Rewrite
    each `/URI (<base_url>figures/x.csv)` to the relative `(figures/x.csv)`, which viewers resolve next
    to reports/briefing.pdf, padded with spaces after the string so every byte offset (and the xref
    table) stays valid."""
    prefix = b"(" + base_url.encode("ascii")
    link = re.compile(re.escape(prefix) + rb"([^()\\]*)\)")
    return link.sub(lambda m: b"(" + m.group(1) + b")" + b" " * (len(prefix) - 1), data)


def normalise_pdf_dates(data: bytes, epoch: int | None = None) -> bytes:
    """Set the PDF's creation and modification dates to SOURCE_DATE_EPOCH (default 0), so the same
    page prints to the same bytes. Each date is replaced by one of exactly the same length, so the
    cross-reference offsets stay valid."""
    if epoch is None:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    date = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch)).encode("ascii")
    return PDF_DATE.sub(lambda match: b"/" + match.group(1) + b" (" + date + b")", data)


# A tagged PDF names its structure elements after the DOM nodes they came from, `/ID (node00000065)`:
# the numbers depend on the order the page's nodes were created in, which differs between two builds
# of the same page (e.g. a picture decoded sooner), so the same content printed different bytes.
STRUCTURE_ID = re.compile(rb"\((node)(\d{8})\)")


def number_structure_ids(data: bytes) -> bytes:
    """Renumber the structure elements' ids in the order they first appear (same width, so every byte
    offset stays valid): the same page prints the same bytes."""
    order: dict[bytes, bytes] = {}

    def renumbered(match: re.Match) -> bytes:
        new = order.setdefault(match.group(2), b"%08d" % (len(order) + 1))
        return b"(" + match.group(1) + new + b")"

    return STRUCTURE_ID.sub(renumbered, data)
