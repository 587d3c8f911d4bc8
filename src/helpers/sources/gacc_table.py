"""GACC's English-site monthly HTML table "Imports and Exports by Country (Region) of Origin/Destination"
(unit US$1,000) -> TOTAL rows for one partner (spans month and ytd)."""

import re
from pathlib import Path

import pandas as pd

from ..core.errors import excerpt
from .fields import is_number, number
from .gacc_exports import ENGLISH_TABLE_PUBLISHER, GaccFormatError, _decode
from .partners import UnknownPartnerError, resolve_partner
from .provenance import read_hs_sidecar, retrieved_date
from .schema import relative_to_raw, tidy_frame

MONTHS = (
    "january february march april may june july august september october november december".split()
)


def _html_grid(table) -> list[list[str]]:
    """Expand rowspan/colspan so every row has one cell per column."""
    grid, pending = [], {}
    for tr in table.find_all("tr"):
        row, column = [], 0
        cells = tr.find_all(["td", "th"])
        while cells or column in pending:
            if column in pending:
                text, left = pending.pop(column)
                row.append(text)
                if left > 1:
                    pending[column] = (text, left - 1)
                column += 1
                continue
            cell = cells.pop(0)
            text = " ".join(cell.get_text(" ", strip=True).split())
            rowspan, colspan = int(cell.get("rowspan", 1) or 1), int(cell.get("colspan", 1) or 1)
            for _ in range(colspan):
                row.append(text)
                if rowspan > 1:
                    pending[column] = (text, rowspan - 1)
                column += 1
        grid.append(row)
    return grid


def _classify_column(label: str) -> tuple[str, str, str] | None:
    """Header text of one column -> (span, flow, measure) or None if it is not a data column."""
    text = label.casefold()
    flow = next(
        (
            f
            for word, f in (("export", "export"), ("import", "import"), ("total", "total"))
            if word in text
        ),
        None,
    )
    if flow is None:
        return None
    span = (
        "ytd"
        if re.search(r"jan(uary)?\.?\s*(-|–|to)|1\s*-\s*\d{1,2}\b|cumulative|year to date", text)
        else "month"
    )
    measure = "yoy" if re.search(r"%|y/y|yoy|change|growth|increase", text) else "value"
    return span, flow, measure


def _period_from_title(text: str, path: Path) -> str:
    lowered = text.casefold()
    found = [
        (m.start(), i + 1) for i, name in enumerate(MONTHS) for m in re.finditer(name, lowered)
    ]
    year = re.search(r"(?<!\d)(20\d{2})(?!\d)", lowered)
    if found and year:
        return f"{year[1]}-{max(found)[1]:02d}"
    match = re.search(r"(20\d{2})[./-](\d{1,2})(?!\d)", lowered)
    if match:
        return f"{match[1]}-{int(match[2]):02d}"
    raise GaccFormatError(
        "cannot find the month in the table title",
        file=path,
        expected="a title such as 'July 2025', or period='YYYY-MM'",
    )


def read_gacc_english_table(path, partner="RU", period: str | None = None) -> pd.DataFrame:
    """GACC English-site country table -> TOTAL rows for `partner` (spans month and ytd)."""
    from bs4 import BeautifulSoup

    path = Path(path)
    target = resolve_partner(partner)
    soup = BeautifulSoup(_decode(path.read_bytes(), path), "lxml")
    text = " ".join(soup.get_text(" ").split())
    if not re.search(r"us\$\s*1,?000|1,?000\s*us\s*dollars|thousand us", text.casefold()):
        raise GaccFormatError(
            "unit not found", file=path, expected="'Unit: US$1,000' near the table"
        )
    period = period or _period_from_title(text, path)
    table = max(soup.find_all("table"), key=lambda t: len(t.find_all("tr")), default=None)
    if table is None:
        raise GaccFormatError("no <table> in the page", file=path)
    grid = _html_grid(table)
    first_data = next(
        (
            i
            for i, row in enumerate(grid)
            if len(row) > 1 and sum(is_number(c, grouped=True) for c in row[1:]) >= 2
        ),
        None,
    )
    if first_data is None:
        raise GaccFormatError("no numeric rows in the table", file=path)
    width = max(len(r) for r in grid)
    labels = [
        " ".join(dict.fromkeys(r[c] for r in grid[:first_data] if c < len(r) and r[c]))
        for c in range(width)
    ]
    columns = {c: _classify_column(labels[c]) for c in range(1, width)}
    columns = {c: kind for c, kind in columns.items() if kind}
    if not any(kind[2] == "value" for kind in columns.values()):
        raise GaccFormatError(
            f"no export/import/total columns among headers {excerpt(' | '.join(labels), 80)}",
            file=path,
            expected="columns labelled Exports / Imports / Total (Jan-to-month and month)",
        )
    for row_number, row in enumerate(grid[first_data:], start=1):
        try:
            if resolve_partner(row[0]).iso2 == target.iso2:
                return _english_rows(row, row_number, columns, labels, target.iso2, period, path)
        except UnknownPartnerError:
            continue
    raise GaccFormatError(
        f"partner {target.name_en} not found in the first column",
        file=path,
        expected=f"a row named {target.name_en} (or another name of it in ISO 3166-1 or config/partners.csv)",
    )


def _english_rows(row, row_number, columns, labels, partner, period, path) -> pd.DataFrame:
    slots = {}
    for column, (span, flow, measure) in columns.items():
        cell = row[column] if column < len(row) else ""
        value = number(  # US$1,000 with digit groups; a y/y change may be negative
            cell,
            file=path,
            row=row_number,
            column=labels[column],
            signed=measure != "value",
            grouped=True,
        )
        if value is None:
            continue
        slot = slots.setdefault((span, flow), {"value": float("nan"), "yoy_pct": float("nan")})
        slot["value" if measure == "value" else "yoy_pct"] = (
            value / 1000 if measure == "value" else value
        )
    records = [{"flow": flow, "span": span, **slot} for (span, flow), slot in sorted(slots.items())]
    source = relative_to_raw(path)
    return tidy_frame(
        records,
        reporter="CN",
        partner=partner,
        period=period,
        commodity="TOTAL",
        measure="value",
        unit="usd_mn",
        currency_note="usd",
        source_file=source,
        source_row=row_number,
        source_url=source,
        publisher=ENGLISH_TABLE_PUBLISHER,
        published_date=retrieved_date(read_hs_sidecar(path)),
        quote=" | ".join(row),
    )
