"""The commodities paragraph: one qualifier, the three largest falls and rises with their basis, 'the only'
where there is one, and the count of groups without a figure in the right number."""

import pandas as pd

from helpers.sections.commodities import commodities_text


def changes(*rows):
    return pd.DataFrame(rows, columns=["label", "change_pct", "basis", "has_figure"])


def test_falls_and_the_only_rise_in_one_sentence():
    text = commodities_text(
        changes(
            ("Cars", -56.3, "published", True),
            ("Coal", -29.7, "published", True),
            ("Phones", -35.2, "computed", True),
            ("Fish", -1.0, "published", True),
            ("Gas", 21.3, "published", True),
            ("Nickel", None, "", False),
        ),
        "January–July 2025",
    )
    assert text.startswith(
        "Among groups with a figure for January–July 2025 (published or computed; the chart "
        "says which), the largest falls: Cars −56.3%, Phones −35.2%"
    )
    assert "Fish" not in text and "; the only rise: Gas +21.3%." in text
    assert text.endswith(
        "5 of 6 groups have a figure for this period; the other is listed under the chart."
    )
    assert text.count("published or computed") == 1


def test_one_group_with_a_figure_and_none():
    one = commodities_text(
        changes(
            ("Gas", 21.3, "published", True), ("Cars", None, "", False), ("Coal", None, "", False)
        ),
        "2024",
    )
    assert "the only rise: Gas +21.3%" in one and "fall" not in one
    assert one.endswith(
        "1 of 3 groups has a figure for this period; the others are listed under the chart."
    )
    assert (
        commodities_text(changes(("Cars", None, "", False)), "2024")
        == "No commodity group has a figure for 2024."
    )


def test_every_metals_label_has_a_white_outline_under_it(tmp_path):
    """F5: a label crossing a nearby stem stays legible (the stem breaks behind its white outline)."""
    import json

    from notebook_cells import run_cells

    run_cells("02_commodities", tmp_path, stop_after='"f5-metals"', period_end="2025-07")
    spec = json.loads((tmp_path / "figures" / "f5-metals.vl.json").read_text(encoding="utf-8"))
    layers = spec["spec"]["layer"]
    texts = [layer for layer in layers if layer["mark"]["type"] == "text"]
    halos = [layer for layer in texts if layer["mark"].get("stroke") == "white"]
    plain = [layer for layer in texts if "stroke" not in layer["mark"]]
    assert len(halos) == len(plain) == 4
    assert [h.get("transform") for h in halos] == [p.get("transform") for p in plain]
    assert layers.index(halos[-1]) < layers.index(
        plain[0]
    )  # outlines drawn first, the text over them
