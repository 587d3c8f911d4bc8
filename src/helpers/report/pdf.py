"""Print the briefing to PDF with Debian's headless Chromium, offline, after its charts have drawn."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from .blocks import RenderError

DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Flags measured to print offline pages reliably as root in a container.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
]
OFFLINE_FLAGS = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
PDF_VIRTUAL_TIME_MS = 15000



def require_chromium(chromium: str | Path) -> str:
    path = shutil.which(str(chromium))
    if not path:
        raise RenderError(f"Chromium not found at {chromium}; install it with "
                          "`sudo apt-get install chromium` (Debian) or pass its path")
    return path


def print_pdf(html_path: Path, pdf_path: Path, chromium: str = DEFAULT_CHROMIUM,
              timeout: float = 120) -> Path:
    """Print the page with headless Chromium after its charts have drawn (virtual time)."""
    binary = require_chromium(chromium)
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="briefing-chromium-") as profile:
        command = [binary, *CHROMIUM_FLAGS, *OFFLINE_FLAGS, f"--user-data-dir={profile}",
                   f"--virtual-time-budget={PDF_VIRTUAL_TIME_MS}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf_path}", html_path.as_uri()]
        if pdf_path.exists():
            pdf_path.unlink()  # so a stale PDF can't pass for a fresh one
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RenderError(f"Chromium did not print {pdf_path} (exit {result.returncode}):\n"
                          f"{result.stderr[-2000:]}")
    return pdf_path
