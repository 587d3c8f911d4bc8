"""Commodity section: the text on each group's change, from helpers.model.groups (the charts' Altair code, F4 and
F5, is in notebooks/02_commodities.ipynb)."""

import pandas as pd

from ..core.text import signed_pct


def change_text(change_pct: float, basis: str) -> str:
    """A group's change as a reader should quote it: a published y/y as published ('−27%', '−35.2%', never
    '−27.0%', a precision GACC did not give), a computed one with one decimal ('−20.9%')."""
    return signed_pct(change_pct, None if basis == "published y/y" else 1)


def missing_groups_text(changes: pd.DataFrame, span_label: str) -> str:
    missing = changes.loc[~changes.has_figure, "label"].tolist()
    if not missing:
        return f"Every group has a figure for {span_label}."
    return (
        f"**Groups with no figure for {span_label}** ({len(missing)} of {len(changes)}): "
        + "; ".join(missing)
        + "."
    )

    # a metal/measure pair without any published change gets no panel


def commodities_text(changes: pd.DataFrame, span_label: str) -> str:
    shown = changes.loc[changes.has_figure]
    parts = []
    if len(shown):
        falls = shown.loc[shown.change_pct < 0].sort_values("change_pct")
        rises = shown.loc[shown.change_pct > 0].sort_values("change_pct", ascending=False)
        ranked = []
        for kind, found in (("fall", falls), ("rise", rises)):
            if len(found):
                which = f"the only {kind}" if len(found) == 1 else f"the largest {kind}s"
                ranked.append(
                    f"{which}: "
                    + ", ".join(
                        f"{r.label} {change_text(r.change_pct, r.basis)}"
                        for r in found.head(3).itertuples()
                    )
                )
        if ranked:  # one sentence: the qualifier is said once
            parts.append(
                f"Among groups with a figure for {span_label} (published or computed; the chart says "
                f"which), {'; '.join(ranked)}."
            )
        others = len(changes) - len(shown)
        parts.append(
            f"{len(shown)} of {len(changes)} groups {'has' if len(shown) == 1 else 'have'} a figure for this "
            "period"
            + (
                f"; the {'other is' if others == 1 else 'others are'} listed under the chart."
                if others
                else "."
            )
        )
    else:
        parts.append(f"No commodity group has a figure for {span_label}.")
    return " ".join(parts)
