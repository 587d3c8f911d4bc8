"""Write a source notebook from a list of cells (markdown strings / code strings), outputs-free.

Used to (re)create notebooks/ in a reviewable way; edit the notebooks in JupyterLab afterwards as usual.
Usage: python scripts/new_notebook.py  (writes every notebook defined in notebooks/_cells.py)
"""
import importlib.util
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]


def build(cells: list[tuple[str, str, list]]) -> nbformat.NotebookNode:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata = {"kernelspec": {"name": "ru-cn-briefing", "display_name": "Python (ru-cn-briefing)",
                                        "language": "python"},
                         "language_info": {"name": "python"}}
    for index, (kind, source, tags) in enumerate(cells):
        cell = (nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source))
        cell.id = f"cell-{index:02d}"  # stable ids: no random churn in git diffs
        if tags:
            cell.metadata["tags"] = tags
        notebook.cells.append(cell)
    return notebook


if __name__ == "__main__":
    spec = importlib.util.spec_from_file_location("cells", ROOT / "notebooks" / "_cells.py")
    cells = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cells)
    for name, notebook_cells in cells.NOTEBOOKS.items():
        if len(sys.argv) > 1 and name not in sys.argv[1:]:
            continue
        nbformat.write(build(notebook_cells), ROOT / "notebooks" / f"{name}.ipynb")
        print("wrote", name)
