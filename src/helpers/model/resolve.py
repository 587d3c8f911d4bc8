"""One explicit source preference for numbers several outlets reported (config/sources.yaml).

Value and published y/y are resolved separately (a page may give one and not the other), each
with the same ordering. Every disagreement beyond rounding is kept in a conflicts table.
"""

import math

import pandas as pd

from ..core.errors import InputError
from ..core.paths import CONFIG_DIR
from ..core.yaml_config import sources_config


def significant_digits(value: float) -> int:
    text = f"{abs(value):.6f}".rstrip("0").rstrip(".").replace(".", "").lstrip("0").rstrip("0")
    return len(text)


def last_digit_unit(value: float) -> float:
    """Size of the last published digit: 125800 -> 100, 244810 -> 10, 895.95 -> 0.01."""
    text = f"{abs(value):.6f}".rstrip("0")
    if not text.endswith("."):
        return 10.0 ** -len(text.split(".")[1])
    integer = text[:-1]
    stripped = integer.rstrip("0")
    # Wires round US$ mn totals to $0.1bn at most and $1bn rarely: trailing zeros beyond that
    # are real zeros, not rounding (capped so a round number does not excuse any difference).
    return min(10.0 ** (len(integer) - len(stripped)), 1000.0) if stripped else 1.0


def agree(a: float, b: float) -> bool:
    """Equal within the rounding of the coarser of the two published figures."""
    tolerance = 0.5 * max(last_digit_unit(a), last_digit_unit(b)) + 1e-9
    return abs(a - b) <= tolerance


RANK_COLUMNS = ["_mislabelled", "_tier", "_date", "_precision", "source_file", "source_row"]
SOURCE_FIELDS = ("publisher", "source_url", "source_row", "source_file", "quote")


def _config_entries(
    name: str, fields: tuple, expected: str, valid=lambda entry: True
) -> list[dict]:
    """config/sources.yaml's source_preference list `name`; an entry lacking one of `fields` (or not `valid`)
    stops the build, naming the list and the entry."""
    entries = sources_config()["source_preference"].get(name) or []
    for index, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(fields) - set(entry) or not valid(entry):
            raise InputError(
                f"{name} entry {index} is incomplete",
                file=CONFIG_DIR / "sources.yaml",
                column=name,
                expected=expected,
            )
    return entries


def flagged_rows() -> list[dict]:
    """config/sources.yaml's `flagged_rows`: figures a page misprinted (its quote copied faithfully), each
    with file, 1-based data row, field (value or yoy_pct), the figure as published and the reason."""
    return _config_entries(
        "flagged_rows",
        ("file", "row", "field", "published", "reason"),
        "file, row, field (value or yoy_pct), published, reason",
        lambda flag: flag["field"] in ("value", "yoy_pct"),
    )


def secondary_compilations() -> dict[str, dict]:
    """config/sources.yaml's `secondary_compilations`: raw file (data/raw/...) -> {file, compiled_by, reason}.
    A number summed from one of these files ranks below a published GACC figure for the same group and period."""
    entries = _config_entries(
        "secondary_compilations", ("file", "compiled_by", "reason"), "file, compiled_by, reason"
    )
    return {entry["file"]: entry for entry in entries}


def _flagged(candidates: pd.DataFrame, column: str) -> pd.Series:
    """True for the rows whose `column` config/sources.yaml flags; a flag whose row no longer holds the
    published figure stops the build (the raw file changed: the flag must be checked again)."""
    hit = pd.Series(False, index=candidates.index)
    for flag in flagged_rows():
        if flag["field"] != column:
            continue
        rows = (candidates.source_file == flag["file"]) & (
            candidates.source_row == int(flag["row"])
        )
        for value in candidates.loc[rows, column]:
            if not math.isclose(float(value), float(flag["published"]), abs_tol=1e-9):
                raise InputError(
                    f"flagged in config/sources.yaml as misprinted {flag['published']:g}, but the "
                    f"row holds {value:g}",
                    file=flag["file"],
                    row=flag["row"],
                    column=column,
                    expected="the flagged figure (check the flag again after a change to the raw file)",
                )
        hit |= rows
    return hit


def cite_record(record, prefix: str) -> dict:
    """A resolved record's value or y/y (prefix 'value' or 'yoy'), cited: publisher ('BTCC Square (citing GACC)'),
    row (321), citation ('… (row 321)'), source (the citation and its URL) and rows
    ('data/raw/gacc_cn_ru_commodities.csv row 321'). Callers keep the parts rather than parse the citation."""
    publisher, row = (
        getattr(record, f"{prefix}_publisher"),
        int(getattr(record, f"{prefix}_source_row")),
    )
    citation = f"{publisher} (row {row})"
    return {
        "publisher": publisher,
        "row": row,
        "citation": citation,
        "source": f"{citation} {getattr(record, f'{prefix}_source_url')}",
        "rows": f"{getattr(record, f'{prefix}_source_file')} row {row}",
    }


def is_tier1(publisher: str, patterns=None) -> bool:
    """True for a publisher matching config/sources.yaml's tier-1 patterns (read once per call unless given): a
    wire agency or official channel, or a page citing one; False for the other pages (blogs, aggregators, posts)."""
    patterns = (
        patterns
        if patterns is not None
        else sources_config()["source_preference"]["tier1_publisher_patterns"]
    )
    return any(pattern in publisher for pattern in patterns)


def _with_ranks(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows having `column`, with the sort keys of config/sources.yaml's rules (lower = better)."""
    rules = sources_config()["source_preference"]
    candidates = rows.loc[rows[column].notna()].copy()
    markers = rules["mislabel_markers"]
    tier1 = rules["tier1_publisher_patterns"]
    marked = pd.Series(
        [any(m in q for m in markers) for q in candidates.quote], index=candidates.index, dtype=bool
    )
    candidates["_mislabelled"] = marked | _flagged(candidates, column)
    candidates["_tier"] = candidates.publisher.map(lambda p: 0 if is_tier1(p, tier1) else 1)
    candidates["_date"] = candidates.published_date.where(
        candidates.published_date.str.len() > 0, "9999"
    )
    candidates["_precision"] = -candidates[column].map(significant_digits)
    return candidates


def _ordered_by_key(observations: pd.DataFrame, key: list[str], column: str) -> dict[tuple, list]:
    """key -> that key's rows having `column`, best first (one sort for the whole table)."""
    ranked = _with_ranks(observations, column).sort_values(key + RANK_COLUMNS, kind="stable")
    ranked["mislabelled"] = ranked["_mislabelled"]  # itertuples renames fields that start with "_"
    ordered: dict[tuple, list] = {}
    for row in ranked.itertuples(index=False):
        ordered.setdefault(tuple(getattr(row, k) for k in key), []).append(row)
    return ordered


def resolve(observations: pd.DataFrame, key: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Collapse rows sharing `key` into one record; return (resolved, conflicts)."""
    records, conflicts = [], []
    counts = observations.groupby(key, sort=True, dropna=False).size()
    by_column = {
        column: _ordered_by_key(observations, key, column) for column in ("value", "yoy_pct")
    }
    for key_values, n_rows in counts.items():
        key_values = key_values if isinstance(key_values, tuple) else (key_values,)
        record = dict(zip(key, key_values))
        record["n_rows"] = int(n_rows)
        for column, prefix in (("value", "value"), ("yoy_pct", "yoy")):
            ordered = by_column[column].get(key_values, [])
            best = ordered[0] if ordered else None  # None: no row has the column (NaN, no source)
            record[column] = getattr(best, column, math.nan)
            for field in SOURCE_FIELDS:
                record[f"{prefix}_{field}"] = getattr(best, field, None)
            # the only figure there is may come from a page flagged as mislabelled (it ranks last): the
            # record says so, and no cross-check or reconciliation rests on it (helpers.model.reconcile, raw_rows)
            record[f"{prefix}_mislabelled"] = bool(getattr(best, "mislabelled", False))
            for other in ordered[1:]:
                other_value, used = getattr(other, column), getattr(best, column)
                if not agree(other_value, used):
                    conflicts.append(
                        {
                            **{k: record[k] for k in key},
                            "field": column,
                            "used": used,
                            "used_publisher": best.publisher,
                            "used_source_row": best.source_row,
                            "other": other_value,
                            "other_publisher": other.publisher,
                            "other_source_row": other.source_row,
                            "other_mislabelled": bool(other.mislabelled),
                            "relative_diff_pct": round(100 * (other_value - used) / used, 2)
                            if column == "value" and used
                            else math.nan,
                            "source_file": other.source_file,
                        }
                    )
        records.append(record)
    conflict_columns = key + [
        "field",
        "used",
        "used_publisher",
        "used_source_row",
        "other",
        "other_publisher",
        "other_source_row",
        "other_mislabelled",
        "relative_diff_pct",
        "source_file",
    ]
    return pd.DataFrame(records), pd.DataFrame(conflicts, columns=conflict_columns)
