"""What every notebook section needs: checked parameters, the data, and display shortcuts."""
from dataclasses import dataclass
from functools import cached_property

import pandas as pd

from . import figures
from .customs import CustomsData, load_customs
from .params import ParameterError, check_parameters
from .text import span_label


@dataclass
class SectionContext:
    params: dict

    @property
    def period_end(self) -> str:
        return self.params["period_end"]

    @property
    def partner_code(self) -> str:
        return self.params["partner_code"]

    @property
    def partner_name(self) -> str:
        return self.params["partner_name"]

    @property
    def span_label(self) -> str:
        return span_label(self.period_end)

    @cached_property
    def customs(self) -> CustomsData:
        return load_customs(partner=self.partner_code)

    def figure(self, chart, figure_id: str, data: pd.DataFrame, title: str, caption: str):
        return figures.publish_figure(chart, figure_id, data, title=title, caption=caption)

    @staticmethod
    def show_markdown(text: str) -> None:
        figures.show_markdown(text)

    @staticmethod
    def show_table(frame: pd.DataFrame, table_id: str, caption: str) -> None:
        figures.show_table(frame, table_id, caption)

    @staticmethod
    def ytd_table(comparison: pd.DataFrame) -> pd.DataFrame:
        table = comparison.rename(columns={
            "flow": "Flow", "value_usd_mn": "This year, US$ mn", "prior_value_usd_mn": "Year earlier, US$ mn",
            "yoy_pct_published": "y/y % (published)", "yoy_pct_from_levels": "y/y % (from levels)",
            "value_source": "Source (this year)", "prior_source": "Source (year earlier)"})
        return table.drop(columns=["period", "yoy_source"])


def setup_section(**raw_params) -> SectionContext:
    """Validate parameters the same way `make` does, so a notebook run from JupyterLab fails the same way."""
    try:
        params = check_parameters(raw_params)
    except ParameterError as error:
        raise SystemExit(f"error: {error}") from None
    return SectionContext(params)
