"""Tables as a reader sees them: words for headers, numbers that never break, links that are links.

Every table is written as `<build_dir>/tables/<id>.csv` (the full table, plain text) and shown as
HTML. A long table is shown as a summary in print (what it shows, how many rows, the rows that
matter) with the full table in a collapsible <details> block on screen; `render` copies the CSVs
the page links to, and `publish` copies them to reports/tables/.

Numbers read as the text writes them (the CSV keeps plain numbers): a change column (its header holds
"%" or says change or y/y) is signed with one decimal, as `core.text.signed_pct` writes changes; any
other numeric column has the same number of decimals down the column (the most it needs, at most 2).
A frame may say otherwise in its `attrs` (see `number_format`): `table_decimals` {column: places}, and
`table_as_published`, columns of published figures, where each figure keeps the decimals it was published
with (41.2 is not shown as 41.20) and figure spaces keep the column aligned on the decimal point; a
number held as text (a figure copied as published) is treated the same way.
"""

from __future__ import annotations

import html
import numbers
import re
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from ..core.paths import ID
from ..core.paths import build_dir as default_build_dir
from ..core.text import is_missing, signed_pct
from .mathjax import ALIGN_LEFT

CSV_FLOAT_FORMAT = "%.12g"  # stable, and avoids binary noise like 0.30000000000000004
_URL = re.compile(r"https?://\S+")
# Number-like tokens inside prose cells ("$5.8bn", "-27.0%", "146,900", "2.8×") are kept on one line.
_NUMBER_TOKEN = re.compile(r"[−+\-]?[$€£]?\d[\d,.]*(?:\s?(?:%|bn|mn|tn|×|x\b))?")
# A token this long with _ / . - separators is a file name or code, not a number or a word.
_LONG_IDENTIFIER = re.compile(r"^(?=.{20,}$)\S*[_/.][^\s]*$")
# Headers that look like code (snake_case, dotted) are refused: readers get words.
_CODE_HEADER = re.compile(r"^[a-z0-9]+(?:[_.][a-z0-9]+)+$")


MAX_DECIMALS = 2
FIGURE_SPACE, PUNCTUATION_SPACE = "\u2007", "\u2008"  # the width of a digit, of a decimal point


def decimals_of(value) -> int:
    """Decimals a number has as written or stored: '60' -> 0, 41.2 -> 1, 5.695 -> 3, 105.0 -> 0."""
    text = value.strip() if isinstance(value, str) else f"{float(value):.12g}"
    mantissa, _, exponent = text.lower().partition("e")
    return max(0, len(mantissa.partition(".")[2]) - int(exponent or 0))


def readable_number(value: float, decimals: int | None = None) -> str:
    """56230.0 -> '56,230', -8.78 -> '−8.78', 5.695 -> '5.70': thousands separators, the minus sign the text
    and charts use, `decimals` places (default: as many as the number has, at most 2); a number that rounds
    to zero has no sign. The CSV keeps plain numbers."""
    places = min(decimals_of(value), MAX_DECIMALS) if decimals is None else decimals
    text = f"{float(value):,.{places}f}"
    return (text.lstrip("-") if float(text.replace(",", "")) == 0 else text).replace("-", "−")


def change_number(value: float, decimals: int = 1) -> str:
    """-18.0 -> '−18.0', 58 -> '+58.0': a change as the text writes it (core.text.signed_pct); the % is in
    the column's header."""
    return signed_pct(float(value), decimals).removesuffix("%")


def number_format(
    df: pd.DataFrame, decimals: dict[str, int] | None = None, as_published: list[str] = ()
) -> pd.DataFrame:
    """`df` with how its numbers read in the table: `decimals` overrides the places of a column (e.g. 2 for
    differences of a few hundredths of a percent); `as_published` names columns of published figures, each
    shown with its own decimals, aligned."""
    df = df.copy()
    df.attrs["table_decimals"] = dict(decimals or {})
    df.attrs["table_as_published"] = list(as_published)
    return df


def tables_dir(build_dir: Path | str | None = None) -> Path:
    # the project's build/ (core.paths), not ./build: a notebook run from notebooks/ wrote notebooks/build/tables
    return Path(build_dir or default_build_dir()) / "tables"


def csv_href(table_id: str) -> str:
    return f"tables/{table_id}.csv"


def check_headers(df: pd.DataFrame, table_id: str) -> None:
    for column in df.columns:
        if _CODE_HEADER.match(str(column)):
            raise ValueError(
                f"table {table_id}: column {column!r} is a code name; give it words a "
                "reader knows (e.g. 'Used figure', 'y/y %')"
            )


def link_html(segment: str) -> str:
    """'Outlet (row 12) https://x/y' -> <a href="https://x/y">Outlet (row 12)</a>."""
    match = _URL.search(segment)
    if not match:
        return prose_html(segment)
    url = match.group(0).rstrip(".,);")
    label = (segment[: match.start()] + segment[match.start() + len(url) :]).strip(" —-:;,")
    label = label or urlparse(url).netloc.removeprefix("www.")
    return f'<a href="{html.escape(url, quote=True)}">{prose_html(label)}</a>'


def numbers_html(text: str) -> str:
    parts, last = [], 0
    for match in _NUMBER_TOKEN.finditer(text):
        parts.append(html.escape(text[last : match.start()]))
        parts.append(f'<span class="nw">{html.escape(match.group(0))}</span>')
        last = match.end()
    parts.append(html.escape(text[last:]))
    return "".join(parts)


def identifier_html(token: str) -> str:
    """A long file name or code may wrap after its separators (and only there)."""
    return re.sub(r"([_/.\-])(?=.)", r"\1<wbr>", html.escape(token))


def prose_html(text: str) -> str:
    """Escaped text: number-like tokens cannot break across lines; long identifiers (file names, paths)
    may break after their separators, so they never push a table past the page."""
    pieces = re.split(r"(\s+)", text)
    return "".join(
        identifier_html(piece) if _LONG_IDENTIFIER.match(piece) else numbers_html(piece)
        for piece in pieces
    )


def text_cell_html(text: str) -> str:
    if not _URL.search(text):
        return prose_html(text)
    return "; ".join(link_html(segment) for segment in text.split("; "))


# Columns whose numbers are labels (years, raw rows, codes): written as they are, without separators; a
# header with a unit ("This year, US$ mn", "Wire vs rows, %") holds amounts, not labels.
_LABEL_COLUMN = re.compile(r"period|year|month|date|row|code|hs|january", re.I)
_UNIT = re.compile(r"US\$|%|\bbn\b|\bmn\b")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# Columns of changes: signed, one decimal, like the text (header holds "%", or says change or y/y).
_CHANGE_COLUMN = re.compile(r"%|\bchange\b|y/y", re.I)


def is_label_column(column: str) -> bool:
    return bool(_LABEL_COLUMN.search(column)) and not _UNIT.search(column)


def is_number_cell(value, column: str) -> bool:
    """A number the table formats (not a label, a yes/no, a missing value or words)."""
    if isinstance(value, str):
        return bool(_PLAIN_NUMBER.match(value.strip())) and not is_label_column(column)
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and not is_missing(value)
        and not (isinstance(value, numbers.Integral) and is_label_column(column))
    )


def number_formatter(
    column: str, values, decimals: dict[str, int] | None = None, as_published: list[str] = ()
) -> Callable[[object], str]:
    """How the numbers of one column read: changes signed with one decimal; published figures (and numbers
    held as text) with their own decimals, padded by figure spaces to the column's; the rest with the
    decimals the column needs (at most 2), the same down the column."""
    decimals = decimals or {}
    if _CHANGE_COLUMN.search(column):
        places = decimals.get(column, 1)
        return lambda value: change_number(float(value), places)
    width = decimals.get(
        column,
        max(
            [min(decimals_of(v), MAX_DECIMALS) for v in values if is_number_cell(v, column)],
            default=0,
        ),
    )

    def written(value) -> str:
        if column not in as_published and not isinstance(value, str):
            return readable_number(float(value), width)
        own = min(decimals_of(value), width)
        pad = (PUNCTUATION_SPACE if own == 0 < width else "") + FIGURE_SPACE * (width - own)
        return readable_number(float(value), own) + pad

    return written


def cell_html(
    value, column: str = "", number: Callable[[object], str] | None = None
) -> tuple[str, bool]:
    """(inner HTML, is_number) for one cell; missing values are a dash. `number` writes the column's numbers
    (default: as many decimals as the number has)."""
    if is_missing(value):
        return "–", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if is_number_cell(value, column):
        return (number or readable_number)(value if isinstance(value, str) else float(value)), True
    if isinstance(value, numbers.Real) and not isinstance(value, bool):  # a label: year, row, code
        return str(int(value)) if float(value).is_integer() else str(value), True
    return text_cell_html(str(value)), False


def column_formatters(df: pd.DataFrame) -> dict:
    decimals, published = df.attrs.get("table_decimals", {}), df.attrs.get("table_as_published", [])
    return {
        column: number_formatter(str(column), df[column].tolist(), decimals, published)
        for column in df.columns
    }


def rows_html(df: pd.DataFrame, detail_columns: list[str]) -> list[str]:
    """One string per record: its row, and below it a detail row when it has details."""
    main_columns = [c for c in df.columns if c not in detail_columns]
    formatters = column_formatters(df)
    records = []
    for record in df.itertuples(index=False):
        values = dict(zip(df.columns, record))
        cells = []
        for column in main_columns:
            inner, number = cell_html(values[column], str(column), formatters[column])
            css = ' class="num"' if number else ALIGN_LEFT
            cells.append(f'<td{css} data-label="{html.escape(str(column))}">{inner}</td>')
        rows = "<tr>" + "".join(cells) + "</tr>"
        details = [
            (column, values[column])
            for column in detail_columns
            if not is_missing(values[column]) and str(values[column]).strip()
        ]
        if details:
            text = " ".join(
                f'<span class="detail-label">{html.escape(str(c))}:</span> '
                f"{cell_html(v, str(c), formatters[c])[0]}"
                for c, v in details
            )
            rows += f'\n<tr class="detail"><td colspan="{len(main_columns)}"{ALIGN_LEFT}>{text}</td></tr>'
        records.append(rows)
    return records


def plain_table_html(
    df: pd.DataFrame, detail_columns: list[str] = (), css_class: str = "data-table"
) -> str:
    """<table> with header words, numbers right-aligned and unbreakable, detail columns as a row below.
    A record with a detail row is a <tbody> of its own, so print never separates the two."""
    detail_columns = list(detail_columns)
    main_columns = [c for c in df.columns if c not in detail_columns]
    head = "".join(f"<th{ALIGN_LEFT}>{html.escape(str(c))}</th>" for c in main_columns)
    records = rows_html(df, detail_columns)
    if detail_columns:
        body = "\n".join(f'<tbody class="record">\n{record}\n</tbody>' for record in records)
    else:
        body = "<tbody>\n" + "\n".join(records) + "\n</tbody>"
    classes = css_class + (" has-details" if detail_columns else "")
    return f'<table class="{classes}">\n<thead><tr>{head}</tr></thead>\n{body}\n</table>'


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """A table's or a figure's CSV: plain numbers, repeatable bytes."""
    df.to_csv(
        path, index=False, encoding="utf-8", lineterminator="\n", float_format=CSV_FLOAT_FORMAT
    )


def write_table_csv(df: pd.DataFrame, table_id: str, build_dir: Path | str | None = None) -> Path:
    path = tables_dir(build_dir) / f"{table_id}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(df, path)
    return path


def files_note(table_id: str, rows: int) -> str:
    href = html.escape(csv_href(table_id))
    return (
        f'<p class="table-files">All {rows:,} rows as CSV: '
        f'<a href="{href}">{html.escape(table_id)}.csv</a></p>'
    )


def table_figure(df: pd.DataFrame, table_id: str, caption: str, classes: str, body: str) -> str:
    """A captioned table figure that links its CSV, after its id and headers are checked."""
    if not re.fullmatch(ID, table_id):
        raise ValueError(f"table_id {table_id!r} must match {ID}")
    check_headers(df, table_id)
    return (
        f'<figure class="{classes}" data-table-id="{html.escape(table_id)}" '
        f'data-csv="{html.escape(csv_href(table_id))}">\n'
        f"<figcaption>{html.escape(caption)}</figcaption>\n"
        f"{body}\n{files_note(table_id, len(df))}\n</figure>"
    )


def table_html(
    df: pd.DataFrame, table_id: str, caption: str, detail_columns: list[str] = ()
) -> str:
    """The whole table, printed in full."""
    return table_figure(df, table_id, caption, "table", plain_table_html(df, detail_columns))


def long_table_html(
    df: pd.DataFrame,
    table_id: str,
    caption: str,
    summary_html: str,
    key_rows: pd.DataFrame | None = None,
    key_caption: str = "",
    in_print: bool = True,
) -> str:
    """A long table: the summary (and a few key rows) printed; the full table on screen and as CSV.
    in_print=False: an appendix table print leaves out whole (the page's `screen-detail` class)."""
    key = ""
    if key_rows is not None and len(key_rows):
        check_headers(key_rows, table_id)
        label = f'<p class="key-caption">{html.escape(key_caption)}</p>\n' if key_caption else ""
        key = label + plain_table_html(key_rows, css_class="data-table key-rows") + "\n"
    body = (
        f'<div class="table-summary">{summary_html}</div>\n{key}'
        f'<details class="full-table"><summary>Show all {len(df):,} rows</summary>\n'
        f"{plain_table_html(df)}\n</details>"
    )
    classes = "table long-table" + ("" if in_print else " screen-detail")
    return table_figure(df, table_id, caption, classes, body)


def table_bundle(
    df: pd.DataFrame,
    table_id: str,
    caption: str,
    detail_columns: list[str] = (),
    build_dir: Path | str | None = None,
    html_text: str = "",
) -> tuple[dict, dict]:
    """Write the CSV; the notebook output of the table (`html_text`: drawn another way, e.g. long)."""
    write_table_csv(df, table_id, build_dir)
    html_text = html_text or table_html(df, table_id, caption, detail_columns)
    bundle = {"text/html": html_text, "text/plain": f"{caption}\n{df.to_string(index=False)}"}
    return bundle, {"table_id": table_id, "caption": caption}


def display_output(bundle: dict, metadata: dict | None = None) -> None:
    """Display a MIME bundle as it is (with the metadata the briefing finds figures and tables by)."""
    from IPython.display import display

    display(bundle, raw=True, metadata=metadata)
