"""GACC files dropped by a user into data/raw/gacc/ -> tidy observations.

(a) CSV/XLSX exports of the online query platform (stats.customs.gov.cn, Chinese or English UI);
(b) the English site's monthly HTML table "Imports and Exports by Country (Region) of
    Origin/Destination" (unit US$1,000), giving TOTAL rows for one partner.
Values in yuan stay in yuan (unit cny_mn, currency_note cny): the project never converts currencies.
"""
import io
import json
import logging
import re
from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from .schema import relative_to_raw, tidy_frame
from .partners import UnknownPartnerError, resolve_partner

log = logging.getLogger(__name__)

PUBLISHER = "GACC query platform"
ENGLISH_TABLE_PUBLISHER = "GACC (english.customs.gov.cn)"


class GaccFormatError(InputError, ValueError):
    """Bad GACC file; the message names file, row, column and what was expected."""


# --------------------------------------------------------------------------- header vocabulary
# Canonical field -> header spellings (Chinese UI, then English UI; compared casefolded, no spaces).
HEADERS = {
    "period": ["数据年月", "date of data", "data month", "year and month", "month", "date"],
    "hs_code": ["商品编码", "commodity code", "hs code", "code of commodity"],
    "commodity": ["商品名称", "commodity name", "description of commodity", "commodity"],
    "partner_code": ["贸易伙伴编码", "trading partner code", "partner code", "country code"],
    "partner_name": ["贸易伙伴名称", "trading partner name", "trading partner", "partner name",
                     "country (region)", "country"],
    "trade_mode": ["贸易方式名称", "trade mode name", "trade mode"],
    "trade_mode_code": ["贸易方式编码", "trade mode code"],
    "region": ["注册地名称", "registration place name", "domestic destination/source name"],
    "region_code": ["注册地编码", "registration place code"],
    "qty1": ["第一数量", "第一法定数量", "统计数量", "first quantity", "quantity 1", "quantity"],
    "unit1": ["第一计量单位", "第一法定计量单位", "first unit", "first unit of measurement", "unit 1", "unit"],
    "qty2": ["第二数量", "second quantity", "quantity 2"],
    "unit2": ["第二计量单位", "second unit", "second unit of measurement", "unit 2"],
    "value_cny": ["人民币", "人民币元", "金额_人民币", "rmb", "rmb yuan", "value (rmb)", "cny"],
    "value_usd": ["美元", "金额_美元", "美元值", "us dollar", "us$", "usd", "value (us$)", "us dollars",
                  "value(usd)"],
}
UNITS = {"千克": "kg", "吨": "tonnes", "辆": "units", "台": "units", "个": "units", "件": "units",
         "套": "units", "架": "units", "艘": "units", "kilogram": "kg", "kg": "kg", "ton": "tonnes",
         "tonne": "tonnes", "tonnes": "tonnes", "unit": "units", "units": "units"}
FLOW_WORDS = {"出口": "export", "export": "export", "进口": "import", "import": "import"}


def _key(text) -> str:
    return re.sub(r"\s+", "", str(text)).casefold()


HEADER_LOOKUP = {_key(spelling): field for field, spellings in HEADERS.items() for spelling in spellings}


# --------------------------------------------------------------------------- reading the file
def _decode(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) first; then GB18030, the superset of GBK that GACC CSVs use."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GaccFormatError("cannot decode the file", file=path, expected="UTF-8 or GBK text")


def _read_grid(path: Path) -> pd.DataFrame:
    """All cells as text, no header yet (exports sometimes carry a title line above the header)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return pd.read_excel(path, header=None, dtype=str).fillna("")
    if path.suffix.lower() == ".xls":
        raise GaccFormatError("old .xls format is not supported", file=path,
                              expected="re-save as .xlsx or CSV")
    text = _decode(path.read_bytes(), path)
    return pd.read_csv(io.StringIO(text), header=None, dtype=str, keep_default_na=False,
                       skip_blank_lines=True, sep=None, engine="python")


def _find_header(grid: pd.DataFrame, path: Path) -> tuple[int, dict]:
    """First row (of the first 10) naming a commodity code and a value column -> {field: column}."""
    for index in range(min(10, len(grid))):
        fields = {}
        for column, cell in enumerate(grid.iloc[index]):
            field = HEADER_LOOKUP.get(_key(cell))
            if field and field not in fields:
                fields[field] = column
        if "hs_code" in fields and ({"value_usd", "value_cny"} & fields.keys()):
            return index, fields
    first = " | ".join(str(c) for c in grid.iloc[0]) if len(grid) else "(empty file)"
    raise GaccFormatError(
        f"unknown header set; first row reads: {first}", file=path,
        expected="a header row with 商品编码 (or 'Commodity code') and a value column "
                 "美元/金额_美元 or 人民币/人民币元 (or 'US dollar'/'RMB')")


# --------------------------------------------------------------------------- field parsers
def flow_from_name(path: Path) -> str:
    name = Path(path).name.casefold()
    found = {flow for word, flow in FLOW_WORDS.items() if word in name}
    if len(found) != 1:
        raise GaccFormatError("cannot tell the flow from the file name", file=path,
                              expected="flow= argument, or 出口/进口/export/import in the file name")
    return found.pop()


def _year_from_name(path: Path) -> str:
    years = set(re.findall(r"(?<!\d)((?:19|20)\d{2})(?!\d)", Path(path).stem))
    if len(years) != 1:
        raise GaccFormatError("no 数据年月 column and no single year in the file name", file=path,
                              expected="period= argument (YYYY) or a year such as 2024 in the file name")
    return years.pop()


def _period(text: str, path: Path, row: int, column: str) -> str:
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?", text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise GaccFormatError(f"period {text!r} is not a month", file=path, row=row, column=column,
                              expected="YYYYMM such as 202407")
    return f"{match[1]}-{int(match[2]):02d}"


def _hs_code(text: str, path: Path, row: int, column: str, notes: list) -> str:
    code = text.strip().replace(".", "").replace(" ", "")
    if not code.isdigit():
        raise GaccFormatError(f"commodity code {text!r} is not digits", file=path, row=row, column=column,
                              expected="an HS/national code of 2-10 digits, kept as text (e.g. 0303)")
    if len(code) % 2:  # a spreadsheet dropped the leading zero (HS codes have even length)
        notes.append(f"{path.name} row {row}: code {code} restored to 0{code}")
        code = "0" + code
    return code


def _amount(text: str, path: Path, row: int, column: str) -> float | None:
    cleaned = str(text).strip().replace(",", "").replace("，", "").replace(" ", "")
    if cleaned in ("", "-", "--"):
        return None
    try:
        number = float(cleaned)
    except ValueError:
        raise GaccFormatError(f"value {text!r} is not a number", file=path, row=row, column=column,
                              expected="a number, thousands separators allowed (1,234.5)") from None
    if number < 0:
        raise GaccFormatError(f"value {text!r} is negative", file=path, row=row, column=column,
                              expected="a non-negative amount or quantity")
    return number


def hs_version_for(code: str, period: str) -> str:
    """China applies each HS edition from 1 January of its year; chapter 98 is GACC-only."""
    if code.startswith("98"):
        return "GACC"
    year = int(period[:4])
    return "HS2022" if year >= 2022 else "HS2017" if year >= 2017 else "HS2012" if year >= 2012 else ""


def _sidecar_date(path: Path) -> str:
    sidecar = Path(str(path) + ".meta.json")
    if not sidecar.exists():
        return ""
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    return str(meta.get("retrieved_at") or meta.get("date_accessed") or "")[:10]


def _partner_of(cells: dict, fields: dict, header: list, default, path: Path, row: int) -> str:
    if "partner_name" in fields and cells["partner_name"].strip():
        name = cells["partner_name"].strip()
        try:
            return resolve_partner(name).iso2
        except UnknownPartnerError:
            raise GaccFormatError(f"trading partner {name!r} is not in config/partners.csv", file=path,
                                  row=row, column=header[fields["partner_name"]],
                                  expected="a partner listed there (add a row to the table)") from None
    if default is None:
        raise GaccFormatError("the file has no 贸易伙伴名称 column", file=path,
                              expected="partner= argument (e.g. 'RU')")
    return resolve_partner(default).iso2


# --------------------------------------------------------------------------- (a) query exports
def read_gacc_export(path, flow: str | None = None, partner=None, period: str | None = None) -> pd.DataFrame:
    """A GACC query-platform CSV/XLSX -> tidy rows (value rows plus measure=quantity rows).

    flow: 'export'/'import', else read from the file name. partner: used when the file has no
    partner column. period: year (YYYY) for year-only queries without 数据年月, else from file name.
    """
    path = Path(path)
    flow = flow or flow_from_name(path)
    if flow not in ("export", "import"):
        raise GaccFormatError(f"flow {flow!r} is not export or import", file=path)
    grid = _read_grid(path)
    header_index, fields = _find_header(grid, path)
    header = [str(c).strip() for c in grid.iloc[header_index]]
    year = None if "period" in fields else (period or _year_from_name(path))
    currency = "usd" if "value_usd" in fields else "cny"
    value_field = "value_usd" if currency == "usd" else "value_cny"
    common = {"reporter": "CN", "flow": flow, "yoy_pct": float("nan"), "currency_note": currency,
              "source_file": relative_to_raw(path), "source_url": relative_to_raw(path),
              "publisher": PUBLISHER, "published_date": _sidecar_date(path)}
    records, notes = [], []
    for offset, values in enumerate(grid.iloc[header_index + 1:].itertuples(index=False), start=1):
        cells = {field: str(values[column]) for field, column in fields.items()}
        if not any(v.strip() for v in cells.values()):
            continue
        code = _hs_code(cells["hs_code"], path, offset, header[fields["hs_code"]], notes)
        when, span = ((_period(cells["period"], path, offset, header[fields["period"]]), "month")
                      if year is None else (year, "year"))
        base = {**common, "partner": _partner_of(cells, fields, header, partner, path, offset),
                "period": when, "span": span, "commodity": cells.get("commodity", "").strip() or f"HS {code}",
                "hs_code": code, "hs_version": hs_version_for(code, when), "source_row": offset,
                "quote": _breakdown(cells)}
        amount = _amount(cells[value_field], path, offset, header[fields[value_field]])
        if amount is not None:
            records.append({**base, "measure": "value", "value": amount / 1e6,
                            "unit": "usd_mn" if currency == "usd" else "cny_mn"})
        records.extend(_quantity_rows(base, cells, fields, header, path, offset))
    tidy = tidy_frame(records)
    tidy.attrs["notes"] = notes
    for note in notes:
        log.info(note)
    return tidy


def _breakdown(cells: dict) -> str:
    parts = [f"贸易方式: {cells['trade_mode'].strip()}" if cells.get("trade_mode", "").strip() else "",
             f"注册地: {cells['region'].strip()}" if cells.get("region", "").strip() else ""]
    return "; ".join(p for p in parts if p)


def _quantity_rows(base, cells, fields, header, path, row) -> list[dict]:
    rows = []
    for qty_field, unit_field in (("qty1", "unit1"), ("qty2", "unit2")):
        if qty_field not in fields:
            continue
        quantity = _amount(cells[qty_field], path, row, header[fields[qty_field]])
        unit = cells.get(unit_field, "").strip()
        if quantity is None or not unit:
            continue
        rows.append({**base, "measure": "quantity", "value": quantity, "unit": UNITS.get(unit.casefold(), unit)})
    return rows


# --------------------------------------------------------------------------- (b) English HTML table
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december"]


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


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?[\d,]+(\.\d+)?", text.replace(" ", "")))


def _classify_column(label: str) -> tuple[str, str, str] | None:
    """Header text of one column -> (span, flow, measure) or None if it is not a data column."""
    text = label.casefold()
    flow = next((f for word, f in (("export", "export"), ("import", "import"), ("total", "total"))
                 if word in text), None)
    if flow is None:
        return None
    span = "ytd" if re.search(r"jan(uary)?\.?\s*(-|–|to)|1\s*-\s*\d{1,2}\b|cumulative|year to date", text) else "month"
    measure = "yoy" if re.search(r"%|y/y|yoy|change|growth|increase", text) else "value"
    return span, flow, measure


def _period_from_title(text: str, path: Path) -> str:
    lowered = text.casefold()
    found = [(m.start(), i + 1) for i, name in enumerate(MONTHS) for m in re.finditer(name, lowered)]
    year = re.search(r"(?<!\d)(20\d{2})(?!\d)", lowered)
    if found and year:
        return f"{year[1]}-{max(found)[1]:02d}"
    match = re.search(r"(20\d{2})[./-](\d{1,2})(?!\d)", lowered)
    if match:
        return f"{match[1]}-{int(match[2]):02d}"
    raise GaccFormatError("cannot find the month in the table title", file=path,
                          expected="a title such as 'July 2025', or period='YYYY-MM'")


def read_gacc_english_table(path, partner="RU", period: str | None = None) -> pd.DataFrame:
    """GACC English-site country table -> TOTAL rows for `partner` (spans month and ytd)."""
    from bs4 import BeautifulSoup

    path = Path(path)
    target = resolve_partner(partner)
    soup = BeautifulSoup(_decode(path.read_bytes(), path), "lxml")
    text = " ".join(soup.get_text(" ").split())
    if not re.search(r"us\$\s*1,?000|1,?000\s*us\s*dollars|thousand us", text.casefold()):
        raise GaccFormatError("unit not found", file=path, expected="'Unit: US$1,000' near the table")
    period = period or _period_from_title(text, path)
    table = max(soup.find_all("table"), key=lambda t: len(t.find_all("tr")), default=None)
    if table is None:
        raise GaccFormatError("no <table> in the page", file=path)
    grid = _html_grid(table)
    first_data = next((i for i, row in enumerate(grid) if len(row) > 1 and sum(map(_is_number, row[1:])) >= 2), None)
    if first_data is None:
        raise GaccFormatError("no numeric rows in the table", file=path)
    width = max(len(r) for r in grid)
    labels = [" ".join(dict.fromkeys(r[c] for r in grid[:first_data] if c < len(r) and r[c])) for c in range(width)]
    columns = {c: _classify_column(labels[c]) for c in range(1, width)}
    columns = {c: kind for c, kind in columns.items() if kind}
    if not any(kind[2] == "value" for kind in columns.values()):
        raise GaccFormatError(f"no export/import/total columns among headers {labels}", file=path,
                              expected="columns labelled Exports / Imports / Total (Jan-to-month and month)")
    for row_number, row in enumerate(grid[first_data:], start=1):
        try:
            if resolve_partner(row[0]).iso2 == target.iso2:
                return _english_rows(row, row_number, columns, labels, target.iso2, period, path)
        except UnknownPartnerError:
            continue
    raise GaccFormatError(f"partner {target.name_en} not found in the first column", file=path,
                          expected=f"a row named {target.name_en} (or an alias in config/partners.csv)")


def _english_rows(row, row_number, columns, labels, partner, period, path) -> pd.DataFrame:
    slots = {}
    for column, (span, flow, measure) in columns.items():
        cell = row[column].replace(",", "").strip() if column < len(row) else ""
        if cell in ("", "-", "--"):
            continue
        if not _is_number(cell):
            raise GaccFormatError(f"{cell!r} is not a number", file=path, row=row_number,
                                  column=labels[column], expected="a number")
        number = float(cell)
        if measure == "value" and number < 0:
            raise GaccFormatError(f"value {cell!r} is negative", file=path, row=row_number,
                                  column=labels[column], expected="a non-negative amount")
        slot = slots.setdefault((span, flow), {"value": float("nan"), "yoy_pct": float("nan")})
        slot["value" if measure == "value" else "yoy_pct"] = number / 1000 if measure == "value" else number
    source = relative_to_raw(path)
    records = [{"reporter": "CN", "partner": partner, "flow": flow, "period": period, "span": span,
                "commodity": "TOTAL", "hs_code": "", "hs_version": "", "measure": "value", "unit": "usd_mn",
                "value": slot["value"], "yoy_pct": slot["yoy_pct"], "currency_note": "usd",
                "source_file": source, "source_row": row_number, "source_url": source,
                "publisher": ENGLISH_TABLE_PUBLISHER, "published_date": _sidecar_date(path),
                "quote": " | ".join(row)} for (span, flow), slot in sorted(slots.items())]
    return tidy_frame(records)
