"""One key per observation across every HS-level raw file (issue 13, point 1).

Key: source kind (publisher), reporter, partner, flow, period (and span), HS code, classification
(hs_version), currency, measure (and unit). GACC lines are parts of a total told apart by regime and
province (kept in `quote`), so within a file the cell is key + quote.

- The same line twice in one file (an export with a repeated row) -> counted once, noted.
- The same cell twice in one file with different values -> InputError naming the file and both rows.
- Two files holding the same observations with the same values (the same export dropped twice, e.g.
  `export (1).csv`) -> the copy's rows are dropped (a hand-added copy before a vendored or fetched
  file), one note naming both files. Byte-identical files never get here: hs_level reads them once.
- Two files giving the same observation different values -> InputError naming both files and rows.
A code delivered under two classifications (H5 and H6) stays two keys here; helpers.model.groups
uses one classification per month (config/commodity_groups.yaml: classification_preference).
"""

import pandas as pd

from ..core.errors import InputError

KEY = [
    "publisher",
    "reporter",
    "partner",
    "flow",
    "period",
    "span",
    "hs_code",
    "hs_version",
    "currency_note",
    "measure",
    "unit",
]
CELL = KEY + ["quote"]


def _rows(values) -> str:
    rows = sorted({int(r) for r in values if int(r)})
    shown = ", ".join(map(str, rows[:5])) + (f" (+{len(rows) - 5} more)" if len(rows) > 5 else "")
    return f"row{'s' if len(rows) != 1 else ''} {shown}" if rows else "(aggregated rows)"


def drop_duplicates(
    frame: pd.DataFrame, ranks: dict | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """(frame with every observation once, notes). Raises InputError on a conflict.

    ranks: {source_file: rank}; of two files repeating an observation the lower rank is kept (a vendored
    or fetched file, 0, before a copy added by hand, 1), then the shorter name."""
    if frame.empty:
        return frame, []
    notes = []
    within = frame.duplicated(["source_file"] + CELL + ["value"], keep="first")
    for source_file, rows in frame.loc[within].groupby("source_file").source_row:
        notes.append(
            f"{source_file}: {rows.nunique()} exact duplicate line(s) ({_rows(rows)}) counted once"
        )
    frame = frame.loc[~within]
    clash = frame.loc[frame.duplicated(["source_file"] + CELL, keep=False)]
    if len(clash):
        first = clash.iloc[0]
        same_cell = clash.loc[(clash[CELL] == first[CELL]).all(axis=1)]
        raise InputError(
            f"{_rows(same_cell.source_row)} give different values for the same observation "
            f"({_describe(first)}): {', '.join(f'{v:g}' for v in same_cell.value)}",
            file=first.source_file,
            expected="one line per observation",
        )
    per_file = (
        frame.groupby(KEY + ["source_file"], sort=False)
        .agg(value=("value", "sum"), lines=("value", "size"), rows=("source_row", list))
        .reset_index()
    )
    # which copy of a key is kept: by rank, then the shortest file name ("export.csv" before
    # "export (1).csv"), then by name
    per_file = (
        per_file.assign(
            _rank=per_file.source_file.map(ranks or {}).fillna(0),
            _len=per_file.source_file.str.len(),
        )
        .sort_values(["_rank", "_len", "source_file"], kind="stable")
        .drop(columns=["_rank", "_len"])
    )
    stats = per_file.groupby(KEY, sort=False).agg(
        files=("source_file", "size"),
        vmin=("value", "min"),
        vmax=("value", "max"),
        lmin=("lines", "min"),
        lmax=("lines", "max"),
    )
    spread = (stats.vmax - stats.vmin).abs() > 1e-9 * stats[["vmax"]].abs().clip(lower=1.0).vmax
    conflicts = stats.loc[(stats.files > 1) & (spread | (stats.lmin != stats.lmax))]
    if len(conflicts):
        key = conflicts.index[0]
        copies = per_file.set_index(KEY).loc[[key]].reset_index()
        keep, other = copies.iloc[0], copies.iloc[1]
        raise InputError(
            f"{keep.source_file} {_rows(keep.rows)} and {other.source_file} {_rows(other.rows)} give different "
            f"values for the same observation ({_describe(keep)}): {keep.value:g} vs {other.value:g}",
            expected="each observation in one file, or the same value in every file that repeats it",
        )
    if not (stats.files > 1).any():
        return frame, notes
    keeper = per_file.drop_duplicates(KEY, keep="first")[KEY + ["source_file"]].rename(
        columns={"source_file": "kept"}
    )
    kept = frame[KEY].merge(keeper, on=KEY, how="left").kept.to_numpy()
    repeated = frame.source_file.to_numpy() != kept
    repeats = frame.loc[repeated].assign(kept=kept[repeated])
    for (dropped_file, kept_file), rows in repeats.groupby(["source_file", "kept"]).source_row:
        notes.append(
            f"{dropped_file}: {rows.nunique()} line(s) repeat observations of {kept_file} with the same "
            f"values (the same export saved twice?): counted once, from {kept_file}"
        )
    return frame.loc[~repeated], notes


def _describe(row) -> str:
    code = f"HS {row.hs_code}" if row.hs_code else "TOTAL"
    return f"{row.publisher}, {row.partner} {row.flow} {row.period}, {code} {row.hs_version}, {row.measure} {row.unit}"
