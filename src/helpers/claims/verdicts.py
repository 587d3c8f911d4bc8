"""One verdict vocabulary and one row builder for every claim (customs and context)."""

import pandas as pd

from ..core.text import count_word, is_missing

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


def within(value, story, tolerance) -> bool:
    """The one tolerance rule of every verdict: the unrounded figure is at most `tolerance` from the story's
    (1e-9: a figure exactly on the edge is inside it); a missing figure never is."""
    return not is_missing(value) and abs(value - story) <= tolerance + 1e-9


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


def verdict_counts(table: pd.DataFrame) -> str:
    """'two are reproduced, two consistent, one differs and two cannot be checked'."""
    counts = table.verdict.value_counts()
    parts = []
    for verdict in VERDICTS:
        if verdict in counts:
            n = int(counts[verdict])
            said = {
                "cannot be checked with this data": "cannot be checked",
                "differs": "differs" if n == 1 else "differ",
            }.get(verdict, verdict)
            parts.append(f"{count_word(n)} {said}")
    if parts:
        verb = "is" if parts[0].startswith("one ") else "are"
        first = parts[0].split(" ", 1)
        if first[1] in ("reproduced", "consistent"):
            parts[0] = f"{first[0]} {verb} {first[1]}"
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
