"""One partner table (config/partners.csv): ISO2/ISO3/M49/Comtrade codes and the names GACC prints.

Numeric codes are read as M49 or Comtrade codes only. GACC's own 3-digit partner codes collide with
M49 (e.g. M49 344 is Hong Kong), so they are resolved separately by `resolve_gacc_partner_code`.
"""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core.paths import CONFIG_DIR

PARTNERS_CSV = CONFIG_DIR / "partners.csv"
REQUIRED_COLUMNS = (
    "iso2",
    "iso3",
    "m49",
    "comtrade_code",
    "name_en",
    "name_zh",
    "gacc_code",
    "aliases",
)


class UnknownPartnerError(ValueError):
    """Raised with the list of accepted values so the user can correct the input."""


@dataclass(frozen=True)
class Partner:
    iso2: str
    iso3: str
    m49: str
    comtrade_code: int
    name_en: str
    name_zh: str
    gacc_code: str = ""
    aliases: tuple = ()


def _normalise(text) -> str:
    return " ".join(str(text).strip().casefold().split())


def _numeric_key(text: str) -> str | None:
    """'643', '0643' and 643 are the same code; returns None for non-numbers."""
    text = str(text).strip()
    if text.endswith(".0"):
        text = text[:-2]
    return str(int(text)) if text.isdigit() else None


@lru_cache(maxsize=4)
def load_partners(path: Path = PARTNERS_CSV) -> tuple[Partner, ...]:
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        rows = list(reader)
    return tuple(
        Partner(
            iso2=r["iso2"].strip(),
            iso3=r["iso3"].strip(),
            m49=r["m49"].strip(),
            comtrade_code=int(r["comtrade_code"]),
            name_en=r["name_en"].strip(),
            name_zh=r["name_zh"].strip(),
            gacc_code=(r["gacc_code"] or "").strip(),
            aliases=tuple(a.strip() for a in (r["aliases"] or "").split("|") if a.strip()),
        )
        for r in rows
    )


def _index(partners: tuple[Partner, ...]) -> tuple[dict, dict]:
    names, codes = {}, {}
    for partner in partners:
        for label in (
            partner.iso2,
            partner.iso3,
            partner.name_en,
            partner.name_zh,
            *partner.aliases,
        ):
            names[_normalise(label)] = partner
        for code in (partner.m49, partner.comtrade_code):
            codes[_numeric_key(code)] = partner
    return names, codes


def valid_values(partners: tuple[Partner, ...] | None = None) -> str:
    partners = partners or load_partners()
    return "; ".join(f"{p.iso2}/{p.iso3}/{p.m49}/{p.name_en}/{p.name_zh}" for p in partners)


def resolve_partner(text, path: Path = PARTNERS_CSV) -> Partner:
    """Accept ISO2, ISO3, M49 or Comtrade code, English or Chinese name (case-insensitive)."""
    partners = load_partners(path)
    names, codes = _index(partners)
    key = _numeric_key(text)
    partner = codes.get(key) if key is not None else names.get(_normalise(text))
    if partner is None:
        raise UnknownPartnerError(
            f"unknown partner {str(text)!r}; valid values (ISO2/ISO3/M49/English/Chinese, "
            f"from {Path(path).name}): {valid_values(partners)}"
        )
    return partner


def resolve_gacc_partner_code(code, path: Path = PARTNERS_CSV) -> Partner:
    """GACC 贸易伙伴编码 -> Partner, only for codes recorded in the table (never inferred)."""
    key = _numeric_key(code)
    for partner in load_partners(path):
        if partner.gacc_code and _numeric_key(partner.gacc_code) == key:
            return partner
    known = [f"{p.gacc_code}={p.iso2}" for p in load_partners(path) if p.gacc_code]
    raise UnknownPartnerError(
        f"GACC partner code {str(code)!r} is not in {Path(path).name} "
        f"(known GACC codes: {', '.join(known) or 'none recorded yet'}); resolve by 贸易伙伴名称 instead"
    )
