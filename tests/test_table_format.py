"""Tables in the briefing print numbers, headers and links the way a reader expects."""
import re

import pandas as pd
import pytest

from helpers.report.tables import readable_number, table_html
from helpers.report.tables import long_table_html
from helpers.sections.findings import short_data, top_level_parts


def test_readable_numbers():
    assert readable_number(56230.0) == "56,230"
    assert readable_number(-8.78) == "−8.78"
    assert readable_number(895.95) == "895.95"
    assert readable_number(-0.001) == "0"


def test_table_html_uses_readable_numbers_and_dash_for_missing():
    html = table_html(pd.DataFrame({"US$ mn": [125800.0, float("nan")]}), "t-x", "caption")
    assert '<td class="num" data-label="US$ mn">125,800</td>' in html and '<td data-label="US$ mn">–</td>' in html
    assert 'data-csv="tables/t-x.csv"' in html


def test_code_like_headers_are_refused():
    with pytest.raises(ValueError, match="used_publisher"):
        table_html(pd.DataFrame({"used_publisher": ["TASS"]}), "t-x", "caption")


def test_urls_become_named_links_and_numbers_do_not_break():
    rows = "Pravda.ru (row 17) https://www.pravda.ru/news/1/; Prime (row 100) https://1prime.ru/2025/x.html"
    html = table_html(pd.DataFrame({"Claim": ["fell 27.5% to $146,900"], "Sources": [rows]}), "t-x", "c",
                      detail_columns=["Sources"])
    assert '<a href="https://www.pravda.ru/news/1/">Pravda.ru (row <span class="nw">17</span>)</a>' in html
    assert ">https://" not in html  # no raw URL is shown as text
    assert '<span class="nw">27.5%</span>' in html and '<span class="nw">$146,900</span>' in html
    assert '<tr class="detail"><td colspan="1">' in html and "<th>Sources</th>" not in html


def test_long_table_prints_a_summary_and_keeps_the_full_table_on_screen():
    full = pd.DataFrame({"Month": [f"2024-{m:02d}" for m in range(1, 13)], "US$ mn": range(12)})
    html = long_table_html(full, "t-long", "Long", "<p>12 months.</p>", full.head(2))
    assert '<details class="full-table"><summary>Show all 12 rows</summary>' in html
    assert html.count("<tr>") == 1 + 2 + 1 + 12  # key rows table, then the full table inside <details>
    text = re.sub(r"<[^>]+>", "", html)
    assert "2024-01" in text and "2,024" not in text  # months stay labels


def test_short_data_keeps_whole_parts():
    assert top_level_parts("a (x; y); b") == ["a (x; y)", "b"]
    assert short_data("first part; " + "x" * 200) == "first part …"
    assert short_data("short; also short") == "short; also short"


def test_long_file_names_may_wrap_after_separators_but_numbers_may_not():
    from helpers.report.tables import prose_html
    html = prose_html("comtrade_cn_imports_from_ru_total_monthly_2017_2024.csv rows 13–24, $41.39bn")
    assert html.startswith("comtrade_<wbr>cn_<wbr>imports_<wbr>")  # a break opportunity only after "_"
    assert '<span class="nw">$41.39bn</span>' in html
