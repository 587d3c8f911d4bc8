"""Partner names and codes: every country of ISO 3166-1 (pycountry: ISO2, ISO3, numeric code = M49,
English names, Chinese names from its zh_CN translations), plus the project's own facts in
config/partners.csv: World (no ISO code), Comtrade codes that differ from M49 (842 for the USA), GACC's
partner codes and the names GACC, Comtrade or the wires print where ISO's differ.

Numeric codes are read as M49 or Comtrade codes only. GACC's own 3-digit partner codes collide with
M49 (e.g. M49 344 is Hong Kong), so they are resolved separately by `resolve_gacc_partner_code`.
"""

import csv
import difflib
import gettext
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from ..core.paths import CONFIG_DIR

PARTNERS_CSV = CONFIG_DIR / "partners.csv"
# A blank cell means "as ISO 3166-1 has it"; a row exists only for what ISO does not say.
COLUMNS = ("iso2", "iso3", "m49", "comtrade_code", "name_en", "name_zh", "gacc_code", "aliases")
EXAMPLES = ("RU", "US")  # shown when a partner is unknown


class UnknownPartnerError(ValueError):
    """Raised with the accepted forms and the closest names so the user can correct the input."""


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


def project_rows(path: Path = PARTNERS_CSV) -> dict[str, dict]:
    """{ISO2: row} of config/partners.csv, blank cells dropped."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{path}: missing column(s) {', '.join(missing)}")
        return {
            row["iso2"].strip(): {k: v.strip() for k, v in row.items() if k and (v or "").strip()}
            for row in reader
        }


def iso_names(country) -> tuple[str, ...]:
    """The English names ISO 3166-1 gives a country, the one in common use first (common, short,
    official; "South Korea", "Korea, Republic of")."""
    names = (
        getattr(country, "common_name", ""),
        country.name,
        getattr(country, "official_name", ""),
    )
    return tuple(dict.fromkeys(n for n in names if n))


@lru_cache(maxsize=4)
def load_partners(path: Path = PARTNERS_CSV) -> tuple[Partner, ...]:
    rows = project_rows(path)
    chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    partners = []
    for country in pycountry.countries:
        names = iso_names(country)
        zh = tuple(dict.fromkeys(chinese.gettext(n) for n in names if chinese.gettext(n) != n))
        iso = {"name_en": names[0], "name_zh": zh[0] if zh else ""}
        row = {**iso, **rows.pop(country.alpha_2, {}), "iso3": country.alpha_3}
        partners.append(_partner(country.alpha_2, {**row, "m49": country.numeric}, names + zh))
    # then the rows that are no country of ISO 3166-1 (World)
    return tuple(partners + [_partner(iso2, row) for iso2, row in rows.items()])


def _partner(iso2: str, row: dict, names=()) -> Partner:
    """One constructor: a row of config/partners.csv (for a country, over what ISO 3166-1 says)."""
    aliases = [a.strip() for a in row.get("aliases", "").split("|") if a.strip()]
    return Partner(
        iso2=iso2,
        iso3=row["iso3"],
        m49=row["m49"],
        comtrade_code=int(row.get("comtrade_code", row["m49"])),
        name_en=row["name_en"],
        name_zh=row.get("name_zh", ""),
        gacc_code=row.get("gacc_code", ""),
        aliases=tuple(dict.fromkeys([*names, *aliases])),
    )


@lru_cache(maxsize=4)
def _index(partners: tuple[Partner, ...]) -> tuple[dict, dict]:
    """(name -> partner, numeric code -> partner); a spelling that would name two partners is refused."""
    names, codes = {}, {}
    for partner in partners:
        labels = (partner.iso2, partner.iso3, partner.name_en, partner.name_zh, *partner.aliases)
        for table, keys in (
            (names, {_normalise(label) for label in labels if label}),
            (codes, {_numeric_key(code) for code in (partner.m49, partner.comtrade_code)}),
        ):
            for key in keys:
                other = table.setdefault(key, partner)
                if other.iso2 != partner.iso2:
                    raise ValueError(
                        f"partner table: {key!r} names both {other.iso2} and {partner.iso2}"
                    )
    return names, codes


def _example(p: Partner) -> str:
    return f"{p.iso2}/{p.iso3}/{p.m49}/{p.name_en}/{p.name_zh}"


def resolve_partner(text, path: Path = PARTNERS_CSV) -> Partner:
    """Accept ISO2, ISO3, M49 or Comtrade code, English or Chinese name (case-insensitive)."""
    partners = load_partners(path)
    names, codes = _index(partners)
    key = _numeric_key(text)
    partner = codes.get(key) if key is not None else names.get(_normalise(text))
    if partner is None:
        close = difflib.get_close_matches(_normalise(text), list(names), n=3, cutoff=0.75)
        hint = f"; closest names: {', '.join(close)}" if close else ""
        examples = ", ".join(_example(names[_normalise(iso2)]) for iso2 in EXAMPLES)
        raise UnknownPartnerError(
            f"unknown partner {str(text)!r}; valid values: an ISO 3166-1 code (ISO2 or ISO3), an M49 "
            f"or Comtrade code, or an English or Chinese name, e.g. {examples}{hint}"
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
