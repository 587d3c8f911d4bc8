"""UN Comtrade records -> the tidy observation table.

Formats (docs/RAW_FORMATS.md sections 1-2): API snapshots as CSV or JSON (`data` list), and bulk files
(`bulkDownloadFinalFile`: tab-separated `.txt` or `.txt.gz`, value columns spelled CIFValue/FOBValue).
Columns are selected by name, never by position. Rules:
- only total rows count: partner2Code 0, customsCode C00, motCode 0. Other rows are breakdowns of
  the same total (by second partner, customs procedure, mode of transport) and are skipped, listed;
- only flows X and M: RX/RM and other sub-flows are parts of them, skipped and listed;
- annual rows (freqCode A, period YYYY, refMonth 52) give period YYYY; a monthly row's month is 1-12;
- with `partner`, rows for other partners (and World, partnerCode 0) are left out with a note.
"""

import csv
import gzip
import json
import logging
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, excerpt
from . import hs_schema
from .fields import DIGITS, HS_EDITIONS, commodity_code
from .partners import UnknownPartnerError, resolve_partner
from .provenance import read_hs_sidecar, retrieved_date
from .schema import relative_to_raw, tidy_frame
from .text_rows import CUT_REASON, blank, csv_rows, cut_row

log = logging.getLogger(__name__)

REPORTER_CHINA = 156
FLOWS = {"X": "export", "M": "import"}
HS_VERSIONS = {f"H{6 - n}": edition for n, edition in enumerate(HS_EDITIONS)}  # H6: HS2022
UNKNOWN_EDITION = (
    "classificationCode {} is not an HS edition this project knows (H0–H6, HS1992–HS2022): "
    "left out, never read as another edition"
)


def hs_edition(classification: str) -> str | None:
    """'H6' -> 'HS2022'; '' (the file gives no classification) -> ''; any other code (H7, S4, BE)
    -> None: its rows are left out with a note, never counted as some edition (issue 23, point 6)."""
    return HS_VERSIONS.get(classification) if classification else ""


REQUIRED_COLUMNS = ("flowCode", "partnerCode", "cmdCode", "primaryValue")
# The total of a (period, reporter, flow, partner, cmdCode) cell; any other value marks a breakdown row.
TOTAL_ROW = {"partner2Code": "0", "customsCode": "C00", "motCode": "0"}
BREAKDOWN_REASON = (
    "breakdown row ({}): part of the total row (partner2Code 0, customsCode C00, motCode 0)"
)


class ComtradeFormatError(InputError, ValueError):
    """Bad Comtrade file; the message names file, row, column and what was expected."""


def adapter_name(path: Path) -> str:
    name = Path(path).name.lower()
    if name.endswith(".json"):
        return "comtrade_api_json"
    return (
        "comtrade_bulk_tsv"
        if name.endswith((".txt", ".txt.gz", ".tsv", ".tsv.gz"))
        else "comtrade_api_csv"
    )


def _open_text(path: Path):
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return open(path, encoding="utf-8-sig", newline="")


def _json_records(path: Path) -> list[dict]:
    try:
        payload = json.loads(path.read_text(encoding="utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise ComtradeFormatError(
            f"not valid JSON ({type(error).__name__})",
            file=path,
            expected="a Comtrade API response (an object with a `data` list)",
        ) from None
    records = payload.get("data", payload) if isinstance(payload, dict) else payload
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ComtradeFormatError(
            "JSON holds no list of records",
            file=path,
            expected="a Comtrade API response (an object with a `data` list)",
        )
    return records


def delimiter_of(first_line: str) -> str:
    return "\t" if "\t" in first_line else ","


def read_header(path: Path) -> list[str]:
    if path.name.lower().endswith(".json"):
        return list(dict.fromkeys(k for r in _json_records(path) for k in r))
    try:
        with _open_text(path) as handle:
            first = handle.readline()
    except (UnicodeDecodeError, OSError, EOFError) as error:
        raise ComtradeFormatError(
            f"cannot be read as UTF-8 text ({type(error).__name__})",
            file=path,
            expected="a Comtrade CSV or tab-separated bulk file",
        ) from None
    return [
        h.strip()
        for h in next(csv.reader([first.rstrip("\r\n")], delimiter=delimiter_of(first)), [])
    ]


def iter_records(path: Path, cut: list | None = None):
    """(1-based data row, {column: text}) for any Comtrade format, streamed for CSV/TSV (bounded memory);
    a row with fewer or more fields than the header is an error (a truncated download), and so is the
    row a cut-off file ends inside (helpers.sources.text_rows) -- or, given a list `cut`, its number is
    added there and the row left out (make inspect)."""
    if path.name.lower().endswith(".json"):
        for number, record in enumerate(_json_records(path), start=1):
            yield number, {k: _text(v) for k, v in record.items()}
        return
    header = read_header(path)
    try:
        with _open_text(path) as handle:
            first = handle.readline()
            rows = csv_rows(handle, delimiter=delimiter_of(first))
            for number, (cells, complete) in enumerate(rows, start=1):
                if blank(cells):
                    continue
                if not complete:
                    if cut is None:
                        raise cut_row(path, number)
                    cut.append(number)
                    continue
                if len(cells) != len(header):
                    raise ComtradeFormatError(
                        f"has {len(cells)} fields, header has {len(header)} (truncated row?)",
                        file=path,
                        row=number,
                        expected="one field per column",
                    )
                yield number, dict(zip(header, cells))
    except (UnicodeDecodeError, EOFError, csv.Error) as error:
        raise ComtradeFormatError(
            f"cannot be read ({type(error).__name__})",
            file=path,
            expected="UTF-8 CSV or tab-separated text as Comtrade writes it",
        ) from None


def check_record(record: dict, path: Path, row: int) -> tuple[str, str, str, str, float]:
    """Every rule of helpers.sources.hs_schema (and .fields) for one raw row -> (flowCode, code, period, span, US$)."""
    hs_schema.require(record, REQUIRED_COLUMNS, file=path, row=row)
    code = commodity_code(
        _text(record["cmdCode"]), file=path, row=row, column="cmdCode", allow_total=True
    )
    period, span = period_of(record, path, row)
    value = hs_schema.amount(
        _text(record["primaryValue"]),
        file=path,
        row=row,
        column="primaryValue",
        kind="usd",
        required=True,
    )
    reporter = _text(record.get("reporterCode"))
    if reporter and reporter != str(REPORTER_CHINA):
        raise ComtradeFormatError(
            f"reporterCode {excerpt(reporter, 8)} is not China (156)",
            file=path,
            row=row,
            column="reporterCode",
            expected="China's own customs data (reporterCode 156)",
        )
    for column in ("partnerCode", "partner2Code", "motCode"):
        if _text(record.get(column)) and not DIGITS.fullmatch(_text(record.get(column))):
            raise ComtradeFormatError(
                f"{column} {excerpt(record.get(column), 12)} is not a number",
                file=path,
                row=row,
                column=column,
                expected="a numeric Comtrade code",
            )
    return _text(record["flowCode"]), code, period, span, value


def check_columns(header: list[str], path: Path) -> None:
    for column in REQUIRED_COLUMNS:
        if column not in header:
            shown = excerpt(", ".join(header), 120)
            raise ComtradeFormatError(
                f"required Comtrade column '{column}' is missing (columns present: {shown})",
                file=path,
            )
    if "period" not in header and not {"refYear", "refMonth"} <= set(header):
        raise ComtradeFormatError(
            "required Comtrade column 'period' is missing (nor refYear/refMonth to build it from)",
            file=path,
        )


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def period_of(record: dict, path: Path, row: int) -> tuple[str, str]:
    """(period, span): 'YYYY-MM'/'month' or 'YYYY'/'year'. Never a month from refMonth 52."""
    freq = _text(record.get("freqCode")).upper()
    raw, column = _text(record.get("period")), "period"
    ref_month = _text(record.get("refMonth"))
    if not raw:  # older exports: refYear + refMonth (refMonth 52 marks annual data)
        column = "refMonth"
        year = _text(record.get("refYear"))
        raw = (
            year
            if (freq == "A" or ref_month == "52")
            else year + (ref_month.zfill(2) if DIGITS.fullmatch(ref_month) else ref_month)
        )
    if re.fullmatch(r"\d{4}", raw, re.ASCII) and freq in ("", "A"):
        return hs_schema.period(int(raw), None, file=path, row=row, column=column), "year"
    if re.fullmatch(r"\d{6}", raw, re.ASCII) and freq in ("", "M"):
        month = int(raw[4:])
        if column == "period" and DIGITS.fullmatch(ref_month) and int(ref_month) != month:
            raise ComtradeFormatError(
                f"refMonth {excerpt(ref_month, 8)} disagrees with period {raw}",
                file=path,
                row=row,
                column="refMonth",
                expected="refMonth 1-12 equal to the period's month",
            )
        return hs_schema.period(int(raw[:4]), month, file=path, row=row, column=column), "month"
    raise ComtradeFormatError(
        f"period {excerpt(raw, 12)} with freqCode {excerpt(freq, 4)} is not a month or year",
        file=path,
        row=row,
        column=column,
        expected="YYYYMM with freqCode M (refMonth 1-12), or YYYY with freqCode A",
    )


def partner_label(code: str, record: dict) -> str:
    """ISO2 of the partner code (M49 or Comtrade's own, World = 1W; helpers.sources.partners), else of
    the file's partnerISO (ISO3); else the name the file gives (e.g. "Other Asia, nes"), else the code."""
    for key in (code, _text(record.get("partnerISO"))):
        try:
            return resolve_partner(key).iso2
        except UnknownPartnerError:
            continue
    return _text(record.get("partnerDesc")) or f"Comtrade partner {code}"


def _breakdown(record: dict) -> str:
    return ", ".join(
        f"{column} {excerpt(value, 12)}"
        for column, total in TOTAL_ROW.items()
        if (value := _text(record.get(column))) not in ("", total)
    )


def read_comtrade_records(
    path, keep_levels=None, partner=None, flag_cut_row: bool = False
) -> pd.DataFrame:
    """A Comtrade file (API CSV/JSON, bulk TSV/.gz) -> tidy observations of total rows.

    keep_levels: e.g. {4, 6} keeps only HS codes of those digit lengths; None keeps all (TOTAL too).
    partner: ISO2 (or any spelling helpers.sources.partners knows) -> other partners are left out.
    flag_cut_row: the row a cut-off file ends inside is left out and flagged (make inspect), not refused.
    attrs: notes (one line per kind of skipped row), skipped [{row, reason}], adapter, currency, rows,
    flags.
    """
    path = Path(path)
    check_columns(read_header(path), path)
    meta = read_hs_sidecar(path)
    source_url = (
        meta.get("endpoint", "") and f"{meta['endpoint']}?{_query_string(meta.get('query', {}))}"
    )
    source_file = relative_to_raw(path)
    same = dict(
        reporter="CN", currency_note="usd", source_file=source_file, publisher="UN Comtrade"
    )
    same.update(source_url=source_url or source_file, published_date=retrieved_date(meta))
    wanted = resolve_partner(partner) if partner else None
    out, skipped, subflows, breakdowns, others, rows = [], [], Counter(), 0, Counter(), 0
    editions = Counter()
    cut = [] if flag_cut_row else None
    for row, record in iter_records(path, cut):
        rows += 1
        flow_code, code, period, span, value = check_record(record, path, row)
        if flow_code not in FLOWS:
            subflows[flow_code] += 1
            skipped.append(
                {"row": row, "reason": f"sub-flow flowCode {flow_code} (only X and M are used)"}
            )
            continue
        if breakdown := _breakdown(record):
            breakdowns += 1
            skipped.append({"row": row, "reason": BREAKDOWN_REASON.format(breakdown)})
            continue
        partner_code = _text(record["partnerCode"])
        label = partner_label(partner_code, record)
        if wanted is not None and partner_code != str(wanted.comtrade_code):
            others[label] += 1
            skipped.append(
                {
                    "row": row,
                    "reason": f"other partner {label} (the briefing's partner is {wanted.iso2})",
                }
            )
            continue
        if keep_levels is not None and (code == "TOTAL" or len(code) not in keep_levels):
            continue
        classification = _text(record.get("classificationCode"))
        if (edition := hs_edition(classification)) is None:
            editions[classification] += 1
            skipped.append({"row": row, "reason": UNKNOWN_EDITION.format(classification)})
            continue
        base = {
            "partner": label,
            "flow": FLOWS[flow_code],
            "period": period,
            "span": span,
            "commodity": "TOTAL"
            if code == "TOTAL"
            else (_text(record.get("cmdDesc")) or f"HS {code}"),
            "hs_code": "" if code == "TOTAL" else code,
            "hs_version": edition,
            "source_row": row,
        }
        out.append({**base, "measure": "value", "unit": "usd_mn", "value": value / 1e6})
        qty, unit = _text(record.get("qty")), _text(record.get("qtyUnitAbbr"))
        if qty and unit and unit.upper() != "N/A":
            quantity = hs_schema.amount(qty, file=path, row=row, column="qty", kind="quantity")
            if quantity is not None:
                out.append({**base, "measure": "quantity", "unit": unit, "value": quantity})
    tidy = tidy_frame(out, **same)
    notes = [
        f"{path.name}: skipped {n} row(s) with flowCode {code} (only X and M are used)"
        for code, n in sorted(subflows.items())
    ]
    if breakdowns:
        notes.append(
            f"{path.name}: skipped {breakdowns} breakdown row(s) (partner2Code≠0, customsCode≠C00 or "
            "motCode≠0): parts of the total rows, which are used instead"
        )
    notes += [
        f"{path.name}: {n} row(s) with " + UNKNOWN_EDITION.format(code)
        for code, n in sorted(editions.items())
    ]
    if others:
        notes.append(
            f"{path.name}: left out {sum(others.values())} row(s) for other partners than "
            f"{wanted.iso2}: " + ", ".join(f"{p} {n}" for p, n in sorted(others.items()))
        )
    skipped += [{"row": row, "reason": CUT_REASON} for row in cut or []]
    tidy.attrs.update(
        notes=notes,
        skipped=skipped,
        adapter=adapter_name(path),
        currency="USD",
        rows=rows + len(cut or []),
        flags=[f"{path.name}: row {row}: {CUT_REASON}" for row in cut or []],
    )
    for note in notes:
        log.info(note)
    return tidy


def _query_string(query: dict) -> str:
    return (
        "&".join(f"{k}={v}" for k, v in sorted(query.items()) if v is not None)
        if isinstance(query, dict)
        else ""
    )
