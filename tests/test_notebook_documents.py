"""Each notebook reads as its section's method (issue 20): it opens with what question it answers, from which
data and how; it shows its key step as pandas with the resulting table; and it holds its charts' Altair code."""

import ast
import re

import nbformat
import pytest

from helpers.report.blocks import NOTEBOOK_ONLY
from notebooks_alone import NOTEBOOKS


def cells(path):
    return nbformat.read(path, as_version=4).cells


def tags(cell) -> list[str]:
    return cell.metadata.get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_opens_with_its_question_data_and_method(path):
    first = cells(path)[0]
    assert first.cell_type == "markdown" and NOTEBOOK_ONLY in tags(first)
    for part in ("**Question.**", "**Data.**", "**How.**"):
        assert part in first.source, f"{path.name}: the first cell has no {part}"
    for cell in cells(path):  # JupyterLab typesets text between two dollar signs as math
        if cell.cell_type == "markdown":
            assert not re.search(r"(?<!\\)\$", cell.source), f"{path.name}: a $ in {cell.source!r}"


def ends_on_an_expression(source: str) -> bool:
    body = ast.parse(source).body
    return bool(body) and isinstance(body[-1], ast.Expr)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_shows_its_key_step_as_a_table(path):
    """A notebook-only code cell works on the tidy tables in pandas and ends on the table it made, which
    JupyterLab and the published notebook display (the briefing leaves it out)."""
    key_steps = [
        cell
        for cell in cells(path)
        if cell.cell_type == "code"
        and NOTEBOOK_ONLY in tags(cell)
        and ends_on_an_expression(cell.source)
    ]
    assert key_steps, f"{path.name}: no notebook-only cell ends on a table"
    assert any(
        re.search(r"\.(pivot|pivot_table|groupby|merge|crosstab|join)\(|pd\.crosstab", cell.source)
        for cell in key_steps
    ), f"{path.name}: the key step shows no pandas reshaping"


def test_ends_on_an_expression_can_fail():
    assert ends_on_an_expression("x = 1\ntable.round(1)")
    assert not ends_on_an_expression("table = x.round(1)")
    assert not ends_on_an_expression("assert table.notna().all()")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_figure_is_drawn_in_its_notebook(path):
    """Every cell that publishes a figure builds its chart there with Altair (the package's own chart functions
    are gone); nothing named *_chart is imported from the package."""
    for cell in cells(path):
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        imported = [
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("helpers")
            for alias in node.names
        ]
        assert not [name for name in imported if name.endswith("_chart")], path.name
        if "section.figure(" in cell.source:
            assert re.search(r"alt\.(Chart|layer|vconcat)\(", cell.source), (
                f"{path.name}: a figure published from a cell that draws no chart"
            )
