"""Cell sources of the briefing's notebooks (scripts/new_notebook.py writes the .ipynb files).

Cells only call helpers and show results; the logic lives in src/helpers/.
"""
PARAMETERS = '''# Parameters (papermill overrides these; in JupyterLab edit them here)
period_end = "2025-07"   # last month of the reporting period, YYYY-MM
partner = "Russia"       # trade partner (name, ISO2/ISO3 or M49 code)
groups_file = "config/commodity_groups.yaml"
claims_file = "config/claims.yaml"
'''

SETUP = '''from helpers.sections.section import open_section
section = open_section(period_end=period_end, partner=partner, groups_file=groups_file, claims_file=claims_file)'''

NOTEBOOKS = {
    "01_headline": [
        ("code", PARAMETERS, ["parameters"]),
        ("code", SETUP, []),
        ("md", "## Headline: trade turnover", []),
        ("code", '''from helpers.model.turnover import annual_turnover, ytd_view
from helpers.sections.headline import headline_text
annual = annual_turnover(section.customs, section.period_end)
comparison = ytd_view(section.customs, section.period_end)
section.show_markdown(headline_text(annual, comparison, section.period_end, section.partner_name))''', []),
        ("code", '''from helpers.sections.headline import annual_chart
section.figure(annual_chart(annual), "f1-annual-turnover", annual,
           title="Annual China–" + section.partner_name + " trade, US$ billion",
           caption="GACC annual figures as first reported (exports = China's exports to the partner). "
                   "Years with only a yuan figure or no published US$ figure are left out, not estimated.")''', []),
        ("code", '''from helpers.model.turnover import monthly_view
from helpers.sections.headline import monthly_chart
monthly = monthly_view(section.customs, section.period_end)
section.figure(monthly_chart(monthly), "f2-monthly-turnover", monthly,
           title="Monthly turnover and year-on-year change",
           caption="Light bars are derived as the difference of two consecutive year-to-date releases; "
                   "the gold bar spans January–February, which GACC publishes as one figure (height = "
                   "per-month average). Missing months are gaps: no outlet reported them.")''', []),
        ("code", '''from helpers.model.turnover import ytd_long
from helpers.sections.headline import ytd_chart
ytd_levels = ytd_long(comparison, section.period_end)
section.figure(ytd_chart(ytd_levels, section.period_end), "f3-ytd-comparison", ytd_levels,
           title=section.span_label + " vs the same months a year earlier",
           caption="Published y/y is GACC's (against its revised prior-year figure); y/y from levels divides the "
                   "two published levels. Both are shown; neither is corrected.")
section.show_table(section.ytd_table(comparison), "t-ytd-comparison", "Year-to-date levels and both year-on-year rates")''', []),
    ],
}


NOTEBOOKS["00_key_findings"] = [
    ("code", PARAMETERS, ["parameters"]),
    ("code", SETUP, []),
    ("md", "## Key findings", []),
    ("code", '''from helpers.sections.findings import claim_table, key_findings, verdict_table
section.show_markdown(key_findings(section))
section.show_table(verdict_table(claim_table(section)), "t-verdicts", "The story's figures at a glance (details in the claim check)")
section.end_summary_page()''', []),
]

NOTEBOOKS["02_commodities"] = [
    ("code", PARAMETERS, ["parameters"]),
    ("code", SETUP, []),
    ("md", "## Commodities", []),
    ("code", '''from helpers.model.groups import period_changes
from helpers.sections.commodities import commodities_text, changes_chart, missing_groups_text
changes = period_changes(section.resolved_groups, section.groups, section.period_end, section.hs_rows, section.partner_code,
                         section.code_rows)
section.show_markdown(commodities_text(changes, section.span_label))
section.figure(changes_chart(changes, section.span_label), "f4-commodity-changes", changes,
           title="Change by commodity group, " + section.span_label + " vs a year earlier",
           caption="Groups from config/commodity_groups.yaml that have a figure for the period; the others are "
                   "listed below the chart (and in the CSV), not dropped. Basis: published y/y, computed from two "
                   "published levels, an exact HS-level sum when HS-level raw data covers the period, or the sum of "
                   "raw monthly rows when rows exist for exactly the group's codes (coal, crude oil, LNG, pipeline gas).")
section.show_markdown(missing_groups_text(changes, section.span_label))''', []),
    ("code", '''from helpers.model.groups import metals_over_time
from helpers.sections.commodities import metals_chart
metals = metals_over_time(section.resolved_groups, section.groups, section.period_end)
section.figure(metals_chart(metals), "f5-metals", metals,
           title="Russian aluminium, copper and nickel sold to China: published changes",
           caption="One panel per metal (sub-groups such as unwrought nickel join their metal), value and quantity "
                   "apart: each stem is a y/y change an outlet reported, blue for a rise, orange for a fall; the shape "
                   "says whether it covers a month, January–month or a year. Figures published only as levels or as "
                   "multiples (\\"2.8 times\\") stay in the CSV, unconverted.")''', []),
]

NOTEBOOKS["04_claim_check"] = [
    ("code", PARAMETERS, ["parameters"]),
    ("code", SETUP, []),
    ("md", "## Claim check: the story's figures against the data", []),
    ("code", '''from helpers.sections.findings import claim_table
claims = claim_table(section)
section.show_markdown(section.claims_intro(claims))
section.show_table(section.claims_display(claims), "t-claim-check", "Every figure the story printed, what the data gives, and a verdict",
                   detail_columns=section.CLAIM_DETAIL_COLUMNS)''', []),
]

NOTEBOOKS["05_methods"] = [
    ("code", PARAMETERS, ["parameters"]),
    ("code", SETUP, []),
    ("md", "## Data and methods", []),
    ("code", '''from helpers.sections import methods
section.show_markdown(methods.methods_text(section))
section.show_long_table(methods.groups_table(section.groups), "t-groups", "Commodity groups (config/commodity_groups.yaml)",
                        (methods.groups_summary(section.groups), None))
derived = methods.derived_months(section)
section.show_long_table(derived, "t-derived-months", "Months derived from two year-to-date releases, and gaps",
                        methods.derived_summary(derived, section.period_end))
conflicts = methods.conflicts_table(section)
section.show_long_table(conflicts, "t-conflicts", "Where outlets disagree beyond rounding, and which figure is used",
                        methods.conflicts_summary(conflicts))
flows_check, months_check = methods.reconciliation_tables(section)
section.show_long_table(flows_check, "t-flows-add-up", "Reconciliation: exports + imports vs turnover",
                        methods.reconciliation_summary(flows_check, "exports + imports against published turnover"))
section.show_long_table(months_check, "t-months-vs-ytd", "Reconciliation: sum of published months vs published January–month",
                        methods.reconciliation_summary(months_check, "the sum of published months against the published January–month total"))''', []),
]

NOTEBOOKS["03_context"] = [
    ("code", PARAMETERS, ["parameters"]),
    ("code", SETUP, []),
    ("md", "## Context: the economies and the car market", []),
    ("code", '''from helpers.model.context_facts import car_share_view, gdp_view, gdp_ratios
from helpers.sections.context import context_text
facts = section.context_facts
car_share = car_share_view(facts, section.story["invasion_month"])
gdp = gdp_view(facts)
ratios = gdp_ratios(gdp)
section.show_markdown(context_text(car_share, ratios, section.period_end))''', []),
    ("code", '''from helpers.sections.context import car_share_chart
section.figure(car_share_chart(car_share, section.story["published"]), "f6-chinese-car-share", car_share,
           title="Chinese brands' share of Russia's new-car market, %",
           caption="Each point is one published figure, coloured by what it covers (a month, part of a year, a year). "
                   "Open markers are values published as phrases (e.g. 'less than 10'), plotted at the number they "
                   "name; the phrase is in the tooltip. Dashed lines mark 10% and 50%, the gold line the story's date. "
                   "Sources measure slightly different markets (Autostat: passenger cars; AEB: cars and light "
                   "commercial vehicles). Figures without a stated year are in the CSV, not plotted. All figures "
                   "in the data are shown, whatever the reporting period.")''', []),
    ("code", '''from helpers.claims.verdicts import claim_by_id
from helpers.model.context_facts import gdp_figure_data
from helpers.sections.context import gdp_chart
claims_config = section.claims_config
gdp_data = gdp_figure_data(gdp, ratios)
section.figure(gdp_chart(gdp_data, claim_by_id(claims_config, "economy_ratio")["story"]["ratio"]), "f7-gdp-ratio", gdp_data,
           title="Nominal GDP of China and Russia (US$ trillion) and their ratio",
           caption="Top: every published GDP figure, by source; the tooltip gives source, release or publication "
                   "date, and outlet. Bottom: China ÷ Russia. Filled points divide two figures from the same "
                   "source and vintage; hollow points mix vintages and are labelled so (only for years with no "
                   "same-vintage pair). The dashed gold line is the story's multiple.")''', []),
    ("md", "### Machine tools", []),
    ("code", '''from helpers.model.context_facts import machine_tool_production, machine_tool_table
from helpers.sections.context import machine_tools_summary, machine_tools_text
production = machine_tool_production(facts)
section.show_long_table(machine_tool_table(production), "t-machine-tools", "Machine-tool production figures in the data, as published",
                        (machine_tools_summary(production), None))
section.show_markdown(machine_tools_text(production, claim_by_id(claims_config, "machine_tools")))''', []),
    ("code", '''from helpers.model.context_facts import key_rate_path
from helpers.sections.context import key_rate_chart
key_rate = key_rate_path(facts, section.story["published"])
section.figure(key_rate_chart(key_rate, section.story["published"]), "f8-key-rate", key_rate,
           title="Bank of Russia key rate, % a year",
           caption="Step path through the decisions in the data (the earliest is from mid-2023); a decision whose "
                   "exact date the source did not give is plotted at the start of its month (see tooltip). The gold "
                   "line is the story's date; the path is held flat from the last decision to it when that is later.")''', []),
]

NOTEBOOKS["02b_raw_rows"] = [
    ("code", PARAMETERS, ["parameters"]),
    ("code", SETUP, []),
    ("md", "## From raw customs rows", []),
    ("md", "### What was traded each way, 2017–2023 (BACI)", []),
    ("code", '''from helpers.sections.raw_rows import (composition_chart, composition_plot_data, composition_table,
                                      composition_text, composition_view)
composition = composition_view(section)
section.show_markdown(composition_text(composition))
plotted = composition_plot_data(composition)
section.figure(composition_chart(plotted), "f9-trade-composition", plotted,
           title="China–" + section.partner_name + " trade by group, each way, US$ billion a year (BACI)",
           caption="CEPII BACI, HS 2017 six-digit rows (values reconciled from both countries' declarations, thousand "
                   "US$ in the file). Groups from config/commodity_groups.yaml that do not overlap (passenger cars sit "
                   "inside vehicles, crude oil inside mineral fuels); the grey part is every other HS code. Labels are "
                   "US$ bn; the CSV names the raw file and rows of every bar.")
section.show_table(composition_table(composition), "t-composition-change",
                   "Each part in 2021 and 2023 and the change (BACI rows; the figure's CSV lists the rows)")''', []),
    ("md", "### China's fuel imports from Russia, by code", []),
    ("code", '''from helpers.claims.verdicts import claim_by_id
from helpers.sections.raw_rows import fuel_chart, fuel_comparison, fuel_display, fuel_text, fuel_view
story_period = claim_by_id(section.claims_config, "fuel_exports")["period"]
fuel = fuel_view(section)
fuel_check = fuel_comparison(section, story_period)
section.show_markdown(fuel_text(fuel_check, story_period, fuel.period.max()))
section.figure(fuel_chart(fuel, story_period), "f10-fuel-imports-by-code", fuel,
           title="China's imports from " + section.partner_name + " of coal, crude oil, LNG and pipeline gas, US$ billion a month",
           caption="Monthly customs rows: UN Comtrade to 2024 (solid), China customs as compiled by the "
                   "china-energy-monitor repository from 2025 (lighter). Shaded: the story's January–July windows. "
                   "Pipeline-gas values look estimated. Not all of chapter 27: oil products (2710) and the rest are "
                   "not in these rows. Each bar's file and row are in the CSV and the tooltip.")
section.show_table(fuel_display(fuel_check, story_period), "t-fuel-ytd",
                   "The story's period from the rows, each code and the four together, with the wire figure beside it",
                   detail_columns=["Wire-reported GACC figure", "Raw rows"])''', []),
    ("md", "### China's monthly imports from Russia: Comtrade rows beside the wire series", []),
    ("code", '''from helpers.sections.raw_rows import (annual_check, annual_display, imports_chart, imports_text, imports_view,
                                      month_check)
imports = imports_view(section)
imports_check = annual_check(section)
section.show_markdown(imports_text(imports, imports_check, month_check(section)))
section.figure(imports_chart(imports), "f11-imports-rows-vs-wire", imports,
           title="China's imports from " + section.partner_name + ", US$ billion a month: raw rows and wire reports",
           caption="Blue: UN Comtrade's monthly rows (China's report, final data). Gold: wire-reported GACC months "
                   "where no raw row exists (light gold: derived from two January–month releases). Red ticks: the "
                   "wire-reported figure for a month the rows cover. Months with neither stay gaps.")
section.show_table(annual_display(imports_check), "t-imports-annual-check",
                   "Full years from the Comtrade rows beside the wire-reported GACC figure",
                   detail_columns=["Raw rows", "Wire source"])''', []),
]
