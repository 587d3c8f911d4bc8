"""A small executed-notebook briefing built in code, shared by the render/browser/publish tests."""

from __future__ import annotations

from pathlib import Path

import altair as alt
import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from helpers.report.figures import build_figure, markdown_bundle
from helpers.report.tables import table_bundle

MARKER = "Fixture marker sentence: bilateral turnover reached 244.8 billion dollars."
HIDDEN_CODE = "HIDDEN_CODE_SENTINEL = 1"
COMPUTED = (
    "Computed: **9.2** in September, $8.1bn in July."  # a dollar sign, as in the briefing's text
)
HIDDEN_STREAM = "stdout-sentinel-should-not-appear"
PARAMS = {"period_end": "2025-10", "partner": "RU", "title": "Fixture briefing"}
ABOUT = {
    "sources": [
        {
            "file": "gacc_cn_ru_totals.csv",
            "title": "Totals per GACC release",
            "source": "GACC",
            "publishers": "TASS, Reuters",
            "rows": 3,
            "sha256": "0" * 64,
            "date_accessed": "2026-11-28",
        }
    ],
    "data_vintage": "latest release in the data published 2025-11-07",
}


def totals_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": ["2025-07", "2025-08", "2025-09", "2025-10"],
            "flow": ["export"] * 4,
            "value_usd_bn": [8.1, 8.6, 9.2, 0.1 + 0.2 + 8.9],
        }
    )


def commodities_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {"commodity": ["cars", "machinery", "crude oil"], "value_usd_bn": [1.2, 2.4, 5.5]}
    )


def line_chart(df: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(df)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:O", title="Month"),
            y=alt.Y("value_usd_bn:Q", title="US$ bn"),
            tooltip=["month", "value_usd_bn"],
        )
        .interactive()
    )


def bar_chart(df: pd.DataFrame) -> alt.Chart:
    return (
        alt.Chart(df)
        .mark_bar()
        .encode(
            x=alt.X("value_usd_bn:Q", title="US$ bn"),
            y=alt.Y("commodity:N", sort="-x", title=None),
            tooltip=["commodity", "value_usd_bn"],
        )
    )


def executed(cell, outputs=(), count=[0]):  # noqa: B006 (the list counts calls on purpose)
    count[0] += 1
    cell.execution_count = count[0]
    cell.outputs = list(outputs)
    return cell


def figure_output(figure: tuple[dict, dict]):
    bundle, metadata = figure
    return new_output("display_data", data=bundle, metadata=metadata)


def first_notebook(build_dir: Path) -> nbformat.NotebookNode:
    totals = totals_frame()
    fig = build_figure(
        line_chart(totals),
        "f1-exports-monthly",
        totals,
        "China's exports to Russia",
        "Monthly, US$ billion.",
        build_dir,
    )
    readable = totals.rename(columns={"month": "Month", "flow": "Flow", "value_usd_bn": "US$ bn"})
    table, table_meta = table_bundle(
        readable, "exports-table", "Exports by month", build_dir=build_dir
    )
    markdown = markdown_bundle(COMPUTED)
    params = new_code_cell("period_end = '2025-10'", metadata={"tags": ["parameters"]})
    injected = new_code_cell("period_end = '2025-10'", metadata={"tags": ["injected-parameters"]})
    return new_notebook(
        cells=[
            new_markdown_cell("# Fixture briefing\n\n" + MARKER),
            executed(params),
            executed(
                injected, [new_output("stream", name="stdout", text="injected-params-sentinel")]
            ),
            executed(
                new_code_cell(f"{HIDDEN_CODE}\nprint('x')"),
                [new_output("stream", name="stdout", text=HIDDEN_STREAM)],
            ),
            new_markdown_cell("## Trade totals\n\nExports rose *steadily* in the quarter."),
            executed(new_code_cell(f"{HIDDEN_CODE}\npublish_figure(...)"), [figure_output(fig)]),
            executed(
                new_code_cell("show_markdown(...)"),
                [new_output("display_data", data=markdown[0], metadata=markdown[1])],
            ),
            executed(
                new_code_cell("show_table(...)"),
                [new_output("display_data", data=table, metadata=table_meta)],
            ),
            executed(
                new_code_cell("totals.head()"),
                [
                    new_output(
                        "execute_result", data={"text/plain": "df-repr-sentinel"}, execution_count=9
                    )
                ],
            ),
        ]
    )


def second_notebook(build_dir: Path) -> nbformat.NotebookNode:
    goods = commodities_frame()
    fig = build_figure(
        bar_chart(goods),
        "f2-commodities-bar",
        goods,
        "Main goods",
        "Latest month, US$ billion.",
        build_dir,
    )
    return new_notebook(
        cells=[
            new_markdown_cell("## Commodities\n\nCars, machinery and crude oil dominate."),
            executed(new_code_cell("publish_figure(...)"), [figure_output(fig)]),
        ]
    )


def error_notebook() -> nbformat.NotebookNode:
    error = new_output(
        "error", ename="KeyError", evalue="'RU'", traceback=["\x1b[31mKeyError\x1b[0m: 'RU'"]
    )
    return new_notebook(
        cells=[new_markdown_cell("## Broken"), executed(new_code_cell("series['RU']"), [error])]
    )


def write_fixture(root: Path) -> list[Path]:
    """Write two executed notebooks (2 figures, 1 table) and their figure files under `root`."""
    build_dir = root / "build"
    paths = []
    for name, nb in (
        ("01_totals.ipynb", first_notebook(build_dir)),
        ("02_goods.ipynb", second_notebook(build_dir)),
    ):
        path = root / name
        nbformat.write(nb, path)
        paths.append(path)
    return paths


FIGURE_IDS = ["f1-exports-monthly", "f2-commodities-bar"]


def chromium_available() -> bool:
    return Path("/usr/bin/chromium").exists()


def skip_without_chromium():
    """Browser/PDF tests may be skipped on a laptop without Chromium, never in CI."""
    import os

    import pytest

    return pytest.mark.skipif(
        not chromium_available() and not os.environ.get("CI"),
        reason="Chromium missing (sudo apt-get install chromium)",
    )
