"""Assemble executed notebooks into one offline briefing page, static figures and a PDF.

CLI: python -m helpers.report.render --notebooks build/nb/01.ipynb ... --params build/params.json \
         --out build/stage [--about build/about.json] [--figures-dir build/figures]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from ..core.early_start import print_timing, wait_for_go
from ..core.errors import run_main
from . import notebook_export
from .about import about_from_sidecars, write_sources_csv
from .blocks import RenderError
from .page import render_briefing, vega_bundle
from .pdf import DEFAULT_CHROMIUM, PAGE_BUDGET, Printer, pdf_pages
from .publish import figure_ids_in_html, table_csvs_in_html, write_bundle
from .static_export import export_static_figures


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m helpers.report.render", description=__doc__)
    parser.add_argument(
        "--notebooks",
        nargs="+",
        type=Path,
        required=True,
        help="executed notebooks, in briefing order",
    )
    parser.add_argument("--params", type=Path, required=True, help="params.json of the build")
    parser.add_argument("--out", type=Path, required=True, help="staging directory")
    parser.add_argument("--about", type=Path, help="about.json (default: from data/raw sidecars)")
    parser.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    parser.add_argument(
        "--figures-dir",
        type=Path,
        help="where publish_figure wrote specs (default: <params dir>/figures)",
    )
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (not publishable)")
    parser.add_argument(
        "--wait-for-go",
        action="store_true",
        help="load libraries and the Vega bundle, then wait for a line 'go' on stdin "
        "(`make report` starts the renderer while the notebooks run)",
    )
    return parser.parse_args(argv)


def copy_table_csvs(tables_dir: Path, stage: Path, relatives: list[str]) -> None:
    """Copy the CSV of every table the page links to (written by helpers.report.tables)."""
    for relative in relatives:
        source = tables_dir / Path(relative).name
        if not source.is_file():
            raise RenderError(
                f"table CSV {source} is missing (was show_table run with the same "
                "BRIEFING_BUILD_DIR?)"
            )
        (stage / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, stage / relative)


def timed(label: str, func, *args):
    start = time.perf_counter()
    result = func(*args)
    print_timing(label, time.perf_counter() - start)
    return result


def print_when_ready(chromium: str, page_ready: Future, pdf_path: Path) -> None:
    """Start Chromium at once (while the notebooks run, under `make report`), print the page once it
    is written. In a thread of its own: Playwright's objects belong to the thread that opened them."""
    with Printer(chromium) as printer:
        html_path = page_ready.result()
        if html_path is not None:
            timed("PDF", printer.print, html_path, pdf_path)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    page_ready: Future = Future()  # the page's path once written; None: nothing to print
    # Chromium prints the PDF in its own process while vl-convert writes the PNG/SVG files:
    # on two cores the two stages overlap instead of adding up.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf_job = (
            None
            if args.no_pdf
            else pool.submit(print_when_ready, args.chromium, page_ready, args.out / "briefing.pdf")
        )
        try:
            return render(args, page_ready, pdf_job)
        finally:
            if not page_ready.done():
                page_ready.set_result(None)


def render(args: argparse.Namespace, page_ready: Future, pdf_job) -> int:
    if args.wait_for_go:
        vega_bundle()  # cached for render_briefing; read while the notebooks run
        notebook_export.warm_up()
        if not wait_for_go():
            return 0
    params = json.loads(args.params.read_text(encoding="utf-8"))
    about = (
        json.loads(args.about.read_text(encoding="utf-8"))
        if args.about
        else about_from_sidecars(args.raw_dir)
    )
    figures_dir = args.figures_dir or args.params.parent / "figures"
    if about.get("files"):  # every raw file, linked from the sources section when it is summarised
        write_sources_csv(about["files"], figures_dir.parent / "tables")
    started = time.perf_counter()
    try:
        html_path = timed("html page", render_briefing, args.notebooks, args.out, params, about)
        page_ready.set_result(html_path)
        page = html_path.read_text(encoding="utf-8")
        copy_table_csvs(figures_dir.parent / "tables", args.out, table_csvs_in_html(page))
        # nbconvert writes the published notebooks while vl-convert writes the PNG/SVG files (and
        # Chromium prints the PDF in its own thread): on two cores the stages overlap.
        with ThreadPoolExecutor(max_workers=1) as pool:
            notebooks_job = pool.submit(
                timed,
                "published notebooks",
                notebook_export.export_notebooks,
                args.notebooks,
                args.out / "notebooks",
            )
            timed(
                "static figures",
                export_static_figures,
                figures_dir,
                args.out / "figures",
                figure_ids_in_html(page),
            )
            notebooks_job.result()
        if pdf_job is not None:
            pdf_job.result()
            timed("bundle", write_bundle, args.out)
            if (pages := pdf_pages(args.out / "briefing.pdf")) > PAGE_BUDGET:
                # published anyway (nothing is wrong with the numbers), but never silently: a desk
                # may print it
                print(
                    f"render: warning: briefing.pdf has {pages} pages, more than the {PAGE_BUDGET} "
                    "the print layout is planned for (this period has more figures or rows to show)",
                    file=sys.stderr,
                )
    except RenderError as error:
        print(f"render: error: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    print_timing("render total", time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(run_main("render", main))
