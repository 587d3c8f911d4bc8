"""Tables as a reader sees them: words for headers, numbers that never break, links that are links.

Every table is written as `<build_dir>/tables/<id>.csv` (the full table, plain text) and shown as
HTML. A long table is shown as a summary in print (what it shows, how many rows, the rows that
matter) with the full table in a collapsible <details> block on screen; `render` copies the CSVs
the page links to, and `publish` copies them to reports/tables/.
"""
from __future__ import annotations

import html
import math
import numbers
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

CSV_FLOAT_FORMAT = "%.12g"
TABLE_ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_URL = re.compile(r"https?://\S+")
# Number-like tokens inside prose cells ("$5.8bn", "-27.0%", "146,900", "2.8×") are kept on one line.
_NUMBER_TOKEN = re.compile(r"[−+\-]?[$€£]?\d[\d,.]*(?:\s?(?:%|bn|mn|tn|×|x\b))?")
# A token this long with _ / . - separators is a file name or code, not a number or a word.
_LONG_IDENTIFIER = re.compile(r"^(?=.{20,}$)\S*[_/.][^\s]*$")
# Headers that look like code (snake_case, dotted) are refused: readers get words.
_CODE_HEADER = re.compile(r"^[a-z0-9]+(?:[_.][a-z0-9]+)+$")


def readable_number(value: float) -> str:
    """56230.0 -> '56,230', -8.78 -> '−8.78': thousands separators, no trailing zeros, the minus sign the
    text and charts use (the CSV keeps plain numbers)."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace("-", "−")


def tables_dir(build_dir: Path | str | None = None) -> Path:
    return Path(build_dir or os.environ.get("BRIEFING_BUILD_DIR", "build")) / "tables"


def csv_href(table_id: str) -> str:
    return f"tables/{table_id}.csv"


def check_headers(df: pd.DataFrame, table_id: str) -> None:
    for column in df.columns:
        if _CODE_HEADER.match(str(column)):
            raise ValueError(f"table {table_id}: column {column!r} is a code name; give it words a "
                             "reader knows (e.g. 'Used figure', 'y/y %')")


def is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


def link_html(segment: str) -> str:
    """'Outlet (row 12) https://x/y' -> <a href="https://x/y">Outlet (row 12)</a>."""
    match = _URL.search(segment)
    if not match:
        return prose_html(segment)
    url = match.group(0).rstrip(".,);")
    label = (segment[: match.start()] + segment[match.start() + len(url):]).strip(" —-:;,")
    label = label or urlparse(url).netloc.removeprefix("www.")
    return f'<a href="{html.escape(url, quote=True)}">{prose_html(label)}</a>'


def numbers_html(text: str) -> str:
    parts, last = [], 0
    for match in _NUMBER_TOKEN.finditer(text):
        parts.append(html.escape(text[last:match.start()]))
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
    return "".join(identifier_html(piece) if _LONG_IDENTIFIER.match(piece) else numbers_html(piece)
                   for piece in pieces)


def text_cell_html(text: str) -> str:
    if not _URL.search(text):
        return prose_html(text)
    return "; ".join(link_html(segment) for segment in text.split("; "))


# Columns whose numbers are labels (years, raw rows, codes): written as they are, without separators.
_LABEL_COLUMN = re.compile(r"period|year|month|date|row|code|hs|january", re.I)
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def cell_html(value, column: str = "") -> tuple[str, bool]:
    """(inner HTML, is_number) for one cell; missing values are a dash."""
    if isinstance(value, str) and _PLAIN_NUMBER.match(value.strip()) and not _LABEL_COLUMN.search(column):
        value = float(value)
    if is_missing(value):
        return "–", False
    if isinstance(value, bool):
        return ("yes" if value else "no"), False
    if isinstance(value, numbers.Integral):
        return (str(int(value)) if _LABEL_COLUMN.search(column) else f"{int(value):,}"), True
    if isinstance(value, numbers.Real):
        return readable_number(float(value)), True
    return text_cell_html(str(value)), False


def rows_html(df: pd.DataFrame, detail_columns: list[str]) -> list[str]:
    main_columns = [c for c in df.columns if c not in detail_columns]
    rows = []
    for record in df.itertuples(index=False):
        values = dict(zip(df.columns, record))
        cells = []
        for column in main_columns:
            inner, number = cell_html(values[column], str(column))
            css = ' class="num"' if number else ""
            cells.append(f'<td{css} data-label="{html.escape(str(column))}">{inner}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
        details = [(column, values[column]) for column in detail_columns if not is_missing(values[column])
                   and str(values[column]).strip()]
        if details:
            text = " ".join(f'<span class="detail-label">{html.escape(str(c))}:</span> {cell_html(v, str(c))[0]}'
                            for c, v in details)
            rows.append(f'<tr class="detail"><td colspan="{len(main_columns)}">{text}</td></tr>')
    return rows


def plain_table_html(df: pd.DataFrame, detail_columns: list[str] = (), css_class: str = "data-table") -> str:
    """<table> with header words, numbers right-aligned and unbreakable, detail columns as a row below."""
    detail_columns = list(detail_columns)
    main_columns = [c for c in df.columns if c not in detail_columns]
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in main_columns)
    body = "\n".join(rows_html(df, detail_columns))
    classes = css_class + (" has-details" if detail_columns else "")
    return (f'<table class="{classes}">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table>")


def write_table_csv(df: pd.DataFrame, table_id: str, build_dir: Path | str | None = None) -> Path:
    path = tables_dir(build_dir) / f"{table_id}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, encoding="utf-8", lineterminator="\n", float_format=CSV_FLOAT_FORMAT)
    return path


def files_note(table_id: str, rows: int) -> str:
    href = html.escape(csv_href(table_id))
    return (f'<p class="table-files">All {rows:,} rows as CSV: '
            f'<a href="{href}">{html.escape(table_id)}.csv</a></p>')


def table_html(df: pd.DataFrame, table_id: str, caption: str, detail_columns: list[str] = ()) -> str:
    """The whole table, printed in full, in a captioned figure that links its CSV."""
    if not TABLE_ID_PATTERN.match(table_id):
        raise ValueError(f"table_id {table_id!r} must match {TABLE_ID_PATTERN.pattern}")
    check_headers(df, table_id)
    return (f'<figure class="table" data-table-id="{html.escape(table_id)}" '
            f'data-csv="{html.escape(csv_href(table_id))}">\n'
            f"<figcaption>{html.escape(caption)}</figcaption>\n"
            f"{plain_table_html(df, detail_columns)}\n{files_note(table_id, len(df))}\n</figure>")


def long_table_html(df: pd.DataFrame, table_id: str, caption: str, summary_html: str,
                    key_rows: pd.DataFrame | None = None, key_caption: str = "") -> str:
    """A long table: the summary (and a few key rows) printed; the full table on screen and as CSV."""
    if not TABLE_ID_PATTERN.match(table_id):
        raise ValueError(f"table_id {table_id!r} must match {TABLE_ID_PATTERN.pattern}")
    check_headers(df, table_id)
    key = ""
    if key_rows is not None and len(key_rows):
        check_headers(key_rows, table_id)
        label = f'<p class="key-caption">{html.escape(key_caption)}</p>\n' if key_caption else ""
        key = label + plain_table_html(key_rows, css_class="data-table key-rows") + "\n"
    return (f'<figure class="table long-table" data-table-id="{html.escape(table_id)}" '
            f'data-csv="{html.escape(csv_href(table_id))}">\n'
            f"<figcaption>{html.escape(caption)}</figcaption>\n"
            f'<div class="table-summary">{summary_html}</div>\n{key}'
            f'<details class="full-table"><summary>Show all {len(df):,} rows</summary>\n'
            f"{plain_table_html(df)}\n</details>\n{files_note(table_id, len(df))}\n</figure>")


def table_bundle(df: pd.DataFrame, table_id: str, caption: str, detail_columns: list[str] = (),
                 build_dir: Path | str | None = None) -> tuple[dict, dict]:
    write_table_csv(df, table_id, build_dir)
    bundle = {"text/html": table_html(df, table_id, caption, detail_columns),
              "text/plain": f"{caption}\n{df.to_string(index=False)}"}
    return bundle, {"table_id": table_id, "caption": caption}


def show_table(df: pd.DataFrame, table_id: str, caption: str, detail_columns: list[str] = ()) -> None:
    from IPython.display import display

    bundle, metadata = table_bundle(df, table_id, caption, detail_columns)
    display(bundle, raw=True, metadata=metadata)


def show_long_table(df: pd.DataFrame, table_id: str, caption: str, summary_html: str,
                    key_rows: pd.DataFrame | None = None, key_caption: str = "") -> None:
    from IPython.display import display

    write_table_csv(df, table_id)
    bundle = {"text/html": long_table_html(df, table_id, caption, summary_html, key_rows, key_caption),
              "text/plain": f"{caption}\n{df.to_string(index=False)}"}
    display(bundle, raw=True, metadata={"table_id": table_id, "caption": caption})
