"""Context section: Chinese brands in Russia's car market (F6), China vs Russia GDP (F7), machine
tools (table + why the story's figure cannot be checked), the Bank of Russia key rate (F8), and the
three context claims.

Context facts are not GACC releases and are not tied to the briefing's PERIOD_END: every function
shows all the data there is (each point carries its publication date) and marks the story's date.
Values published as phrases ("less than 10", "over 40") stay phrases: they are plotted at the
number they name with an open marker and never used as exact values.
"""
from __future__ import annotations

import math
import re

import altair as alt
import pandas as pd


from .claims import VERDICTS
from .config import read_yaml
from .observations import load_context
from .paths import CONFIG_DIR
from .text import is_missing, month_name
from .validation import NUMBER

_STORY = read_yaml(CONFIG_DIR / "claims.yaml")["story"]
STORY_PUBLISHED = _STORY["published"]     # the story this briefing rebuilds
INVASION_MONTH = _STORY["invasion_month"]  # "before the war" = periods ending before this month
MONTHS = {name[:3].lower(): index for index, name in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"], start=1)}


# --------------------------------------------------------------------------------------------- data

def context_facts() -> pd.DataFrame:
    """The validated context table (`helpers.observations.load_context`)."""
    return load_context()


def source_label(row) -> str:
    date = str(row.published_date).strip()
    return f"{row.publisher}, " + (f"published {date}" if date else "page undated")


def rows_used(frame: pd.DataFrame) -> list[str]:
    """'publisher — url' for each row, in order, without repeats."""
    seen = []
    for publisher, url in zip(frame.publisher, frame.source_url):
        item = f"{publisher} — {url}"
        if item not in seen:
            seen.append(item)
    return seen


# ------------------------------------------------------------------------------ values as phrases

WORD_NUMBERS = {"half": 50.0, "one third": 100 / 3}
LOWER_BOUND = ("over", "more than", "above")
UPPER_BOUND = ("less than", "under", "up to", "below")
APPROXIMATE = ("nearly", "almost", "close to", "around", "about", "some", "just under")


def phrase_value(text: str) -> tuple[float, str]:
    """(number the value names, qualifier): qualifier is '' for a plain number, else the phrase kind."""
    text = str(text).strip()
    if NUMBER.match(text):
        return float(text), ""
    lowered = text.lower()
    found = re.search(r"-?\d+(?:\.\d+)?", lowered)
    number = float(found.group(0)) if found else next(
        (value for word, value in WORD_NUMBERS.items() if word in lowered), math.nan)
    if any(lowered.startswith(word) for word in UPPER_BOUND):
        kind = "upper bound"
    elif any(lowered.startswith(word) for word in LOWER_BOUND):
        kind = "lower bound"
    elif any(lowered.startswith(word) for word in APPROXIMATE):
        kind = "approximate"
    elif "range" in lowered or re.match(r"^\d+(\.\d+)?-\d", lowered):
        kind = "range (lower end plotted)"
    else:
        kind = "phrase"
    return number, kind


# --------------------------------------------------------------------------- periods as published

def period_position(period: str) -> tuple[str | None, str, bool]:
    """(date to plot at, kind of period, exact?) for a period as published; None if undated."""
    text = str(period).strip()
    month = re.match(r"^(\d{4})-(\d{2})(.*)$", text)
    if month:
        year, number, rest = month.groups()
        return f"{year}-{number}-15", "month", rest.strip() == ""
    before = re.match(r"^before (\w+) (\d{4})", text, re.I)
    if before and before.group(1)[:3].lower() in MONTHS:
        return f"{before.group(2)}-{MONTHS[before.group(1)[:3].lower()]:02d}-01", "before a date", False
    year = re.match(r"^(\d{4})\b(.*)$", text)
    if not year:
        return None, "no date given", False
    start, end, rest = 1, 12, year.group(2).strip()
    span = re.match(r"^(\w{3})\w*\s*[-–]\s*(\w{3})", rest)
    if re.match(r"^-?H1\b", rest):
        start, end = 1, 6
    elif span and span.group(1).lower() in MONTHS and span.group(2).lower() in MONTHS:
        start, end = MONTHS[span.group(1).lower()], MONTHS[span.group(2).lower()]
    middle = pd.Timestamp(f"{year.group(1)}-{start:02d}-01") + (
        pd.Timestamp(f"{year.group(1)}-{end:02d}-01") + pd.offsets.MonthEnd(0)
        - pd.Timestamp(f"{year.group(1)}-{start:02d}-01")) / 2
    kind = "year" if (start, end) == (1, 12) else "part of a year"
    return middle.strftime("%Y-%m-%d"), kind, rest == ""


def before_invasion(period: str, position: str | None, kind: str) -> bool:
    if position is None:
        return False
    if kind == "before a date":
        return position[:7] <= INVASION_MONTH
    if kind == "month":
        return position[:7] < INVASION_MONTH
    return int(position[:4]) < int(INVASION_MONTH[:4])


# ------------------------------------------------------------------------ F6: Chinese car share

def car_share_view(facts: pd.DataFrame) -> pd.DataFrame:
    """Every published share of Chinese brands in Russia's new-car market, one row each."""
    rows = facts.loc[(facts.topic == "chinese_car_share_russia") & facts.unit.isin(["percent", "share"])
                     & facts.measure.str.contains("share", case=False)]
    records = []
    for row in rows.itertuples():
        number, qualifier = phrase_value(row.value)
        position, kind, exact_period = period_position(row.period)
        exact = qualifier == "" and exact_period
        records.append({
            "date": position or "", "period_as_published": row.period, "period_kind": kind,
            "share_pct": number, "value_as_published": row.value + ("%" if row.unit == "percent" else ""),
            "value_kind": "exact" if qualifier == "" else qualifier,
            "marker": "published number" if qualifier == "" else "phrase (plotted at the number it names)",
            "exact_month": kind == "month" and exact,
            "before_invasion": before_invasion(row.period, position, kind),
            "plotted": position is not None and not is_missing(number),
            "entity": row.entity, "measure": row.measure,
            "source": source_label(row), "source_url": row.source_url, "source_row": int(row.source_row)})
    view = pd.DataFrame(records)
    return view.sort_values(["plotted", "date", "source_row"], ascending=[False, True, True]).reset_index(drop=True)


def first_month_above(view: pd.DataFrame, threshold: float = 50.0) -> pd.Series | None:
    """Earliest exactly dated month whose published (not phrased) share exceeds `threshold`."""
    months = view.loc[view.exact_month & (view.value_kind == "exact") & (view.share_pct > threshold)]
    return months.sort_values(["date", "source_row"]).iloc[0] if len(months) else None


def date_datum(date: str) -> alt.DateTime:
    """A fixed date for rules and labels (a plain string datum is not placed on a time axis)."""
    year, month, day = (int(part) for part in date[:10].split("-"))
    return alt.datum(alt.DateTime(year=year, month=month, date=day))


def car_share_chart(view: pd.DataFrame, story_date: str = STORY_PUBLISHED) -> alt.LayerChart:
    tooltip = [alt.Tooltip("period_as_published:N", title="period (as published)"),
               alt.Tooltip("value_as_published:N", title="share (as published)"),
               alt.Tooltip("value_kind:N", title="value is"), alt.Tooltip("entity:N"),
               alt.Tooltip("measure:N"), alt.Tooltip("source:N")]
    points = alt.Chart().transform_filter(alt.datum.plotted).mark_point(size=60, strokeWidth=1.6).encode(
        x=alt.X("date:T", title=None, scale=alt.Scale(domain=["2020-01-01", "2026-03-01"])),
        y=alt.Y("share_pct:Q", title="Chinese brands' share of new-car sales, %", scale=alt.Scale(domain=[0, 70])),
        color=alt.Color("period_kind:N", title="Figure covers", legend=alt.Legend(orient="top")),
        fill=alt.condition(alt.datum.value_kind == "exact", alt.Color("period_kind:N", legend=None),
                           alt.value("white")),
        shape=alt.Shape("marker:N", title=None, scale=alt.Scale(
            domain=["published number", "phrase (plotted at the number it names)"], range=["circle", "diamond"]),
            legend=alt.Legend(orient="bottom", labelLimit=320, symbolStrokeColor="#555", symbolStrokeWidth=1.5)),
        tooltip=tooltip)
    references = [alt.Chart().mark_rule(color="#888", strokeDash=[4, 3]).encode(y=alt.datum(level))
                  for level in (10, 50)]
    labels = [alt.Chart().mark_text(align="left", dx=4, dy=-6, color="#666").encode(
        x=date_datum("2020-01-15"), y=alt.datum(level), text=alt.value(f"{level}%"))
        for level in (10, 50)]
    story = alt.Chart().mark_rule(color="#c9a227").encode(x=date_datum(story_date))
    story_label = alt.Chart().mark_text(align="right", dx=-4, y=8, color="#8a6d00").encode(
        x=date_datum(story_date), text=alt.value("story published"))
    return alt.layer(*references, *labels, story, story_label, points, data=view).properties(width=600, height=300)


# ------------------------------------------------------------------------------------ F7: GDP

GDP_UNITS_TO_TRILLION = {"USD trillion": 1.0, "USD thousand billion (trillion)": 1.0,
                         "USD billion": 1e-3, "USD million": 1e-6}


def gdp_source(measure: str, publisher: str) -> str:
    """Which statistical source the figure comes from, as the row states it."""
    for text in (measure, publisher):
        if re.search(r"Statista", text):
            return "Statista"
        if re.search(r"\bIMF\b", text):
            return "IMF"
        if re.search(r"national statistics|\bNBS\b|Rosstat|Russian government", text):
            return "national statistics, converted to US$"
        if re.search(r"World Bank", text):
            return "World Bank"
        if re.search(r"\bEIU\b|Economist Intelligence", text):
            return "EIU"
    return "source not stated"


def gdp_release(measure: str) -> str:
    """The release/vintage the row names ('July 2024 release', 'WEO Apr 2025'), or ''."""
    patterns = [(r"WEO (\w{3})\w* (\d{4})", lambda m: f"WEO {m.group(1)} {m.group(2)}"),
                (r"(\d{1,2} )?(\w{3})\w* (\d{4}) (release|vintage)",
                 lambda m: f"{m.group(2)} {m.group(3)} release"),
                (r"(?:GDP|Gross domestic product) (\d{4})'? table", lambda m: f"GDP {m.group(1)} table")]
    for pattern, label in patterns:
        found = re.search(pattern, measure, re.I)
        if found:
            return label(found)
    return ""


def gdp_view(facts: pd.DataFrame) -> pd.DataFrame:
    """Nominal GDP rows in US$ trillion, each with its source, release and vintage key."""
    rows = facts.loc[(facts.topic == "nominal_gdp_usd") & facts.unit.isin(list(GDP_UNITS_TO_TRILLION))]
    records = []
    for row in rows.itertuples():
        source, release = gdp_source(row.measure, row.publisher), gdp_release(row.measure)
        dated = str(row.published_date).strip()
        vintage = release or (f"as published {dated}" if dated else "page undated")
        records.append({
            "year": int(row.period[:4]), "country": row.entity,
            "gdp_usd_tn": (row.value_number * GDP_UNITS_TO_TRILLION[row.unit]
                           if not is_missing(row.value_number) else math.nan),
            "value_as_published": f"{row.value} {row.unit}", "projection": "projection" in row.period,
            "source": source, "vintage": vintage,
            # same key = same source and same vintage: the release named on the row, or else one page
            "vintage_key": f"{source} | {release or row.source_url}",
            "publisher": row.publisher, "published_date": dated, "source_url": row.source_url,
            "source_row": int(row.source_row), "period_as_published": row.period})
    return pd.DataFrame(records).sort_values(["year", "country", "source_row"]).reset_index(drop=True)


def _preferred(rows: pd.DataFrame) -> pd.Series:
    rank = {"World Bank": 0, "IMF": 1, "national statistics, converted to US$": 2}
    order = rows.assign(_p=rows.projection.astype(int), _r=rows.source.map(rank).fillna(9),
                        _d=rows.published_date.replace("", "0000"))
    return order.sort_values(["_p", "_r", "_d", "source_row"], ascending=[True, True, False, True]).iloc[0]


def gdp_ratios(gdp: pd.DataFrame) -> pd.DataFrame:
    """China/Russia GDP ratio per year: from one source and vintage where the data allow;
    otherwise one ratio of the preferred figures labelled 'mixed vintages', or the reason there is none."""
    numeric = gdp.loc[gdp.gdp_usd_tn.notna()]
    records = []
    for year in sorted(gdp.year.unique()):
        china = numeric.loc[(numeric.year == year) & (numeric.country == "China")]
        russia = numeric.loc[(numeric.year == year) & (numeric.country == "Russia")]
        keys = sorted(set(china.vintage_key) & set(russia.vintage_key))
        for key in keys:
            cn, ru = china.loc[china.vintage_key == key], russia.loc[russia.vintage_key == key].iloc[0]
            same_page = cn.loc[cn.source_url == ru.source_url]  # prefer figures printed side by side
            cn = (same_page if len(same_page) else cn).iloc[0]
            records.append(_ratio_record(year, cn, ru, "same source and vintage"))
        if keys:
            continue
        if len(china) and len(russia):
            records.append(_ratio_record(year, _preferred(china), _preferred(russia), "mixed vintages"))
        else:
            missing = "Russia" if len(china) else "China"
            records.append({"year": year, "ratio": math.nan, "basis": f"no {missing} figure in the data",
                            "china_gdp_usd_tn": math.nan, "russia_gdp_usd_tn": math.nan,
                            "china_source": "", "russia_source": "", "china_row": math.nan, "russia_row": math.nan})
    return pd.DataFrame(records)


def _ratio_record(year: int, china: pd.Series, russia: pd.Series, basis: str) -> dict:
    return {"year": year, "ratio": china.gdp_usd_tn / russia.gdp_usd_tn, "basis": basis,
            "china_gdp_usd_tn": china.gdp_usd_tn, "russia_gdp_usd_tn": russia.gdp_usd_tn,
            "china_source": f"{china.source}, {china.vintage} ({china.publisher})",
            "russia_source": f"{russia.source}, {russia.vintage} ({russia.publisher})",
            "china_row": int(china.source_row), "russia_row": int(russia.source_row)}


def latest_same_vintage_ratio(ratios: pd.DataFrame, up_to_year: int) -> pd.Series | None:
    same = ratios.loc[(ratios.basis == "same source and vintage") & (ratios.year <= up_to_year)]
    return same.sort_values(["year", "china_row"]).iloc[-1] if len(same) else None


def gdp_figure_data(gdp: pd.DataFrame, ratios: pd.DataFrame) -> pd.DataFrame:
    """F7's one table: GDP levels (panel 'level') and ratios (panel 'ratio')."""
    levels = gdp.loc[gdp.gdp_usd_tn.notna()].assign(
        panel="level", label=lambda f: f.source + ", " + f.vintage + " (" + f.publisher + ")")
    levels = levels[["panel", "year", "country", "gdp_usd_tn", "value_as_published", "projection", "source",
                     "vintage", "label", "source_row"]]
    shown = ratios.loc[ratios.ratio.notna()].assign(panel="ratio")
    shown["ratio"] = shown.ratio.round(3)
    return pd.concat([levels, shown], ignore_index=True)


def gdp_chart(data: pd.DataFrame, story_ratio: float | None = None) -> alt.VConcatChart:
    x = alt.X("year:Q", title=None, axis=alt.Axis(format="d", tickMinStep=1), scale=alt.Scale(zero=False, nice=False,
              padding=12))
    levels = alt.Chart().transform_filter(alt.datum.panel == "level").mark_point(size=55, filled=True).encode(
        x=x, y=alt.Y("gdp_usd_tn:Q", title="Nominal GDP, US$ trillion"),
        color=alt.Color("country:N", title=None, legend=alt.Legend(orient="top")),
        shape=alt.Shape("source:N", title="Source", legend=alt.Legend(orient="right", labelLimit=260)),
        tooltip=[alt.Tooltip("country:N"), alt.Tooltip("year:Q", format="d"),
                 alt.Tooltip("gdp_usd_tn:Q", title="US$ tn", format=",.3f"),
                 alt.Tooltip("value_as_published:N", title="as published"), alt.Tooltip("projection:N"),
                 alt.Tooltip("label:N", title="source, vintage")]).properties(width=560, height=220)
    ratio = alt.Chart().transform_filter(alt.datum.panel == "ratio").mark_point(size=70, strokeWidth=2).encode(
        x=x, y=alt.Y("ratio:Q", title="China ÷ Russia", scale=alt.Scale(zero=False)),
        color=alt.Color("basis:N", title="Ratio of", scale=alt.Scale(
            domain=["same source and vintage", "mixed vintages"], range=["#1f5f8b", "#b0b0b0"]),
            legend=alt.Legend(orient="bottom")),
        fill=alt.condition(alt.datum.basis == "same source and vintage", alt.value("#1f5f8b"), alt.value("white")),
        tooltip=[alt.Tooltip("year:Q", format="d"), alt.Tooltip("ratio:Q", format=".2f"), alt.Tooltip("basis:N"),
                 alt.Tooltip("china_source:N", title="China figure"),
                 alt.Tooltip("russia_source:N", title="Russia figure")])
    layers = [ratio]
    if story_ratio is not None:
        layers.insert(0, alt.Chart().mark_rule(color="#c9a227", strokeDash=[4, 3]).encode(y=alt.datum(story_ratio)))
    return alt.vconcat(levels, alt.layer(*layers).properties(width=560, height=140), data=data).resolve_scale(
        x="shared", color="independent", shape="independent")


# ----------------------------------------------------------------------------- machine tools

def machine_tool_production(facts: pd.DataFrame) -> pd.DataFrame:
    """Every machine-tool production figure in the data (units, value or growth), as published."""
    rows = facts.loc[(facts.topic == "russia_machine_tools")
                     & facts.measure.str.contains("produc|output", case=False)
                     & ~facts.measure.str.contains("share|purchased|import", case=False)]
    table = pd.DataFrame({
        "Period": rows.period, "What is measured": rows.measure, "Value": rows.value, "Unit": rows.unit,
        "Source": [source_label(row) for row in rows.itertuples()]})
    table["year"] = rows.period.str[:4].astype(int)
    table["source_row"] = rows.source_row.astype(int)
    table["number"] = rows.value_number
    table["source_url"] = rows.source_url
    table["publisher"] = rows.publisher
    return table.sort_values(["year", "source_row"]).reset_index(drop=True)


MACHINE_TOOL_COLUMNS = ["Period", "What is measured", "Value", "Unit", "Source"]


def machine_tool_table(production: pd.DataFrame) -> pd.DataFrame:
    return production[MACHINE_TOOL_COLUMNS]


def level_series(production: pd.DataFrame) -> dict[tuple[str, str], dict[int, float]]:
    """Production levels (not growth rates) by (measure, unit): year -> number."""
    levels = production.loc[(production.Unit != "percent") & production.number.notna()
                            & production.Period.str.match(r"^\d{4}$")]
    series: dict = {}
    for measure, unit, year, number in zip(levels["What is measured"], levels.Unit, levels.year, levels.number):
        series.setdefault((measure, unit), {})[year] = number
    return series


def machine_tools_check(production: pd.DataFrame, start: int, end: int) -> dict:
    """Can a change from `start` to `end` be computed from one production series? What is there instead?"""
    series = level_series(production)
    matching = {key: years for key, years in series.items() if start in years and end in years}
    if matching:
        (measure, unit), years = next(iter(matching.items()))
        return {"checkable": True, "measure": measure, "change_pct": (years[end] / years[start] - 1) * 100}
    spans = []
    for (measure, unit), years in series.items():
        first, last = min(years), max(years)
        spans.append({"measure": measure, "unit": unit, "years": sorted(years),
                      "change_pct": (years[last] / years[first] - 1) * 100 if last > first else math.nan})
    return {"checkable": False, "spans": spans}


def machine_tools_text(production: pd.DataFrame, claim: dict) -> str:
    change = claim["story"]["change_pct"]
    start, end_year = claim_span(claim["statement"])
    check = machine_tools_check(production, start, end_year)
    if check["checkable"]:
        return (f"The story's +{change:g}% for machine-tool output over {start}–{end_year} can be compared with "
                f"{check['measure']}: {check['change_pct']:+.1f}%.")
    parts = []
    for span in check["spans"]:
        years = span["years"]
        if len(years) > 1:
            parts.append(f"{span['measure']} for {' and '.join(map(str, years))} "
                         f"({span['change_pct']:+.0f}% between them, a different span)")
        else:
            parts.append(f"{span['measure']} for {years[0]} only")
    growth = production.loc[production.Unit == "percent"]
    growth_text = "; ".join(f"{measure} ({period}): {value}%" for measure, period, value
                            in zip(growth["What is measured"], growth.Period, growth.Value))
    return (f"The story's +{change:g}% rise in machine-tool output over the three years to {end_year} cannot be "
            f"checked here: no production series in the data has both {start} and {end_year}. What the data hold "
            f"instead: " + "; ".join(parts) + (f"; growth rates over other spans — {growth_text}" if growth_text else "")
            + f". It would be settled by {claim['settle_with']}.")


# ------------------------------------------------------------------------------- F8: key rate

def key_rate_path(facts: pd.DataFrame, until: str | None = None) -> pd.DataFrame:
    """Bank of Russia decisions in the data as a step path: one row per decision date."""
    rows = facts.loc[facts.topic == "russia_key_rate"]
    records = []
    for row in rows.itertuples():
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", row.period)
        exact = bool(dates)
        if not dates:
            dates = [row.period[:7] + "-01"]
        for date in dates:
            records.append({"date": date, "rate_pct": row.value_number, "decision": row.measure,
                            "date_exact": exact, "date_as_published": row.period, "source": source_label(row)})
    path = pd.DataFrame(records).sort_values("date").reset_index(drop=True)
    end = until or STORY_PUBLISHED
    if len(path) and end > path.date.iloc[-1]:
        last = path.iloc[-1]
        path = pd.concat([path, pd.DataFrame([{**last.to_dict(), "date": end, "decision": "(no change in the data)",
                                               "date_exact": True, "date_as_published": ""}])], ignore_index=True)
    return path


def key_rate_chart(path: pd.DataFrame, story_date: str = STORY_PUBLISHED) -> alt.LayerChart:
    line = alt.Chart().mark_line(interpolate="step-after", color="#1f5f8b").encode(
        x=alt.X("date:T", title=None), y=alt.Y("rate_pct:Q", title="Key rate, % a year", scale=alt.Scale(zero=False)))
    points = alt.Chart().transform_filter(alt.datum.decision != "(no change in the data)").mark_point(
        filled=True, color="#1f5f8b").encode(
        x="date:T", y="rate_pct:Q", shape=alt.Shape("date_exact:N", title="Decision date exact"),
        tooltip=[alt.Tooltip("date:T"), alt.Tooltip("date_as_published:N", title="date as published"),
                 alt.Tooltip("rate_pct:Q", title="rate %"), alt.Tooltip("decision:N"), alt.Tooltip("source:N")])
    story = alt.Chart().mark_rule(color="#c9a227").encode(x=date_datum(story_date))
    return alt.layer(line, points, story, data=path).properties(width=600, height=200)


# ----------------------------------------------------------------------------------- claims

def claim_by_id(claims_config: dict, claim_id: str) -> dict:
    for claim in claims_config.get("claims", []):
        if claim.get("id") == claim_id:
            return claim
    raise KeyError(f"claim {claim_id!r} is not in the claims config")


def _verdict_row(claim: dict, story_value: str, data_value: str, verdict: str, explanation: str,
                 used: list[str]) -> dict:
    assert verdict in VERDICTS, verdict
    return {"claim_id": claim["id"], "statement": claim["statement"], "story_value": story_value,
            "data_value": data_value, "verdict": verdict, "explanation": explanation, "rows_used": used}


def economy_ratio_claim(claim: dict, facts: pd.DataFrame) -> dict:
    story, tolerance = claim["story"]["ratio"], claim["tolerance"]["ratio"]
    reference_year = int(STORY_PUBLISHED[:4]) - 1  # the latest full year when the story ran
    gdp = gdp_view(facts)
    ratios = gdp_ratios(gdp)
    best = latest_same_vintage_ratio(ratios, reference_year)
    story_value = f"about {story:g}×"
    if best is None:
        return _verdict_row(claim, story_value, "no same-vintage pair", VERDICTS[3],
                            "No year has China's and Russia's GDP from the same source and vintage.", [])
    used = rows_used(gdp.loc[gdp.source_row.isin([best.china_row, best.russia_row])])
    within = abs(best.ratio - story) <= tolerance
    if within and best.year == reference_year:
        verdict = VERDICTS[0]
    else:
        verdict = VERDICTS[1] if within else VERDICTS[2]
    data_value = (f"{best.ratio:.1f}× in {best.year} (China ${best.china_gdp_usd_tn:.2f}tn ÷ Russia "
                  f"${best.russia_gdp_usd_tn:.2f}tn, {best.china_source.split(' (')[0]})")
    same_reference = ratios.loc[(ratios.year == reference_year)]
    note = ""
    if len(same_reference) and same_reference.basis.iloc[0] == "mixed vintages":
        note = (f"; for {reference_year} only mixed vintages exist "
                f"({same_reference.ratio.iloc[0]:.1f}×, not used)")
    explanation = (f"The latest year with both GDP figures from one source and vintage is {best.year}, "
                   f"giving {best.ratio:.2f}×, {'within' if within else 'outside'} ±{tolerance:g} of the story's "
                   f"{story:g}×" + (f" but for {best.year}, not {reference_year}" if within and verdict != VERDICTS[0]
                                    else "") + note + ".")
    return _verdict_row(claim, story_value, data_value, verdict, explanation, used)


def prewar_range(prewar: pd.DataFrame) -> str:
    """'highest published figure 9.6%; also published as: less than 10%' — phrases stay phrases."""
    exact = prewar.loc[prewar.value_kind == "exact"]
    phrases = prewar.loc[prewar.value_kind != "exact", "value_as_published"]
    text = f"highest published figure {exact.share_pct.max():g}%" if len(exact) else "no exact figure"
    return text + (f"; also published as: {', '.join(phrases)}" if len(phrases) else "")


def car_share_claim(claim: dict, facts: pd.DataFrame) -> dict:
    before, after, after_by = (claim["story"][key] for key in ("before_pct", "after_pct", "after_by"))
    view = car_share_view(facts)
    prewar = view.loc[view.before_invasion & view.plotted]
    below = [(row.share_pct < before) or (row.value_kind == "upper bound" and row.share_pct <= before)
             for row in prewar.itertuples()]
    first = first_month_above(view, after)
    story_value = f"under {before:g}% before the war; over {after:g}% by {month_name(after_by + '-01')} {after_by[:4]}"
    pre_text = (f"{len(prewar)} pre-war figures, all below {before:g}% ({prewar_range(prewar)})"
                if len(prewar) and all(below) else
                f"{sum(below)} of {len(prewar)} pre-war figures below {before:g}%")
    first_text = (f"first month above {after:g}%: {month_name(first.date)} {first.date[:4]} ({first.share_pct:g}%, "
                  f"{first.source})" if first is not None else f"no dated month above {after:g}%")
    supports_before = len(prewar) > 0 and all(below)
    supports_after = first is not None and first.date[:7] <= after_by
    verdict = VERDICTS[0] if supports_before and supports_after else (
        VERDICTS[2] if len(prewar) and first is not None else VERDICTS[3])
    used_rows = pd.concat([prewar, view.loc[view.source_row == first.source_row]] if first is not None else [prewar])
    used = rows_used(facts.loc[facts.source_row.isin(used_rows.source_row)])
    explanation = ("Every pre-war share in the data is below the story's bound and the first month above half is "
                   "no later than the story says" if verdict == VERDICTS[0] else
                   "The data do not bear out both parts of the statement") + \
        f" ({pre_text}; {first_text})."
    return _verdict_row(claim, story_value, f"{pre_text}; {first_text}", verdict, explanation, used)


SPAN_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}


def claim_span(statement: str) -> tuple[int, int]:
    """(start, end) year of 'the N years to YYYY' in a claim's statement."""
    found = re.search(r"(\w+) years to (\d{4})", statement)
    if not found:
        raise ValueError(f"no 'N years to YYYY' in claim statement {statement!r}")
    years = SPAN_WORDS.get(found.group(1).lower()) or int(found.group(1))
    return int(found.group(2)) - years, int(found.group(2))


def machine_tools_claim(claim: dict, facts: pd.DataFrame) -> dict:
    start, end_year = claim_span(claim["statement"])
    production = machine_tool_production(facts)
    check = machine_tools_check(production, start, end_year)
    story_value = f"+{claim['story']['change_pct']:g}% ({start}–{end_year})"
    used = rows_used(production)
    if check["checkable"]:
        change = check["change_pct"]
        verdict = VERDICTS[0] if abs(change - claim["story"]["change_pct"]) <= 1 else VERDICTS[2]
        return _verdict_row(claim, story_value, f"{change:+.1f}%", verdict,
                            f"{check['measure']} changed {change:+.1f}% over the same span.", used)
    spans = "; ".join(f"{s['measure']}: {', '.join(map(str, s['years']))}" for s in check["spans"])
    return _verdict_row(claim, story_value, f"production levels only for — {spans}", VERDICTS[3],
                        f"No production series in the data covers both {start} and {end_year}; "
                        f"it would be settled by {claim['settle_with']}.", used)


def context_claims(claims_config: dict, period_end: str) -> pd.DataFrame:
    """Verdicts on the story's three context claims. The claims are about the story's own time, so
    the result does not depend on `period_end` (accepted so every section's checks share one signature)."""
    facts = context_facts()
    rows = [economy_ratio_claim(claim_by_id(claims_config, "economy_ratio"), facts),
            car_share_claim(claim_by_id(claims_config, "car_market_share"), facts),
            machine_tools_claim(claim_by_id(claims_config, "machine_tools"), facts)]
    return pd.DataFrame(rows, columns=["claim_id", "statement", "story_value", "data_value", "verdict",
                                       "explanation", "rows_used"])


# --------------------------------------------------------------------------------- narrative

def context_text(car_view: pd.DataFrame, ratios: pd.DataFrame, period_end: str) -> str:
    """The section's intro, written from the numbers."""
    sentences = []
    first = first_month_above(car_view)
    prewar = car_view.loc[car_view.before_invasion & car_view.plotted]
    if len(prewar):
        sentences.append(f"Before the invasion, Chinese brands' share of Russia's new-car market was small in all "
                         f"{len(prewar)} figures collected here ({prewar_range(prewar)}).")
    if first is not None:
        sentences.append(f"The first month above half was **{month_name(first.date)} {first.date[:4]}**, at "
                         f"**{first.share_pct:g}%** ({first.source}).")
    months = car_view.loc[car_view.exact_month & (car_view.value_kind == "exact")]
    if len(months):
        peak, latest = months.loc[months.share_pct.idxmax()], months.sort_values("date").iloc[-1]
        sentences.append(f"The highest monthly share in the data is {peak.share_pct:g}% "
                         f"({month_name(peak.date)} {peak.date[:4]}); the latest is {latest.share_pct:g}% "
                         f"({month_name(latest.date)} {latest.date[:4]}).")
    best = latest_same_vintage_ratio(ratios, int(ratios.year.max()))
    if best is not None:
        sentences.append(f"China's economy was **{best.ratio:.1f} times** Russia's in {best.year} in US$ at market "
                         f"exchange rates, using both figures from one release ({best.china_source.split(' (')[0]}).")
    later = ratios.loc[(ratios.year > (best.year if best is not None else 0)) & (ratios.basis == "mixed vintages")]
    if len(later):
        sentences.append("For " + ", ".join(str(y) for y in later.year) + " the data hold no pair from one release; "
                         "mixing releases gives " + ", ".join(f"{r:.1f}×" for r in later.ratio) +
                         " (mixed vintages, shown hollow below).")
    sentences.append(f"These context figures are not tied to the reporting period ending {period_end}: all "
                     f"available figures are shown, with the story's publication date marked.")
    return " ".join(sentences)
