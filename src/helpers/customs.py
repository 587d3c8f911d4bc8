"""The customs dataset a briefing works from: loaded, validated, resolved once per process."""
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .observations import load_commodities, load_totals
from .paths import RAW_DIR
from .reconcile import check_flows_on_each_page, check_ytd_not_below_month, flows_add_up, months_vs_ytd
from .resolve import resolve
from .series import monthly_series

TOTALS_KEY = ["reporter", "partner", "flow", "period", "span", "commodity", "measure", "unit"]
FLOWS = ("export", "import", "total")


@dataclass
class CustomsData:
    totals: pd.DataFrame                 # tidy observations, all goods
    commodities: pd.DataFrame            # tidy observations by commodity
    resolved_totals: pd.DataFrame        # one record per (flow, period, span) after source preference
    conflicts: pd.DataFrame              # every disagreement between outlets beyond rounding
    quality: list = field(default_factory=list)  # recoverable oddities handled on the way

    def monthly(self, last_period: str, first_year: int = 2021) -> pd.DataFrame:
        return pd.concat([monthly_series(self.resolved_totals, flow, first_year, last_period) for flow in FLOWS],
                         ignore_index=True)

    def reconciliation(self, last_period: str) -> tuple[pd.DataFrame, pd.DataFrame]:
        return flows_add_up(self.resolved_totals), months_vs_ytd(self.resolved_totals, self.monthly(last_period))


def load_customs_uncached(raw_dir: Path = RAW_DIR, partner: str = "RU") -> CustomsData:
    quality: list = []
    raw_dir = Path(raw_dir)
    totals = load_totals(raw_dir / "gacc_cn_ru_totals.csv", quality)
    commodities = load_commodities(raw_dir / "gacc_cn_ru_commodities.csv", quality)
    check_flows_on_each_page(totals, raw_dir / "gacc_cn_ru_totals.csv")
    totals = totals.loc[totals.partner == partner]
    commodities = commodities.loc[commodities.partner == partner]
    resolved, conflicts = resolve(totals, TOTALS_KEY)
    check_ytd_not_below_month(resolved, raw_dir / "gacc_cn_ru_totals.csv")
    return CustomsData(totals, commodities, resolved, conflicts, quality)


@lru_cache(maxsize=4)
def load_customs(raw_dir: Path = RAW_DIR, partner: str = "RU") -> CustomsData:
    return load_customs_uncached(Path(raw_dir), partner)
