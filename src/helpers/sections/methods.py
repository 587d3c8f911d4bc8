"""Data and methods appendix: gaps, derived months, conflicts, reconciliations, group definitions."""
import pandas as pd


def methods_text(section) -> str:
    conflicts = section.customs.conflicts
    monthly = section.customs.monthly(section.period_end)
    derived = (monthly.status == "derived").sum()
    missing = (monthly.status == "missing").sum()
    return "\n\n".join([
        "**Sources.** Chinese customs (GACC) figures for China–" + section.partner_name + " trade as published by "
        "news wires and outlets, one row per published number with its link and a verbatim quote "
        "(data/raw/, checksums verified before every build). The only numbers computed here are marked as "
        "such: derived months, y/y from two levels, and sums of HS codes when HS-level data is present. "
        f"{len(section.customs.quality)} recoverable oddities were handled on loading (exact duplicate rows dropped, "
        "byte-order marks removed).",
        "**Source preference** (config/sources.yaml): pages flagged as mislabelled rank last; wire agencies and "
        "official channels before reprints; the first release before later ones (stories cite it; GACC revises "
        "through its y/y rates); the more precise figure; then the raw row order. "
        f"{len(conflicts)} disagreements beyond rounding between outlets are listed below with the figure used.",
        f"**Monthly series** (2021–{section.period_end[:4]}): {derived} months are derived as the difference of two "
        f"consecutive January–month releases and {missing} months have no figure at all and stay gaps. "
        "GACC publishes January and February as one figure.",
        "**Two y/y rates.** GACC's published change compares with its revised figure for a year earlier; dividing "
        "the two published levels gives a slightly different number. The briefing shows both and corrects neither.",
        "**Reconciliations.** Exports + imports are checked against turnover, and the sum of published months "
        "against the published January–month total. Month sums run below the cumulative totals because GACC's "
        "cumulative figures include revisions to earlier months, while each month is recorded as first published.",
    ] + ([hs_level_text(section.hs_rows)] if len(section.hs_rows) or section.hs_rows.attrs.get("notes") else []))


def hs_level_text(hs_rows: pd.DataFrame, limit: int = 12) -> str:
    """What the HS-level readers skipped, dropped or flagged (breakdown rows, other partners, the same
    export saved twice, files added by hand), so a reader sees every row that did not count."""
    notes = hs_rows.attrs.get("notes", [])
    files = hs_rows.attrs.get("files", [])
    shown = "; ".join(notes[:limit]) + (f"; and {len(notes) - limit} more notes" if len(notes) > limit else "")
    return (f"**HS-level files.** {len(files)} file(s) read, {len(hs_rows)} rows used for the briefing's partner "
            "and groups. Only total rows count (never a breakdown beside its total), each observation once, "
            "and a group's HS-level sum only when every code has US$ rows for every month; otherwise the wire "
            "figure is used and the gap is named. " + (f"Notes: {shown}." if notes else "No rows were skipped."))


def groups_table(groups: dict) -> pd.DataFrame:
    return pd.DataFrame([{
        "Group": name, "Label": g["label"], "Flow (from China)": g["flow"],
        "HS codes": "; ".join(f"{v}: {', '.join(map(str, c))}" for v, c in (g.get("hs") or {}).items()),
        "Labels in wire data": ", ".join(g.get("labels", [])) or "—"} for name, g in groups.items()])


def derived_months(section) -> pd.DataFrame:
    monthly = section.customs.monthly(section.period_end)
    picked = monthly.loc[monthly.status.isin(["derived", "missing"])]
    return picked[["flow", "period", "status", "value", "source", "source_rows"]].reset_index(drop=True)


def conflicts_table(section) -> pd.DataFrame:
    conflicts = pd.concat([section.customs.conflicts.assign(commodity="TOTAL"),
                           section.group_conflicts.rename(columns={"group": "commodity"})], ignore_index=True)
    columns = ["commodity", "flow", "period", "span", "field", "used", "used_publisher", "used_source_row",
               "other", "other_publisher", "other_source_row", "relative_diff_pct"]
    return conflicts.reindex(columns=columns).sort_values(["commodity", "period", "flow", "field"]).reset_index(drop=True)


def reconciliation_tables(section) -> tuple[pd.DataFrame, pd.DataFrame]:
    flows, months = section.customs.reconciliation(section.period_end)
    flows = flows.loc[flows.period.str[:7] <= section.period_end]
    return flows.reset_index(drop=True), months.reset_index(drop=True)
