"""GACC query-platform exports (stats.customs.gov.cn, Chinese or English UI) dropped into data/raw/gacc/
-> tidy observations. The English site's HTML country table is read by helpers.sources.gacc_table.

Real layout (docs/RAW_FORMATS.md section 4): GB18030/GBK text even for the English UI, every field
quoted, a trailing comma on every line, `?` where there is no unit, thousands separators in values,
column set and order depending on the query (partner columns before or after the commodity columns),
no total rows (each line is one month x code x partner x regime x province cell: the total is the
plain sum), the flow only in the file name, and downloads cut at 10,000 lines. Values in yuan stay in
yuan (unit cny_mn, currency_note cny): the project never converts currencies.
"""

import io
import logging
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, excerpt
from . import hs_schema
from .fields import commodity_code
from .partners import UnknownPartnerError, resolve_gacc_partner_code, resolve_partner
from .provenance import read_hs_sidecar, retrieved_date
from .schema import relative_to_raw, tidy_frame
from .text_rows import CUT_REASON, blank, csv_rows, cut_row

log = logging.getLogger(__name__)

PUBLISHER = "GACC query platform"
ENGLISH_TABLE_PUBLISHER = "GACC (english.customs.gov.cn)"
# The platform cuts a CSV download at 10,000 lines; whether the header counts is not confirmed, so a
# file with this many data rows or more may be missing rows.
CAP_DATA_ROWS = 9_999


class GaccFormatError(InputError, ValueError):
    """Bad GACC file; the message names file, row, column and what was expected."""


# --------------------------------------------------------------------------- header vocabulary
# Canonical field -> header spellings, "|" between them (Chinese UI, then English UI; compared
# casefolded, without spaces).
HEADERS = {
    "period": "数据年月|date of data|data month|year and month|month|date",
    "hs_code": "商品编码|commodity code|hs code|code of commodity",
    "commodity": "商品名称|commodity name|description of commodity|commodity",
    "partner_code": "贸易伙伴编码|trading partner code|partner code|country code",
    "partner_name": "贸易伙伴名称|trading partner name|trading partner|partner name|"
    "country (region)|country",
    "trade_mode": "贸易方式名称|trade mode name|trade mode|customs regime",
    "trade_mode_code": "贸易方式编码|trade mode code|customs regime code",
    "region": "注册地名称|registration place name|domestic destination/source name|"
    "locations of importers and exporters",
    "region_code": "注册地编码|registration place code|locations of importers and exporters code",
    "qty1": "第一数量|第一法定数量|统计数量|first quantity|quantity 1|quantity",
    "unit1": "第一计量单位|第一法定计量单位|first unit|first unit of measurement|unit 1|unit",
    "qty2": "第二数量|second quantity|quantity 2|supplementary quantity|supplimentary quantity",
    "unit2": "第二计量单位|second unit|second unit of measurement|unit 2|supplementary unit|"
    "supplimentary unit",
    "value_cny": "人民币|人民币元|金额_人民币|rmb|rmb yuan|value (rmb)|cny|renminbi yuan|renminbi",
    "value_usd": "美元|金额_美元|美元值|us dollar|us$|usd|value (us$)|us dollars|value(usd)",
}
UNITS = {
    **dict.fromkeys(["千克", "kilogram", "kg"], "kg"),
    **dict.fromkeys(["吨", "ton", "tonne", "tonnes"], "tonnes"),
    **dict.fromkeys(["辆", "台", "个", "件", "套", "架", "艘", "unit", "units"], "units"),
}
NO_UNIT = {"", "?", "？", "-"}  # GACC writes `?` where a code has no (second) unit
FLOW_WORDS = {"出口": "export", "export": "export", "进口": "import", "import": "import"}


def _key(text) -> str:
    return re.sub(r"\s+", "", str(text)).casefold()


HEADER_LOOKUP = {
    _key(spelling): field
    for field, spellings in HEADERS.items()
    for spelling in spellings.split("|")
}


# --------------------------------------------------------------------------- reading the file
def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) first; then GB18030, the superset of GBK that GACC CSVs use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GaccFormatError("cannot decode the file", file=path, expected="UTF-8 or GBK/GB18030 text")


def _read_grid(path: Path) -> tuple[list[list[str]], bool]:
    """All cells as text, no header yet (exports sometimes carry a title line above the header), and
    whether the file ends inside its last row (cut off: helpers.sources.text_rows)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, header=None, dtype=str).fillna("").values.tolist(), False
    if path.suffix.lower() == ".xls":
        raise GaccFormatError(
            "old .xls format is not supported", file=path, expected="re-save as .xlsx or CSV"
        )
    text = _decode(path.read_bytes(), path)
    first = text.split("\n", 1)[0]
    delimiter = (
        "\t"
        if first.count("\t") > first.count(",")
        else ";"
        if first.count(";") > first.count(",")
        else ","
    )
    rows = list(csv_rows(io.StringIO(text, newline=""), delimiter=delimiter))
    return [cells for cells, _ in rows], bool(rows) and not rows[-1][1] and not blank(rows[-1][0])


def _find_header(grid: list[list[str]], path: Path) -> tuple[int, dict]:
    """First row (of the first 10) naming a commodity code and a value column -> {field: column}."""
    for index, cells in enumerate(grid[:10]):
        fields = {}
        for column, cell in enumerate(cells):
            field = HEADER_LOOKUP.get(_key(cell))
            if field and field not in fields:
                fields[field] = column
        if "hs_code" in fields and ({"value_usd", "value_cny"} & fields.keys()):
            return index, fields
    first = " | ".join(str(c) for c in grid[0]) if grid else "(empty file)"
    raise GaccFormatError(
        f"unknown header set; first row reads: {excerpt(first, 80)}",
        file=path,
        expected="a header row with 商品编码 (or 'Commodity code') and a value column "
        "美元/人民币 (or 'US dollar'/'Renminbi Yuan')",
    )


# --------------------------------------------------------------------------- field parsers
def flow_from_name(path: Path) -> str:
    name = Path(path).name.casefold()
    found = {flow for word, flow in FLOW_WORDS.items() if word in name}
    if len(found) != 1:
        raise GaccFormatError(
            "cannot tell the flow from the file name",
            file=path,
            expected="flow= argument, or 出口/进口/export/import in the file name",
        )
    return found.pop()


def _year_from_name(path: Path) -> str:
    years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", Path(path).stem))
    if len(years) != 1:
        raise GaccFormatError(
            "no 数据年月 column and no single year in the file name",
            file=path,
            expected="period= argument (YYYY) or a year such as 2024 in the file name",
        )
    return years.pop()


def _period(text: str, path: Path, row: int, column: str) -> str:
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise GaccFormatError(
            f"period {excerpt(text, 20)} is not a month",
            file=path,
            row=row,
            column=column,
            expected="YYYYMM such as 202407",
        )
    return hs_schema.period(int(match[1]), int(match[2]), file=path, row=row, column=column)


def hs_version_for(code: str, period: str) -> str:
    """China applies each HS edition from 1 January of its year; chapter 98 is GACC-only."""
    if code.startswith("98"):
        return "GACC"
    year = int(period[:4])
    return (
        "HS2022" if year >= 2022 else "HS2017" if year >= 2017 else "HS2012" if year >= 2012 else ""
    )


def _partner_of(
    cells: dict, fields: dict, header: list, default, path: Path, row: int, lenient: bool
) -> str:
    """ISO2 of the row's partner (by name, else by GACC partner code); lenient: the name in the file."""
    name = cells.get("partner_name", "").strip()
    code = cells.get("partner_code", "").strip()
    if name or code:
        try:
            return resolve_partner(name).iso2 if name else resolve_gacc_partner_code(code).iso2
        except UnknownPartnerError:
            if name and code:
                try:
                    return resolve_gacc_partner_code(code).iso2
                except UnknownPartnerError:
                    pass
            if lenient:
                return name or f"GACC partner {code}"
            column = header[fields["partner_name" if name else "partner_code"]]
            raise GaccFormatError(
                f"trading partner {excerpt(name or code, 30)} is not a known partner",
                file=path,
                row=row,
                column=column,
                expected="a country of ISO 3166-1 by name or code, or a name added as an alias in "
                "config/partners.csv",
            ) from None
    if default is None:
        raise GaccFormatError(
            "the file has no 贸易伙伴名称 column",
            file=path,
            expected="partner= argument (e.g. 'RU')",
        )
    return resolve_partner(default).iso2


# --------------------------------------------------------------------------- the reader
def read_gacc_export(
    path,
    flow: str | None = None,
    partner=None,
    period: str | None = None,
    only_partner=None,
    allow_capped: bool = False,
    name_unknown_partners: bool = False,
    flag_cut_row: bool = False,
) -> pd.DataFrame:
    """A GACC query-platform CSV/XLSX -> tidy rows (value rows plus measure=quantity rows).

    flow: 'export'/'import', else read from the file name. partner: used when the file has no
    partner column. period: year (YYYY) for year-only queries without 数据年月, else from file name.
    only_partner: keep that partner's rows; others (known or not) are left out with a note.
    allow_capped: read a file at the platform's 10,000-line cap (flagged) instead of refusing it.
    name_unknown_partners: a partner no name or code resolves keeps the file's name (make inspect)
    instead of stopping the read.
    flag_cut_row: the row a cut-off file ends inside is left out and flagged (make inspect); otherwise
    the file is refused, naming the row.
    attrs: notes, skipped [{row, reason}], flags, adapter, currency, rows.
    """
    path = Path(path)
    flow = flow or flow_from_name(path)
    if flow not in ("export", "import"):
        raise GaccFormatError(f"flow {flow!r} is not export or import", file=path)
    grid, cut = _read_grid(path)
    header_index, fields = _find_header(grid, path)
    header = [str(c).strip() for c in grid[header_index]]
    body = [
        (n, cells) for n, cells in enumerate(grid[header_index + 1 :], start=1) if not blank(cells)
    ]
    flags, skipped, data_rows = [], [], len(body)
    if cut and body:
        if not flag_cut_row:
            raise cut_row(path, body[-1][0])
        flags.append(f"{path.name}: row {body[-1][0]}: {CUT_REASON}")
        skipped.append({"row": body[-1][0], "reason": CUT_REASON})
        body = body[:-1]
    if data_rows >= CAP_DATA_ROWS:
        message = (
            f"{data_rows:,} data rows: at the platform's 10,000-line download cap, so rows may be missing; "
            "split the query (fewer months or codes per download) so each file stays below the cap"
        )
        if not allow_capped:
            raise GaccFormatError(message, file=path)
        flags.append(f"{path.name}: possibly truncated: {message}")
    year = None if "period" in fields else (period or _year_from_name(path))
    if year is not None:  # the year of the file's name: no row to name
        hs_schema.period(int(year), None, file=path, row=None, column="period")
    currency = "usd" if "value_usd" in fields else "cny"
    value_field = "value_usd" if currency == "usd" else "value_cny"
    wanted = resolve_partner(only_partner).iso2 if only_partner else None
    common = {
        "reporter": "CN",
        "flow": flow,
        "currency_note": currency,
        "source_file": relative_to_raw(path),
        "source_url": relative_to_raw(path),
        "publisher": PUBLISHER,
        "published_date": retrieved_date(read_hs_sidecar(path)),
    }
    records, others, partners = [], Counter(), {}
    needed = max(fields.values()) + 1
    for offset, values in body:
        if len(values) < needed:
            raise GaccFormatError(
                f"has {len(values)} fields, the header maps {needed} (truncated row?)",
                file=path,
                row=offset,
                expected="one field per header column",
            )
        cells = {field: str(values[column]) for field, column in fields.items()}
        hs_schema.require(
            cells,
            ("hs_code", value_field) + (("period",) if year is None else ()),
            file=path,
            row=offset,
        )
        code = commodity_code(
            cells["hs_code"].replace(".", "").replace(" ", ""),
            file=path,
            row=offset,
            column=header[fields["hs_code"]],
        )
        when, span = (
            (_period(cells["period"], path, offset, header[fields["period"]]), "month")
            if year is None
            else (year, "year")
        )
        amount = hs_schema.amount(
            cells[value_field],
            file=path,
            row=offset,
            column=header[fields[value_field]],
            kind=currency,
            grouped=True,
        )
        who = (cells.get("partner_name", "").strip(), cells.get("partner_code", "").strip())
        if (
            who not in partners
        ):  # one lookup per partner, not per line (a capped file has 10,000 lines)
            partners[who] = _partner_of(
                cells,
                fields,
                header,
                partner,
                path,
                offset,
                lenient=wanted is not None or name_unknown_partners,
            )
        row_partner = partners[who]
        if wanted is not None and row_partner != wanted:
            others[row_partner] += 1
            skipped.append(
                {
                    "row": offset,
                    "reason": f"other partner {row_partner} (the briefing's partner is {wanted})",
                }
            )
            continue
        base = {
            "partner": row_partner,
            "period": when,
            "span": span,
            "commodity": cells.get("commodity", "").strip() or f"HS {code}",
            "hs_code": code,
            "hs_version": hs_version_for(code, when),
            "source_row": offset,
            "quote": _breakdown(cells),
        }
        if amount is not None:
            records.append(
                {
                    **base,
                    "measure": "value",
                    "value": amount / 1e6,
                    "unit": "usd_mn" if currency == "usd" else "cny_mn",
                }
            )
        records.extend(_quantity_rows(base, cells, fields, header, path, offset))
    tidy = tidy_frame(records, **common)
    notes = list(flags)
    if others:
        notes.append(
            f"{path.name}: left out {sum(others.values())} row(s) for other partners than {wanted}: "
            + ", ".join(f"{p} {n}" for p, n in sorted(others.items()))
        )
    tidy.attrs.update(
        notes=notes,
        skipped=skipped,
        flags=flags,
        adapter="gacc_query_export",
        currency=currency.upper(),
        rows=data_rows,
    )
    for note in notes:
        log.info(note)
    return tidy


def _breakdown(cells: dict) -> str:
    """The cell's regime and province: GACC lines are parts of a total, told apart by these."""
    mode = cells.get("trade_mode", "").strip() or cells.get("trade_mode_code", "").strip()
    region = cells.get("region", "").strip() or cells.get("region_code", "").strip()
    return "; ".join(p for p in (mode and f"贸易方式: {mode}", region and f"注册地: {region}") if p)


def _quantity_rows(base, cells, fields, header, path, row) -> list[dict]:
    rows = []
    for qty_field, unit_field in (("qty1", "unit1"), ("qty2", "unit2")):
        if qty_field not in fields:
            continue
        unit = cells.get(unit_field, "").strip()
        if (
            unit in NO_UNIT
        ):  # `?`: this code has no such unit -> no quantity row (its "0" is not a zero)
            continue
        quantity = hs_schema.amount(
            cells[qty_field],
            file=path,
            row=row,
            column=header[fields[qty_field]],
            kind="quantity",
            grouped=True,
        )
        if quantity is None:
            continue
        rows.append(
            {
                **base,
                "measure": "quantity",
                "value": quantity,
                "unit": UNITS.get(unit.casefold(), unit),
            }
        )
    return rows
