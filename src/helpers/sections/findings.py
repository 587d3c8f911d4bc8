"""Key findings and the full claim table: assembled from the sections' helpers, never typed."""

import pandas as pd

from ..claims.table import claim_table as build_claim_table
from ..core.text import word_list
from ..report.notes import note
from . import since
from .commodities import changes_summary
from .headline import headline_summary
from .raw_rows import raw_rows_findings


def claim_table(section) -> pd.DataFrame:
    """Every claim of the story with data, verdict and sources (the key findings and the claim check use it)."""

    def compute() -> pd.DataFrame:
        return build_claim_table(
            section.claims_config,
            section.claims,
            section.customs,
            section.resolved_groups,
            section.groups,
            section.hs_rows,
            section.partner_code,
            section.context_facts,
            section.code_rows,
            section.raw.baci,
        )

    return section.shared("claim_table", compute)


def key_findings(section) -> str:
    """Page 1's bullets (at most six, each of at most 35 words): the headline, the groups' changes, fuel
    and the 2023 base from the raw rows, the verdicts, what cannot be checked. Sources are in the notes."""
    citer = section.citer
    annual, comparison = section.annual_turnover(), section.ytd_view()
    bullets = [
        headline_summary(annual, comparison, section.period_end, section.partner_name, citer),
        changes_summary(section.group_changes(), section.span_label),
        *raw_rows_findings(section),
    ]
    claims = claim_table(section)
    bullets.append(section.claims_counts(claims) + note(section.claims_periods()))
    not_checkable = claims.loc[claims.verdict == "cannot be checked with this data", "claim_id"]
    if len(not_checkable):  # named by their short labels: the table below gives each statement
        labels = since.labels(section)
        named = [labels[c] for c in not_checkable]
        bullets.append(
            word_list([named[0]] + [n[0].lower() + n[1:] for n in named[1:]])
            + " cannot be checked with the vendored data; the claim check names the data that would "
            "settle each."
        )
    return "\n".join("- " + bullet for bullet in bullets)


def top_level_parts(text: str, separator: str = "; ") -> list[str]:
    """Split on `separator` outside parentheses: 'a (x; y); b' -> ['a (x; y)', 'b']."""
    parts, depth, start, index = [], 0, 0, 0
    while index < len(text):
        char = text[index]
        depth += (char == "(") - (char == ")")
        if depth == 0 and text.startswith(separator, index):
            parts.append(text[start:index])
            start = index = index + len(separator)
            continue
        index += 1
    return parts + [text[start:]]


def short_data(text: str, limit: int = 100) -> str:
    """The first parts of a long data value, whole parts only, '…' when some are left for the claim table."""
    parts = top_level_parts(text)
    kept = [parts[0]]
    for part in parts[1:]:
        if len("; ".join(kept + [part])) > limit:
            break
        kept.append(part)
    return "; ".join(kept) + (" …" if len(kept) < len(parts) else "")


def verdict_table(claims: pd.DataFrame) -> pd.DataFrame:
    """The summary page's compact table: claim, story, data (shortened), verdict."""
    return pd.DataFrame(
        {
            "Claim (paraphrased)": claims.statement,
            "Story": claims.story_value,
            "Data": claims.data_value.map(short_data),
            "Verdict": claims.verdict,
        }
    )
