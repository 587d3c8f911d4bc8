"""Tables in the briefing print numbers, headers and links the way a reader expects."""

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers.core.text import signed_pct
from helpers.report.blocks import output_block
from helpers.report.tables import (
    FIGURE_SPACE,
    PUNCTUATION_SPACE,
    change_number,
    long_table_html,
    number_format,
    number_formatter,
    readable_number,
    table_bundle,
    table_html,
)
from helpers.sections.findings import short_data, top_level_parts


def test_readable_numbers():
    assert readable_number(56230.0) == "56,230"
    assert readable_number(-8.78) == "−8.78"
    assert readable_number(895.95) == "895.95"
    assert readable_number(5.695) == "5.70"  # rounded to 2 places, the zero it rounds to is kept
    assert (
        readable_number(41.2) == "41.2" and readable_number("60") == "60"
    )  # as many decimals as it has
    assert readable_number(41.2, 2) == "41.20" and readable_number(129003.4, 0) == "129,003"
    assert readable_number(-0.001) == "0.00" and readable_number(-0.4, 0) == "0"  # zero has no sign


def test_changes_read_as_the_text_writes_them():
    assert [change_number(-18.0), change_number(58), change_number(21.4), change_number(-7.95)] == [
        "−18.0",
        "+58.0",
        "+21.4",
        "−8.0",
    ]
    assert change_number(0.13, 2) == "+0.13" and change_number(-0.004, 2) == "0.00"
    for value in (
        -18.0,
        58,
        0.13,
        -7.95,
    ):  # the same formatter as the sentences, without the % the header holds
        assert change_number(value) + "%" == signed_pct(value)


def test_each_column_has_one_number_of_decimals():
    cells = {
        column: number_formatter(column, values)
        for column, values in {
            "US$ bn": [29.649, 5.695, 4.69, 129.003],
            "Tolerance": [1.5, 105.0],
            "US$ mn": [4731.0, 56230.0],
        }.items()
    }
    assert [cells["US$ bn"](v) for v in (29.649, 5.695, 4.69, 129.003)] == [
        "29.65",
        "5.70",
        "4.69",
        "129.00",
    ]
    assert [cells["Tolerance"](v) for v in (1.5, 105.0)] == ["1.5", "105.0"]
    assert [cells["US$ mn"](v) for v in (4731.0, 56230.0)] == ["4,731", "56,230"]
    for header in ("Change, % (rows)", "y/y % (from levels)", "2021→2023, %", "Annual change"):
        assert number_formatter(header, [-8.78, 58.0])(-8.78) == "−8.8", header
        assert number_formatter(header, [-8.78, 58.0])(58.0) == "+58.0", header


def test_published_figures_keep_their_decimals_aligned_by_figure_spaces():
    wire = number_formatter(
        "Wire, US$ bn", [41.2, 61.05, 129.0, 114.149], as_published=["Wire, US$ bn"]
    )
    assert [wire(v) for v in (41.2, 61.05, 129.0, 114.149)] == [
        "41.2" + FIGURE_SPACE,
        "61.05",
        "129" + PUNCTUATION_SPACE + FIGURE_SPACE * 2,
        "114.15",
    ]
    text = number_formatter(
        "Value", ["5300", "25.8", "over 100"]
    )  # numbers kept as text are as published
    assert [text("5300"), text("25.8")] == ["5,300" + PUNCTUATION_SPACE + FIGURE_SPACE, "25.8"]
    assert (
        number_formatter("Wire vs rows, %", [0.13], decimals={"Wire vs rows, %": 2})(0.13)
        == "+0.13"
    )


def test_table_format_travels_with_the_frame():
    frame = number_format(
        pd.DataFrame(
            {
                "Wire, US$ bn": [41.2, 61.05],
                "Wire vs rows, %": [-0.46, 0.13],
                "This year, US$ mn": [56230, 125800],
                "Year": [2017, 2019],
            }
        ),
        decimals={"Wire vs rows, %": 2},
        as_published=["Wire, US$ bn"],
    )
    html = table_html(
        frame.head(2), "t-x", "caption"
    )  # pandas keeps attrs through head(), rename() ...
    cells = re.findall(r'<td class="num" data-label="([^"]+)">([^<]*)</td>', html)
    assert cells == [
        ("Wire, US$ bn", "41.2" + FIGURE_SPACE),
        ("Wire vs rows, %", "−0.46"),
        ("This year, US$ mn", "56,230"),
        ("Year", "2017"),
        ("Wire, US$ bn", "61.05"),
        ("Wire vs rows, %", "+0.13"),
        ("This year, US$ mn", "125,800"),
        ("Year", "2019"),
    ]


def test_a_row_and_its_detail_line_are_one_record():
    frame = pd.DataFrame(
        {"Codes": ["Coal", "Gas"], "Change, %": [-29.7, 21.4], "Raw rows": ["rows 1–7", ""]}
    )
    html = table_html(frame, "t-x", "caption", detail_columns=["Raw rows"])
    assert html.count('<tbody class="record">') == 2 and html.count("</tbody>") == 2
    first = html.split('<tbody class="record">')[1]
    assert (
        '<td class="num" data-label="Change, %">−29.7</td>' in first
        and '<tr class="detail">' in first
    )
    assert (
        '<tr class="detail">' not in html.split('<tbody class="record">')[2]
    )  # no details: the row alone


def test_table_html_uses_readable_numbers_and_dash_for_missing():
    html = table_html(pd.DataFrame({"US$ mn": [125800.0, float("nan")]}), "t-x", "caption")
    assert (
        '<td class="num" data-label="US$ mn">125,800</td>' in html
        and '<td style="text-align: left" data-label="US$ mn">–</td>' in html
    )
    assert 'data-csv="tables/t-x.csv"' in html


def test_code_like_headers_are_refused():
    with pytest.raises(ValueError, match="used_publisher"):
        table_html(pd.DataFrame({"used_publisher": ["TASS"]}), "t-x", "caption")


def test_urls_become_named_links_and_numbers_do_not_break():
    rows = "Pravda.ru (row 17) https://www.pravda.ru/news/1/; Prime (row 100) https://1prime.ru/2025/x.html"
    html = table_html(
        pd.DataFrame({"Claim": ["fell 27.5% to $146,900"], "Sources": [rows]}),
        "t-x",
        "c",
        detail_columns=["Sources"],
    )
    assert (
        '<a href="https://www.pravda.ru/news/1/">Pravda.ru (row <span class="nw">17</span>)</a>'
        in html
    )
    assert ">https://" not in html  # no raw URL is shown as text
    assert '<span class="nw">27.5%</span>' in html and '<span class="nw">$146,900</span>' in html
    # aligned left by an attribute: JupyterLab right-aligns table cells (the trial saw the line pushed right there)
    assert (
        '<tr class="detail"><td colspan="1" style="text-align: left">' in html
        and "<th>Sources</th>" not in html
    )


def test_long_table_prints_a_summary_and_keeps_the_full_table_on_screen():
    full = pd.DataFrame({"Month": [f"2024-{m:02d}" for m in range(1, 13)], "US$ mn": range(12)})
    html = long_table_html(full, "t-long", "Long", "<p>12 months.</p>", full.head(2))
    assert '<details class="full-table"><summary>Show all 12 rows</summary>' in html
    assert (
        html.count("<tr>") == 1 + 2 + 1 + 12
    )  # key rows table, then the full table inside <details>
    text = re.sub(r"<[^>]+>", "", html)
    assert "2024-01" in text and "2,024" not in text  # months stay labels


def test_short_data_keeps_whole_parts():
    assert top_level_parts("a (x; y); b") == ["a (x; y)", "b"]
    assert short_data("first part; " + "x" * 200) == "first part …"
    assert short_data("short; also short") == "short; also short"


def test_long_file_names_may_wrap_after_separators_but_numbers_may_not():
    from helpers.report.tables import prose_html

    html = prose_html(
        "comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv rows 13–24, $41.39bn"
    )
    assert html.startswith(
        "comtrade_<wbr>cn_<wbr>imports_<wbr>"
    )  # a break opportunity only after "_"
    assert '<span class="nw">$41.39bn</span>' in html


def test_notebook_tables_read_left_to_right_in_jupyterlab_and_the_page_drops_the_attribute(
    tmp_path,
):
    """JupyterLab right-aligns every cell (and strips <style> from untrusted notebooks): words carry a left
    alignment on their cells in the notebook; the page, whose stylesheet aligns them, leaves it out."""
    frame = pd.DataFrame({"Flow": ["China's exports"], "y/y %": [-8.5]})
    bundle, _ = table_bundle(frame, "t-align", "Alignment", build_dir=tmp_path)
    page = output_block(
        nbformat.from_dict({"output_type": "display_data", "data": bundle, "metadata": {}}),
        Path("nb.ipynb"),
        0,
    )
    assert (
        '<td style="text-align: left" data-label="Flow">China&#x27;s exports</td>'
        in bundle["text/html"]
    )
    assert '<th style="text-align: left">Flow</th>' in bundle["text/html"]
    assert (
        "text-align" not in page.html
        and '<td class="num" data-label="y/y %">−8.5</td>' in page.html
    )
