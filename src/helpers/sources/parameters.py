"""The briefing's parameters: defaults from config/parameters.yaml (the one place they are set), checked
against what data/raw holds, with one clear message naming the valid values. Light imports only (the
standard library, PyYAML, pycountry): `make` runs this on every invocation, so it must start fast.

Parameters arrive through the environment (`make` exports BRIEFING_<NAME> verbatim, see Makefile),
never through a shell string, and every value is checked before anything uses it.
"""

import csv
import json
import os
import re
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.errors import InputError, excerpt
from ..core.paths import CONFIG_DIR, RAW_DIR, project_path, wire_files
from ..core.yaml_config import read_yaml
from .partners import UnknownPartnerError, resolve_partner

PARAMETER_NAMES = ("period_end", "partner", "groups_file", "claims_file")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
LATEST = "latest"
# make variable -> parameter; make passes each as BRIEFING_<VARIABLE> (an empty value means "default").
MAKE_VARIABLES = {name.upper(): name for name in PARAMETER_NAMES}
ENV_PREFIX = "BRIEFING_"
MAX_VALUE_CHARS = 300


class ParameterError(ValueError):
    pass


def parameters_from_environment(environ=None) -> dict:
    """{parameter: value} from BRIEFING_PERIOD_END etc.; unset or empty ones are left to the defaults."""
    environ = os.environ if environ is None else environ
    return {
        name: environ[ENV_PREFIX + variable]
        for variable, name in MAKE_VARIABLES.items()
        if environ.get(ENV_PREFIX + variable, "") != ""
    }


def check_plain_text(variable: str, value: str) -> str:
    """Refuse values no parameter can legitimately have: control characters, over-long text."""
    value = str(value)
    if len(value) > MAX_VALUE_CHARS:
        raise ParameterError(
            f"{variable} is {len(value)} characters long ({excerpt(value)}); "
            f"at most {MAX_VALUE_CHARS}"
        )
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise ParameterError(f"{variable} {excerpt(value)} contains control characters")
    return value


def parameter_defaults(path: Path | None = None) -> dict[str, str]:
    """The defaults in config/parameters.yaml (YAML, safe loader), one text value per parameter."""
    path = Path(path) if path else CONFIG_DIR / "parameters.yaml"
    try:
        defaults = read_yaml(path)
    except InputError as error:
        raise ParameterError(str(error)) from None
    problems = [f"no default for {name}" for name in PARAMETER_NAMES if name not in defaults]
    problems += [
        f"unknown parameter {excerpt(str(name))}"
        for name in defaults
        if name not in PARAMETER_NAMES
    ]
    problems += [
        f"{name} is {repr(value)[:60]}, not text in quotes"
        for name, value in defaults.items()
        if name in PARAMETER_NAMES and not isinstance(value, str)
    ]
    if problems:
        raise ParameterError(
            f'{path}: {"; ".join(problems)} (expected one `name: "value"` line for each of '
            f"{', '.join(PARAMETER_NAMES)})"
        )
    return {name: defaults[name] for name in PARAMETER_NAMES}


def available_range(totals_csv: Path) -> tuple[str, str, list[str]]:
    """First and last month for which the vendored data has a GACC release, and the years before the
    first with only an annual figure in the data."""
    with open(totals_csv, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    months = [row["period"] for row in rows if row["span"] in ("month", "ytd")]
    years = [row["period"] for row in rows if row["span"] == "year"]
    first = min(months)
    # an annual figure covers up to December of its year
    last = max(months + [year + "-12" for year in years])
    return first, last, sorted({year for year in years if year < first[:4]})


def check_period_end(period_end: str, first: str, last: str, annual_only: list[str] = ()) -> str:
    """annual_only: the years before `first` that the data hold only as annual figures (named when refused)."""
    period_end = str(period_end).strip()
    if period_end.lower() == LATEST:
        return last
    valid = (
        f"valid: a month YYYY-MM from {first} to {last} (the latest GACC release in data/raw), "
        f"or {LATEST}"
    )
    if not MONTH.match(period_end):
        raise ParameterError(
            f"PERIOD_END {excerpt(period_end)} is not a month in YYYY-MM form; {valid}"
        )
    if period_end > last:
        raise ParameterError(
            f"PERIOD_END {period_end} is after the latest release in the data; {valid}"
        )
    february = f"{period_end[:4]}-02"
    if (
        period_end.endswith("-01") and first <= february <= last
    ):  # January: the reason is GACC's, not the data's
        raise ParameterError(
            f"PERIOD_END {period_end}: GACC publishes January only together with "
            f"February; use {february}"
        )
    if period_end < first:
        if annual_only and period_end[:4] >= annual_only[0]:
            raise ParameterError(
                f"PERIOD_END {period_end} is before the first monthly release in the data ({first}): "
                f"for {annual_only[0]}–{annual_only[-1]} data/raw holds only annual totals, and the "
                f"briefing is built from monthly and January–month releases; {valid}"
            )
        raise ParameterError(f"PERIOD_END {period_end} is before the data; {valid}")
    return period_end


def partners_with_data(raw_dir: Path = RAW_DIR) -> set[str]:
    """ISO2 codes of partners whose customs totals are in data/raw (gacc_cn_<iso2>_totals.csv): the
    headline, every section and every claim start from them, so no other partner can be briefed."""
    found = {path.name.split("_")[2].upper() for path in Path(raw_dir).glob("gacc_cn_*_totals.csv")}
    return {iso2 for iso2 in found if (Path(raw_dir) / wire_files(iso2)[1]).exists()}


def check_partner(partner: str, raw_dir: Path = RAW_DIR) -> str:
    """ISO2 of the partner, in any spelling helpers.sources.partners knows (ISO2/ISO3, M49 or Comtrade
    code, English or Chinese name), if data/raw holds its customs files."""
    with_data = sorted(partners_with_data(raw_dir))
    try:
        iso2 = resolve_partner(partner).iso2
    except UnknownPartnerError:
        iso2 = None
    if iso2 in with_data:
        return iso2
    valid = "; ".join(_short_spellings(code) for code in with_data) or "none"
    raise ParameterError(
        f"PARTNER {excerpt(partner)} has no data in data/raw; valid values: {valid} (a partner "
        "needs customs files gacc_cn_<iso2>_totals.csv and gacc_cn_<iso2>_commodities.csv)"
    )


def _short_spellings(iso2: str) -> str:
    found = resolve_partner(iso2)
    return "/".join((found.iso2, found.name_en, found.iso3, found.m49))


def check_file(name: str, value: str) -> str:
    """An existing regular file (spaces, colons and quotes in its name are fine)."""
    resolved = project_path(value)
    if not resolved.exists():
        raise ParameterError(f"{name.upper()} {excerpt(value)} does not exist")
    if not resolved.is_file():
        raise ParameterError(f"{name.upper()} {excerpt(value)} is not a regular file")
    return value


def check_parameters(raw: dict) -> dict:
    """Defaults from config/parameters.yaml, overridden by `raw`; each value checked, partner first
    (the period range is the partner's)."""
    params = {**parameter_defaults(), **{k: v for k, v in raw.items() if v not in (None, "")}}
    for variable, name in MAKE_VARIABLES.items():
        params[name] = check_plain_text(variable, params[name])
    try:
        return _checked(params)
    except InputError as error:  # e.g. a broken config consulted for the partner list
        raise ParameterError(str(error)) from None


def _checked(params: dict) -> dict:
    params["partner_code"] = check_partner(params["partner"])
    totals = RAW_DIR / wire_files(params["partner_code"])[0]
    params["period_end"] = check_period_end(params["period_end"], *available_range(totals))
    params["partner_name"] = resolve_partner(params["partner_code"]).name_en
    # one spelling per partner (643, RUS, ru -> Russia): the build, which fingerprints its parameters,
    # and the notebooks' parameter cells do not change with the way the partner was typed
    params["partner"] = params["partner_name"]
    params["groups_file"] = check_file("groups_file", params["groups_file"])
    params["claims_file"] = check_file("claims_file", params["claims_file"])
    return params


def write_if_changed(params: dict, out: Path) -> bool:
    """Touch the file only when the content changes, so Make rebuilds only what depends on it."""
    text = json.dumps(params, indent=2, sort_keys=True) + "\n"
    if out.exists() and out.read_text(encoding="utf-8") == text:
        return False
    write_text_atomic(out, text)
    return True
