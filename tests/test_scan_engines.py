"""The briefing's large-file scan (helpers.sources.comtrade_scan.partner_code_sums) has two engines: polars
where it gives DuckDB's numbers, DuckDB for everything else. Both must give identical cells on the
real-format fixtures (SYNTHETIC files in the real layouts, tests/fixtures/real_formats), and every file
polars cannot read with DuckDB's rules must really go to DuckDB."""

import gzip
import sys
from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.sources.comtrade_scan import (
    _duckdb_cells,
    _partner_lines,
    _polars_cells,
    partner_code_sums,
)

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "real_formats"))
from make_fixtures import write_all  # noqa: E402

TEXT_FILES = [
    "synthetic_comtrade_api_breakdown_2023.csv",
    "synthetic_comtrade_api_annual_2022.csv",
    "synthetic_comtrade_bulk_2024.txt",
    "synthetic_comtrade_api_multi_partner.csv",
]
QUERIES = [(["2701", "2709", "8471", "8703"], False), (["87"], True), ([], True)]
HEADER = (
    "freqCode,refYear,refMonth,period,reporterCode,flowCode,partnerCode,partner2Code,classificationCode,"
    "cmdCode,customsCode,motCode,primaryValue"
)


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    return write_all(tmp_path_factory.mktemp("real_formats"))


def same_cells(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    return a.to_dict("records") == b.to_dict("records") and list(a.columns) == list(b.columns)


@pytest.mark.parametrize("name", TEXT_FILES)
@pytest.mark.parametrize("partner", [643, 398, 0])
def test_polars_cells_equal_duckdb_cells_on_real_layouts(fixtures, name, partner):
    for prefixes, include_total in QUERIES:
        fast = _polars_cells(fixtures[name], partner, prefixes, include_total)
        assert fast is not None, f"{name}: polars should read this file itself"
        assert same_cells(fast, _duckdb_cells(fixtures[name], partner, prefixes, include_total))


def test_both_engines_through_partner_code_sums(fixtures):
    path = fixtures["synthetic_comtrade_api_breakdown_2023.csv"]
    fast, fast_notes = partner_code_sums(
        path, 643, ["2701", "8703"], include_total=True, engine="polars"
    )
    slow, slow_notes = partner_code_sums(
        path, 643, ["2701", "8703"], include_total=True, engine="duckdb"
    )
    auto, _ = partner_code_sums(path, 643, ["2701", "8703"], include_total=True)
    assert (fast.attrs["engine"], slow.attrs["engine"], auto.attrs["engine"]) == (
        "polars",
        "duckdb",
        "polars",
    )
    assert same_cells(fast, slow) and same_cells(fast, auto) and fast_notes == slow_notes
    # breakdown rows (partner2/customs/mode of transport) are never added to the total row
    jan = fast.loc[(fast.cmdCode == "TOTAL") & (fast.flowCode == "X") & (fast.period == "2023-01")]
    assert jan.value_usd_mn.round(4).tolist() == [8120.4503] and jan.rows.tolist() == [1]


def test_annual_periods_stay_years_on_the_polars_path(fixtures):
    cells, _ = partner_code_sums(
        fixtures["synthetic_comtrade_api_annual_2022.csv"], 643, ["87"], engine="polars"
    )
    assert cells[["cmdCode", "flowCode", "period", "span", "value_usd_mn"]].to_dict("records") == [
        {
            "cmdCode": "8703",
            "flowCode": "X",
            "period": "2022",
            "span": "year",
            "value_usd_mn": 5678.9,
        }
    ]


def test_gz_bulk_file_goes_to_duckdb_with_the_same_cells(fixtures):
    gz, txt = (
        fixtures["synthetic_comtrade_bulk_2024.txt.gz"],
        fixtures["synthetic_comtrade_bulk_2024.txt"],
    )
    assert _polars_cells(gz, 643, ["87"], True) is None
    cells, _ = partner_code_sums(gz, 643, ["87"], include_total=True)
    plain, _ = partner_code_sums(txt, 643, ["87"], include_total=True)
    assert (cells.attrs["engine"], plain.attrs["engine"]) == ("duckdb", "polars") and same_cells(
        cells, plain
    )
    with pytest.raises(ValueError, match="polars cannot read this file"):
        partner_code_sums(gz, 643, ["87"], engine="polars")


def write(tmp_path, *rows, name="scan.csv", header=HEADER, sep=","):
    path = tmp_path / name
    path.write_text(
        "\n".join([header.replace(",", sep)] + [r.replace(",", sep) for r in rows]) + "\n"
    )
    return path


def test_question_mark_in_a_number_column_sends_the_file_to_duckdb(tmp_path):
    """`?` where Comtrade leaves a number out: polars' strict parse refuses it; DuckDB reads it as missing."""
    path = write(
        tmp_path,
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000",
        "M,2024,3,202403,156,X,?,0,H6,8703,C00,0,2000000",  # partner unknown: not Russia's
        "M,2024,4,202404,156,X,643,?,H6,8703,C00,0,3000000",
    )  # partner2 missing counts as total
    assert _polars_cells(path, 643, ["87"], False) is None
    cells, _ = partner_code_sums(path, 643, ["87"])
    assert cells.attrs["engine"] == "duckdb"
    assert cells[["period", "value_usd_mn"]].to_dict("records") == [
        {"period": "2024-03", "value_usd_mn": 1.0},
        {"period": "2024-04", "value_usd_mn": 3.0},
    ]


def test_codes_written_as_decimals_stay_on_the_polars_path(tmp_path):
    """`643.0` (a code column saved from a float column): not an integer, so polars reads the codes as decimals."""
    path = write(
        tmp_path,
        "M,2024,3,202403,156.0,X,643.0,0.0,H6,8703,C00,0.0,1000000.0",
        "M,2024,3,202403,156,X,643,0,H6,8704,C00,0,2000000",
        "M,2024,3,202403,156.0,X,643.0,112.0,H6,8703,C00,0.0,500000.0",
    )  # breakdown row: left out
    fast = _polars_cells(path, 643, ["87"], False)
    assert fast is not None and same_cells(fast, _duckdb_cells(path, 643, ["87"], False))
    assert fast[["cmdCode", "lo"]].values.tolist() == [["8703", 1000000.0], ["8704", 2000000.0]]


def test_kept_row_without_period_goes_to_duckdb_which_uses_ref_year_and_month(tmp_path):
    path = write(
        tmp_path,
        "M,2024,3,,156,X,643,0,H6,8703,C00,0,1000000",
        "A,2023,52,,156,M,643,0,H6,8703,C00,0,5000000",
    )
    assert _polars_cells(path, 643, ["87"], False) is None
    cells, _ = partner_code_sums(path, 643, ["87"])
    assert cells.attrs["engine"] == "duckdb"
    assert cells[["flowCode", "period", "span"]].values.tolist() == [
        ["M", "2023", "year"],
        ["X", "2024-03", "month"],
    ]


def test_kept_row_without_value_goes_to_duckdb(tmp_path):
    path = write(
        tmp_path,
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000",
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,",
    )
    assert _polars_cells(path, 643, ["87"], False) is None
    cells, _ = partner_code_sums(path, 643, ["87"])
    assert (
        cells.attrs["engine"] == "duckdb"
        and cells.rows.tolist() == [2]
        and cells.value_usd_mn.tolist() == [1.0]
    )


def test_rules_on_the_polars_path(tmp_path):
    """Spaces around text (trimmed like DuckDB), quoted fields, a trailing comma, TOTAL rows, breakdown rows,
    sub-flows, other reporters and partners, exact duplicates, '.0' periods -- identical on both engines."""
    header = HEADER + ",isAggregate,"
    rows = [
        "M,2024,3,202403,156, X ,643,0,H6, 8703 ,C00,0,1000000,False,",
        'M,2024,3,202403,156,X,643.0,0,"H6","870323",C00,0,2500000,False,',
        "M,2024,3,202403,156,X,643,0,H6,870323,C00,0,2500000,False,",  # exact duplicate: counted once
        "M,2024,3,202403,156,X,643,0,H6,TOTAL,C00,0,9000000,False,",
        "M,2024,3,202403,156,X,643,112,H6,8703,C00,0,400000,False,",  # partner2 breakdown
        "M,2024,3,202403,156,X,643,0,H6,8703,C01,0,300000,False,",  # customs breakdown
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,9000,200000,False,",  # mode-of-transport breakdown
        "M,2024,3,202403,156,RX,643,0,H6,8703,C00,0,100000,False,",  # sub-flow
        "M,2024,3,202403,344,X,643,0,H6,8703,C00,0,700000,False,",  # another reporter
        "M,2024,3,202403,156,X,398,0,H6,8703,C00,0,800000,False,",  # another partner
        "M,2024,4,202404.0,,M,643,0,H5,8471,,,600000,False,",
    ]  # reporter, customs, mot empty
    path = write(tmp_path, *rows, header=header)
    for include_total in (False, True):
        fast = _polars_cells(path, 643, ["8471", "8703"], include_total)
        assert fast is not None and same_cells(
            fast, _duckdb_cells(path, 643, ["8471", "8703"], include_total)
        )
    cells, notes = partner_code_sums(path, 643, ["8471", "8703"], include_total=True)
    assert cells.attrs["engine"] == "polars"
    assert cells[
        ["cmdCode", "classificationCode", "flowCode", "period", "value_usd_mn", "rows"]
    ].values.tolist() == [
        ["8471", "H5", "M", "2024-04", 0.6, 1],
        ["8703", "H6", "X", "2024-03", 1.0, 1],
        ["870323", "H6", "X", "2024-03", 2.5, 2],
        ["TOTAL", "H6", "X", "2024-03", 9.0, 1],
    ]
    assert notes == ["scan.csv: 1 exact duplicate row(s) counted once"]


def test_tab_separated_file_on_the_polars_path(tmp_path):
    path = write(
        tmp_path, "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000", name="bulk.txt", sep="\t"
    )
    cells, _ = partner_code_sums(path, 643, ["87"])
    assert cells.attrs["engine"] == "polars" and cells.value_usd_mn.tolist() == [1.0]


def test_two_values_for_one_cell_stop_the_build_on_both_engines(tmp_path):
    path = write(
        tmp_path,
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000",
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,2000000",
    )
    for engine in ("polars", "duckdb"):
        with pytest.raises(
            InputError,
            match=r"2 rows for X 202403 HS 8703 \(H6\) give different values "
            r"\(1,000,000 vs 2,000,000 US\$\)",
        ):
            partner_code_sums(path, 643, ["87"], engine=engine)


def test_gzip_text_is_read_by_duckdb(tmp_path):
    path = tmp_path / "bulk.txt.gz"
    with gzip.open(path, "wt") as handle:
        handle.write(
            HEADER.replace(",", "\t")
            + "\n"
            + "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000".replace(",", "\t")
            + "\n"
        )
    cells, _ = partner_code_sums(path, 643, ["87"])
    assert cells.attrs["engine"] == "duckdb" and cells.value_usd_mn.tolist() == [1.0]


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError, match="engine must be"):
        partner_code_sums(
            write(tmp_path, "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1"),
            643,
            ["87"],
            engine="spark",
        )


def test_quoted_commas_newlines_and_quotes_inside_a_field(tmp_path):
    """Descriptions as Comtrade writes them: commas, doubled quotes and even line breaks inside quotes."""
    header = "freqCode,period,reporterCode,flowCode,partnerCode,partner2Code,classificationCode,cmdCode,cmdDesc,primaryValue"
    rows = [
        'M,202403,156,X,643,0,H6,8703,"Motor cars, and\nother ""vehicles""",1000000',
        'M,202403,156,X,643,0,H6,8704,"Trucks\r\n643,0,H6,8705",2000000',
        "M,202404,156,M,643,0,H6,8703,plain,3000000",
    ]
    path = tmp_path / "quoted.csv"
    path.write_text(header + "\n" + "\n".join(rows * 2000) + "\n")
    fast = _polars_cells(path, 643, ["87"], False)
    assert fast is not None and same_cells(fast, _duckdb_cells(path, 643, ["87"], False))
    assert fast[["cmdCode", "flowCode", "per", "rows", "lo"]].values.tolist() == [
        ["8703", "M", "202404", 2000, 3e6],
        ["8703", "X", "202403", 2000, 1e6],
        ["8704", "X", "202403", 2000, 2e6],
    ]


def test_period_written_as_decimal_or_padded_reads_as_text_on_the_polars_path(tmp_path):
    """Periods are parsed as integers first (cheaper); `202403.0` or ` 202403` fail that and are read as
    text, `.0` dropped and spaces trimmed as DuckDB does: same cells, still on polars."""
    path = write(
        tmp_path,
        "M,2024,3,202403.0,156,X,643,0,H6,8703,C00,0,1000000",
        "M,2024,4, 202404,156,X,643,0,H6,8703,C00,0,2000000",
    )
    cells, _ = partner_code_sums(path, 643, ["8703"], engine="polars")
    assert cells[["period", "value_usd_mn"]].to_dict("records") == [
        {"period": "2024-03", "value_usd_mn": 1.0},
        {"period": "2024-04", "value_usd_mn": 2.0},
    ]
    assert same_cells(
        _polars_cells(path, 643, ["8703"], False), _duckdb_cells(path, 643, ["8703"], False)
    )


# --- Parsing only the partner's lines: the sidecar's record count says when lines are records ------------------


def records_in(path) -> int:
    """The records a quote-aware CSV parser counts (the input check's DuckDB pass; what a sidecar records)."""
    from helpers.sources.comtrade_scan import _connect, _relation

    rel, params = _relation(path)
    con = _connect()
    try:
        return con.execute(f"SELECT count(*) FROM ({rel})", params).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("name", TEXT_FILES)
@pytest.mark.parametrize("partner", [643, 398, 0])
def test_partner_lines_give_the_same_cells_on_real_layouts(fixtures, name, partner):
    path = fixtures[name]
    for prefixes, include_total in QUERIES:
        fast = _polars_cells(path, partner, prefixes, include_total, records=records_in(path))
        assert fast.attrs["lines"] == "partner", (
            f"{name}: one line per record, so only the partner's lines"
        )
        assert same_cells(fast, _duckdb_cells(path, partner, prefixes, include_total))


def test_a_line_break_inside_a_quoted_field_makes_the_scan_parse_every_line(tmp_path):
    """Half a record can look like a whole Russian row: a line break inside quotes, then `643,...`. The
    count of records (2) differs from the count of lines (3), so every line is parsed as CSV."""
    header = "freqCode,period,reporterCode,flowCode,partnerCode,partner2Code,classificationCode,cmdCode,cmdDesc,primaryValue"
    path = tmp_path / "multiline.csv"
    path.write_text(
        header
        + "\n"
        + 'M,202403,156,X,398,0,H6,8703,"Cars\nM,202403,156,X,643,0,H6,8703,x,9",5\n'
        + "M,202403,156,X,643,0,H6,8703,plain,1000000\n"
    )
    assert records_in(path) == 2 and _partner_lines(path, 643, 2) is None
    cells, _ = partner_code_sums(path, 643, ["87"], records=2)
    assert cells.attrs["lines"] == "all" and cells[
        ["cmdCode", "value_usd_mn", "rows"]
    ].values.tolist() == [["8703", 1.0, 1]]
    # the guard is the count: told (wrongly) that lines are records, the half record would be read as a row
    assert b"x,9" in _partner_lines(path, 643, 3)


def test_the_partner_lines_need_the_exact_record_count(tmp_path):
    path = write(
        tmp_path,
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000",
        "M,2024,3,202403,156,X,398,0,H6,8703,C00,0,6430000",
    )
    for records, lines in ((None, "all"), (1, "all"), (3, "all"), (2, "partner")):
        cells, _ = partner_code_sums(path, 643, ["87"], records=records)
        assert (cells.attrs["lines"], cells.value_usd_mn.tolist()) == (lines, [1.0])
    # 6430000 holds the digits: Kazakhstan's line is parsed too, and left out by the partner filter
    assert _partner_lines(path, 643, 2).count(b"\n") == 3


def test_blank_line_crlf_and_every_way_of_writing_643_on_the_partner_lines(tmp_path):
    rows = [
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000",
        'M,2024,4,202404,156,X,"643",0,H6,8703,C00,0,2000000',
        "M,2024,5,202405,156,X,0643,0,H6,8703,C00,0,3000000",
        "M,2024,6,202406,156,X,398,0,H6,8703,C00,0,4000000",
    ]
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode())
    cells, _ = partner_code_sums(crlf, 643, ["87"], records=records_in(crlf))
    assert cells.attrs["lines"] == "partner" and cells.value_usd_mn.tolist() == [1.0, 2.0, 3.0]
    assert same_cells(
        _polars_cells(crlf, 643, ["87"], False, records=4), _duckdb_cells(crlf, 643, ["87"], False)
    )
    blank = tmp_path / "blank.csv"
    blank.write_text("\n".join([HEADER, rows[0], "", rows[1]]) + "\n")
    assert (
        records_in(blank) == 2 and _partner_lines(blank, 643, 2) is None
    )  # 3 lines after the header


def test_question_mark_in_another_partners_row_stays_on_polars_with_the_partner_lines(tmp_path):
    """Parsing every line, a `?` in any row sends the file to DuckDB; parsing the partner's lines, only a `?`
    in them does. The cells are DuckDB's either way."""
    ok = write(
        tmp_path,
        "M,2024,3,202403,156,X,643,0,H6,8703,C00,0,1000000",
        "M,2024,3,202403,156,X,398,?,H6,8703,C00,0,2000000",
        name="other.csv",
    )
    fast = _polars_cells(ok, 643, ["87"], False, records=2)
    assert fast.attrs["lines"] == "partner" and same_cells(
        fast, _duckdb_cells(ok, 643, ["87"], False)
    )
    assert _polars_cells(ok, 643, ["87"], False) is None
    bad = write(tmp_path, "M,2024,3,202403,156,X,643,?,H6,8703,C00,0,1000000", name="own.csv")
    assert _polars_cells(bad, 643, ["87"], False, records=1) is None
    cells, _ = partner_code_sums(bad, 643, ["87"], records=1)
    assert cells.attrs["engine"] == "duckdb" and cells.value_usd_mn.tolist() == [1.0]


def test_digits_on_most_lines_make_the_scan_parse_every_line(tmp_path, monkeypatch):
    """A short partner code (20, Andorra) is in every 2024 period: keeping its lines would hold most of the
    file in memory, so above a tenth of the lines (and the floor) every line is parsed instead."""
    from helpers.sources import comtrade_scan

    rows = [
        f"M,2024,{m},2024{m:02d},156,X,{'643' if m == 1 else 398},0,H6,8703,C00,0,{m}"
        for m in range(1, 11)
    ]
    rows += [f"M,2024,{m},2024{m:02d},156,X,20,0,H6,8703,C00,0,5" for m in range(1, 11)]
    path = write(tmp_path, *rows)
    assert _partner_lines(path, 20, 20) is not None  # under the floor of 100,000 lines: kept
    monkeypatch.setattr(comtrade_scan, "PARTNER_LINES_FLOOR", 0)
    assert (
        _partner_lines(path, 643, 20).count(b"\n") == 2
    )  # the header and Russia's one line: 1 in 20
    assert _partner_lines(path, 20, 20) is None  # 20 lines of 20 hold "20"
    cells, _ = partner_code_sums(path, 20, ["87"], records=20)
    assert (
        cells.attrs["lines"] == "all"
        and cells.rows.tolist() == [1] * 10
        and set(cells.value_usd_mn) == {5e-6}
    )
