"""Executed notebooks -> content blocks (Markdown/HTML outputs and figures, code hidden), in order."""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from pathlib import Path

import mistune
import nbformat

from ..core.paths import ID
from .mathjax import ALIGN_LEFT, MARKDOWN_ESCAPED, unescape_mathjax

VEGALITE_MIME_PREFIX = "application/vnd.vegalite."
# A cell tagged notebook-only explains the method in the notebook (its intro, the key step's table) and is left
# out of the briefing; the published notebooks show it.
NOTEBOOK_ONLY = "notebook-only"
SKIP_TAGS = {"injected-parameters", "remove-cell", "remove_cell", NOTEBOOK_ONLY}


class RenderError(RuntimeError):
    """The briefing must not be published (error output, unexecuted notebook, bad figure)."""


@dataclass(frozen=True)
class Figure:
    figure_id: str
    spec: dict
    title: str
    caption: str
    number: int = 0
    svg: str = ""  # the static drawing publish_figure made (the notebook's image/svg+xml output)


@dataclass(frozen=True)
class Block:
    html: str = ""
    figure: Figure | None = None


# Markdown text -> HTML (raw HTML in it kept as written).
markdown_to_html = mistune.create_markdown(
    escape=False, plugins=["table", "strikethrough", "footnotes"]
)


def check_executed(nb, path: Path) -> None:
    """A notebook whose code never ran would silently drop its figures."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.strip() and cell.get("execution_count") is None:
            raise RenderError(
                f"{path}: code cell {index} was not executed; run the notebook "
                "with papermill before rendering"
            )


def error_message(output, path: Path, index: int) -> str:
    trace = "\n".join(output.get("traceback", []))
    trace = re.sub(r"\x1b\[[0-9;]*m", "", trace)  # drop ANSI colours from IPython tracebacks
    return (
        f"{path}: cell {index} has an error output ({output.get('ename')}: "
        f"{output.get('evalue')}); a briefing with a traceback is never published.\n{trace}"
    )


def is_figure(output) -> bool:
    """A published figure carries figure metadata; a bare chart carries only a Vega-Lite MIME type."""
    return "figure_id" in output.get("metadata", {}) or any(
        key.startswith(VEGALITE_MIME_PREFIX) for key in output.get("data", {})
    )


def figure_from_output(output, path: Path, index: int) -> Figure:
    meta = output.get("metadata", {})
    figure_id = meta.get("figure_id")
    if not figure_id or not re.fullmatch(ID, figure_id):
        raise RenderError(
            f"{path}: cell {index} shows a chart without a valid figure_id; "
            "use helpers.report.figures.publish_figure"
        )
    # whichever Vega-Lite version key the notebook carries (v5 for JupyterLab 4; older builds: v6)
    mime = next((key for key in output.data if key.startswith(VEGALITE_MIME_PREFIX)), None)
    if mime is None:
        raise RenderError(f"{path}: cell {index}: figure {figure_id} has no Vega-Lite spec")
    spec = output.data[mime]
    if isinstance(spec, str):
        spec = json.loads(spec)
    svg = output.data.get("image/svg+xml", "")
    svg = "".join(svg) if isinstance(svg, list) else svg
    return Figure(figure_id, spec, meta.get("title", ""), meta.get("caption", ""), svg=svg)


def output_block(output, path: Path, index: int) -> Block | None:
    """One display output as a block; streams and bare expression results are left out."""
    kind = output.get("output_type")
    if kind == "error":
        raise RenderError(error_message(output, path, index))
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    if is_figure(output):
        return Block(figure=figure_from_output(output, path, index))
    if kind == "execute_result":
        return None  # a cell's last expression (e.g. df.head()) is a working aid, not content
    if "text/html" in data:
        return Block(html="".join(data["text/html"]).replace(ALIGN_LEFT, ""))
    if "text/markdown" in data:
        text = "".join(data["text/markdown"])
        if output.get("metadata", {}).get(MARKDOWN_ESCAPED):
            # escaped for JupyterLab's MathJax, notes listed for the notebook: the text as written is
            # text/plain (helpers.report.figures.markdown_bundle), its note markers numbered by the page
            plain = data.get("text/plain")
            text = "".join(plain) if plain else unescape_mathjax(text)
        return Block(html=markdown_to_html(text))
    return None


def notebook_blocks(path: Path) -> list[Block]:
    nb = nbformat.read(path, as_version=4)
    check_executed(nb, path)
    blocks: list[Block] = []
    for index, cell in enumerate(nb.cells):
        if SKIP_TAGS & set(cell.get("metadata", {}).get("tags", [])):
            continue
        if cell.cell_type == "markdown":
            blocks.append(Block(html=markdown_to_html(cell.source)))
        elif cell.cell_type == "code":
            blocks.extend(b for o in cell.get("outputs", []) if (b := output_block(o, path, index)))
    return blocks


def number_figures(blocks: list[Block]) -> list[Block]:
    seen: set[str] = set()
    numbered = []
    for block in blocks:
        if block.figure is not None:
            fig = block.figure
            if fig.figure_id in seen:
                raise RenderError(f"figure_id {fig.figure_id!r} is published twice")
            seen.add(fig.figure_id)
            # "Figure 6" in the briefing must be f6-*.png/.svg/.csv: the number an editor quotes names the files
            number = re.match(r"f(\d+)-", fig.figure_id)
            if number is None or int(number.group(1)) != len(seen):
                raise RenderError(
                    f"figure_id {fig.figure_id!r} is Figure {len(seen)} of the briefing: name it "
                    f"f{len(seen)}-… (figures are numbered in page order)"
                )
            block = Block(figure=dataclasses.replace(fig, number=len(seen)))
        numbered.append(block)
    return numbered
