"""Source notes (helpers.report.notes, helpers.sections.notes): a number's outlet, date and row beside its
sentence, numbered on the page, each note once."""

import pandas as pd

from helpers.report.notes import note, number_notes, source, without_notes
from helpers.sections.notes import Citer, row_numbers


def test_a_note_escapes_text_keeps_links_and_names_a_file_once():
    cited = source("TASS", "2025-08-07", "gacc_cn_ru_totals.csv row 383", "https://tass.com/1")
    marker = note(cited, "a year earlier: <b>not</b> HTML", "")
    assert marker == (
        '<sup class="note"><a href="https://tass.com/1">TASS</a>, 2025-08-07: gacc_cn_ru_totals.csv '
        "row 383; a year earlier: &lt;b&gt;not&lt;/b&gt; HTML.</sup>"
    )
    # a second row of the same file is 'row N', the file named once a note
    twice = note(cited, source("TASS", "2024-08-07", "gacc_cn_ru_totals.csv row 318"))
    assert twice.count("gacc_cn_ru_totals.csv") == 1 and "2024-08-07: row 318." in twice
    # a path is one file; between two rows of one file another file, and the first is named again
    fuel = "data/raw/fuel/a.csv rows 1–7; data/raw/fuel/b.csv rows 2–3; data/raw/fuel/a.csv rows 9"
    assert note(fuel) == f'<sup class="note">{fuel.replace("a.csv rows 9", "a.csv rows 9.")}</sup>'
    assert note("data/raw/x.csv row 1; data/raw/x.csv row 2") == (
        '<sup class="note">data/raw/x.csv row 1; row 2.</sup>'
    )
    assert note("", None) == "" and note("the caveat").startswith('<sup class="note">The caveat.')


def test_the_page_numbers_notes_in_order_and_gives_the_same_note_one_number():
    first, second = note("Row 1"), note("Row 2")
    body = f"<p>A $1bn.{first} B $2bn.{second}</p><p>A again.{first}</p>"
    numbered, notes = number_notes(body)
    assert [(n.number, n.html) for n in notes] == [(1, "Row 1."), (2, "Row 2.")]
    assert numbered.count('href="#note-1"') == 2 and numbered.count('id="note-ref-1"') == 1
    assert '<sup class="note-ref"><a href="#note-2" id="note-ref-2" title="Row 2.">2</a></sup>' in (
        numbered
    )
    assert without_notes(body) == "<p>A $1bn. B $2bn.</p><p>A again.</p>"


def test_a_citer_names_outlet_date_file_and_rows_and_links_only_web_pages():
    totals = pd.DataFrame(
        {
            "source_file": ["data/raw/gacc_cn_ru_totals.csv"] * 2,
            "source_row": [383, 384],
            "publisher": ["Lenta.ru, citing TASS", "TASS"],
            "published_date": ["2025-08-07", "2025-08-08"],
            "source_url": ["https://lenta.ru/x", "https://tass.com/y"],
        }
    )
    comtrade = pd.DataFrame(
        {
            "source_file": ["data/raw/comtrade/m.csv"] * 3,
            "source_row": [85, 86, 87],
            "publisher": ["UN Comtrade"] * 3,
            "published_date": ["2026-11-28"] * 3,  # the day the file was fetched
            "source_url": ["data/raw/comtrade/m.csv"] * 3,
        }
    )
    citer = Citer(totals, comtrade)
    assert str(citer.cited("Lenta.ru, citing TASS (row 383) https://lenta.ru/x")) == (
        '<a href="https://lenta.ru/x">Lenta.ru, citing TASS</a>, 2025-08-07: gacc_cn_ru_totals.csv row 383'
    )
    # a data file's rows: no link to a local path, no fetch day given as a publication date
    assert str(citer.rows("comtrade/m.csv", "85–87")) == "UN Comtrade: m.csv rows 85–87"
    assert str(citer.outlets("data/raw/gacc_cn_ru_totals.csv", [383, 384])).count("<a href") == 2
    assert row_numbers("85–87, 93") == [85, 86, 87, 93] and row_numbers(7) == [7]
    # several citations of one file (e.g. a month each) are cited once, their rows together
    months = "data/raw/comtrade/m.csv row 87; data/raw/comtrade/m.csv rows 85–86"
    assert str(citer.cite_rows(months)) == "UN Comtrade: m.csv rows 85–87"
    # no file named: the row that outlet published, in whichever table holds it (None as well as "")
    for no_file in ("", None):
        assert str(citer.rows(no_file, 384, "TASS")) == (
            '<a href="https://tass.com/y">TASS</a>, 2025-08-08: gacc_cn_ru_totals.csv row 384'
        )


def test_a_notebook_lists_its_notes_under_the_text_and_the_page_gets_the_markers():
    from helpers.report.blocks import output_block
    from helpers.report.figures import markdown_bundle

    text = f"Trade came to $125.8bn.{note('Row 383')} Exports $56.2bn.{note('Row 381')}"
    bundle, metadata = markdown_bundle(text)
    # JupyterLab: numbers in brackets, the notes in small type below, dollars escaped for MathJax
    assert bundle["text/markdown"] == (
        r"Trade came to \\$125.8bn.<sup>[1]</sup> Exports \\$56.2bn.<sup>[2]</sup>"
        "\n\n<small>[1] Row 383.<br>[2] Row 381.</small>"
    )
    output = {"output_type": "display_data", "data": bundle, "metadata": metadata}
    block = output_block(output, None, 0)
    assert block.html.count('<sup class="note">') == 2 and "$125.8bn" in block.html
