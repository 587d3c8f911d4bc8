"""Key findings and the full claim table: assembled from the sections' helpers, never typed."""
import pandas as pd

from .claims import CLAIM_COLUMNS, customs_claims, load_claims
from .commodities import period_changes
from .context import context_claims
from .headline import annual_turnover, headline_text, ytd_view


def claim_table(ctx) -> pd.DataFrame:
    claims = load_claims(ctx.params["claims_file"], ctx.groups)
    customs = customs_claims(claims, ctx.customs, ctx.resolved_groups, ctx.groups, ctx.hs_rows, ctx.partner_code)
    context = context_claims({"claims": claims}, ctx.period_end)
    context = context.assign(type="context", rows_used=context.rows_used.map("; ".join))
    return pd.concat([customs, context[CLAIM_COLUMNS]], ignore_index=True)


def key_findings(ctx) -> str:
    annual = annual_turnover(ctx.customs, ctx.period_end)
    comparison = ytd_view(ctx.customs, ctx.period_end)
    bullets = ["- " + headline_text(annual, comparison, ctx.period_end, ctx.partner_name)]
    changes = period_changes(ctx.resolved_groups, ctx.groups, ctx.period_end, ctx.hs_rows, ctx.partner_code)
    shown = changes.loc[changes.has_figure].sort_values("change_pct")
    if len(shown):
        bullets.append("- Commodity groups with a figure for " + ctx.span_label + ": " + "; ".join(
            f"{r.label} {r.change_pct:+.1f}%" for r in shown.itertuples()) + f". {int((~changes.has_figure).sum())} "
            f"of {len(changes)} groups have no published figure for this period.")
    else:
        bullets.append(f"- No commodity group has a published figure for {ctx.span_label}.")
    claims = claim_table(ctx)
    bullets.append("- " + ctx.claims_intro(claims))
    not_checkable = claims.loc[claims.verdict == "cannot be checked with this data", "statement"]
    if len(not_checkable):
        bullets.append("- Cannot be checked with the vendored data: " + " ".join(
            s.rstrip(".") + "." for s in not_checkable) + " The claim table names the data that would settle each.")
    return "\n".join(bullets)
