"""Tables in the briefing print numbers the way a reader expects."""
from helpers.report.figures import readable_number, table_html
import pandas as pd


def test_readable_numbers():
    assert readable_number(56230.0) == "56,230"
    assert readable_number(-8.78) == "-8.78"
    assert readable_number(895.95) == "895.95"
    assert readable_number(-0.001) == "0"


def test_table_html_uses_readable_numbers_and_dash_for_missing():
    html = table_html(pd.DataFrame({"value": [125800.0, float("nan")]}), "t-x", "caption")
    assert "<td>125,800</td>" in html and "<td>–</td>" in html
