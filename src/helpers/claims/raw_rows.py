"""Claims settled (or bounded) by the real customs rows: the fuel claim from the monthly fuel rows, and the
latest annual base (BACI) for a group whose story period the rows do not reach."""
import pandas as pd

from ..core.text import percentage_points, signed_pct, span_label, usd_bn
from ..model.groups import group_change
from ..model.raw_rows import cite, fuel_ytd
from .verdicts import claim_row

# HS 2017 headings of chapter 27 (mineral fuels), to say what a set of fuel codes leaves out.
CHAPTER_27 = {"2701": "coal", "2702": "lignite", "2703": "peat", "2704": "coke", "2705": "coal gas",
              "2706": "tar", "2707": "coal-tar oils", "2708": "pitch", "2709": "crude oil",
              "2710": "oil products", "2711": "petroleum gases", "2712": "petroleum jelly and waxes",
              "2713": "petroleum coke and bitumen", "2714": "natural bitumen", "2715": "bituminous mixtures",
              "2716": "electricity"}


def uncovered_chapter_27(codes) -> str:
    """'2702–2708, 2710 (oil products), 2712–2716 and 2711 other than 271111, 271121': what codes leave out."""
    codes = sorted(str(c) for c in codes)
    missing = [h for h in CHAPTER_27 if not any(c.startswith(h) for c in codes)]
    partial = [h for h in CHAPTER_27 if h not in codes and any(c.startswith(h) for c in codes)]
    runs = []
    for heading in missing:
        if runs and int(heading) == int(runs[-1][-1]) + 1:
            runs[-1].append(heading)
        else:
            runs.append([heading])
    parts = [f"{r[0]} ({CHAPTER_27[r[0]]})" if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs]
    parts += [f"{h} other than {', '.join(c for c in codes if c.startswith(h))} (other {CHAPTER_27[h]}, e.g. LPG)"
              for h in partial]
    return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else "".join(parts)


def check_fuel_rows(claim: dict, resolved_groups: pd.DataFrame, groups: dict, fuel: pd.DataFrame, partner: str):
    """The fuel claim from the monthly fuel rows of the codes in `rows_cover`; None when the rows do not
    cover the claim's period (the wire-based check applies then)."""
    names = claim["rows_cover"]
    period = claim["period"]
    table = fuel_ytd(fuel, groups, names, period, partner)
    if table.empty or "together" not in set(table.group):
        return None
    story, tolerance = claim["story"], claim.get("tolerance", {})
    by_group = table.set_index("group")
    together = by_group.loc["together"]
    codes = [str(c) for n in names for c in groups[n]["hs"]["HS2017"]]
    lead = by_group.loc[names[0]] if "crude_oil" not in by_group.index else by_group.loc["crude_oil"]
    wire = group_change(resolved_groups, lead.name, groups[lead.name], period)  # wire only: no rows passed
    wire_text = (f"the wire figure for {lead.label.split(' (')[0].lower()} is {usd_bn(wire['value_usd_mn'])}, "
                 f"{signed_pct(wire['change_pct'])} ({wire['source'].split(' http')[0]})"
                 if wire["change_pct"] == wire["change_pct"] else "no wire figure for it")
    lands = abs(together.change_pct - story["change_pct"]) <= tolerance.get("change_pct", 0) + 1e-9
    verdict = "consistent" if lands else "differs"
    label = span_label(period)
    data_value = (f"{len(names)} fuel codes together: {usd_bn(together.value_usd_mn)} vs "
                  f"{usd_bn(together.prior_value_usd_mn)}, {signed_pct(together.change_pct)}; "
                  f"{lead.label}: {usd_bn(lead.value_usd_mn)} vs {usd_bn(lead.prior_value_usd_mn)}, "
                  f"{signed_pct(lead.change_pct)} (raw rows); wire: {signed_pct(wire['change_pct'])}")
    years_text = (f"Two sources: {period[:4]} from {together.value_publishers}, {int(period[:4]) - 1} from "
                  f"{together.prior_publishers}." if together.value_publishers != together.prior_publishers else
                  f"Both years from {together.value_publishers}.")
    explanation = (f"Computed from the customs rows (HS {', '.join(codes)}), {label} vs a year earlier: the "
                   f"{len(names)} codes together {signed_pct(together.change_pct)}, {lead.label} alone "
                   f"{signed_pct(lead.change_pct)}; beside it, {wire_text}. {years_text} {'Within' if lands else 'Outside'} "
                   f"{percentage_points(tolerance.get('change_pct', 0))} of the story's number, but narrower than all mineral "
                   f"fuels: the rows leave out chapter-27 codes {uncovered_chapter_27(codes)}. Pipeline-gas values "
                   f"look estimated. Settled exactly by: {claim.get('settle_with', 'the HS-level table for chapter 27')}.")
    rows_used = [together.rows] + ([f"wire beside it: {wire['source']}"] if wire["source"] else [])
    return claim_row(claim, signed_pct(story['change_pct'], None), data_value, verdict, explanation, rows_used)


def annual_base(claim: dict, groups: dict, annual: pd.DataFrame | None, version: str = "HS2017") -> tuple[str, str]:
    """('The latest full year in the raw rows is 2023: vehicles $18.5bn (CEPII BACI, HS 8701+8703+8704) …', rows):
    the latest full year the annual rows give for the group, and the raw file and rows behind it."""
    group = groups[claim["group"]]
    codes = tuple(str(c) for c in (group.get("hs") or {}).get(version, []))
    if annual is None or annual.empty or not codes:
        return "", ""
    rows = annual.loc[(annual.measure == "value") & (annual.flow == group["flow"]) & annual.hs_code.str.startswith(codes)]
    if rows.empty:
        return "", ""
    year = max(rows.period)
    rows = rows.loc[rows.period == year]
    publisher = rows.publisher.iloc[0].split(" (")[0]
    text = (f"The latest full year in the raw rows is {year}: {group['label'].split(' (')[0].lower()} "
            f"{usd_bn(rows.value.sum())} ({publisher}, HS {'+'.join(codes)}), the level the later fall is measured from.")
    return text, cite(rows)
