"""The Comtrade key never reaches a screen, a log or a file, whichever library logs the request URL.

The attack: COMTRADE_API_KEY set, the API unreachable (connection refused). comtradeapicall puts the
key in the URL; urllib3 logs that URL in its retry warnings (12 of them with the default retries) and
Python's last-resort handler prints them. Here the real client and urllib3 run against 127.0.0.1 on a
closed port (only the host of the URL is monkeypatched), with a file log handler added BEFORE
`make fetch`'s code runs, and the key must appear nowhere.
"""

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers.fetch.redact import redact

ROOT = Path(__file__).resolve().parents[1]
KEY = "test-key-9b7e41c0d2a84f"  # synthetic, not a real subscription key

SCRIPT = textwrap.dedent("""
    import logging, sys
    import urllib3
    port, log_file, out_dir, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    if mode == "file-log":
        # a handler configured before our code runs, at DEBUG: the strictest place for a leak
        handler = logging.FileHandler(log_file)
        handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        logging.getLogger().addHandler(handler)
        logging.getLogger("urllib3").setLevel(logging.DEBUG)
    real_request = urllib3.PoolManager.request
    def to_closed_port(self, method, url, *args, **kwargs):
        url = url.replace("https://comtradeapi.un.org", f"http://127.0.0.1:{port}")
        return real_request(self, method, url, *args, **kwargs)
    urllib3.PoolManager.request = to_closed_port
    from helpers.fetch import cli
    cli._host_resolves = lambda host=None: None  # DNS would fail first offline
    verbose = ["-v"] if mode == "file-log" else []
    sys.exit(cli.main(["--partner", "RU", "--from", "2024-01", "--to", "2024-02", "--hs", "8703",
                       *verbose, "--out", out_dir], sleep=lambda seconds: None))
""")


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on exit: connecting is refused


@pytest.mark.parametrize("mode", ["stderr", "file-log"])
def test_refused_connection_never_prints_or_writes_the_key(tmp_path, mode):
    """stderr: what a user sees (urllib3's warnings on the terminal); file-log: a DEBUG file handler."""
    log_file, out_dir = tmp_path / "client.log", tmp_path / "comtrade"
    env = {
        **os.environ,
        "COMTRADE_API_KEY": KEY,
        "PYTHONPATH": str(ROOT / "src"),
        "BRIEFING_ROOT": str(ROOT),
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(closed_port()), str(log_file), str(out_dir), mode],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "cannot reach" in result.stderr.splitlines()[-1]
    # the attack did happen: urllib3 logged each retry with the request URL - redacted
    logged = log_file.read_text() if mode == "file-log" else result.stderr
    assert logged.count("Retrying") >= 12 and "subscription-key=***" in logged, logged[-2000:]
    assert KEY not in result.stdout and KEY not in result.stderr and KEY not in logged
    written = [p for p in tmp_path.rglob("*") if p.is_file() and KEY.encode() in p.read_bytes()]
    assert written == [] and not out_dir.exists()


def test_redact_masks_the_key_and_any_subscription_key_parameter():
    url = f"/data/v1/get/C/M/HS?period=202401&subscription-key={KEY}&cmdCode=8703"
    assert (
        redact(url, {KEY}) == "/data/v1/get/C/M/HS?period=202401&subscription-key=***&cmdCode=8703"
    )
    assert redact("Subscription-Key=other-secret'", set()) == "Subscription-Key=***'"
    assert redact(f"HTTPError {KEY[:5]}", {KEY}) == f"HTTPError {KEY[:5]}"
