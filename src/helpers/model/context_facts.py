"""Context facts (not customs data) turned into views: Chinese car share, GDP ratios, machine tools,
key rate. pandas only: no charts, no file I/O.

Context facts are not GACC releases and are not tied to the briefing's PERIOD_END: every view keeps
all the data there is. Values published as phrases ("less than 10", "over 40") stay phrases: they
are plotted at the number they name and never used as exact values. Story dates (publication, the
invasion month) come from the claims config's `story:` block and are passed in.
"""

from __future__ import annotations

import calendar
import math
import re

import pandas as pd

from ..core.text import is_missing
from .series import change_pct

# 'jan' -> 1: read with the calendar whose names core.text.month_name writes
MONTHS = {calendar.month_abbr[number].lower(): number for number in range(1, 13)}


def source_label(row) -> str:
    """'TASS, published 2025-08-07'; without a page date, 'page undated' -- unless the publisher as recorded
    already carries one ('Vazhno.news (citing Autostat, 19 Nov 2025)'): "page undated" beside it read as a contradiction."""
    date = str(row.published_date).strip()
    if date:
        return f"{row.publisher}, published {date}"
    return (
        row.publisher
        if re.search(r"\b(19|20)\d{2}\b", str(row.publisher))
        else f"{row.publisher}, page undated"
    )


def rows_used(frame: pd.DataFrame) -> list[str]:
    """'publisher — url' for each row, in order, without repeats."""
    return list(dict.fromkeys(f"{p} — {u}" for p, u in zip(frame.publisher, frame.source_url)))


# ------------------------------------------------------------------------------ values as phrases

WORD_NUMBERS = {"half": 50.0, "one third": 100 / 3}
LOWER_BOUND = ("over", "more than", "above")
UPPER_BOUND = ("less than", "under", "up to", "below")
APPROXIMATE = ("nearly", "almost", "close to", "around", "about", "some", "just under")


def phrase_value(text: str, number: float = math.nan) -> tuple[float, str]:
    """(number the value names, qualifier): qualifier '' where the reader read the value as a number
    (`number`: the facts' value_number, by helpers.sources.fields' rule), else the phrase kind."""
    if not is_missing(number):
        return float(number), ""
    text = str(text).strip()
    lowered = text.lower()
    found = re.search(r"-?\d+(?:\.\d+)?", lowered)
    number = (
        float(found.group(0))
        if found
        else next((value for word, value in WORD_NUMBERS.items() if word in lowered), math.nan)
    )
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
        return (
            f"{before.group(2)}-{MONTHS[before.group(1)[:3].lower()]:02d}-01",
            "before a date",
            False,
        )
    year = re.match(r"^(\d{4})\b(.*)$", text)
    if not year:
        return None, "no date given", False
    start, end, rest = 1, 12, year.group(2).strip()
    span = re.match(r"^(\w{3})\w*\s*[-–]\s*(\w{3})", rest)
    if re.match(r"^-?H1\b", rest):
        start, end = 1, 6
    elif span and span.group(1).lower() in MONTHS and span.group(2).lower() in MONTHS:
        start, end = MONTHS[span.group(1).lower()], MONTHS[span.group(2).lower()]
    middle = (
        pd.Timestamp(f"{year.group(1)}-{start:02d}-01")
        + (
            pd.Timestamp(f"{year.group(1)}-{end:02d}-01")
            + pd.offsets.MonthEnd(0)
            - pd.Timestamp(f"{year.group(1)}-{start:02d}-01")
        )
        / 2
    )
    kind = "year" if (start, end) == (1, 12) else "part of a year"
    return middle.strftime("%Y-%m-%d"), kind, rest == ""


def before_invasion(period: str, position: str | None, kind: str, invasion_month: str) -> bool:
    if position is None:
        return False
    if kind == "before a date":
        return position[:7] <= invasion_month
    if kind == "month":
        return position[:7] < invasion_month
    return int(position[:4]) < int(invasion_month[:4])


# ------------------------------------------------------------------------ F9: Chinese car share


def car_share_view(facts: pd.DataFrame, invasion_month: str) -> pd.DataFrame:
    """Every published share of Chinese brands in Russia's new-car market, one row each."""
    rows = facts.loc[
        (facts.topic == "chinese_car_share_russia")
        & facts.unit.isin(["percent", "share"])
        & facts.measure.str.contains("share", case=False)
    ]
    records = []
    for row in rows.itertuples():
        number, qualifier = phrase_value(row.value, row.value_number)
        position, kind, exact_period = period_position(row.period)
        exact = qualifier == "" and exact_period
        records.append(
            {
                "date": position or "",
                "period_as_published": row.period,
                "period_kind": kind,
                "share_pct": number,
                "value_as_published": row.value + ("%" if row.unit == "percent" else ""),
                "value_kind": "exact" if qualifier == "" else qualifier,
                "marker": "published number"
                if qualifier == ""
                else "phrase (plotted at the number it names)",
                "exact_month": kind == "month" and exact,
                "before_invasion": before_invasion(row.period, position, kind, invasion_month),
                "plotted": position is not None and not is_missing(number),
                "entity": row.entity,
                "measure": row.measure,
                "source": source_label(row),
                "source_url": row.source_url,
                "source_row": int(row.source_row),
            }
        )
    view = pd.DataFrame(records)
    return view.sort_values(
        ["plotted", "date", "source_row"], ascending=[False, True, True]
    ).reset_index(drop=True)


def prewar_range(prewar: pd.DataFrame) -> str:
    """'highest published figure 9.6%; also published as: less than 10%' — phrases stay phrases."""
    exact = prewar.loc[prewar.value_kind == "exact"]
    phrases = prewar.loc[prewar.value_kind != "exact", "value_as_published"]
    text = (
        f"highest published figure {exact.share_pct.max():g}%" if len(exact) else "no exact figure"
    )
    return text + (f"; also published as: {', '.join(phrases)}" if len(phrases) else "")


def first_month_above(view: pd.DataFrame, threshold: float = 50.0) -> pd.Series | None:
    """Earliest exactly dated month whose published (not phrased) share exceeds `threshold`."""
    months = view.loc[
        view.exact_month & (view.value_kind == "exact") & (view.share_pct > threshold)
    ]
    return months.sort_values(["date", "source_row"]).iloc[0] if len(months) else None


# ------------------------------------------------------------------------------------ F10: GDP

GDP_UNITS_TO_TRILLION = {
    "USD trillion": 1.0,
    "USD thousand billion (trillion)": 1.0,
    "USD billion": 1e-3,
    "USD million": 1e-6,
}


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
    patterns = [
        (r"WEO (\w{3})\w* (\d{4})", lambda m: f"WEO {m.group(1)} {m.group(2)}"),
        (
            r"(\d{1,2} )?(\w{3})\w* (\d{4}) (release|vintage)",
            lambda m: f"{m.group(2)} {m.group(3)} release",
        ),
        (r"(?:GDP|Gross domestic product) (\d{4})'? table", lambda m: f"GDP {m.group(1)} table"),
    ]
    for pattern, label in patterns:
        found = re.search(pattern, measure, re.I)
        if found:
            return label(found)
    return ""


def gdp_view(facts: pd.DataFrame) -> pd.DataFrame:
    """Nominal GDP rows in US$ trillion, each with its source, release and vintage key."""
    rows = facts.loc[
        (facts.topic == "nominal_gdp_usd") & facts.unit.isin(list(GDP_UNITS_TO_TRILLION))
    ]
    records = []
    for row in rows.itertuples():
        source, release = gdp_source(row.measure, row.publisher), gdp_release(row.measure)
        dated = str(row.published_date).strip()
        vintage = release or (f"as published {dated}" if dated else "page undated")
        records.append(
            {
                "year": int(row.period[:4]),
                "country": row.entity,
                "gdp_usd_tn": (
                    row.value_number * GDP_UNITS_TO_TRILLION[row.unit]
                    if not is_missing(row.value_number)
                    else math.nan
                ),
                "value_as_published": f"{row.value} {row.unit}",
                "projection": "projection" in row.period,
                "source": source,
                "vintage": vintage,
                # same key = same source and same vintage: the release named on the row, or else one page
                "vintage_key": f"{source} | {release or row.source_url}",
                "publisher": row.publisher,
                "published_date": dated,
                "source_url": row.source_url,
                "source_row": int(row.source_row),
                "period_as_published": row.period,
            }
        )
    return (
        pd.DataFrame(records).sort_values(["year", "country", "source_row"]).reset_index(drop=True)
    )


def _preferred(rows: pd.DataFrame) -> pd.Series:
    rank = {"World Bank": 0, "IMF": 1, "national statistics, converted to US$": 2}
    order = rows.assign(
        _p=rows.projection.astype(int),
        _r=rows.source.map(rank).fillna(9),
        _d=rows.published_date.replace("", "0000"),
    )
    return order.sort_values(
        ["_p", "_r", "_d", "source_row"], ascending=[True, True, False, True]
    ).iloc[0]


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
            cn, ru = (
                china.loc[china.vintage_key == key],
                russia.loc[russia.vintage_key == key].iloc[0],
            )
            same_page = cn.loc[
                cn.source_url == ru.source_url
            ]  # prefer figures printed side by side
            cn = (same_page if len(same_page) else cn).iloc[0]
            records.append(_ratio_record(year, cn, ru, "same source and vintage"))
        if keys:
            continue
        if len(china) and len(russia):
            records.append(
                _ratio_record(year, _preferred(china), _preferred(russia), "mixed vintages")
            )
        else:
            missing = "Russia" if len(china) else "China"
            records.append(
                {
                    "year": year,
                    "ratio": math.nan,
                    "basis": f"no {missing} figure in the data",
                    "china_gdp_usd_tn": math.nan,
                    "russia_gdp_usd_tn": math.nan,
                    "china_source": "",
                    "russia_source": "",
                    "china_row": math.nan,
                    "russia_row": math.nan,
                }
            )
    return pd.DataFrame(records)


def _ratio_record(year: int, china: pd.Series, russia: pd.Series, basis: str) -> dict:
    return {
        "year": year,
        "ratio": china.gdp_usd_tn / russia.gdp_usd_tn,
        "basis": basis,
        "china_gdp_usd_tn": china.gdp_usd_tn,
        "russia_gdp_usd_tn": russia.gdp_usd_tn,
        "china_source": f"{china.source}, {china.vintage} ({china.publisher})",
        "russia_source": f"{russia.source}, {russia.vintage} ({russia.publisher})",
        "china_row": int(china.source_row),
        "russia_row": int(russia.source_row),
    }


def latest_same_vintage_ratio(ratios: pd.DataFrame, up_to_year: int) -> pd.Series | None:
    same = ratios.loc[(ratios.basis == "same source and vintage") & (ratios.year <= up_to_year)]
    return same.sort_values(["year", "china_row"]).iloc[-1] if len(same) else None


def gdp_figure_data(gdp: pd.DataFrame, ratios: pd.DataFrame) -> pd.DataFrame:
    """F10's one table: GDP levels (panel 'level') and ratios (panel 'ratio')."""
    levels = gdp.loc[gdp.gdp_usd_tn.notna()].assign(
        panel="level", label=lambda f: f.source + ", " + f.vintage + " (" + f.publisher + ")"
    )
    levels = levels[
        [
            "panel",
            "year",
            "country",
            "gdp_usd_tn",
            "value_as_published",
            "projection",
            "source",
            "vintage",
            "label",
            "source_row",
        ]
    ]
    shown = ratios.loc[ratios.ratio.notna()].assign(panel="ratio")
    shown["ratio"] = shown.ratio.round(3)
    return pd.concat([levels, shown], ignore_index=True)


# ----------------------------------------------------------------------------- machine tools


def machine_tool_production(facts: pd.DataFrame) -> pd.DataFrame:
    """Every machine-tool production figure in the data (units, value or growth), as published."""
    rows = facts.loc[
        (facts.topic == "russia_machine_tools")
        & facts.measure.str.contains("produc|output", case=False)
        & ~facts.measure.str.contains("share|purchased|import", case=False)
    ]
    table = pd.DataFrame(
        {
            "Period": rows.period,
            "What is measured": rows.measure,
            "Value": rows.value,
            "Unit": rows.unit,
            "Source": [source_label(row) for row in rows.itertuples()],
        }
    )
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
    levels = production.loc[
        (production.Unit != "percent")
        & production.number.notna()
        & production.Period.str.match(r"^\d{4}$")
    ]
    series: dict = {}
    for measure, unit, year, number in zip(
        levels["What is measured"], levels.Unit, levels.year, levels.number
    ):
        series.setdefault((measure, unit), {})[year] = number
    return series


def machine_tools_check(production: pd.DataFrame, start: int, end: int) -> dict:
    """Can a change from `start` to `end` be computed from one production series? What is there instead?"""
    series = level_series(production)
    matching = {key: years for key, years in series.items() if start in years and end in years}
    if matching:
        (measure, unit), years = next(iter(matching.items()))
        return {
            "checkable": True,
            "measure": measure,
            "change_pct": change_pct(years[end], years[start]),
        }
    spans = []
    for (measure, unit), years in series.items():
        first, last = min(years), max(years)
        spans.append(
            {
                "measure": measure,
                "unit": unit,
                "years": sorted(years),
                "change_pct": change_pct(years[last], years[first]) if last > first else math.nan,
            }
        )
    return {"checkable": False, "spans": spans}


# ------------------------------------------------------------------------------- F11: key rate


def key_rate_path(facts: pd.DataFrame, until: str) -> pd.DataFrame:
    """Bank of Russia decisions in the data as a step path: one row per decision date."""
    rows = facts.loc[facts.topic == "russia_key_rate"]
    records = []
    for row in rows.itertuples():
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", row.period)
        exact = bool(dates)
        if not dates:
            dates = [row.period[:7] + "-01"]
        for date in dates:
            records.append(
                {
                    "date": date,
                    "rate_pct": row.value_number,
                    "decision": row.measure,
                    "date_exact": exact,
                    "date_as_published": row.period,
                    "source": source_label(row),
                }
            )
    path = pd.DataFrame(records).sort_values("date").reset_index(drop=True)
    if len(path) and until > path.date.iloc[-1]:
        last = path.iloc[-1]
        path = pd.concat(
            [
                path,
                pd.DataFrame(
                    [
                        {
                            **last.to_dict(),
                            "date": until,
                            "decision": "(no change in the data)",
                            "date_exact": True,
                            "date_as_published": "",
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
    return path


SPAN_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5}


def claim_span(statement: str) -> tuple[int, int]:
    """(start, end) year of 'the N years to YYYY' in a claim's statement."""
    found = re.search(r"(\w+) years to (\d{4})", statement)
    if not found:
        raise ValueError(f"no 'N years to YYYY' in claim statement {statement!r}")
    years = SPAN_WORDS.get(found.group(1).lower()) or int(found.group(1))
    return int(found.group(2)) - years, int(found.group(2))
