"""The briefing page: blocks -> one offline HTML file (Vega bundle inlined once, headings, contents)."""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import os
import platform
import re
import subprocess
from pathlib import Path

import jinja2

from ..core.paths import PROJECT_ROOT, build_dir
from .blocks import Block, Figure, RenderError, notebook_blocks, number_figures
from .figures import vegalite_version

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "briefing.html.j2"


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
    return (body[: match.start()], body[match.start() :]) if match else (body, "")


def first_h1(body: str) -> str | None:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else None


@functools.cache
def vega_bundle() -> str:
    """Vega + Vega-Lite + vega-embed as one script, from vl-convert (no CDN needed).

    Building it takes vl-convert ~1.5 s per process, so it is kept under build/cache/, named by the
    vl-convert and Vega-Lite versions that produced it (a version change builds a new one)."""
    import vl_convert

    version = f"v{vegalite_version()}"
    cache = build_dir() / "cache" / f"vega-bundle-vlc{vl_convert.__version__}-vl{version}.js"
    if cache.is_file():
        bundle = cache.read_text(encoding="utf-8")
    else:
        bundle = vl_convert.javascript_bundle(vl_version=version)
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
        tmp.write_text(bundle, encoding="utf-8")
        tmp.replace(cache)
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
    root = PROJECT_ROOT
    try:
        sha = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short=10", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return sha or None


@functools.cache
def build_info() -> str:
    """One line naming the code and tool versions; dated only from SOURCE_DATE_EPOCH."""
    import altair
    import vl_convert

    parts = ["Built"]
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch != "0":  # 0 is the usual "pin, but no real date" value
        date = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC).strftime("%Y-%m-%d")
        parts.append(f"on {date}")
    commit = os.environ.get("BRIEFING_COMMIT") or git_describe()
    if commit:
        parts.append(f"from commit {commit}")
    parts.append(
        f"with Python {platform.python_version()}, altair {altair.__version__}, "
        f"Vega-Lite {altair.SCHEMA_VERSION.lstrip('v')}, "
        f"Vega {vl_convert.get_vega_version()}, "
        f"vega-embed {vl_convert.get_vega_embed_version()}"
    )
    return " ".join(parts) + "."


def template_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, keep_trailing_newline=True
    )


def figure_html(fig: Figure) -> str:
    """Container vega-embed draws into, with a static PNG for readers without JavaScript."""
    fid, title = html.escape(fig.figure_id), html.escape(fig.title)
    return (
        f'<figure class="chart" id="figure-{fid}">\n'
        f'<div id="fig-{fid}" class="figure" data-figure-id="{fid}"></div>\n'
        f'<noscript><img src="figures/{fid}.png" alt="{title}" width="640"></noscript>\n'
        f'<figcaption><span class="figure-title">Figure {fig.number}. {title}</span> '
        f'{html.escape(fig.caption)} <span class="figure-files">Data: '
        f'<a href="figures/{fid}.csv">{fid}.csv</a> · '
        f'<a href="figures/{fid}.svg">SVG</a> · <a href="figures/{fid}.png">PNG</a>'
        f"</span></figcaption>\n</figure>"
    )


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
        title=title,
        show_title=first_h1(body) is None,
        intro=intro,
        body=rest,
        toc=toc,
        params=params,
        about=about,
        build_info=about.get("build_info") or build_info(),
        figures_json=figures_json(figures),
        vega_bundle=vega_bundle(),
        figure_count=len(figures),
    )


_REMOTE_RESOURCE = re.compile(
    r"<(?:script|img|iframe|link|source|video|audio)\b[^>]*\s(?:src|href)=[\"']?(?:https?:)?//",
    re.I,
)


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
