"""One verdict vocabulary and one row builder for every claim (customs and context)."""

import pandas as pd

VERDICTS = ("reproduced", "consistent", "differs", "cannot be checked with this data")
CLAIM_COLUMNS = [
    "claim_id",
    "type",
    "statement",
    "story_value",
    "data_value",
    "verdict",
    "explanation",
    "rows_used",
]


def claim_row(
    claim: dict, story_value: str, data_value: str, verdict: str, explanation: str, rows_used
) -> dict:
    """One row of the claim table; `rows_used` is a string or a list of 'publisher — url' items."""
    if verdict not in VERDICTS:
        raise ValueError(f"verdict {verdict!r} is not one of {VERDICTS}")
    if not isinstance(rows_used, str):
        rows_used = "; ".join(rows_used)
    return {
        "claim_id": claim["id"],
        "type": claim.get("type", "customs"),
        "statement": claim["statement"],
        "story_value": story_value,
        "data_value": data_value,
        "verdict": verdict,
        "explanation": explanation,
        "rows_used": rows_used,
    }


def claim_by_id(claims_config: dict, claim_id: str) -> dict:
    for claim in claims_config.get("claims", []):
        if claim.get("id") == claim_id:
            return claim
    raise KeyError(f"claim {claim_id!r} is not in the claims config")


def verdict_summary(table: pd.DataFrame) -> str:
    counts = table.verdict.value_counts()
    parts = [f"{counts[v]} {v}" for v in VERDICTS if v in counts]
    return f"Of the story's {len(table)} checkable figures: " + ", ".join(parts) + "."
