"""The whole claim table: customs claims against the customs data, context claims against the context facts."""

import pandas as pd

from .context import context_claims
from .customs import customs_claims


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
    customs_rows = customs_claims(
        [c for c in claims if c.get("type", "customs") == "customs"],
        customs,
        resolved_groups,
        groups,
        hs_rows,
        partner,
        code_rows,
        annual_rows,
    )
    return pd.concat([customs_rows, context_claims(claims_config, facts)], ignore_index=True)
