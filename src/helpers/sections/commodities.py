"""Commodity section: the text on each group's change, from helpers.model.groups (the charts' Altair code, F4 and
F5, is in notebooks/02_commodities.ipynb)."""

import pandas as pd

from ..core.text import count_word, signed_pct, word_list
from ..report.notes import note
from ..report.prose import words
from .fuel import short
from .notes import Citer


def change_text(change_pct: float, basis: str) -> str:
    """A group's change as a reader should quote it: a published y/y as published ('−27%', '−35.2%', never
    '−27.0%', a precision GACC did not give), a computed one with one decimal ('−20.9%')."""
    return signed_pct(change_pct, None if basis == "published y/y" else 1)


def plain_label(label: str) -> str:
    """'Passenger cars (HS 8703)' -> 'passenger cars': a group's name in a sentence (its codes go in
    a note); a name that starts with an acronym keeps its capitals ('LNG')."""
    name = label.split(" (")[0]
    return name[0].lower() + name[1:] if name[1:2].islower() else name


# Figure 4 labels each group with its HS codes, the groups table lists them: a sentence names the group
CODES = "Figure 4 gives each group's HS codes"


def group_note(row, citer: Citer | None) -> str:
    """A group's figure: its basis and sources (the CSVs keep the full paths)."""
    source = getattr(row, "source", "")
    cited = (
        citer.sources(short(source), citer.commodities_file)
        if citer is not None and isinstance(source, str)
        else ""
    )
    return note(getattr(row, "basis", ""), cited)


def missing_groups_text(changes: pd.DataFrame, span_label: str) -> str:
    missing = changes.loc[~changes.has_figure, "label"].tolist()
    if not missing:
        return f"Every group has a figure for {span_label}."
    return (
        f"**Groups with no figure for {span_label}**, {len(missing)} of {len(changes)}: "
        + word_list(plain_label(label) for label in missing)
        + "."
        + note(CODES)
    )


def _changes(found: pd.DataFrame, citer: Citer | None) -> str:
    """'passenger cars −56.3%, smartphones −35.2% and …', each figure's source in its note."""
    return word_list(
        f"{plain_label(r.label)} {change_text(r.change_pct, r.basis)}{group_note(r, citer)}"
        for r in found.itertuples()
    )


def commodities_text(changes: pd.DataFrame, span_label: str, citer: Citer | None = None) -> str:
    """The three largest falls and rises, and how many groups have a figure; each figure's codes,
    basis (published, computed, summed from rows) and source in its note."""
    shown = changes.loc[changes.has_figure]
    if not len(shown):
        return f"No commodity group has a figure for {span_label}."
    others = len(changes) - len(shown)
    sentences = [
        f"{count_word(len(shown)).capitalize()} of {len(changes)} groups "
        f"{'has' if len(shown) == 1 else 'have'} a figure for "
        f"{span_label}"
        + (
            f"; the {'other is' if others == 1 else 'others are'} listed under the chart."
            if others
            else "."
        )
    ]
    falls = shown.loc[shown.change_pct < 0].sort_values("change_pct")
    rises = shown.loc[shown.change_pct > 0].sort_values("change_pct", ascending=False)
    for kind, found in (("fall", falls), ("rise", rises)):
        if len(found):
            which = f"The only {kind}" if len(found) == 1 else f"The largest {kind}s"
            sentences.append(f"{which}: {_changes(found.head(3), citer)}.")
    return " ".join(sentences)


def changes_summary(changes: pd.DataFrame, span_label: str, limit: int = 35) -> str:
    """The key findings' commodities bullet: every group's change, largest fall first, in at most `limit`
    words; where they do not fit, the smallest changes are counted instead (Figure 4 has them all)."""
    shown = changes.loc[changes.has_figure].sort_values("change_pct")
    if not len(shown):
        return f"No commodity group has a figure for {span_label}."
    missing = len(changes) - len(shown)

    def sentence(rows: pd.DataFrame) -> str:
        left = len(shown) - len(rows)
        listed = ", ".join(
            f"{plain_label(r.label)} {change_text(r.change_pct, r.basis)}"
            for r in rows.itertuples()
        )
        return f"Changes by group, {span_label}: {listed}" + (
            f", and {count_word(left)} more in Figure 4." if left else "."
        )

    picked = shown
    while words(sentence(picked)) > limit and len(picked) > 2:
        picked = picked.drop(picked.change_pct.abs().idxmin())  # the largest changes stay
    return sentence(picked) + note(
        CODES,
        f"{count_word(missing).capitalize()} of {len(changes)} groups have no figure"
        if missing
        else "",
        "Figure 4's CSV names the rows of each figure",
    )
