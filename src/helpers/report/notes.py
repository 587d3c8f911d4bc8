"""Source notes: a number's detail (outlet, date, raw row, ranking rule, caveat) beside its sentence.

A section writes `note(...)` right after a number. In a notebook the marker shows as small raised
text holding the note; on the page `number_notes` turns every marker into a numbered superscript
linking to its note in the Notes list at the end of the briefing (in print, endnotes), so the
sentence reads plainly and the source is one click away. The same note twice gets one number.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

_MARKER = re.compile(r'<sup class="note">(.*?)</sup>', re.S)
_TAGS = re.compile(r"<[^>]+>")


def note(*parts: str) -> str:
    """The marker for one note: its parts joined by '; ' (plain text is escaped; Markup, e.g. a
    `source` link, is kept as HTML). No parts, no marker."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    if not isinstance(parts[0], Markup) and "/" not in parts[0].split(" ")[0]:
        parts[0] = parts[0][0].upper() + parts[0][1:]  # a caveat, not a file path: capitalised
    text = Markup(_once_per_file(str(Markup("; ").join(escape(p) for p in parts))))
    return f'<sup class="note">{text}{"" if text.endswith((".", "?", "!")) else "."}</sup>'


_FILE_ROWS = re.compile(r"(?<![\w./-])([\w./-]+\.csv) (rows?) ")


def _once_per_file(text: str) -> str:
    """'x.csv row 383; a year earlier: …: x.csv row 318' -> '…: row 318': a file named again right
    after itself is left out (a different file between them, and it is named again)."""
    last = ""

    def shorten(match: re.Match) -> str:
        nonlocal last
        same, last = match.group(1) == last, match.group(1)
        return f"{match.group(2)} " if same else match.group(0)

    return _FILE_ROWS.sub(shorten, text)


def source(publisher: str, date: str, where: str, url: str = "") -> Markup:
    """One citation: 'TASS, 2025-08-07: gacc_cn_ru_totals.csv row 383', the outlet linked to the page
    that published the number (where the row gives one)."""
    name = escape(publisher)
    linked = Markup('<a href="{}">{}</a>').format(url, name) if url else name
    return Markup("{}{}: {}").format(linked, f", {date}" if date else "", where)


@dataclass(frozen=True)
class Note:
    number: int
    html: str  # the note's text, with its links

    @property
    def text(self) -> str:
        """The note as plain text (the superscript's tooltip)."""
        return html.unescape(_TAGS.sub("", self.html))


def number_notes(body: str) -> tuple[str, list[Note]]:
    """Every marker in `body`, in page order, as a numbered superscript link to its note (the first
    reference carries the id the note links back to); the notes, numbered."""
    numbers: dict[str, int] = {}

    def reference(match: re.Match) -> str:
        content = match.group(1).strip()
        first = content not in numbers
        number = numbers.setdefault(content, len(numbers) + 1)
        anchor = f' id="note-ref-{number}"' if first else ""
        tooltip = html.escape(Note(number, content).text, quote=True)
        return (
            f'<sup class="note-ref"><a href="#note-{number}"{anchor} title="{tooltip}">'
            f"{number}</a></sup>"
        )

    body = _MARKER.sub(reference, body)
    return body, [Note(n, content) for content, n in numbers.items()]


def listed_below(text: str) -> str:
    """The text as a notebook shows it: each marker a bracketed number, its notes listed in small type
    under the text (the page numbers them across the whole briefing instead)."""
    numbers: dict[str, int] = {}

    def reference(match: re.Match) -> str:
        return f"<sup>[{numbers.setdefault(match.group(1).strip(), len(numbers) + 1)}]</sup>"

    body = _MARKER.sub(reference, text)
    if not numbers:
        return text
    listed = "<br>".join(f"[{n}] {content}" for content, n in numbers.items())
    return f"{body}\n\n<small>{listed}</small>"


def without_notes(text: str) -> str:
    """The text with its note markers left out: the sentence as a reader reads it."""
    return _MARKER.sub("", text)
