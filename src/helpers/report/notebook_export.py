"""The executed notebooks, published beside the briefing: `notebooks/NN_*.ipynb` with their outputs, and a static
HTML page of each, so a reader sees the work (code, key tables, charts) without running it.

The pages are nbconvert's JupyterLab template without its scripts (templates/notebook: no require.js, MathJax,
Mermaid or widget loader from a CDN), so they open offline and load nothing; a chart shows as the static SVG its
figure output carries, and Markdown written for JupyterLab's MathJax is shown as written. Both files are
byte-identical between two builds of the same inputs: the runner records no timestamps and gives papermill's cell a
fixed id (helpers.pipeline.run_notebooks), and what a hand-run notebook may carry (execution times, papermill's run
metadata) is dropped here. One exporter serves every notebook of a build (its templates compile once).
"""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat

from ..core.result_cache import cached
from .blocks import VEGALITE_MIME_PREFIX, markdown_to_html
from .mathjax import MARKDOWN_ESCAPED, unescape_mathjax

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "notebook"  # templates/notebook extends nbconvert's "lab"


@functools.cache
def html_exporter():
    from nbconvert import HTMLExporter, TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class OfflinePage(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            """HTMLExporter's conversion less its last pass, a BeautifulSoup parse of the whole page that adds only
            alt texts (the template gives each figure its title) and tabindex attributes: most of the time."""
            self.register_filter(
                "highlight_code", Highlight2HTML(pygments_lexer="ipython3", parent=self)
            )
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata={}, parent=self, resources=resources),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return OfflinePage(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)])


def strip_run_metadata(notebook: nbformat.NotebookNode) -> None:
    """What a run adds besides outputs, dropped in place: timing and papermill's run metadata (the parameters it ran
    with stay)."""
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    papermill = notebook.metadata.pop("papermill", {})
    if "parameters" in papermill:
        notebook.metadata["papermill"] = {"parameters": papermill["parameters"]}


def as_static_page(notebook: nbformat.NotebookNode) -> None:
    """What the static page renders, in place: Markdown outputs escaped for MathJax become HTML that reads as written
    (the page has no MathJax; the briefing does the same), and figures show as their SVG (nbconvert draws no
    Vega-Lite)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in [key for key in data if key.startswith(VEGALITE_MIME_PREFIX)]:
                del data[mime]
            if output.get("metadata", {}).get(MARKDOWN_ESCAPED) and "text/markdown" in data:
                text = unescape_mathjax("".join(data["text/markdown"]))
                output.data = {"text/html": markdown_to_html(text), "text/plain": text}


def export_notebooks(executed: list[Path], out_dir: Path) -> list[Path]:
    """Write `out_dir/<name>.ipynb` and `out_dir/<name>.html` for each executed notebook; return the files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, executed):
        notebook = nbformat.read(path, as_version=4)
        strip_run_metadata(notebook)
        nbformat.write(notebook, out_dir / path.name)
        as_static_page(notebook)
        page = static_page(notebook, path.stem)
        (out_dir / f"{path.stem}.html").write_text(page, encoding="utf-8", newline="\n")
        written += [out_dir / path.name, out_dir / f"{path.stem}.html"]
    return written


def static_page(notebook: nbformat.NotebookNode, name: str) -> str:
    """nbconvert's page of `notebook`; in a build, a notebook whose content did not change is taken from
    build/cache/notebook-page/ (core.result_cache): a claims edit converts only the notebooks it changed."""

    def convert() -> str:
        return html_exporter().from_notebook_node(notebook, resources={"metadata": {"name": name}})[
            0
        ]

    return cached("notebook-page", [name, nbformat.writes(notebook)], convert)


def warm_up() -> None:
    """Load nbconvert and compile its templates on a one-cell notebook (about a second, on first use), so the
    renderer does it while the notebooks run, not after."""
    from nbformat.v4 import new_code_cell, new_notebook

    html_exporter().from_notebook_node(new_notebook(cells=[new_code_cell("1")]))
