"""A SYNTHETIC later month of wire rows (made up by the tests, labelled so in publisher, URL and quote) for the
"When GACC publishes a new month" workflow: January–March 2026 totals, appended as a user would."""

import csv
from pathlib import Path

SYNTHETIC = "SYNTHETIC test figure (made up by the tests, not published)"
# flow -> (US$ mn, y/y %): exports + imports = turnover; against GACC's January–March 2025 (22,725 / 30,488 / 53,212)
MARCH_2026 = {"export": (27500, 21.0), "import": (31600, 3.6), "total": (59100, 11.1)}


def synthetic_rows() -> list[list[str]]:
    return [
        [
            "2026-03",
            "ytd",
            flow,
            str(value),
            str(yoy),
            "usd",
            "https://example.invalid/synthetic-2026-03",
            SYNTHETIC,
            "2026-04-14",
            f"SYNTHETIC: January-March 2026 {flow} {value} US$ mn, {yoy:+} % (not a real figure)",
        ]
        for flow, (value, yoy) in MARCH_2026.items()
    ]


def append_rows(path: Path, rows: list[list[str]]) -> None:
    """Append rows the way a spreadsheet or a text editor would, in the file's own line endings."""
    ending = "\r\n" if b"\r\n" in Path(path).read_bytes()[:2000] else "\n"
    with open(path, "a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator=ending).writerows(rows)
