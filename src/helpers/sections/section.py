"""What every notebook section needs: checked parameters, the shared tables, and display shortcuts.

A notebook's setup cell calls `open_section(...)` with its parameters and gets a `Section`: the same
one for every notebook of a kernel while the parameters and the input files (data/raw, the groups and
claims files) stay as they are, so the tables the notebooks share are computed once per build.
"""

import hashlib
import json
import pickle
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from ..claims.verdicts import verdict_counts
from ..core.file_hash import file_sha256
from ..core.paths import CONFIG_DIR, RAW_DIR, files_signature, project_path
from ..core.result_cache import cached, code_key
from ..core.text import count_word, span_label
from ..model.customs import CustomsData
from ..model.groups import period_changes, resolve_groups
from ..model.raw_rows import raw_annual_imports, raw_ytd_imports
from ..model.turnover import RAW_IMPORTS, annual_turnover, ytd_view
from ..report import figures, tables
from ..report.blocks import markdown_to_html
from ..sources.configs import load_claims, load_claims_config, load_groups
from ..sources.parameters import ParameterError, check_parameters
from . import data
from .notes import Citer

TABLES_KEPT = 4  # per table: the raw rows pickle to ~35 MB


@dataclass
class Section:
    """Checked parameters plus the data every section shares, each loaded once per kernel."""

    params: dict
    _shared: dict = field(default_factory=dict, repr=False)

    def shared(self, name: str, compute) -> pd.DataFrame:
        """A table several notebooks use (e.g. the claim table), computed on first use; each caller
        gets a copy, so no notebook can change what the next one sees."""
        if name not in self._shared:
            self._shared[name] = compute()
        return self._shared[name].copy()

    @property
    def period_end(self) -> str:
        return self.params["period_end"]

    @property
    def partner_code(self) -> str:
        return self.params["partner_code"]

    @property
    def partner_name(self) -> str:
        return self.params["partner_name"]

    @property
    def span_label(self) -> str:
        return span_label(self.period_end)

    def stored(self, name: str, compute, *key, keep: int = TABLES_KEPT):
        """compute(); in a build, the same result from an earlier build whose inputs it reads were the same: pickled
        in build/cache/tables/<name>/ under the code (core.result_cache), the parameters, the content of every
        file in data/raw/ and config/ but the claims file and `key`. For what reads no claim, or only what `key`
        holds of them (a claims edit reloads no raw file and recomputes only the claims it changed). The folder keeps
        the `keep` most recently used results."""
        if code_key() is None:  # not in a build: nothing to key the pickle by
            return compute()
        key = [json.dumps(self.params, sort_keys=True, default=str), self.inputs_digest, *key]
        kept = cached(f"tables/{name}", key, lambda: pickle.dumps(compute()), keep=keep)
        return pickle.loads(kept)

    @cached_property
    def inputs_digest(self) -> str:
        """sha256 of the names and contents of data/raw/, config/ and the groups file, the claims file left out
        (file_sha256 takes each file's hash from the build's record while the file is unchanged)."""
        claims = project_path(self.params["claims_file"]).absolute()
        files = files_signature(RAW_DIR, CONFIG_DIR, project_path(self.params["groups_file"]))
        digest = hashlib.sha256()
        for path in sorted({Path(file).absolute() for file, _size, _mtime in files} - {claims}):
            digest.update(f"{path}\0{file_sha256(path)}\0".encode())
        return digest.hexdigest()

    @cached_property
    def customs(self) -> CustomsData:
        return self.stored("customs", lambda: data.load_customs(partner=self.partner_code))

    @cached_property
    def context_facts(self) -> pd.DataFrame:
        return data.context_facts()

    @cached_property
    def claims_config(self) -> dict:
        return load_claims_config(self.params["claims_file"])

    @cached_property
    def claims(self) -> list[dict]:
        """The claims, each checked to name only known groups and carrying its `since:` rule."""
        return load_claims(self.params["claims_file"], self.groups)

    @property
    def story(self) -> dict:
        """The story's dates (publication, invasion month) from the claims config."""
        return self.claims_config["story"]

    @cached_property
    def groups(self) -> dict:
        return load_groups(self.params["groups_file"])

    @cached_property
    def hs_rows(self) -> pd.DataFrame:
        return data.hs_rows_for_groups(self.groups, self.partner_code)

    @cached_property
    def raw(self):
        """Real customs rows (BACI, fuel codes, Comtrade monthly totals): helpers.model.raw_rows.RawRows."""
        return self.stored("raw", lambda: data.raw_rows(self.partner_code))

    @cached_property
    def raw_annual_imports(self) -> pd.DataFrame:
        """China's imports per full year from the Comtrade monthly rows: used instead of the wire's annual figure."""
        return raw_annual_imports(self.raw.comtrade_totals)

    @cached_property
    def citer(self) -> Citer:
        """Source notes for the text's numbers: every row the sections read, by file and row."""
        raw = self.raw
        return Citer(
            self.customs.totals,
            self.customs.commodities,
            raw.fuel,
            raw.comtrade_totals,
            raw.baci,
            self.context_facts,
            partner=self.partner_code,
        )

    def annual_turnover(self) -> pd.DataFrame:
        """helpers.model.turnover.annual_turnover up to the reporting period, China's imports from the raw rows
        where they cover a year (raw rows outrank the wire): what the headline, F1 and the key findings show."""
        return annual_turnover(self.customs, self.period_end, raw_imports=self.raw_annual_imports)

    def ytd_view(self) -> pd.DataFrame:
        """helpers.model.turnover.ytd_view for the reporting period, with the same raw-row precedence: China's
        imports for January–period of a year the rows cover (this year or a year earlier) are their sum."""
        return ytd_view(
            self.customs, self.period_end, raw_imports=raw_ytd_imports(self.raw.comtrade_totals)
        )

    @property
    def code_rows(self) -> pd.DataFrame:
        """Monthly raw rows of single HS codes (the fuel files): groups made of exactly those codes use them."""
        return self.raw.fuel

    @cached_property
    def _resolved_groups(self):
        return resolve_groups(self.customs.commodities, self.groups)

    @property
    def resolved_groups(self) -> pd.DataFrame:
        return self._resolved_groups[0]

    @property
    def group_conflicts(self) -> pd.DataFrame:
        return self._resolved_groups[1]

    def group_changes(self) -> pd.DataFrame:
        """Each commodity group's change over the reporting period vs a year earlier, and its basis
        (helpers.model.groups.period_changes): the key findings and the commodities chart share one table."""
        return self.shared(
            "group_changes",
            lambda: self.stored(
                "group_changes",
                lambda: period_changes(
                    self.resolved_groups,
                    self.groups,
                    self.period_end,
                    self.hs_rows,
                    self.partner_code,
                    self.code_rows,
                ),
            ),
        )

    def figure(self, chart, figure_id: str, data: pd.DataFrame, title: str, caption: str) -> None:
        figures.publish_figure(chart, figure_id, data, title=title, caption=caption)

    @staticmethod
    def show_markdown(text: str) -> None:
        tables.display_output(*figures.markdown_bundle(text))

    @staticmethod
    def show_table(
        frame: pd.DataFrame, table_id: str, caption: str, detail_columns: list[str] = ()
    ) -> None:
        tables.display_output(*tables.table_bundle(frame, table_id, caption, detail_columns))

    @staticmethod
    def show_long_table(
        frame: pd.DataFrame,
        table_id: str,
        caption: str,
        summary: tuple[str, pd.DataFrame | None],
        key_caption: str = "",
        in_print: bool = True,
    ) -> None:
        """Printed as `summary` (HTML, key rows); the full table on screen (collapsible) and as CSV.
        in_print=False: an appendix table the print leaves out (on screen and as CSV)."""
        summary_html, key_rows = summary
        html_text = tables.long_table_html(
            frame, table_id, caption, summary_html, key_rows, key_caption, in_print
        )
        tables.display_output(*tables.table_bundle(frame, table_id, caption, html_text=html_text))

    @staticmethod
    def show_on_screen(text: str) -> None:
        """Markdown for the notebook and the HTML briefing only, left out of print (its 12 pages are full)."""
        figures.show_html(f'<div class="screen-detail">{markdown_to_html(text)}</div>')

    @staticmethod
    def end_summary_page() -> None:
        """In print, the summary (title, key findings, verdicts) is a page of its own."""
        figures.show_html('<div class="summary-page-end"></div>')

    # t-ytd-comparison: the wire's figure for a level summed from raw rows goes in a full-width row below
    YTD_DETAIL_COLUMNS = ["Wire figure"]

    @staticmethod
    def ytd_table(comparison: pd.DataFrame) -> pd.DataFrame:
        """The levels, both y/y rates and their sources; a level summed from the Comtrade rows names its rows, and
        the wire's figure for the same span (not used) is in the detail column. F3's CSV names the file in full."""
        table = pd.DataFrame(
            {
                "Flow": comparison.flow,
                "This year, US$ mn": comparison.value_usd_mn.round(1),
                "Year earlier, US$ mn": comparison.prior_value_usd_mn.round(
                    1
                ),  # a sum of raw rows to 0.1, as elsewhere
                "y/y % (published)": comparison.yoy_pct_published,
                "y/y % (from levels)": comparison.yoy_pct_from_levels,
                "Source (this year)": comparison.value_source,
                "Source (year earlier)": comparison.prior_source,
            }
        )
        wire_parts: dict = {}
        for level, source, label in (
            ("value", "Source (this year)", "this year"),
            ("prior", "Source (year earlier)", "year earlier"),
        ):
            basis = comparison.get(f"{level}_basis", pd.Series("published", index=comparison.index))
            for index, row in comparison.loc[basis == RAW_IMPORTS].iterrows():
                wire = row["wire_value_usd_mn" if level == "value" else "wire_prior_value_usd_mn"]
                table.loc[index, source] = f"UN Comtrade rows {row[f'raw_{level}_row_ranges']}"
                wire_parts.setdefault(index, [row[f"raw_{level}_files"], []])[1].append(
                    f"{label} {wire:,.0f} ({row[f'wire_{level}_source']})"
                    if wire == wire
                    else f"{label} none published"
                )
        table["Wire figure"] = [
            f"{'; '.join(wire_parts[i][1])}, not used: the rows of {wire_parts[i][0]} outrank it"
            if i in wire_parts
            else ""
            for i in table.index
        ]
        return tables.number_format(
            table, as_published=["This year, US$ mn", "Year earlier, US$ mn"]
        )

    @staticmethod
    def claims_counts(claims: pd.DataFrame) -> str:
        """'Of the story's seven customs figures, two are reproduced, …'; context figures likewise."""
        sentences = []
        for kind, lead in (("customs", "Of the story's"), ("context", "Of its")):
            found = claims.loc[claims.type == kind]
            if len(found):
                sentences.append(
                    f"{lead} {count_word(len(found))} {kind} figures, {verdict_counts(found)}."
                )
        return " ".join(sentences)

    def claims_periods(self) -> str:
        """The periods the customs claims are checked for, whatever the briefing's month."""
        periods = sorted(
            {str(c["period"]) for c in self.claims_config["claims"] if c.get("period")}
        )
        labels = [span_label(p) if len(p) == 7 else f"full-year {p}" for p in periods]
        return (
            f"Customs claims are checked for the story's own periods, {' and '.join(labels)}, "
            "whatever the briefing's month."
        )

    def claims_intro(self, claims: pd.DataFrame) -> str:
        return self.claims_counts(claims) + " " + self.claims_periods()

    # The claim table prints Claim | Story | Data | Verdict; "Why" and the sources go in a full-width row below.
    CLAIM_DETAIL_COLUMNS = ["Why", "Sources"]

    @staticmethod
    def claims_display(claims: pd.DataFrame) -> pd.DataFrame:
        return claims.rename(
            columns={
                "statement": "Claim (paraphrased)",
                "story_value": "Story",
                "data_value": "Data",
                "verdict": "Verdict",
                "explanation": "Why",
                "rows_used": "Sources",
            }
        ).drop(columns=["claim_id", "type"])


_OPEN: dict[tuple, Section] = {}  # the kernel's current Section, by parameters and input-file state


def open_section(**raw_params) -> Section:
    """Validate parameters the same way `make` does, so a notebook run from JupyterLab fails the same way;
    reuse the kernel's Section if neither the parameters nor any input file changed since it was opened."""
    try:
        params = check_parameters(raw_params)
    except ParameterError as error:
        raise SystemExit(f"error: {error}") from None
    key = (
        json.dumps(params, sort_keys=True, default=str),
        files_signature(
            RAW_DIR, project_path(params["groups_file"]), project_path(params["claims_file"])
        ),
    )
    if key not in _OPEN:
        _OPEN.clear()
        _OPEN[key] = Section(params)
    return _OPEN[key]
