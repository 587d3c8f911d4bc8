"""helpers.report.prose: the main text's sentence lengths and parentheses, as issue 22 counts them."""

from helpers.report.prose import measure, missed_targets, sentences

PAGE = """<html><body><main><header><h1>Title</h1><p>Trade fell 8.1% to US$ 125.8bn (row 383).</p></header>
<nav class="toc"><ol><li>Contents is not prose at all, however long it runs on and on.</li></ol></nav>
<h2 id="key-findings">Key findings</h2>
<ul><li>Exports fell (row 381), e.g. cars. Imports fell too.</li><li>Coal fell.</li></ul>
<figure class="chart"><figcaption>A caption is left out of the count.</figcaption></figure>
<figure class="table"><table><tr><td>A cell is left out.</td></tr></table></figure>
<h2 id="data-and-methods">Data and methods</h2><p>The appendix (rows) is left out (all of it).</p>
</main></body></html>"""


def test_sentences_end_at_a_stop_before_a_capital_not_at_an_abbreviation_or_a_decimal():
    assert sentences(
        "Exports fell (row 381), e.g. cars. Imports fell 2.5% to US$ 1.2bn. 2024 too."
    ) == [
        "Exports fell (row 381), e.g. cars.",
        "Imports fell 2.5% to US$ 1.2bn.",
        "2024 too.",
    ]


def test_only_the_main_text_before_the_appendix_is_measured():
    numbers = measure(PAGE)
    # "Trade fell 8.1% to US$ 125.8bn (row 383)." 8 words; "Exports fell (row 381), e.g. cars." 6;
    # "Imports fell too." 3; "Coal fell." 2
    assert numbers["sentences"] == 4
    assert numbers["median_words"] == 4.5 and numbers["longest_words"] == 8
    assert numbers["parentheses_per_sentence"] == 0.5
    assert numbers["key_findings"] == 2 and numbers["longest_key_finding_words"] == 9


def test_a_note_number_is_no_word_and_the_notes_are_no_prose():
    page = PAGE.replace(
        " (row 383).</p>",
        '.<sup class="note-ref"><a href="#note-1">1</a></sup></p>',
    ).replace(
        "</main>",
        '<section class="notes"><h2 id="notes">Notes</h2><ol><li>A long note (row 383), '
        "never measured as a sentence of the text.</li></ol></section></main>",
    )
    numbers = measure(page)
    # "Trade fell 8.1% to US$ 125.8bn." 6 words, no parenthesis
    assert numbers["sentences"] == 4 and numbers["longest_words"] == 6
    assert numbers["parentheses_per_sentence"] == 0.25


def test_missed_targets_name_the_target_and_the_worst_sentence():
    long = " ".join(["word"] * 50) + "."
    page = PAGE.replace("Coal fell.", long)
    missed = missed_targets(measure(page))
    assert "longest_words is 50, over 45" in missed
    assert "longest_key_finding_words is 50, over 35" in missed
    assert any(line.startswith("longest sentence: 'word word") for line in missed)
    assert missed_targets(measure(PAGE)) == ["parentheses_per_sentence is 0.5, over 0.4"] + [
        "longest sentence: 'Trade fell 8.1% to US$ 125.8bn (row 383).'"
    ]
