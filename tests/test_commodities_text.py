"""The commodities paragraph: one qualifier, the three largest falls and rises with their basis, 'the only'
where there is one, and the count of groups without a figure in the right number."""
import pandas as pd

from helpers.sections.commodities import commodities_text


def changes(*rows):
    return pd.DataFrame(rows, columns=["label", "change_pct", "basis", "has_figure"])


def test_falls_and_the_only_rise_in_one_sentence():
    text = commodities_text(changes(("Cars", -56.3, "published", True), ("Coal", -29.7, "published", True),
                                    ("Phones", -35.2, "computed", True), ("Fish", -1.0, "published", True),
                                    ("Gas", 21.3, "published", True), ("Nickel", None, "", False)),
                            "January–July 2025")
    assert text.startswith("Among groups with a figure for January–July 2025 (published or computed; the chart "
                           "says which), the largest falls: Cars −56.3%, Phones −35.2%")
    assert "Fish" not in text and "; the only rise: Gas +21.3%." in text
    assert text.endswith("5 of 6 groups have a figure for this period; the other is listed under the chart.")
    assert text.count("published or computed") == 1


def test_one_group_with_a_figure_and_none():
    one = commodities_text(changes(("Gas", 21.3, "published", True), ("Cars", None, "", False),
                                   ("Coal", None, "", False)), "2024")
    assert "the only rise: Gas +21.3%" in one and "fall" not in one
    assert one.endswith("1 of 3 groups has a figure for this period; the others are listed under the chart.")
    assert commodities_text(changes(("Cars", None, "", False)), "2024") == "No commodity group has a figure for 2024."
