"""Cell sources of the briefing's notebooks (scripts/new_notebook.py writes the .ipynb files).

Cells only call helpers and show results; the logic lives in src/helpers/.
"""
PARAMETERS = '''# Parameters (papermill overrides these; in JupyterLab edit them here)
period_end = "2025-07"   # last month of the reporting period, YYYY-MM
partner = "Russia"       # trade partner (name, ISO2/ISO3 or M49 code)
groups_file = "config/commodity_groups.yaml"
claims_file = "config/claims.yaml"
'''

SETUP = '''from helpers.briefing import setup_section
ctx = setup_section(period_end=period_end, partner=partner, groups_file=groups_file, claims_file=claims_file)'''

NOTEBOOKS = {
    "01_headline": [
        ("code", PARAMETERS, ["parameters"]),
        ("code", SETUP, []),
        ("md", "## Headline: trade turnover", []),
        ("code", '''from helpers.headline import annual_turnover, ytd_view, headline_text
annual = annual_turnover(ctx.customs, ctx.period_end)
comparison = ytd_view(ctx.customs, ctx.period_end)
ctx.show_markdown(headline_text(annual, comparison, ctx.period_end, ctx.partner_name))''', []),
        ("code", '''from helpers.headline import annual_chart
ctx.figure(annual_chart(annual), "f1-annual-turnover", annual,
           title="Annual China–" + ctx.partner_name + " trade, US$ billion",
           caption="GACC annual figures as first reported (exports = China's exports to the partner). "
                   "Years with only a yuan figure or no published US$ figure are left out, not estimated.")''', []),
        ("code", '''from helpers.headline import monthly_view, monthly_chart
monthly = monthly_view(ctx.customs, ctx.period_end)
ctx.figure(monthly_chart(monthly), "f2-monthly-turnover", monthly,
           title="Monthly turnover and year-on-year change",
           caption="Light bars are derived as the difference of two consecutive year-to-date releases; "
                   "the gold bar spans January–February, which GACC publishes as one figure (height = "
                   "per-month average). Missing months are gaps: no outlet reported them.")''', []),
        ("code", '''from helpers.headline import ytd_chart, ytd_long
ytd_levels = ytd_long(comparison, ctx.period_end)
ctx.figure(ytd_chart(ytd_levels, ctx.period_end), "f3-ytd-comparison", ytd_levels,
           title=ctx.span_label + " vs the same months a year earlier",
           caption="Published y/y is GACC's (against its revised prior-year figure); y/y from levels divides the "
                   "two published levels. Both are shown; neither is corrected.")
ctx.show_table(ctx.ytd_table(comparison), "t-ytd-comparison", "Year-to-date levels and both year-on-year rates")''', []),
    ],
}
