"""Assemble executed notebooks into one offline briefing page, static figures and a PDF.

CLI: python -m helpers.render --notebooks build/nb/01.ipynb ... --params build/params.json \
         --out build/stage [--about build/about.json] [--figures-dir build/figures]
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import functools
import html
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import mistune
import nbformat

from helpers.errors import InputError
from helpers.provenance import verify_raw_file
from helpers.publish import figure_ids_in_html

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "briefing.html.j2"
VEGALITE_MIME_PREFIX = "application/vnd.vegalite."
SKIP_TAGS = {"injected-parameters", "remove-cell", "remove_cell"}
DEFAULT_CHROMIUM = "/usr/bin/chromium"
# Flags measured to print offline pages reliably as root in a container.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
]
OFFLINE_FLAGS = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]
PDF_VIRTUAL_TIME_MS = 15000


class RenderError(RuntimeError):
    """The briefing must not be published (error output, unexecuted notebook, bad figure)."""


@dataclass(frozen=True)
class Figure:
    figure_id: str
    spec: dict
    title: str
    caption: str
    number: int = 0


@dataclass(frozen=True)
class Block:
    html: str = ""
    figure: Figure | None = None


# ---------------------------------------------------------------- notebook -> blocks

_markdown = mistune.create_markdown(escape=False, plugins=["table", "strikethrough", "footnotes"])


def markdown_to_html(text: str) -> str:
    return _markdown(text)


def check_executed(nb, path: Path) -> None:
    """A notebook whose code never ran would silently drop its figures."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and cell.source.strip() and cell.get("execution_count") is None:
            raise RenderError(f"{path}: code cell {index} was not executed; run the notebook "
                              "with papermill before rendering")


def error_message(output, path: Path, index: int) -> str:
    trace = "\n".join(output.get("traceback", []))
    trace = re.sub(r"\x1b\[[0-9;]*m", "", trace)  # drop ANSI colours from IPython tracebacks
    return (f"{path}: cell {index} has an error output ({output.get('ename')}: "
            f"{output.get('evalue')}); a briefing with a traceback is never published.\n{trace}")


def figure_from_output(output, path: Path, index: int) -> Figure:
    mime = next(key for key in output.data if key.startswith(VEGALITE_MIME_PREFIX))
    meta = output.get("metadata", {})
    figure_id = meta.get("figure_id")
    if not figure_id or not re.match(r"^[a-z0-9][a-z0-9_-]*$", figure_id):
        raise RenderError(f"{path}: cell {index} shows a chart without a valid figure_id; "
                          "use helpers.figures.publish_figure")
    spec = output.data[mime]
    if isinstance(spec, str):
        spec = json.loads(spec)
    return Figure(figure_id, spec, meta.get("title", ""), meta.get("caption", ""))


def output_block(output, path: Path, index: int) -> Block | None:
    """One display output as a block; streams and bare expression results are left out."""
    kind = output.get("output_type")
    if kind == "error":
        raise RenderError(error_message(output, path, index))
    if kind not in ("display_data", "execute_result"):
        return None
    data = output.get("data", {})
    if any(key.startswith(VEGALITE_MIME_PREFIX) for key in data):
        return Block(figure=figure_from_output(output, path, index))
    if kind == "execute_result":
        return None  # a cell's last expression (e.g. df.head()) is a working aid, not content
    if "text/html" in data:
        return Block(html="".join(data["text/html"]))
    if "text/markdown" in data:
        return Block(html=markdown_to_html("".join(data["text/markdown"])))
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
            block = Block(figure=Figure(fig.figure_id, fig.spec, fig.title, fig.caption,
                                        len(seen)))
        numbered.append(block)
    return numbered


# ---------------------------------------------------------------- headings and TOC

_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.S)


def slugify(text: str) -> str:
    plain = html.unescape(re.sub(r"<[^>]+>", "", text)).lower()
    return re.sub(r"[^\w]+", "-", plain).strip("-") or "section"


def add_heading_ids(body: str) -> tuple[str, list[dict]]:
    """Give every heading a unique, content-derived id; return the h2 headings as the TOC."""
    used: dict[str, int] = {}
    toc: list[dict] = []

    def replace(match: re.Match) -> str:
        level, attrs, inner = match.groups()
        existing = re.search(r'\sid="([^"]+)"', attrs)
        slug = existing.group(1) if existing else slugify(inner)
        used[slug] = used.get(slug, 0) + 1
        if used[slug] > 1 and not existing:
            slug = f"{slug}-{used[slug]}"
        if level == "2":
            toc.append({"id": slug, "text": re.sub(r"<[^>]+>", "", inner).strip()})
        if existing:
            return match.group(0)
        return f'<h{level}{attrs} id="{slug}">{inner}</h{level}>'

    return _HEADING.sub(replace, body), toc


def split_before_first_h2(body: str) -> tuple[str, str]:
    """Title and lead paragraphs go above the table of contents, sections below it."""
    match = re.search(r"<h2[\s>]", body)
    return (body[: match.start()], body[match.start():]) if match else (body, "")


def first_h1(body: str) -> str | None:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


# ---------------------------------------------------------------- page assembly

def vegalite_version() -> str:
    import altair

    return ".".join(altair.SCHEMA_VERSION.lstrip("v").split(".")[:2])


@functools.lru_cache(maxsize=None)
def vega_bundle() -> str:
    """Vega + Vega-Lite + vega-embed as one script, from vl-convert (no CDN needed)."""
    import vl_convert

    bundle = vl_convert.javascript_bundle(vl_version=f"v{vegalite_version()}")
    if "</script" in bundle.lower():
        raise RenderError("the Vega bundle contains '</script' and cannot be inlined")
    return bundle


def embedded_spec(spec: dict) -> dict:
    # $schema is only a URL label; vega-embed gets mode="vega-lite" instead.
    return {key: value for key, value in spec.items() if key != "$schema"}


def figures_json(figures: list[Figure]) -> str:
    payload = [{"id": f.figure_id, "spec": embedded_spec(f.spec)} for f in figures]
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c")  # keeps "</script>" in data from closing the tag


def git_describe() -> str | None:
    root = Path(__file__).resolve().parents[2]
    try:
        sha = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return sha or None


@functools.lru_cache(maxsize=None)
def build_info() -> str:
    """One line naming the code and tool versions; dated only from SOURCE_DATE_EPOCH."""
    import altair
    import vl_convert

    parts = ["Built"]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch != "0":  # 0 is the usual "pin, but no real date" value
        date = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).strftime("%Y-%m-%d")
        parts.append(f"on {date}")
    commit = os.environ.get("BRIEFING_COMMIT") or git_describe()
    if commit:
        parts.append(f"from commit {commit}")
    parts.append(f"with Python {platform.python_version()}, altair {altair.__version__}, "
                 f"Vega-Lite {altair.SCHEMA_VERSION.lstrip('v')}, "
                 f"Vega {vl_convert.get_vega_version()}, "
                 f"vega-embed {vl_convert.get_vega_embed_version()}")
    return " ".join(parts) + "."


def template_env() -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
                              autoescape=True,
                              keep_trailing_newline=True)


def figure_html(fig: Figure) -> str:
    """Container vega-embed draws into, with a static PNG for readers without JavaScript."""
    fid, title = html.escape(fig.figure_id), html.escape(fig.title)
    return (f'<figure class="chart" id="figure-{fid}">\n'
            f'<div id="fig-{fid}" class="figure" data-figure-id="{fid}"></div>\n'
            f'<noscript><img src="figures/{fid}.png" alt="{title}" width="640"></noscript>\n'
            f'<figcaption><span class="figure-title">Figure {fig.number}. {title}</span> '
            f'{html.escape(fig.caption)} <span class="figure-files">Data: '
            f'<a href="figures/{fid}.csv">{fid}.csv</a> · '
            f'<a href="figures/{fid}.svg">SVG</a> · <a href="figures/{fid}.png">PNG</a>'
            f'</span></figcaption>\n</figure>')


def block_html(block: Block) -> str:
    return figure_html(block.figure) if block.figure is not None else block.html.strip()


def render_page(blocks: list[Block], params: dict, about: dict) -> str:
    blocks = number_figures(blocks)
    figures = [b.figure for b in blocks if b.figure is not None]
    body, toc = add_heading_ids("\n".join(block_html(b) for b in blocks))
    env = template_env()
    title = params.get("title") or first_h1(body) or "China–Russia trade briefing"
    intro, rest = split_before_first_h2(body)
    return env.get_template(TEMPLATE_NAME).render(
        title=title, show_title=first_h1(body) is None, intro=intro, body=rest, toc=toc,
        params=params, about=about, build_info=about.get("build_info") or build_info(),
        figures_json=figures_json(figures), vega_bundle=vega_bundle(),
        figure_count=len(figures))


_REMOTE_RESOURCE = re.compile(
    r"<(?:script|img|iframe|link|source|video|audio)\b[^>]*\s(?:src|href)=[\"']?(?:https?:)?//",
    re.I)


def check_offline(page: str) -> None:
    """Refuse pages that would load anything from the network (e.g. raw HTML in a notebook)."""
    match = _REMOTE_RESOURCE.search(page.replace(vega_bundle(), ""))
    if match:
        raise RenderError(f"the briefing would load a remote resource: {match.group(0)}...")


def render_briefing(notebooks: list[Path], out_dir: Path, params: dict, about: dict) -> Path:
    """Write `out_dir/briefing.html` from executed notebooks in order; return its path."""
    blocks = [block for path in notebooks for block in notebook_blocks(Path(path))]
    page = render_page(blocks, params, about)
    check_offline(page)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "briefing.html"
    target.write_text(page, encoding="utf-8", newline="\n")
    return target


# ---------------------------------------------------------------- static figures

_SVG_COUNTER_ID = re.compile(r"\b(clip|gradient|pattern|mask)(\d+)\b")


def stable_svg_ids(svg: str) -> str:
    """Renumber Vega's process-wide clip/gradient counters by first use, so SVGs repeat."""
    mapping: dict[str, str] = {}
    counters: dict[str, int] = {}
    for match in re.finditer(r'\bid="((?:clip|gradient|pattern|mask)\d+)"', svg):
        name = match.group(1)
        prefix = _SVG_COUNTER_ID.match(name).group(1)
        if name not in mapping:
            counters[prefix] = counters.get(prefix, 0) + 1
            mapping[name] = f"{prefix}{counters[prefix]}"
    return _SVG_COUNTER_ID.sub(lambda m: mapping.get(m.group(0), m.group(0)), svg)


def export_static_figures(figures_dir: Path, out_figures_dir: Path,
                          figure_ids: list[str] | None = None) -> list[str]:
    """Write `<id>.png` (scale 2) and `<id>.svg` for each `.vl.json` and copy `<id>.csv`.

    `figure_ids` limits the export to the figures of this briefing, so specs left in the build
    directory by earlier runs are not published.
    """
    import vl_convert

    figures_dir, out_figures_dir = Path(figures_dir), Path(out_figures_dir)
    if figure_ids is None:
        figure_ids = sorted(p.name[: -len(".vl.json")] for p in figures_dir.glob("*.vl.json"))
    out_figures_dir.mkdir(parents=True, exist_ok=True)
    version = f"v{vegalite_version()}"
    for figure_id in figure_ids:
        spec_path = figures_dir / f"{figure_id}.vl.json"
        csv_path = figures_dir / f"{figure_id}.csv"
        for needed in (spec_path, csv_path):
            if not needed.exists():
                raise RenderError(f"figure {figure_id}: {needed} is missing (was publish_figure "
                                  "run with the same BRIEFING_BUILD_DIR?)")
        spec = json.loads(spec_path.read_text(encoding="utf-8"))
        svg = stable_svg_ids(vl_convert.vegalite_to_svg(spec, vl_version=version))
        png = vl_convert.vegalite_to_png(spec, vl_version=version, scale=2)
        (out_figures_dir / f"{figure_id}.svg").write_text(svg, encoding="utf-8", newline="\n")
        (out_figures_dir / f"{figure_id}.png").write_bytes(png)
        shutil.copyfile(csv_path, out_figures_dir / f"{figure_id}.csv")
    return list(figure_ids)


# ---------------------------------------------------------------- PDF

def require_chromium(chromium: str | Path) -> str:
    path = shutil.which(str(chromium))
    if not path:
        raise RenderError(f"Chromium not found at {chromium}; install it with "
                          "`sudo apt-get install chromium` (Debian) or pass its path")
    return path


def print_pdf(html_path: Path, pdf_path: Path, chromium: str = DEFAULT_CHROMIUM,
              timeout: float = 120) -> Path:
    """Print the page with headless Chromium after its charts have drawn (virtual time)."""
    binary = require_chromium(chromium)
    html_path, pdf_path = Path(html_path).resolve(), Path(pdf_path).resolve()
    pdf_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="briefing-chromium-") as profile:
        command = [binary, *CHROMIUM_FLAGS, *OFFLINE_FLAGS, f"--user-data-dir={profile}",
                   f"--virtual-time-budget={PDF_VIRTUAL_TIME_MS}", "--no-pdf-header-footer",
                   f"--print-to-pdf={pdf_path}", html_path.as_uri()]
        if pdf_path.exists():
            pdf_path.unlink()  # so a stale PDF can't pass for a fresh one
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0 or not pdf_path.exists() or pdf_path.stat().st_size == 0:
        raise RenderError(f"Chromium did not print {pdf_path} (exit {result.returncode}):\n"
                          f"{result.stderr[-2000:]}")
    return pdf_path


# ---------------------------------------------------------------- about, CLI

def latest_values(csv_path: Path) -> tuple[str | None, str | None]:
    """Latest `published_date` (YYYY-MM-DD) and latest monthly `period` (YYYY-MM) in a file."""
    with csv_path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    dates = [r.get("published_date") or "" for r in rows]
    dates = [d for d in dates if re.match(r"^\d{4}-\d{2}-\d{2}$", d)]
    periods = [p for r in rows if re.match(r"^\d{4}-\d{2}$", p := r.get("period") or "")]
    return (max(dates) if dates else None), (max(periods) if periods else None)


def about_from_sidecars(raw_dir: Path) -> dict:
    """Data sources from `data/raw/*.meta.json`, checksums re-computed from the files."""
    sources, dates, periods = [], [], []
    for meta_path in sorted(Path(raw_dir).glob("*.meta.json")):
        data_path = meta_path.parent / json.loads(meta_path.read_text(encoding="utf-8"))["file"]
        try:
            sources.append(verify_raw_file(data_path))
        except InputError as error:
            raise RenderError(str(error)) from None
        date, period = latest_values(data_path)
        dates += [date] if date else []
        periods += [period] if period else []
    vintage = f"latest release in the data published {max(dates)}" if dates else ""
    if periods:
        vintage += f", covering months up to {max(periods)}"
    return {"sources": sources, "data_vintage": vintage}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m helpers.render", description=__doc__)
    parser.add_argument("--notebooks", nargs="+", type=Path, required=True,
                        help="executed notebooks, in briefing order")
    parser.add_argument("--params", type=Path, required=True, help="params.json of the build")
    parser.add_argument("--out", type=Path, required=True, help="staging directory")
    parser.add_argument("--about", type=Path, help="about.json (default: from data/raw sidecars)")
    parser.add_argument("--raw-dir", type=Path, default=Path("data/raw"))
    parser.add_argument("--figures-dir", type=Path,
                        help="where publish_figure wrote specs (default: <params dir>/figures)")
    parser.add_argument("--chromium", default=DEFAULT_CHROMIUM)
    parser.add_argument("--no-pdf", action="store_true", help="skip the PDF (not publishable)")
    return parser.parse_args(argv)


def timed(label: str, timings: dict, func, *args):
    start = time.perf_counter()
    result = func(*args)
    timings[label] = time.perf_counter() - start
    print(f"[render] {label}: {timings[label]:.2f} s", flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    params = json.loads(args.params.read_text(encoding="utf-8"))
    about = (json.loads(args.about.read_text(encoding="utf-8")) if args.about
             else about_from_sidecars(args.raw_dir))
    figures_dir = args.figures_dir or args.params.parent / "figures"
    timings: dict[str, float] = {}
    try:
        html_path = timed("html", timings, render_briefing, args.notebooks, args.out, params,
                          about)
        ids = figure_ids_in_html(html_path.read_text(encoding="utf-8"))
        timed("static figures", timings, export_static_figures, figures_dir,
              args.out / "figures", ids)
        if not args.no_pdf:
            timed("pdf", timings, print_pdf, html_path, args.out / "briefing.pdf", args.chromium)
    except RenderError as error:
        print(f"[render] FAILED: {error}", file=sys.stderr)
        return 1
    print(f"[render] total: {sum(timings.values()):.2f} s -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
