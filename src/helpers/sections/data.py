"""The tables every section shares: raw inputs read by helpers.sources, assembled by helpers.model.

This is the one place a section's data is loaded. Nothing here is cached: helpers.sections.section
keeps one Section (and so one copy of each table) per parameters and state of the input files, so
the notebooks of one `make report` kernel load every raw file once, and a JupyterLab user who edits a
raw file or a config gets fresh tables on the next run.
"""

from pathlib import Path

import pandas as pd

from ..core.paths import RAW_DIR, wire_files
from ..model.customs import CustomsData, build_customs
from ..model.groups import hs_prefixes
from ..model.raw_rows import RawRows
from ..sources.baci import load_baci
from ..sources.fuel_monitor import load_fuel_rows
from ..sources.hs_level import load_hs_level
from ..sources.wire import load_commodities, load_context, load_totals


def load_customs(raw_dir: Path = RAW_DIR, partner: str = "RU") -> CustomsData:
    """The partner's customs data (`partner`: ISO2, checked by helpers.sources.parameters)."""
    quality: list = []
    totals_file, commodities_file = wire_files(partner)
    totals = load_totals(raw_dir / totals_file, quality, partner=partner)
    commodities = load_commodities(raw_dir / commodities_file, quality, partner=partner)
    return build_customs(totals, commodities, partner, raw_dir / totals_file, quality)


def context_facts() -> pd.DataFrame:
    """The validated context table (not customs data)."""
    return load_context(RAW_DIR / "context_facts.csv")


def hs_rows_for_groups(groups: dict, partner: str) -> pd.DataFrame:
    """HS-level rows for the partner and the groups' codes (large files scanned, not read whole)."""
    prefixes = sorted({code for group in groups.values() for code in hs_prefixes(group)})
    return load_hs_level(RAW_DIR, partner=partner, hs_prefixes=prefixes)


def raw_rows(partner: str) -> RawRows:
    """The real customs rows: BACI (data/raw/baci), fuel codes (data/raw/fuel), Comtrade all-goods months."""
    hs = load_hs_level(RAW_DIR, partner=partner)
    totals = hs.loc[(hs.hs_code == "") & (hs.partner == partner) & (hs.publisher == "UN Comtrade")]
    fuel = load_fuel_rows(RAW_DIR)
    baci = load_baci(RAW_DIR, partner)
    return RawRows(
        baci=baci,
        fuel=fuel.loc[fuel.partner == partner].reset_index(drop=True),
        comtrade_totals=totals.reset_index(drop=True),
        notes=baci.attrs.get("notes", []),
    )
