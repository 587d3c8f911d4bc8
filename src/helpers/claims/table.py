"""The whole claim table: customs claims against the customs data, context claims against the context facts."""

import pandas as pd

from .context import context_claims
from .customs import check_annual_total, check_group_change, check_ytd_change
from .rises import check_group_rise
from .verdicts import CLAIM_COLUMNS


def claim_table(
    claims_config: dict,
    claims: list[dict],
    customs,
    resolved_groups: pd.DataFrame,
    groups: dict,
    hs_rows: pd.DataFrame,
    partner: str,
    facts: pd.DataFrame,
    code_rows: pd.DataFrame | None = None,
    annual_rows: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """code_rows: raw monthly rows of single HS codes (fuel); annual_rows: BACI (the latest full-year base)."""
    rows = []
    for claim in (c for c in claims if c.get("type", "customs") == "customs"):
        kind = claim["kind"]
        if kind == "annual_total":
            rows.append(check_annual_total(claim, customs))
        elif kind == "ytd_change":
            rows.append(check_ytd_change(claim, customs))
        elif kind == "group_change":
            rows.append(
                check_group_change(
                    claim, resolved_groups, groups, hs_rows, partner, code_rows, annual_rows
                )
            )
        elif kind == "group_rise":
            rows.append(
                check_group_rise(
                    claim,
                    resolved_groups,
                    groups,
                    claim["period"],
                    customs.commodities,
                    hs_rows,
                    partner,
                )
            )
    return pd.concat(
        [pd.DataFrame(rows, columns=CLAIM_COLUMNS), context_claims(claims_config, facts)],
        ignore_index=True,
    )
