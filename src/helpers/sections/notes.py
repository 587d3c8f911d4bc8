"""Where a number in the text comes from, as a source note (helpers.report.notes): the outlet, the date
it published the number, the raw file and row, and a link to the page where the row gives one.

`Citer` looks rows up in the tables the sections read (every tidy table keeps source_file, source_row,
publisher, published_date and source_url); without those tables (a test calling a text function
alone) a note still names the outlet, file and row it is given.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from markupsafe import Markup, escape

from ..core.paths import wire_files
from ..core.text import publisher_and_row
from ..model.raw_rows import row_ranges
from ..report.notes import source

# 'Cars.ru (citing GACC) (row 67) https://…' inside a longer source string
_CITATION = re.compile(r"(?P<pub>[^;:\s][^;:]*?) \(row (?P<row>\d+)\)(?: https?://[^\s;]+)?")
COLUMNS = ["source_file", "source_row", "publisher", "published_date", "source_url"]


def row_numbers(rows) -> list[int]:
    """383 -> [383]; '85–87, 93' -> [85, 86, 87, 93]; a list stays a list."""
    if isinstance(rows, str):
        numbers = []
        for part in rows.split(","):
            first, _, last = part.strip().partition("–")
            numbers += range(int(first), int(last or first) + 1)
        return numbers
    if isinstance(rows, int | float):
        return [int(rows)]
    return [int(r) for r in rows]


class Citer:
    """Source notes for the numbers of one briefing, looked up in `tables` (tidy tables)."""

    def __init__(self, *tables: pd.DataFrame, partner: str = "RU"):
        self.tables = [t for t in tables if len(t) and set(COLUMNS) <= set(t.columns)]
        # the wire files a citation such as 'TASS (row 318)' points into
        self.totals_file, self.commodities_file = wire_files(partner)

    def _row(self, file: str, row: int, publisher: str = ""):
        """The row `row` of the raw file named `file` (a path under data/raw/ or its name alone); with
        no file, the row `row` that `publisher` published, in whichever table holds it."""
        for table in self.tables:
            where = (
                table.source_file.str.endswith(Path(file).name)
                if file
                else table.publisher == publisher
            )
            found = table.loc[(table.source_row == row) & where]
            if len(found):
                return found.iloc[0]
        return None

    def rows(self, file: str, rows, publisher: str = "") -> Markup:
        """'TASS, 2025-08-07: gacc_cn_ru_totals.csv row 383' for rows of one file (a number, a list
        of numbers or a written range such as '85–91, 93'); the first row names outlet and date,
        and links the page that published it (a web address only: a local path is no link)."""
        numbers = row_numbers(rows)
        found = self._row(str(file or ""), numbers[0], publisher)  # no file: the outlet's row
        file = file or (found.source_file if found is not None else "")
        where = f"{Path(str(file)).name} row{'s' if len(numbers) > 1 else ''} {row_ranges(numbers)}"
        if found is None:
            return source(publisher, "", where)
        date, url = (
            str(v) if pd.notna(v) else "" for v in (found.published_date, found.source_url)
        )
        url = url if url.startswith(("https://", "http://")) else ""
        if Path(str(found.source_file)).parent.name != "raw":
            date = ""  # a data file under data/raw/<source>/ carries the day it was fetched, not published
        return source(publisher or str(found.publisher), date, where, url)

    def outlets(self, file: str, rows) -> Markup:
        """Rows of one file that several outlets published (a handful: each is looked up): one citation
        an outlet, its rows together."""
        by_outlet: dict = {}
        for number in row_numbers(rows):
            found = self._row(str(file), number)
            key = (found.publisher, found.published_date) if found is not None else ("", "")
            by_outlet.setdefault(key, []).append(number)
        return Markup("; ").join(self.rows(file, numbers) for numbers in by_outlet.values())

    def cite_rows(self, text: str, publisher: str = "") -> Markup:
        """'data/raw/x.csv rows 1–3, 7; data/raw/y.csv row 2' (model.raw_rows.cite) as citations, one a
        file: a file named in several parts (citations joined by '; ') is cited once, its rows together."""
        by_file: dict = {}
        for one in text.split("; "):
            file, _, rows = one.rpartition(" row")
            by_file.setdefault(file, []).extend(row_numbers(rows.removeprefix("s").strip()))
        return Markup("; ").join(self.rows(file, rows, publisher) for file, rows in by_file.items())

    def cited(self, citation: str, file: str = "") -> Markup:
        """A resolved record's citation ('Lenta.ru, citing TASS (row 383)', its URL after it or not),
        a row of `file` (the partner's wire totals file unless named): the same note as `rows`."""
        publisher, row = publisher_and_row(citation)
        if not row:
            return escape(publisher)
        return self.rows(file or self.totals_file, int(row), publisher)

    def sources(self, text: str, file: str = "") -> Markup:
        """A source string as the model writes it ('Cars.ru (citing GACC) (row 67) https://…; UN Comtrade
        (data/raw/fuel/x.csv rows 1–7)'): each 'outlet (row N) address' cited as `rows` does, a row of
        `file`, or with no file the row N that outlet published in any table read; the rest as written."""
        parts, last = [], 0
        for match in _CITATION.finditer(text):
            parts += [
                escape(text[last : match.start()]),
                self.rows(file, int(match["row"]), match["pub"]),
            ]
            last = match.end()
        return Markup("").join(parts + [escape(text[last:])])
