"""Print the briefing to PDF with Debian's headless Chromium, offline, after its charts have drawn."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .blocks import RenderError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Flags measured to print offline pages reliably as root in a container.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--hide-scrollbars",
    "--mute-audio",
]
OFFLINE_FLAGS = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
PDF_VIRTUAL_TIME_MS = 15000
# Chromium 156 writes the print time into the Info dictionary (no XMP packet, no trailer /ID):
#   /CreationDate (D:20261128171916+00'00')  /ModDate (D:20261128171916+00'00')
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+\-Z][0-9']*\)")


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


def print_pdf(
    html_path: Path, pdf_path: Path, chromium: str = DEFAULT_CHROMIUM, timeout: float = 120
) -> Path:
    """Print the page with headless Chromium after its charts have drawn (virtual time)."""
    binary = require_chromium(chromium)
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(
        prefix="briefing-chromium-", ignore_cleanup_errors=True
    ) as profile:
        command = [
            binary,
            *CHROMIUM_FLAGS,
            *OFFLINE_FLAGS,
            f"--user-data-dir={profile}",
            f"--virtual-time-budget={PDF_VIRTUAL_TIME_MS}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf_path}",
            html_path.as_uri(),
        ]
        if pdf_path.exists():
            pdf_path.unlink()  # so a stale PDF can't pass for a fresh one
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RenderError(
            f"Chromium did not print {pdf_path} (exit {result.returncode}): "
            f"{' '.join(result.stderr[-300:].split())}"
        )
    normalise_pdf_dates(pdf_path)
    relativise_pdf_links(pdf_path, html_path.parent)
    return pdf_path


def relativise_pdf_links(pdf_path: Path, base_dir: Path) -> int:
    """Chromium turns the page's relative links (figures/x.csv) into absolute file:// URIs of the
    build's stage directory: a local path in the published PDF, different for every build, and dead
    once the stage is gone. Rewrite each `/URI (file:///<stage>/figures/x.csv)` to the relative
    `(figures/x.csv)`, which viewers resolve next to reports/briefing.pdf, and move the byte offsets
    of the cross-reference table by what each rewrite removed: no padding whose length would depend on
    where the project is cloned, so two clones print the same bytes. Returns the links rewritten."""
    prefix = b"(" + Path(base_dir).resolve().as_uri().encode("ascii") + b"/"
    link = re.compile(re.escape(prefix) + rb"([^()\\]*)\)")
    data = Path(pdf_path).read_bytes()
    found = list(link.finditer(data))
    if not found:
        return 0
    removed = [(m.start(), len(prefix) - 1) for m in found]  # where, and how many bytes fewer
    rewritten = link.sub(lambda m: b"(" + m.group(1) + b")", data)
    moved = _moved_xref(rewritten, removed)
    Path(pdf_path).write_bytes(
        moved
        if moved is not None
        else link.sub(lambda m: b"(" + m.group(1) + b")" + b" " * (len(prefix) - 1), data)
    )
    return len(found)


XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(\r\n| \n| \r)")


def _moved_xref(data: bytes, removed: list[tuple[int, int]]) -> bytes | None:
    """`data` with the offsets of its one classic xref table and its startxref moved back by the bytes
    `removed` before each (positions in the file before the rewrite); None for another layout (an
    xref stream, incremental updates), where the caller pads instead."""
    if data.count(b"startxref") != 1 or data.count(b"\nxref") != 1 or b"/XRef" in data:
        return None

    def shift(offset: int) -> int:
        return offset - sum(n for at, n in removed if at < offset)

    table = data.index(b"\nxref") + 1
    trailer = data.index(b"trailer", table)
    entries = XREF_ENTRY.sub(
        lambda m: (
            b"%010d %s %s%s" % (shift(int(m[1])) if m[3] == b"n" else int(m[1]), m[2], m[3], m[4])
        ),
        data[table:trailer],
    )
    start = data.index(b"startxref", trailer)
    tail = re.sub(
        rb"startxref\s+(\d+)", lambda m: b"startxref\n%d" % shift(int(m[1])), data[start:], count=1
    )
    return data[:table] + entries + data[trailer:start] + tail


def pdf_date(epoch: int) -> bytes:
    return time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch)).encode("ascii")


def normalise_pdf_dates(pdf_path: Path, epoch: int | None = None) -> int:
    """Set the PDF's creation and modification dates to SOURCE_DATE_EPOCH (default 0), so the same
    page prints to the same bytes. Each date is replaced by one of exactly the same length, so the
    cross-reference offsets stay valid. Returns how many dates were rewritten."""
    if epoch is None:
        epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "0") or 0)
    data = Path(pdf_path).read_bytes()
    count = 0

    def fixed(match: re.Match) -> bytes:
        nonlocal count
        original = match.group(0)
        replacement = b"/" + match.group(1) + b" (" + pdf_date(epoch) + b")"
        if len(replacement) != len(original):
            return original  # an unexpected date form: leave it rather than break the offsets
        count += 1
        return replacement

    normalised = PDF_DATE.sub(fixed, data)
    if normalised != data:
        Path(pdf_path).write_bytes(normalised)
    return count
