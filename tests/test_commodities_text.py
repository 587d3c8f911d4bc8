"""The commodities paragraph: how many groups have a figure, the three largest falls and rises, 'the only'
where there is one; each figure's basis (published or computed) in its note, not in the sentence."""

import pandas as pd

from helpers.report.notes import without_notes
from helpers.sections.commodities import commodities_text


def changes(*rows):
    return pd.DataFrame(rows, columns=["label", "change_pct", "basis", "has_figure"])


def test_the_count_then_the_largest_falls_and_the_only_rise():
    text = commodities_text(
        changes(
            ("Cars (HS 8703)", -56.3, "published", True),
            ("Coal", -29.7, "published", True),
            ("Phones", -35.2, "computed", True),
            ("Fish", -1.0, "published", True),
            ("Gas", 21.3, "published", True),
            ("Nickel", None, "", False),
        ),
        "January–July 2025",
    )
    plain = without_notes(text)
    assert plain == (
        "Five of 6 groups have a figure for January–July 2025; the other is listed under the chart. "
        "The largest falls: cars −56.3%, phones −35.2% and coal −29.7%. The only rise: gas +21.3%."
    )
    assert (
        "Fish" not in text and "(" not in plain
    )  # the HS code is on the chart, not in the sentence
    # the basis of each figure beside it, in its note
    assert 'cars −56.3%<sup class="note">Published.</sup>' in text
    assert 'phones −35.2%<sup class="note">Computed.</sup>' in text


def test_one_group_with_a_figure_and_none():
    one = commodities_text(
        changes(
            ("Gas", 21.3, "published", True), ("Cars", None, "", False), ("Coal", None, "", False)
        ),
        "2024",
    )
    assert without_notes(one) == (
        "One of 3 groups has a figure for 2024; the others are listed under the chart. "
        "The only rise: gas +21.3%."
    )
    assert (
        commodities_text(changes(("Cars", None, "", False)), "2024")
        == "No commodity group has a figure for 2024."
    )
