"""The PDF is the same bytes wherever the project is cloned (issue 23, point 6): the page is printed
from one fixed address (helpers.report.pdf.PAGE_ORIGIN), not a file:// path of the stage directory, and
its links are made relative again, padded to the same length so the cross-reference table stays valid."""

import re
import shutil

import pytest

from helpers.report.pdf import DEFAULT_CHROMIUM, Printer

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>t</title></head><body>
<p>Figure data: <a href="figures/f1-x.csv">f1-x.csv</a>, <a href="tables/t-y.csv">t-y.csv</a>,
<a href="https://example.org/a">a web link</a>.</p></body></html>"""


def xref_points_at_objects(data: bytes) -> bool:
    table = data[data.index(b"\nxref") + 1 : data.index(b"trailer")]
    first = int(table.split()[1])
    entries = re.findall(rb"(\d{10}) \d{5} ([nf])", table)
    for number, (offset, kind) in enumerate(entries, start=first):
        if kind == b"n" and not data[int(offset) :].startswith(b"%d 0 obj" % number):
            return False
    start = int(re.search(rb"startxref\s+(\d+)", data)[1])
    return data[start:].startswith(b"xref")


@pytest.mark.skipif(not shutil.which(DEFAULT_CHROMIUM), reason="needs Debian's Chromium")
def test_two_clones_at_paths_of_different_lengths_print_the_same_pdf(tmp_path):
    printed = []
    for clone in ("a", "a-clone-at-a-much-longer-path/with/more/folders"):
        stage = tmp_path / clone / "build" / "stage-12345678"
        stage.mkdir(parents=True)
        (stage / "briefing.html").write_text(PAGE, encoding="utf-8")
        with Printer() as printer:  # a Chromium of its own for each clone
            printed.append(
                printer.print(stage / "briefing.html", stage / "briefing.pdf").read_bytes()
            )
    short, long = printed
    assert short == long
    assert re.findall(rb"/URI \(([^)]*)\)", short) == [
        b"figures/f1-x.csv",
        b"tables/t-y.csv",
        b"https://example.org/a",
    ]
    assert b"file://" not in short and str(tmp_path).encode() not in short
    assert xref_points_at_objects(short)
