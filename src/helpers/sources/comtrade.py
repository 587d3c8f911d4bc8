"""UN Comtrade records (API snapshots as CSV or JSON) -> the tidy observation table."""
import json
import logging
import re
from pathlib import Path

import pandas as pd

from .partners import resolve_partner
from .provenance import sidecar_of
from .schema import relative_to_raw, tidy_frame

log = logging.getLogger(__name__)

REPORTER_CHINA = 156
FLOWS = {"X": "export", "M": "import"}
HS_VERSIONS = {"H6": "HS2022", "H5": "HS2017", "H4": "HS2012", "H3": "HS2007", "H2": "HS2002",
               "H1": "HS1996", "H0": "HS1992"}
REQUIRED_COLUMNS = ("flowCode", "partnerCode", "cmdCode", "primaryValue", "classificationCode")


def _read_raw(path: Path) -> pd.DataFrame:
    if path.suffix == ".json":
        payload = json.loads(path.read_text(encoding="utf-8"))
        records = payload.get("data", payload) if isinstance(payload, dict) else payload
        return pd.DataFrame.from_records(records).astype(object).where(lambda f: f.notna(), None)
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def _check_columns(frame: pd.DataFrame, path: Path) -> None:
    for column in REQUIRED_COLUMNS:
        if column not in frame.columns:
            raise ValueError(f"{path}: required Comtrade column '{column}' is missing "
                             f"(columns present: {', '.join(map(str, frame.columns)) or 'none'})")
    if "period" not in frame.columns and not {"refYear", "refMonth"} <= set(frame.columns):
        raise ValueError(f"{path}: required Comtrade column 'period' is missing "
                         "(nor refYear/refMonth to build it from)")


def _text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = str(value).strip()
    return text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text


def _period_of(record: dict, path: Path, row: int) -> tuple[str, str]:
    raw = _text(record.get("period"))
    if not raw:  # older exports: refYear + refMonth (refMonth 52 marks annual data)
        month = _text(record.get("refMonth"))
        raw = _text(record.get("refYear")) + (f"{int(month):02d}" if month.isdigit() and int(month) <= 12 else "")
    if re.fullmatch(r"\d{6}", raw):
        return f"{raw[:4]}-{raw[4:]}", "month"
    if re.fullmatch(r"\d{4}", raw):
        return raw, "year"
    raise ValueError(f"{path}: row {row}: period {raw!r} is not YYYYMM or YYYY")


def _number(value, path: Path, row: int, column: str) -> float:
    text = _text(value).replace(",", "")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"{path}: row {row}: column '{column}' value {text!r} is not a number") from None


def read_comtrade_records(path, keep_levels=None) -> pd.DataFrame:
    """A Comtrade snapshot (CSV, or JSON with a `data` list) -> tidy observations.

    keep_levels: e.g. {4, 6} keeps only HS codes of those digit lengths (drops TOTAL and other
    aggregates); None keeps everything. Re-export/re-import and other sub-flows are skipped and
    listed in the result's attrs['notes'].
    """
    path = Path(path)
    frame = _read_raw(path)
    _check_columns(frame, path)
    meta = json.loads(sidecar_of(path).read_text(encoding="utf-8")) if sidecar_of(path).exists() else {}
    source_url = meta.get("endpoint", "") and f"{meta['endpoint']}?{_query_string(meta.get('query', {}))}"
    published = (meta.get("retrieved_at") or "")[:10]
    source_file = relative_to_raw(path)
    records, skipped = [], {}
    for row, record in enumerate(frame.to_dict("records"), start=1):
        flow = FLOWS.get(_text(record["flowCode"]))
        if flow is None:
            skipped[_text(record["flowCode"])] = skipped.get(_text(record["flowCode"]), 0) + 1
            continue
        code = _text(record["cmdCode"])
        if keep_levels is not None and (code == "TOTAL" or len(code) not in keep_levels):
            continue
        reporter = _text(record.get("reporterCode"))
        if reporter and reporter != str(REPORTER_CHINA):
            raise ValueError(f"{path}: row {row}: reporterCode {reporter} is not China (156)")
        period, span = _period_of(record, path, row)
        base = {
            "reporter": "CN", "partner": resolve_partner(_text(record["partnerCode"])).iso2, "flow": flow,
            "period": period, "span": span,
            "commodity": "TOTAL" if code == "TOTAL" else (_text(record.get("cmdDesc")) or f"HS {code}"),
            "hs_code": "" if code == "TOTAL" else code,
            "hs_version": HS_VERSIONS.get(_text(record["classificationCode"]), ""),
            "yoy_pct": float("nan"), "currency_note": "usd", "source_file": source_file, "source_row": row,
            "source_url": source_url or source_file, "publisher": "UN Comtrade",
            "published_date": published, "quote": ""}
        value = _number(record["primaryValue"], path, row, "primaryValue")
        records.append({**base, "measure": "value", "unit": "usd_mn", "value": value / 1e6})
        qty, unit = _text(record.get("qty")), _text(record.get("qtyUnitAbbr"))
        if qty and unit and unit.upper() != "N/A":
            records.append({**base, "measure": "quantity", "unit": unit,
                            "value": _number(qty, path, row, "qty")})
    tidy = tidy_frame(records)
    tidy.attrs["notes"] = [f"{path.name}: skipped {n} row(s) with flowCode {code} (only X and M are used)"
                           for code, n in sorted(skipped.items())]
    for note in tidy.attrs["notes"]:
        log.info(note)
    return tidy


def _query_string(query: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in sorted(query.items()) if v is not None)
