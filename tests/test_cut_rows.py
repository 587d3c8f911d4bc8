"""A file cut off inside its last row (an interrupted download) is never read as a smaller number
(issue 23, point 2): the build refuses it naming file and row, `make inspect` flags the row and leaves
it out of its totals. SYNTHETIC rows, written here."""

import io
import json
import shutil
from pathlib import Path

import pytest

from helpers.core.errors import InputError
from helpers.pipeline import inspect
from helpers.sources.comtrade import read_comtrade_records
from helpers.sources.comtrade_scan import check_large_file
from helpers.sources.text_rows import CUT_REASON, CutRowError, csv_rows, read_csv_as_text

GACC_2025 = (
    Path(__file__).parent
    / "fixtures"
    / "hs_level"
    / "raw"
    / "gacc"
    # SYNTHETIC fixture: July 2025's last row is code 980400, US$ "32,600,000"
    / "gacc_出口_俄罗斯_2025-01_2025-07.csv"
)
COMTRADE = (
    "freqCode,period,reporterCode,flowCode,partnerCode,cmdCode,classificationCode,primaryValue\n"
    "M,202403,156,X,643,8703,H6,812345678\n"
    "M,202403,156,M,643,2709,H6,5000000000\n"
)


def rows_of(text: str) -> list:
    return list(csv_rows(io.StringIO(text, newline="")))


def test_only_a_last_row_the_text_ends_inside_is_incomplete():
    assert rows_of("a,b\n1,2\n") == [(["a", "b"], True), (["1", "2"], True)]
    assert rows_of("a,b\r\n1,2") == [(["a", "b"], True), (["1", "2"], False)]
    # the lenient reader closes an open quote at the end of the file: the row is still cut
    assert rows_of('a,b\n1,"32,600\n')[-1] == (["1", "32,600\n"], False)
    assert rows_of('a,b\n1,"32,600,000"\n')[-1] == (["1", "32,600,000"], True)
    assert rows_of("") == []


def test_comtrade_csv_cut_inside_its_last_value_is_refused_or_flagged(tmp_path):
    path = tmp_path / "comtrade_cn_2024.csv"
    path.write_text(COMTRADE[: COMTRADE.rindex("5000000000") + 5], encoding="utf-8")
    with pytest.raises(CutRowError, match="row 2: the file ends inside this row"):
        read_comtrade_records(path)
    frame = read_comtrade_records(path, flag_cut_row=True)
    assert list(frame.loc[frame.measure == "value", "value"]) == [812.345678]  # never 0.05
    assert frame.attrs["skipped"] == [{"row": 2, "reason": CUT_REASON}]
    assert frame.attrs["rows"] == 2
    path.write_text(COMTRADE, encoding="utf-8")  # the whole file reads
    assert read_comtrade_records(path).value.sum() == pytest.approx(5812.345678)


def test_a_large_file_scanned_by_duckdb_is_refused_naming_its_last_row(tmp_path):
    path = tmp_path / "comtrade_cn_2024.csv"
    path.write_text(COMTRADE.rstrip("\n")[:-4], encoding="utf-8")
    with pytest.raises(CutRowError, match="row 2: the file ends inside this row"):
        check_large_file(path)


def test_a_csv_read_as_text_is_refused_at_a_cut_or_short_row(tmp_path):
    path = tmp_path / "rows.csv"
    path.write_text("t,i,j,k,v,q\n2023,156,643,870322,1.5,2\n2023,156,643,8703", encoding="utf-8")
    with pytest.raises(CutRowError, match="row 2"):
        read_csv_as_text(path)
    path.write_text("t,i,j,k,v,q\n2023,156,643,870322,1.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 1: has 5 fields, header has 6"):
        read_csv_as_text(path)


def test_make_inspect_flags_the_cut_row_and_leaves_it_out_of_the_totals(tmp_path, capsys):
    whole = tmp_path / "whole" / GACC_2025.name
    whole.parent.mkdir()
    shutil.copy2(GACC_2025, whole)
    text = GACC_2025.read_text(encoding="utf-8-sig")
    cut = tmp_path / "cut" / GACC_2025.name
    cut.parent.mkdir()
    cut.write_text(text[: text.rindex("32,600,000") + 6], encoding="utf-8")  # ...,"32,600
    totals = {}
    for name, path in (("whole", whole), ("cut", cut)):
        assert inspect.main([str(path), "--json"]) == 0
        lines = capsys.readouterr().out.splitlines()
        result = json.loads(lines[-1])
        totals[name] = {t["period"]: t["value_mn"] for t in result["totals"]}
    assert result["flags"] == [f"{GACC_2025.name}: row 49: {CUT_REASON}"]
    assert {"row": 49, "reason": CUT_REASON} in result["skipped"]
    assert result["rows"] == 49
    assert f"flag: {GACC_2025.name}: row 49: {CUT_REASON}" in lines
    # July without the cut row: 32.6 (US$ mn) less, never 32,600 US$ read as 0.0326
    assert totals["cut"]["2025-07"] == pytest.approx(totals["whole"]["2025-07"] - 32.6)
    assert {k: v for k, v in totals["cut"].items() if k != "2025-07"} == {
        k: v for k, v in totals["whole"].items() if k != "2025-07"
    }
