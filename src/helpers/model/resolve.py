"""One explicit source preference for numbers several outlets reported (config/sources.yaml).

Value and published y/y are resolved separately (a page may give one and not the other), each
with the same ordering. Every disagreement beyond rounding is kept in a conflicts table.
"""
import math

import pandas as pd

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


def preference_order(rows: pd.DataFrame, column: str) -> pd.DataFrame:
    """Rows having `column`, best first, following config/sources.yaml's rules."""
    rules = sources_config()["source_preference"]
    candidates = rows.loc[rows[column].notna()].copy()
    markers = rules["mislabel_markers"]
    tier1 = rules["tier1_publisher_patterns"]
    candidates["_mislabelled"] = candidates.quote.map(lambda q: any(m in q for m in markers))
    candidates["_tier"] = candidates.publisher.map(lambda p: 0 if any(t in p for t in tier1) else 1)
    candidates["_date"] = candidates.published_date.where(candidates.published_date.str.len() > 0, "9999")
    candidates["_precision"] = -candidates[column].map(significant_digits)
    return candidates.sort_values(["_mislabelled", "_tier", "_date", "_precision", "source_file", "source_row"],
                                  kind="stable")


def resolve(observations: pd.DataFrame, key: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Collapse rows sharing `key` into one record; return (resolved, conflicts)."""
    records, conflicts = [], []
    for key_values, rows in observations.groupby(key, sort=True, dropna=False):
        record = dict(zip(key, key_values if isinstance(key_values, tuple) else (key_values,)))
        record["n_rows"] = len(rows)
        for column, prefix in (("value", "value"), ("yoy_pct", "yoy")):
            ordered = preference_order(rows, column)
            if ordered.empty:
                record[column] = math.nan
                for field in ("publisher", "source_url", "source_row", "source_file", "quote"):
                    record[f"{prefix}_{field}"] = None
                continue
            best = ordered.iloc[0]
            record[column] = best[column]
            for field in ("publisher", "source_url", "source_row", "source_file", "quote"):
                record[f"{prefix}_{field}"] = best[field]
            for other in ordered.iloc[1:].itertuples():
                other_value = getattr(other, column)
                if not agree(other_value, best[column]):
                    conflicts.append({**{k: record[k] for k in key}, "field": column,
                                      "used": best[column], "used_publisher": best.publisher,
                                      "used_source_row": best.source_row,
                                      "other": other_value, "other_publisher": other.publisher,
                                      "other_source_row": other.source_row,
                                      "relative_diff_pct": round(100 * (other_value - best[column]) / best[column], 2)
                                      if column == "value" and best[column] else math.nan,
                                      "source_file": other.source_file})
        records.append(record)
    conflict_columns = key + ["field", "used", "used_publisher", "used_source_row", "other",
                              "other_publisher", "other_source_row", "relative_diff_pct", "source_file"]
    return pd.DataFrame(records), pd.DataFrame(conflicts, columns=conflict_columns)
