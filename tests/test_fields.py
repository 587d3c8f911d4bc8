"""One number rule and one HS-code rule for every reader (helpers.sources.fields, issue 20).

One regression test per disagreement the module's docstring lists; every file here is SYNTHETIC,
written by the test, and every refusal is checked to name file, row, column and value.
"""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers.core.errors import InputError
from helpers.sources import fields
from helpers.sources.baci import read_baci
from helpers.sources.comtrade import read_comtrade_records
from helpers.sources.comtrade_scan import check_large_file
from helpers.sources.configs import load_groups
from helpers.sources.fuel_monitor import read_fuel_monitor
from helpers.sources.gacc_exports import read_gacc_export
from helpers.sources.gacc_table import read_gacc_english_table
from helpers.sources.validation import COMMODITIES_SCHEMA, TOTALS_SCHEMA, validate_table

TODAY = dt.date(2026, 8, 1)
TOTALS_HEADER = ",".join(TOTALS_SCHEMA.columns)
COMMODITIES_HEADER = ",".join(COMMODITIES_SCHEMA.columns)
COMTRADE_HEADER = (
    "freqCode,period,reporterCode,flowCode,partnerCode,partner2Code,motCode,classificationCode,"
    "cmdCode,primaryValue\n"
)
COMTRADE_GOOD = "M,202402,156,X,643,0,0,H6,8703,10\n"
TABLE = Path(__file__).parent / "fixtures" / "hs_level" / "gacc_english_country_table_2025-07.html"


def totals(tmp_path, *rows: str) -> Path:
    """A wire totals file: one line per (value_usd_mn, yoy_pct) pair, the other fields filled in."""
    path = tmp_path / "gacc_cn_ru_totals.csv"
    body = [f"2025-0{i + 2},ytd,total,{row},usd,u,p,,q" for i, row in enumerate(rows)]
    path.write_text("\n".join([TOTALS_HEADER, *body]) + "\n", encoding="utf-8")
    return path


def refusal(read, *args, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        read(*args, **kwargs)
    assert "\n" not in str(info.value)
    return str(info.value)


def comtrade_refusals(tmp_path, row: str) -> list[str]:
    """The error of Comtrade's row reader and of its DuckDB scan on the same bad second row."""
    path = tmp_path / "snapshot.csv"
    path.write_text(COMTRADE_HEADER + COMTRADE_GOOD + row + "\n", encoding="utf-8")
    return [refusal(read_comtrade_records, path), refusal(check_large_file, path)]


def baci(tmp_path, row: str) -> Path:
    path = tmp_path / "baci_hs17_extract.csv"
    path.write_text("t,i,j,k,v,q\n2023,156,643,870323,100.5,3\n" + row + "\n", encoding="utf-8")
    return path


def fuel(tmp_path, row: str) -> Path:
    path = tmp_path / "comtrade_fuel.csv"
    header = "period,commodity,commodity_code,partner,value_usd_bn,qty_mt,value_per_mt_usd"
    good = "202401,coal,2701,Russian Federation,0.5,4.1,120"
    path.write_text(f"{header}\n{good}\n{row}\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------------------- numbers
def test_the_wire_reads_exponents_signs_and_dashes_as_comtrade_does(tmp_path):
    frame, _ = validate_table(
        totals(tmp_path, "1.258e5,+5", ".5,-", "125800,--"), TOTALS_SCHEMA, TODAY
    )
    assert frame.value_usd_mn.tolist() == [125800.0, 0.5, 125800.0]
    assert frame.yoy_pct.tolist()[0] == 5.0 and frame.yoy_pct.isna().tolist() == [False, True, True]
    snapshot = tmp_path / "snapshot.csv"
    snapshot.write_text(COMTRADE_HEADER + "M,202402,156,X,643,0,0,H6,8703,1.258e5\n")
    assert read_comtrade_records(snapshot).value.tolist() == [0.1258]  # US$ mn
    message = refusal(validate_table, totals(tmp_path, "1e999,1"), TOTALS_SCHEMA, TODAY)
    assert "gacc_cn_ru_totals.csv, row 1, column 'value_usd_mn': value '1e999' is not finite" in (
        message
    )


@pytest.mark.parametrize(
    "reader, expected",
    [
        (
            lambda tmp: validate_table(totals(tmp, "9883,1", "１２３,1"), TOTALS_SCHEMA, TODAY),
            "gacc_cn_ru_totals.csv, row 2, column 'value_usd_mn': value '１２３' is not a number",
        ),
        (
            lambda tmp: read_baci(baci(tmp, "2023,643,156,270900,１２３,4")),
            "baci_hs17_extract.csv, row 2, column 'v': value '１２３' is not a number",
        ),
        (
            lambda tmp: read_fuel_monitor(fuel(tmp, "202402,coal,2701,Russian Federation,１,4,1")),
            "comtrade_fuel.csv, row 2, column 'value_usd_bn': value '１' is not a number",
        ),
    ],
    ids=["wire", "baci", "fuel"],
)
def test_digits_of_other_scripts_are_no_number_in_any_reader(tmp_path, reader, expected):
    assert expected in refusal(reader, tmp_path)


@pytest.mark.parametrize(
    "row, expected",
    [
        (
            "M,202403,156,X,643,0,0,H6,8703,１２３",
            "column 'primaryValue': value '１２３' is not a number",
        ),
        (
            "M,２０２４０３,156,X,643,0,0,H6,8703,5",
            "column 'period': period '２０２４０３' with freqCode",
        ),
    ],
    ids=["value", "period"],
)
def test_comtrade_row_reader_and_scan_both_refuse_fullwidth_digits(tmp_path, row, expected):
    for message in comtrade_refusals(tmp_path, row):
        assert f"snapshot.csv, row 2, {expected}" in message


@pytest.mark.parametrize(
    "read, expected",
    [
        (
            lambda tmp: read_baci(baci(tmp, "2023,643,156,270900,-7.5,4")),
            "baci_hs17_extract.csv, row 2, column 'v': value '-7.5' is negative",
        ),
        (
            lambda tmp: read_baci(baci(tmp, "2023,643,156,270900,7.5,-4")),
            "baci_hs17_extract.csv, row 2, column 'q': value '-4' is negative",
        ),
        (
            lambda tmp: read_fuel_monitor(fuel(tmp, "202402,coal,2701,Russian Federation,1,-4,1")),
            "comtrade_fuel.csv, row 2, column 'qty_mt': value '-4' is negative",
        ),
    ],
    ids=["baci-value", "baci-quantity", "fuel-quantity"],
)
def test_negative_amounts_are_refused_in_baci_and_the_fuel_rows(tmp_path, read, expected):
    assert expected in refusal(read, tmp_path)


def test_baci_unknown_quantity_is_no_number_not_an_error(tmp_path):
    rows = read_baci(baci(tmp_path, "2023,643,156,270900,7.5,          NA"))
    assert rows.loc[rows.measure == "quantity", "value"].tolist() == [3.0]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("12,34", "value '12,34' uses a decimal comma"),
        ("1 000", "value '1 000' is not a number"),
    ],
)
def test_gacc_english_table_neither_guesses_a_comma_nor_stops_on_a_space(tmp_path, cell, expected):
    path = tmp_path / "table.html"
    path.write_text(
        TABLE.read_text(encoding="utf-8").replace("<td>9,012,345</td>", f"<td>{cell}</td>"),
        encoding="utf-8",
    )
    message = refusal(read_gacc_english_table, path, partner="RU")
    assert f"table.html, row 4, column 'July 2025 Exports': {expected}" in message


def test_comtrade_row_reader_refuses_a_dash_value_like_the_scan(tmp_path):
    row_reader, scan = comtrade_refusals(tmp_path, "M,202403,156,X,643,0,0,H6,8703,-")
    assert "snapshot.csv, row 2, column 'primaryValue': value '-' is empty" in row_reader
    assert "snapshot.csv, row 2, column 'primaryValue': value '-' is empty" in scan


# ------------------------------------------------------------------------------------------ codes
@pytest.mark.parametrize(
    "read, expected",
    [
        (
            lambda tmp: _wire_code(tmp, "８７０３"),
            "gacc_cn_ru_commodities.csv, row 1, column 'hs_code': commodity code '８７０３' is not "
            "digits",
        ),
        (
            lambda tmp: read_baci(baci(tmp, "2023,643,156,２７０９００,7.5,4")),
            "baci_hs17_extract.csv, row 2, column 'k': commodity code '２７０９００' is not digits",
        ),
        (
            lambda tmp: _groups_with_code(tmp, "８７０３"),
            "commodity_groups.yaml: group 'trucks', field 'hs.HS2017': HS code '８７０３' is not "
            "digits",
        ),
    ],
    ids=["wire", "baci", "group-config"],
)
def test_a_code_in_fullwidth_digits_is_refused_everywhere(tmp_path, read, expected):
    assert expected in refusal(read, tmp_path)


def test_comtrade_partner_codes_in_fullwidth_digits_are_refused_by_both_paths(tmp_path):
    row_reader, scan = comtrade_refusals(tmp_path, "M,202403,156,X,６４３,0,0,H6,8703,5")
    for message in (row_reader, scan):
        assert (
            "snapshot.csv, row 2, column 'partnerCode': partnerCode '６４３' is not a number"
            in (message)
        )


def test_a_ten_digit_code_is_a_code_in_the_group_config_as_in_the_readers(tmp_path):
    groups = _groups_with_code(tmp_path, "8703234510")
    assert "8703234510" in groups["trucks"]["hs"]["HS2017"]
    export = tmp_path / "export.csv"
    export.write_text("数据年月,商品编码,贸易伙伴名称,美元\n202401,8703234510,俄罗斯联邦,100\n")
    assert read_gacc_export(export).hs_code.tolist() == ["8703234510"]
    message = refusal(_groups_with_code, tmp_path, "87032345101")
    assert "group 'trucks', field 'hs.HS2017': HS code '87032345101' has 11 digits" in message


def _wire_code(tmp_path, code: str):
    path = tmp_path / "gacc_cn_ru_commodities.csv"
    row = f"2025-07,ytd,export,vehicles,{code},value,100,usd_mn,-5,u,p,,q"
    path.write_text(f"{COMMODITIES_HEADER}\n{row}\n", encoding="utf-8")
    return validate_table(path, COMMODITIES_SCHEMA, TODAY)


def _groups_with_code(tmp_path, code: str) -> dict:
    config = yaml.safe_load(Path("config/commodity_groups.yaml").read_text(encoding="utf-8"))
    config["groups"]["trucks"]["hs"]["HS2017"].append(code)
    path = tmp_path / "commodity_groups.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return load_groups(path)


# ------------------------------------------------------------------------ the rule, one cell at a time
@pytest.mark.parametrize(
    "text",
    ["0", "12", "-3.5", "+5", ".5", "5.", "1e3", "1.5E-2", "", "-", "--", "1,234", "１２", "1_000"]
    + ["nan", "inf", "1e999", "12,34", "1,5", "0x10", " 7 "],
)
def test_a_column_is_read_as_each_of_its_cells(text):
    """`numbers` (pandas, for large files) and `number` (one cell) are the same rule."""
    for grouped in (False, True):
        for signed in (False, True):
            try:
                one = fields.number(text, signed=signed, grouped=grouped)
            except fields.FieldError as error:
                one = str(error)
            try:
                column = fields.numbers(pd.Series(["1", text]), signed=signed, grouped=grouped)
                many = None if pd.isna(column.iloc[1]) else column.iloc[1]
            except fields.FieldError as error:
                many = str(error).replace("row 2: ", "")
            assert one == many, (text, grouped, signed)
