"""The customs dataset a briefing works from: wire-reported totals and commodities, checked across
rows and resolved to one figure per (flow, period, span). pandas only; the files are read by
helpers.sources.wire and assembled by helpers.sections.data."""

from dataclasses import dataclass, field

import pandas as pd

from .reconcile import (
    check_flows_on_each_page,
    check_ytd_not_below_month,
    flows_add_up,
    months_vs_ytd,
)
from .resolve import resolve
from .series import monthly_series

TOTALS_KEY = ["reporter", "partner", "flow", "period", "span", "commodity", "measure", "unit"]
FLOWS = ("export", "import", "total")


@dataclass
class CustomsData:
    totals: pd.DataFrame  # tidy observations, all goods
    commodities: pd.DataFrame  # tidy observations by commodity
    resolved_totals: pd.DataFrame  # one record per (flow, period, span) after source preference
    conflicts: pd.DataFrame  # every disagreement between outlets beyond rounding
    quality: list = field(default_factory=list)  # recoverable oddities handled on the way
    _monthly: dict = field(default_factory=dict, repr=False, compare=False)
    _reconciliation: dict = field(default_factory=dict, repr=False, compare=False)

    def monthly(self, last_period: str, first_year: int = 2021) -> pd.DataFrame:
        """Monthly series of every flow; computed once per (last_period, first_year), as several sections
        use it, and handed out as a copy so no caller can change another's."""
        key = (last_period, first_year)
        if key not in self._monthly:
            self._monthly[key] = pd.concat(
                [
                    monthly_series(self.resolved_totals, flow, first_year, last_period)
                    for flow in FLOWS
                ],
                ignore_index=True,
            )
        return self._monthly[key].copy()

    def reconciliation(self, last_period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(exports + imports vs turnover, sum of months vs January–month): computed once per last_period (the
        methods text and its tables both read them, ~0.2 s each time), handed out as copies like monthly()."""
        if last_period not in self._reconciliation:
            self._reconciliation[last_period] = (
                flows_add_up(self.resolved_totals),
                months_vs_ytd(self.resolved_totals, self.monthly(last_period)),
            )
        flows, months = self._reconciliation[last_period]
        return flows.copy(), months.copy()


def build_customs(
    totals: pd.DataFrame,
    commodities: pd.DataFrame,
    partner: str,
    totals_file: str,
    quality: list | None = None,
) -> CustomsData:
    """Cross-row checks, the partner's rows, and one resolved figure per key (conflicts kept)."""
    check_flows_on_each_page(totals, totals_file)
    totals = totals.loc[totals.partner == partner]
    commodities = commodities.loc[commodities.partner == partner]
    # A rate reported in yuan terms (currency_note cny: Reuters' "trade in yuan fell 6.5%") is another quantity
    # than the US$ change: never a candidate for a US$ figure's y/y. Those rows stay in `totals` (the annual
    # table says "yuan figure only"); the project never converts currencies.
    resolved, conflicts = resolve(totals.loc[totals.currency_note != "cny"], TOTALS_KEY)
    check_ytd_not_below_month(resolved, totals_file)
    return CustomsData(totals, commodities, resolved, conflicts, quality or [])
