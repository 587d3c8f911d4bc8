"""The briefing's parameters, checked against what data/raw holds, with one clear message naming the
valid values. Standard library only: `make` runs this on every invocation, so it must start fast.

Parameters arrive through the environment (`make` exports BRIEFING_<NAME> verbatim, see Makefile),
never through a shell string, and every value is checked before anything uses it.
"""
import csv
import json
import os
import re
from pathlib import Path

from ..core.errors import InputError, short_excerpt
from ..core.json_file import read_json_object
from ..core.paths import CONFIG_DIR, PROJECT_ROOT, RAW_DIR

DEFAULTS = {"period_end": "2025-07", "partner": "Russia",
            "groups_file": "config/commodity_groups.yaml", "claims_file": "config/claims.yaml"}
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# make variable -> parameter; make passes each as BRIEFING_<VARIABLE> (an empty value means "default").
MAKE_VARIABLES = {"PERIOD_END": "period_end", "PARTNER": "partner",
                  "GROUPS_FILE": "groups_file", "CLAIMS_FILE": "claims_file"}
ENV_PREFIX = "BRIEFING_"
MAX_VALUE_CHARS = 300


class ParameterError(ValueError):
    pass


def parameters_from_environment(environ=None) -> dict:
    """{parameter: value} from BRIEFING_PERIOD_END etc.; unset or empty ones are left to the defaults."""
    environ = os.environ if environ is None else environ
    return {name: environ[ENV_PREFIX + variable] for variable, name in MAKE_VARIABLES.items()
            if environ.get(ENV_PREFIX + variable, "") != ""}


def check_plain_text(variable: str, value: str) -> str:
    """Refuse values no parameter can legitimately have: control characters, over-long text."""
    value = str(value)
    if len(value) > MAX_VALUE_CHARS:
        raise ParameterError(f"{variable} is {len(value)} characters long ({short_excerpt(value)}); "
                             f"at most {MAX_VALUE_CHARS}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ParameterError(f"{variable} {short_excerpt(value)} contains control characters")
    return value


def available_range(totals_csv: Path = RAW_DIR / "gacc_cn_ru_totals.csv") -> tuple[str, str]:
    """First and last month for which the vendored data has a GACC release."""
    with open(totals_csv, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    months = [row["period"] for row in rows if row["span"] in ("month", "ytd")]
    # an annual figure covers up to December of its year
    months_and_years = months + [row["period"] + "-12" for row in rows if row["span"] == "year"]
    return min(months), max(months_and_years)


def check_period_end(period_end: str, first: str, last: str) -> str:
    period_end = str(period_end).strip()
    valid = f"valid: a month YYYY-MM from {first} to {last} (the latest GACC release in data/raw)"
    if not MONTH.match(period_end):
        raise ParameterError(f"PERIOD_END {short_excerpt(period_end)} is not a month in YYYY-MM form; {valid}")
    if period_end < first:
        raise ParameterError(f"PERIOD_END {period_end} is before the data; {valid}")
    if period_end > last:
        raise ParameterError(f"PERIOD_END {period_end} is after the latest release in the data; {valid}")
    if period_end.endswith("-01"):
        raise ParameterError(f"PERIOD_END {period_end}: GACC publishes January only together with "
                             f"February; use {period_end[:4]}-02")
    return period_end


def partner_choices() -> dict[str, str]:
    """Accepted spellings -> canonical ISO2 for partners that have data in data/raw."""
    choices = {"RU": "RU"}
    table = CONFIG_DIR / "partners.csv"
    if table.exists():
        with open(table, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("iso2") == "RU" or row.get("iso2") in hs_level_partners():
                    for column in ("name_en", "iso2", "iso3", "m49", "comtrade_code", "name_zh"):
                        if row.get(column):
                            choices[row[column].strip().upper()] = row["iso2"]
    choices.setdefault("RUSSIA", "RU")
    return choices


def hs_level_partners() -> set[str]:
    """ISO2 codes of partners present in HS-level raw files (recorded in their sidecars)."""
    partners = set()
    for sidecar in list((RAW_DIR / "comtrade").glob("*.meta.json")) + list((RAW_DIR / "gacc").glob("*.meta.json")):
        listed = read_json_object(sidecar).get("partners") or []  # a broken sidecar stops here, named
        partners.update(str(p) for p in listed if isinstance(p, str))
    return partners


def check_partner(partner: str) -> str:
    choices = partner_choices()
    canonical = choices.get(str(partner).strip().upper())
    if canonical is None:
        names = sorted({key.title() if len(key) > 3 else key for key in choices})
        raise ParameterError(f"PARTNER {short_excerpt(partner)} has no data in data/raw; valid values: {', '.join(names)}")
    return canonical


def partner_display_name(iso2: str) -> str:
    table = CONFIG_DIR / "partners.csv"
    if table.exists():
        with open(table, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("iso2") == iso2 and row.get("name_en"):
                    return row["name_en"]
    return {"RU": "Russia"}.get(iso2, iso2)


def check_file(name: str, value: str) -> str:
    """An existing regular file (spaces, colons and quotes in its name are fine)."""
    path = Path(value)
    resolved = path if path.is_absolute() else PROJECT_ROOT / path
    if not resolved.exists():
        raise ParameterError(f"{name.upper()} {short_excerpt(value)} does not exist")
    if not resolved.is_file():
        raise ParameterError(f"{name.upper()} {short_excerpt(value)} is not a regular file")
    return value


def check_parameters(raw: dict) -> dict:
    params = {**DEFAULTS, **{k: v for k, v in raw.items() if v not in (None, "")}}
    for variable, name in MAKE_VARIABLES.items():
        params[name] = check_plain_text(variable, params[name])
    try:
        return _checked(params)
    except InputError as error:  # e.g. a broken sidecar consulted for the partner list
        raise ParameterError(str(error)) from None


def _checked(params: dict) -> dict:
    first, last = available_range()
    params["period_end"] = check_period_end(params["period_end"], first, last)
    params["partner_code"] = check_partner(params["partner"])
    params["partner_name"] = partner_display_name(params["partner_code"])
    params["groups_file"] = check_file("groups_file", params["groups_file"])
    params["claims_file"] = check_file("claims_file", params["claims_file"])
    return params


def write_if_changed(params: dict, out: Path) -> bool:
    """Touch the file only when the content changes, so Make rebuilds only what depends on it."""
    text = json.dumps(params, indent=2, sort_keys=True) + "\n"
    if out.exists() and out.read_text(encoding="utf-8") == text:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(out)
    return True
