"""The printed briefing: at most 12 pages, nothing past the page box, every printed header in the PDF text.

Measured in Chromium (tests/browser/layout_check.py): print media at the A4 content width for the
layout, the PDF printed as `make report` prints it (helpers.report.pdf.print_page), and the screen at
390 and 1280 px, on the briefing built in a copy of the project (conftest.built_project). PNG
snapshots of the first pages go to the session's artifacts folder for a human to look at.
"""

import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from briefing_fixture import skip_without_chromium
from browser.layout_check import (
    check_layout,
    missing_headers,
    page_size_mm,
    pdf_pages,
    snapshots,
    words_past_margin,
)
from helpers.report.pdf import normalise_pdf_dates

MAX_PAGES = 12

pytestmark = [
    skip_without_chromium(),
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]


@pytest.fixture(scope="module")
def briefing(built_project):
    return built_project / "reports" / "briefing.html"


@pytest.fixture(scope="module")
def layout_pdf(tmp_path_factory):
    return tmp_path_factory.mktemp("layout") / "briefing.pdf"


@pytest.fixture(scope="module")
def layout(briefing, layout_pdf):
    return {r.mode: r for r in check_layout(briefing, layout_pdf)}


def test_published_pdf_has_at_most_12_pages(briefing, artifacts):
    pages = pdf_pages(briefing.parent / "briefing.pdf")
    assert 5 <= pages <= MAX_PAGES, pages
    shots = snapshots(briefing.parent / "briefing.pdf", artifacts / "print-snapshots", first=4)
    assert len(shots) == 4 and all(p.read_bytes().startswith(b"\x89PNG") for p in shots)


def test_the_layout_check_measures_the_pdf_that_ships(briefing, layout, layout_pdf, tmp_path):
    """One print path: the PDF the layout check prints is the published one, byte for byte (both
    dated alike here: the build's date comes from make's SOURCE_DATE_EPOCH)."""
    published = tmp_path / "published.pdf"
    shutil.copyfile(briefing.parent / "briefing.pdf", published)
    published_bytes, layout_bytes = (
        normalise_pdf_dates(pdf.read_bytes(), epoch=0) for pdf in (published, layout_pdf)
    )
    assert published_bytes.count(b"Date (D:19700101000000+00'00')") == 2
    assert layout_bytes == published_bytes
    assert layout["print"].pages == pdf_pages(published)


def test_no_printed_word_reaches_the_side_margins(briefing):
    """Measured in the published PDF itself: every word lies within the page's content box."""
    _, side_mm, _, _ = page_size_mm(briefing.read_text(encoding="utf-8"))
    assert words_past_margin(briefing.parent / "briefing.pdf", side_mm) == []


def test_nothing_printed_extends_past_the_page_box(layout):
    printed = layout["print"]
    assert printed.overflows == [], printed.overflows[:5]
    assert printed.scroll_width <= printed.width + 0.5
    assert printed.small_labels == [], printed.small_labels[:5]  # chart text >= 10 px on paper
    assert printed.pages <= MAX_PAGES


@pytest.mark.parametrize("mode", ["screen-390", "screen-1280"])
def test_html_keeps_every_column_on_screen(layout, mode):
    result = layout[mode]
    assert result.scroll_width <= result.width, f"the page scrolls sideways at {result.width} px"
    assert result.overflows == [], result.overflows[:5]
    # a phone gets charts laid out for its width, not the desktop drawing shrunk: text stays >= 10 px
    assert result.small_labels == [], result.small_labels[:5]


def test_every_printed_table_header_is_in_the_pdf_text(briefing, layout):
    headers = layout["print"].printed_headers
    for expected in (
        "Claim (paraphrased)",
        "Story",
        "Data",
        "Verdict",
        "y/y % (published)",
        "This year, US$ mn",  # the conflicts table ("Used (outlet)") is on screen only
    ):
        assert expected in headers
    assert missing_headers(headers, briefing.parent / "briefing.pdf") == []
    assert missing_headers(["Verdict Nowhere"], briefing.parent / "briefing.pdf") == [
        "Verdict Nowhere"
    ]


def claim_pages_text(pdf: Path) -> str:
    pages = pdf_pages(pdf)
    texts = [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), "-enc", "UTF-8", str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]
    start = next(i for i, t in enumerate(texts) if "Every figure the story printed" in t)
    end = next(i for i, t in enumerate(texts) if "Data and methods" in t and i >= start)
    return "\n".join(texts[start : end + 1])


def test_claim_table_reads_without_broken_words_or_numbers(briefing):
    text = claim_pages_text(briefing.parent / "briefing.pdf")
    claims = pd.read_csv(briefing.parent / "tables" / "t-claim-check.csv")
    numbers = {
        t
        for cell in claims[["Story", "Data"]].astype(str).stack()
        for t in re.findall(r"[-+]?\$?\d[\d,.]*\d%?", cell)
    }
    assert "$244.8bn" in " ".join(claims.Data) and numbers
    broken = [n for n in numbers if n not in text]
    assert broken == [], broken
    for verdict in claims.Verdict.unique():  # e.g. "consistent" never printed as "consiste / nt"
        assert all(word in text.split() for word in verdict.split()), verdict
    assert "http" not in text.split("Sources:")[0] and not re.search(r"https?://", text)


def test_checker_catches_a_table_wider_than_the_page(tmp_path):
    """Guards against a vacuous check: a table of unbreakable cells must be reported in print and at 390 px."""
    cells = "".join(f'<td class="num">{n:,}</td>' for n in range(1_000_000, 1_000_030))
    page = (
        "<html><head><style>@page { size: A4; margin: 14mm 13mm 14mm; } td.num { white-space: nowrap }"
        "</style></head><body><figure class='table' data-table-id='t-wide'><table><tr>"
        + cells
        + "</tr></table></figure><script>document.documentElement.setAttribute('data-figures-done','0')"
        "</script></body></html>"
    )
    html_path = tmp_path / "wide.html"
    html_path.write_text(page, encoding="utf-8")
    results = {r.mode: r for r in check_layout(html_path, tmp_path / "wide.pdf")}
    assert any(o["table"] == "t-wide" for o in results["print"].overflows)
    assert any(o["table"] == "t-wide" for o in results["screen-390"].overflows)
    assert results["print"].pages == 1
    assert words_past_margin(
        tmp_path / "wide.pdf", 13
    )  # clipped at the page edge, so it shows in the margin


def test_long_tables_are_summarised_in_print_and_complete_on_screen_and_in_csv(briefing):
    html = briefing.read_text(encoding="utf-8")
    from helpers.sections.methods import conflicts_table
    from helpers.sections.section import open_section

    expected = conflicts_table(open_section(period_end="2025-07", partner="Russia"))
    conflicts = pd.read_csv(briefing.parent / "tables" / "t-conflicts.csv")
    assert (
        len(conflicts) == len(expected) >= 40 and "Used: outlet" in conflicts.columns
    )  # every row, real data
    outlets = (conflicts.Between == "two outlets").sum()
    assert f"{len(conflicts)} pairs of figures disagree beyond rounding" in re.sub(
        r"<[^>]+>", "", html
    )
    assert f"{outlets} between two outlets" in html.replace('<span class="nw">', "").replace(
        "</span>", ""
    )
    assert set(conflicts.Between) == {"two outlets", "raw rows and a wire report"}
    assert not conflicts.Goods.str.fullmatch(r"[a-z_]+").any()  # readable labels, never group ids
    assert f"Show all {len(conflicts)} rows" in html
    for table_id in (
        "t-derived-months",
        "t-flows-add-up",
        "t-months-vs-ytd",
        "t-groups",
        "t-machine-tools",
    ):
        rows = len(pd.read_csv(briefing.parent / "tables" / f"{table_id}.csv"))
        assert f'data-table-id="{table_id}"' in html and f"Show all {rows:,} rows" in html, table_id


def pdf_page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_published_tables_read_like_the_text_and_csvs_stay_plain(briefing):
    html = briefing.read_text(encoding="utf-8")
    fuel = html.split('data-table-id="t-fuel-ytd"')[1].split("</figure>")[0]
    assert '<td class="num" data-label="Change, %">−18.3</td>' in fuel  # the four codes together
    assert (
        '<td class="num" data-label="Change, %">+21.3</td>' in fuel
    )  # pipeline gas: GACC's published y/y
    assert '<td class="num" data-label="January–July 2025, US$ bn">5.70</td>' in fuel
    annual = html.split('data-table-id="t-imports-annual-check"')[1].split("</figure>")[0]
    assert '<td class="num" data-label="Wire vs rows, %">+0.13</td>' in annual
    assert (
        '<td class="num" data-label="Wire, US$ bn">129.1\u2007</td>' in annual
    )  # as published, aligned
    ytd = html.split('data-table-id="t-ytd-comparison"')[1].split("</figure>")[0]
    assert (
        '<td class="num" data-label="y/y % (from levels)">−8.0</td>' in ytd
    )  # the text: "−8.0% from levels"
    assert "−18.3" in "\n".join(
        pdf_page_text(briefing.parent / "briefing.pdf", n)
        for n in range(1, pdf_pages(briefing.parent / "briefing.pdf") + 1)
    )
    fuel_csv = (briefing.parent / "tables" / "t-fuel-ytd.csv").read_text(encoding="utf-8")
    assert (
        ",-18.3," in fuel_csv and ",21.3," in fuel_csv and ",5.6953," in fuel_csv
    )  # plain numbers, full precision
    for path in (briefing.parent / "tables").glob("*.csv"):
        assert "\u2007" not in path.read_text(encoding="utf-8"), path.name


def test_a_table_row_and_its_detail_line_print_on_one_page(briefing):
    """A table running on from one page repeats its header on the next, then must go on with a row: a detail
    line ("Why: …", "Raw rows: …") there would be cut from its row (the LNG row, the 2022 annual check and the
    low-value goods claim once were)."""
    html = briefing.read_text(encoding="utf-8")
    labels = set(re.findall(r'<span class="detail-label">([^<:]+):</span>', html))
    assert {"Why", "Raw rows", "Figure used"} <= labels
    pdf = briefing.parent / "briefing.pdf"
    cut = []
    for page in range(1, pdf_pages(pdf) + 1):
        lines = [line.strip() for line in pdf_page_text(pdf, page).splitlines() if line.strip()]
        cut += [
            (page, line[:60])
            for line in lines[:2]
            if any(line.startswith(f"{label}:") for label in labels)
        ]
    assert cut == []


def test_dates_in_the_sources_table_do_not_break(briefing):
    sources = (
        briefing.read_text(encoding="utf-8")
        .split('<table class="sources">')[1]
        .split("</table>")[0]
    )
    dates = re.findall(r"<td data-label=\"Accessed\">(\d{4}-\d{2}-\d{2})</td>", sources)
    assert dates
    rows = re.findall(
        r"<td data-label=\"Rows\">([\d,]+)</td>", sources
    )  # row counts with thousands separators, like the tables
    assert "43,494" in rows and all(re.fullmatch(r"\d{1,3}(,\d{3})*", n) for n in rows)
    pdf = briefing.parent / "briefing.pdf"
    text = "\n".join(pdf_page_text(pdf, n) for n in range(1, pdf_pages(pdf) + 1))
    assert re.findall(r"\d{4}-\d{2}-\s*$", text, re.M) == []  # once printed as "2026-11-" / "28"
    assert all(text.count(date) >= dates.count(date) for date in dates)


def test_a_long_tables_summary_prints_on_the_page_of_its_key_rows(briefing):
    """ "…; the 3 largest gaps:" must not end a page while the rows it announces start the next one."""
    pdf = briefing.parent / "briefing.pdf"
    endings = {
        page: [line.strip() for line in pdf_page_text(pdf, page).splitlines() if line.strip()][-1]
        for page in range(1, pdf_pages(pdf))
    }
    assert {page: line for page, line in endings.items() if line.endswith(":")} == {}


def test_checker_catches_small_text_in_a_figure_picture(tmp_path):
    """Guards against a vacuous check: the figures are pictures now (an <img> of their SVG), so chart
    text is measured in the drawing the picture shows, scaled to its shown width."""
    from urllib.parse import quote

    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100">'
        '<text x="10" y="50" style="font-size: 11px">shrunk to half its size</text></svg>'
    )
    page = (
        "<html><head><style>@page { size: A4; margin: 14mm 13mm 14mm; }</style></head><body><main>"
        '<div class="figure" data-figure-id="f1-x"><img style="width: 300px" '
        f'src="data:image/svg+xml,{quote(svg)}"></div></main><script>'
        "document.documentElement.setAttribute('data-figures-layout',"
        " matchMedia('(max-width: 640px)').matches ? 'phone' : 'page')</script></body></html>"
    )
    html_path = tmp_path / "small.html"
    html_path.write_text(page, encoding="utf-8")
    printed = check_layout(html_path, screen_widths=())[0]
    assert printed.small_labels == [{"figure": "f1-x", "text": "(its picture)", "px": 5.5}]
