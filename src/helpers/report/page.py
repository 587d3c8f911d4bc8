"""The briefing page: blocks -> one offline HTML file with every figure as a static drawing, and
beside it the assets that make the charts interactive (assets/vega.js, assets/figures.js)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import jinja2

from ..core.paths import PROJECT_ROOT
from ..core.result_cache import cached
from . import phone_layout
from .blocks import Block, Figure, RenderError, notebook_blocks, number_figures
from .drawing import draw_svg, vegalite_version
from .notes import number_notes
from .phone_layout import PHONE_MAX_PX, PHONE_ROOM_PX, phone_figure, smallest_text_px, svg_size

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE_NAME = "briefing.html.j2"
# Beside the page, loaded by relative path only when a reader reaches for a chart: the page itself
# shows every figure without them (sent alone, it is still complete, only not interactive).
ASSETS_DIR = "assets"
VEGA_ASSET = "vega.js"  # Vega + Vega-Lite + vega-embed, as vl-convert bundles them
FIGURES_ASSET = "figures.js"  # the specs of this build's figures
MIN_TEXT_PX = 10  # chart text on a phone, as on paper


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
    """Vega + Vega-Lite + vega-embed as one classic script, from vl-convert (no CDN needed).

    Building it takes vl-convert ~1.5 s per process, so it is kept under build/cache/, named by the
    vl-convert and Vega-Lite versions that produced it (a version change builds a new one)."""
    import vl_convert

    version = f"v{vegalite_version()}"
    return cached(
        "vega-bundle",
        [vl_convert.__version__, version],
        lambda: vl_convert.javascript_bundle(vl_version=version),
        by_code=False,
    )


def embedded_spec(spec: dict) -> dict:
    # $schema is only a URL label; vega-embed gets mode="vega-lite" instead.
    return {key: value for key, value in spec.items() if key != "$schema"}


def draw_phone(spec: dict) -> tuple[dict, str]:
    """The figure's phone layout and drawing (phone_layout), kept under build/cache/phone/ by the
    spec and the layout code: drawing takes vl-convert a third of a second a figure, a page has a
    dozen."""
    import vl_convert

    layout_code = Path(phone_layout.__file__).read_text(
        encoding="utf-8"
    )  # a new rule, a new drawing

    def draw() -> str:
        phone, svg = phone_figure(spec, draw_svg)
        return json.dumps({"spec": phone, "svg": svg}, sort_keys=True)

    drawn = json.loads(
        cached("phone", [spec, vl_convert.__version__, layout_code], draw, by_code=False)
    )
    return drawn["spec"], drawn["svg"]


# Vega's SVG describes every mark for screen readers (aria-label="year: 2021; value: 146.9") and
# names its groups for CSS: an <img> exposes neither (its alt text speaks for the chart), and they
# are most of the bytes.
_SVG_UNSEEN = re.compile(r'\s(?:aria-[a-z]+|role|class|pointer-events)="[^"]*"')


def svg_data_uri(svg: str) -> str:
    """The drawing as a data: URI for <img src> and <source srcset> (no whitespace, so srcset takes
    it whole); percent-encoded rather than base64, which gzip compresses three times better."""
    return "data:image/svg+xml," + quote(_SVG_UNSEEN.sub("", svg), safe=":/=,.'()-_!*~;@+$?")


@dataclass(frozen=True)
class Drawn:
    """One figure of the page: the figure, its phone-width spec and both static drawings."""

    figure: Figure
    svg: str
    phone_spec: dict
    phone_svg: str


def drawn_figure(fig: Figure) -> Drawn:
    phone, phone_svg = draw_phone(fig.spec)
    return Drawn(fig, fig.svg or draw_svg(fig.spec), phone, phone_svg)


def phone_text_warnings(drawn: list[Drawn]) -> list[str]:
    """Phone drawings still wider than their room (e.g. a long text label beside the plot, which
    narrowing the plot cannot shorten): their text shows under 10 px on a 360 px phone."""
    warnings = []
    for d in drawn:
        smallest = smallest_text_px(d.phone_svg, PHONE_ROOM_PX)
        if smallest < MIN_TEXT_PX - 0.05:
            warnings.append(
                f"figure {d.figure.figure_id}: its phone drawing is "
                f"{svg_size(d.phone_svg)[0]:.0f} px wide for {PHONE_ROOM_PX} px, so its smallest "
                f"text shows at {smallest:.1f} px on a 360 px phone (under {MIN_TEXT_PX})"
            )
    return warnings


def figures_script(drawn: list[Drawn]) -> str:
    """assets/figures.js: each figure's Vega-Lite spec for the page's interactive drawing, and its
    phone layout without the data rows (the page takes them from the spec)."""
    payload = {
        d.figure.figure_id: {
            "spec": embedded_spec(d.figure.spec),
            "phone": {k: v for k, v in embedded_spec(d.phone_spec).items() if k != "datasets"},
        }
        for d in drawn
    }
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"window.briefingFigures = {text};\n"


def git_describe() -> str | None:
    try:
        sha = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "--short=10", "HEAD"],
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


def figure_html(d: Drawn) -> str:
    """The figure as its static drawing, a phone-width one on small screens (one <picture>, no
    script needed); the page's Vega replaces it in place when a reader reaches for the chart."""
    fig = d.figure
    fid, title = html.escape(fig.figure_id), html.escape(fig.title)
    width, height = (round(v) for v in svg_size(d.svg))
    phone_width, phone_height = (round(v) for v in svg_size(d.phone_svg))
    return (
        f'<figure class="chart" id="figure-{fid}">\n'
        f'<div id="fig-{fid}" class="figure" data-figure-id="{fid}"><picture>'
        f'<source media="screen and (max-width: {PHONE_MAX_PX}px)" width="{phone_width}" '
        f'height="{phone_height}" srcset="{svg_data_uri(d.phone_svg)}">'
        f'<img src="{svg_data_uri(d.svg)}" width="{width}" height="{height}" '
        f'alt="Figure {fig.number}: {title}"></picture></div>\n'
        f'<figcaption><span class="figure-title">Figure {fig.number}. {title}</span> '
        f'{html.escape(fig.caption)} <span class="figure-files">Data: '
        f'<a href="figures/{fid}.csv">{fid}.csv</a> · '
        f'<a href="figures/{fid}.svg">SVG</a> · <a href="figures/{fid}.png">PNG</a>'
        f"</span></figcaption>\n</figure>"
    )


_FULL_TABLE = re.compile(
    r'(<details class="full-table"><summary>.*?</summary>)(.*?)(</details>)', re.S
)


def defer_full_tables(body: str) -> str:
    """A long table's full version goes inside <noscript> in its closed <details>: with scripts on,
    the browser keeps it as one text node (no elements, no layout) until the reader opens it and the
    page's script turns it into a table; with scripts off it is the table itself."""

    def wrap(match: re.Match) -> str:
        opening, table, closing = match.groups()
        if "</noscript" in table.lower():
            raise RenderError("a long table contains '</noscript' and cannot be deferred")
        return f"{opening}<noscript>{table}</noscript>{closing}"

    return _FULL_TABLE.sub(wrap, body)


def block_html(block: Block, drawn: dict[str, Drawn]) -> str:
    if block.figure is not None:
        return figure_html(drawn[block.figure.figure_id])
    return block.html.strip()


def asset_url(name: str, text: str) -> str:
    """Relative URL of an asset beside the page, with its content's hash so no cache serves an old one."""
    return f"{ASSETS_DIR}/{name}?v={hashlib.sha256(text.encode()).hexdigest()[:12]}"


def render_page(blocks: list[Block], params: dict, about: dict) -> tuple[str, dict[str, str]]:
    """The page, and the assets beside it ({relative path: text}): the Vega runtime and the specs."""
    blocks = number_figures(blocks)
    drawn = {b.figure.figure_id: drawn_figure(b.figure) for b in blocks if b.figure is not None}
    for warning in phone_text_warnings(list(drawn.values())):
        # published anyway (every number is right), but never silently
        print(f"render: warning: {warning}", file=sys.stderr)
    body = defer_full_tables("\n".join(block_html(b, drawn) for b in blocks))
    body, notes = number_notes(body)
    body, toc = add_heading_ids(body)
    title = params.get("title") or first_h1(body) or "China–Russia trade briefing"
    intro, rest = split_before_first_h2(body)
    assets = {}
    if drawn:
        assets[f"{ASSETS_DIR}/{VEGA_ASSET}"] = vega_bundle()
        assets[f"{ASSETS_DIR}/{FIGURES_ASSET}"] = figures_script(list(drawn.values()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True, keep_trailing_newline=True
    )
    page = env.get_template(TEMPLATE_NAME).render(
        title=title,
        show_title=first_h1(body) is None,
        intro=intro,
        body=rest,
        toc=toc,
        notes=notes,
        params=params,
        about=about,
        build_info=about.get("build_info") or build_info(),
        scripts=[asset_url(Path(path).name, text) for path, text in assets.items()],
        phone_max_px=PHONE_MAX_PX,
        figure_count=len(drawn),
    )
    return page, assets


_REMOTE_RESOURCE = re.compile(
    r"<(?:script|img|iframe|link|source|video|audio)\b[^>]*\s(?:src|href)=[\"']?(?:https?:)?//",
    re.I,
)


def check_offline(page: str) -> None:
    """Refuse pages that would load anything from the network (e.g. raw HTML in a notebook)."""
    match = _REMOTE_RESOURCE.search(page)
    if match:
        raise RenderError(f"the briefing would load a remote resource: {match.group(0)}...")


def render_briefing(notebooks: list[Path], out_dir: Path, params: dict, about: dict) -> Path:
    """Write `out_dir/briefing.html` and its assets from executed notebooks in order; return its path."""
    blocks = [block for path in notebooks for block in notebook_blocks(Path(path))]
    page, assets = render_page(blocks, params, about)
    check_offline(page)
    out_dir = Path(out_dir)
    for relative, text in {"briefing.html": page, **assets}.items():
        (out_dir / relative).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / relative).write_text(text, encoding="utf-8", newline="\n")
    return out_dir / "briefing.html"
