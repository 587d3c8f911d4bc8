"""China's monthly fuel imports from Russia by HS code, from the two files of the china-energy-monitor
compilation (data/raw/fuel/) -> the tidy observation table.

Two layouts, told apart by their headers:
- `period,commodity,commodity_code,partner,value_usd_bn,qty_mt,value_per_mt_usd`: UN Comtrade final
  data 2020-2024 (value_usd_bn = primaryValue / 1e9, qty_mt = million tonnes);
- `period,commodity,source_file,partner,value_usd_bn`: China customs 2025-, compiled by the
  repository (values only). A secondary compilation: the publisher says so, and config/sources.yaml
  (`secondary_compilations`) ranks it below a published GACC figure for the same number (model.groups).
Both cover four codes only (coal 2701, crude oil 2709, LNG 271111, pipeline gas 271121), not all of
chapter 27: FUEL_CODES names them so a verdict can say what the rows leave out.
"""

from pathlib import Path

import pandas as pd

from ..core.errors import InputError
from .fields import first_invalid, numbers
from .partners import UnknownPartnerError, resolve_partner
from .provenance import read_hs_sidecar, retrieved_date
from .schema import relative_to_raw, tidy_columns
from .text_rows import check_header, raw_files, read_csv_as_text

FUEL_CODES = {"coal": "2701", "crude_oil": "2709", "lng": "271111", "pipeline_gas": "271121"}
FUEL_LABELS = {
    "coal": "coal",
    "crude_oil": "crude oil",
    "lng": "LNG",
    "pipeline_gas": "pipeline natural gas",
}
COMTRADE_LAYOUT = tuple(
    "period commodity commodity_code partner value_usd_bn qty_mt value_per_mt_usd".split()
)
CUSTOMS_LAYOUT = ("period", "commodity", "source_file", "partner", "value_usd_bn")
PUBLISHERS = {
    COMTRADE_LAYOUT: "UN Comtrade",
    CUSTOMS_LAYOUT: "China customs, compiled by DoiEnnoson/china-energy-monitor",
}


fuel_files = raw_files


def _source_url(meta: dict, source_file: str) -> str:
    repo, commit, origin = (
        meta.get("origin_repository"),
        meta.get("origin_commit"),
        meta.get("origin_path"),
    )
    if repo and commit and origin:
        return f"https://github.com/{repo}/blob/{commit}/{origin}"
    return source_file


def read_fuel_monitor(path) -> pd.DataFrame:
    """One fuel-monitor file -> tidy monthly import rows (value US$ mn; quantity million tonnes if given)."""
    path = Path(path)
    frame = read_csv_as_text(path)
    # the layout it is nearest to (fewest columns missing), so a renamed column is named as renamed
    layout = min(PUBLISHERS, key=lambda cols: len(set(cols) - set(frame)))
    check_header(path, list(frame.columns), layout)
    codes = ", ".join(f"{k} {v}" for k, v in FUEL_CODES.items())
    checks = {
        "period": (frame.period.str.fullmatch(r"(19|20)\d{2}(0[1-9]|1[0-2])"), "YYYYMM"),
        "commodity": (frame.commodity.isin(FUEL_CODES), "one of " + ", ".join(FUEL_CODES)),
        "commodity_code": (
            frame.get("commodity_code") == frame.commodity.map(FUEL_CODES),
            f"the code of the row's commodity ({codes})",
        ),
        "source_file": (
            frame.get("source_file") == "gacc_" + frame.commodity + ".csv",
            "gacc_<commodity>.csv",
        ),
    }
    for column, (ok, expected) in checks.items():
        if column in frame:
            first_invalid(ok, frame[column], file=path, column=column, expected=expected)
    value_usd_bn = numbers(frame.value_usd_bn, file=path, column="value_usd_bn", required=True)
    qty_mt = numbers(frame.qty_mt, file=path, column="qty_mt") if "qty_mt" in frame else None
    partners = {}
    for index, name in enumerate(frame.partner):
        if name not in partners:
            try:
                partners[name] = resolve_partner(name).iso2
            except UnknownPartnerError:
                raise InputError(
                    f"partner '{name}' is not a known partner (ISO 3166-1 or config/partners.csv)",
                    file=path,
                    row=index + 1,
                    column="partner",
                    expected="a partner name such as Russian Federation",
                ) from None
    meta = read_hs_sidecar(path)
    source_file = relative_to_raw(path)
    base = pd.DataFrame(
        {
            "reporter": "CN",
            "partner": frame.partner.map(partners),
            "flow": "import",
            "period": frame.period.str[:4] + "-" + frame.period.str[4:],
            "span": "month",
            "commodity": frame.commodity.map(FUEL_LABELS),
            "hs_code": frame.commodity.map(FUEL_CODES),
            "currency_note": "usd",
            "source_file": source_file,
            "source_row": range(1, len(frame) + 1),
            "source_url": _source_url(meta, source_file),
            "publisher": PUBLISHERS[layout],
            "published_date": retrieved_date(meta),
        }
    )
    values = base.assign(measure="value", unit="usd_mn", value=value_usd_bn * 1000)
    parts = [values]
    if qty_mt is not None:
        has_q = qty_mt.notna().to_numpy()
        parts.append(
            base.loc[has_q].assign(measure="quantity", unit="million tonnes", value=qty_mt[has_q])
        )
    return tidy_columns(pd.concat(parts, ignore_index=True))


def load_fuel_rows(raw_dir: Path) -> pd.DataFrame:
    """Every file under raw_dir/fuel, in the tidy contract (empty when the folder is absent)."""
    frames = [read_fuel_monitor(path) for path in fuel_files(Path(raw_dir) / "fuel")]
    return pd.concat(frames, ignore_index=True) if frames else tidy_columns(pd.DataFrame())
