from pathlib import Path

import pandas as pd
import pytest

from helpers.core.errors import InputError
from helpers.sources.gacc_exports import GaccFormatError, read_gacc_export
from helpers.sources.gacc_table import read_gacc_english_table
from helpers.sources.hs_level import TIDY_COLUMNS, load_hs_level

FIXTURES = Path(__file__).parent / "fixtures" / "hs_level"
GBK_FILE = FIXTURES / "gacc_出口_俄罗斯_202401-202402_gbk.csv"


def values(frame):
    return frame[frame.measure == "value"]


def test_gbk_chinese_headers_decoded_and_summed():
    assert "俄罗斯".encode("gbk") in GBK_FILE.read_bytes()  # the fixture really is GBK
    frame = read_gacc_export(GBK_FILE)
    assert list(frame.columns) == TIDY_COLUMNS
    rows = values(frame)
    assert len(rows) == 4
    assert rows.value.sum() == pytest.approx(436.914568)
    assert set(rows.flow) == {"export"} and set(rows.partner) == {"RU"}
    assert rows.commodity.iloc[1] == "排量1.5-2升的小轿车"
    assert list(rows.period) == ["2024-01", "2024-01", "2024-02", "2024-02"]
    assert set(rows.span) == {"month"} and set(rows.currency_note) == {"usd"}


def test_leading_zeros_kept_and_source_rows_counted():
    rows = values(read_gacc_export(GBK_FILE))
    assert list(rows.hs_code) == ["03038990", "87032342", "87032342", "0303"]
    assert list(rows.source_row) == [1, 2, 3, 4]


def test_quantities_are_separate_rows_with_units():
    frame = read_gacc_export(GBK_FILE)
    quantities = frame[frame.measure == "quantity"]
    cars_jan = quantities[(quantities.hs_code == "87032342") & (quantities.period == "2024-01")]
    assert sorted(zip(cars_jan.unit, cars_jan.value)) == [("kg", 15678900.0), ("units", 12345.0)]
    assert len(quantities) == 6


def test_english_headers_utf8_bom_flow_from_name():
    frame = read_gacc_export(FIXTURES / "gacc_english_ui_import_202403.csv")
    rows = values(frame)
    assert set(rows.flow) == {"import"}
    assert dict(zip(rows.hs_code, rows.value)) == {"27090000": 4321.0, "44032500": 150.0}
    assert set(rows.partner) == {"RU"}
    second_unit = frame[(frame.measure == "quantity") & (frame.hs_code == "44032500")].unit.tolist()
    assert second_unit == ["kg", "cubic meter"]


def test_cny_values_are_not_converted():
    rows = values(read_gacc_export(FIXTURES / "gacc_出口_cny_202405.csv"))
    assert set(rows.unit) == {"cny_mn"} and set(rows.currency_note) == {"cny"}
    assert dict(zip(rows.hs_code, rows.value)) == pytest.approx(
        {"87032342": 1234.56789, "84713000": 98.765432}
    )


def test_flow_argument_wins_over_file_name():
    assert set(read_gacc_export(GBK_FILE, flow="import").flow) == {"import"}


def test_year_only_query_gives_span_year(tmp_path):
    path = tmp_path / "export_2023_year.csv"
    path.write_text(
        '商品编码,商品名称,贸易伙伴名称,美元\n0303,冻鱼,俄罗斯联邦,"3,000,000"\n', encoding="utf-8"
    )
    rows = values(read_gacc_export(path))
    assert list(zip(rows.period, rows.span, rows.value)) == [("2023", "year", 3.0)]


def test_xlsx_export(tmp_path):
    path = tmp_path / "出口_2024.xlsx"
    pd.DataFrame(
        {
            "数据年月": ["202406"],
            "商品编码": ["0303"],
            "贸易伙伴名称": ["俄罗斯联邦"],
            "金额_美元": ["1,500,000"],
        }
    ).to_excel(path, index=False)
    rows = values(read_gacc_export(path))
    assert list(zip(rows.hs_code, rows.period, rows.value)) == [("0303", "2024-06", 1.5)]


def test_year_of_the_file_name_follows_the_period_rule(tmp_path):
    # a year-only query has no 数据年月 column: the file name's year is checked like a row's period
    path = tmp_path / "export_1999.csv"
    path.write_text("商品编码,贸易伙伴名称,美元\n8703,俄罗斯联邦,100\n", encoding="utf-8")
    with pytest.raises(
        InputError, match=r"export_1999\.csv, column 'period': period year 1999 is out"
    ):
        read_gacc_export(path)
    path.rename(good := tmp_path / "export_2024.csv")
    assert read_gacc_export(good)[["period", "span", "value"]].values.tolist() == [
        ["2024", "year", 0.0001]
    ]


def test_odd_length_code_is_an_error_not_padded(tmp_path):
    # issue 13 point 3: a code that lost its leading zero (or a 7-digit code) is never silently padded
    path = tmp_path / "export.csv"
    path.write_text(
        "数据年月,商品编码,贸易伙伴名称,美元\n202401,0303,俄罗斯联邦,100\n202401,8703234,俄罗斯联邦,5\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        read_gacc_export(path)
    assert "export.csv, row 2, column '商品编码': commodity code '8703234' has 7 digits" in str(
        info.value
    )


@pytest.mark.parametrize(
    "body, message",
    [
        (
            "日期,编码,金额\n202401,0303,1\n",
            "unknown header set; first row reads: '日期 | 编码 | 金额'",
        ),
        (
            "数据年月,商品编码,贸易伙伴名称,美元\n202401,0303,俄罗斯联邦,12a\n",
            "export.csv, row 1, column '美元': value '12a' is not a number",
        ),
        (
            "数据年月,商品编码,贸易伙伴名称,美元\n202401,0303,俄罗斯联邦,1\n202401,0304,俄罗斯联邦,-5\n",
            "export.csv, row 2, column '美元': value '-5' is negative",
        ),
        (
            "数据年月,商品编码,贸易伙伴名称,美元\n202401,87O3,俄罗斯联邦,1\n",
            "export.csv, row 1, column '商品编码': commodity code '87O3' is not digits",
        ),
        (
            "数据年月,商品编码,贸易伙伴名称,美元\n202413,8703,俄罗斯联邦,1\n",
            "export.csv, row 1, column '数据年月': period '202413' is not a month",
        ),
        (
            "数据年月,商品编码,贸易伙伴名称,美元\n202401,8703,亚特兰蒂斯,1\n",
            "export.csv, row 1, column '贸易伙伴名称': trading partner '亚特兰蒂斯' is not a known partner",
        ),
    ],
)
def test_bad_input_errors_name_file_row_column(tmp_path, body, message):
    path = tmp_path / "export.csv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_gacc_export(path)
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_flow_must_be_known(tmp_path):
    path = tmp_path / "query.csv"
    path.write_text(
        "数据年月,商品编码,贸易伙伴名称,美元\n202401,8703,俄罗斯联邦,1\n", encoding="utf-8"
    )
    with pytest.raises(GaccFormatError, match="cannot tell the flow from the file name"):
        read_gacc_export(path)


def test_english_site_country_table():
    frame = read_gacc_english_table(
        FIXTURES / "gacc_english_country_table_2025-07.html", partner="RU"
    )
    assert list(frame.columns) == TIDY_COLUMNS
    got = {(r.span, r.flow): (r.value, r.yoy_pct) for r in frame.itertuples()}
    assert set(frame.period) == {"2025-07"} and set(frame.commodity) == {"TOTAL"}
    assert got[("month", "export")][0] == pytest.approx(9012.345)
    assert got[("month", "import")][0] == pytest.approx(10864.198)
    assert got[("month", "total")][0] == pytest.approx(19876.543)
    assert got[("ytd", "export")] == pytest.approx((56789.0, -7.2))
    assert got[("ytd", "import")] == pytest.approx((68643.1, -8.9))
    assert got[("ytd", "total")] == pytest.approx((125432.1, -8.1))
    assert pd.isna(got[("month", "export")][1])
    assert len(frame) == 6


def test_english_table_other_partner_and_missing_partner():
    frame = read_gacc_english_table(
        FIXTURES / "gacc_english_country_table_2025-07.html", partner="JP"
    )
    assert frame[(frame.span == "ytd") & (frame.flow == "export")].value.item() == pytest.approx(
        88000.0
    )
    with pytest.raises(GaccFormatError, match="partner Germany not found in the first column"):
        read_gacc_english_table(FIXTURES / "gacc_english_country_table_2025-07.html", partner="DE")


def test_english_table_without_unit_is_refused(tmp_path):
    html = (FIXTURES / "gacc_english_country_table_2025-07.html").read_text(encoding="utf-8")
    path = tmp_path / "table.html"
    path.write_text(html.replace("Unit: US$1,000", "Unit: ?"), encoding="utf-8")
    with pytest.raises(GaccFormatError, match="unit not found"):
        read_gacc_english_table(path)


def test_load_hs_level_fixture_pair_sums():
    frame = load_hs_level(FIXTURES / "raw")
    rows = frame[(frame.measure == "value") & (frame.flow == "export") & (frame.partner == "RU")]
    vehicles = rows[rows.hs_code.str[:4].isin(["8701", "8703", "8704"])]
    by_year = vehicles.groupby(vehicles.period.str[:4]).value.sum()
    assert by_year["2024"] == pytest.approx(11300.0)
    assert by_year["2025"] == pytest.approx(6820.25)
    low_value = rows[rows.hs_code.str.startswith("9804")]
    assert set(low_value.hs_version) == {"GACC"}
    assert low_value.value.sum() == pytest.approx(293.0 + 217.9)
    assert rows[rows.hs_code == "85171300"].value.sum() == pytest.approx(1287.0 + 1382.3)


def test_load_hs_level_empty_dir(tmp_path):
    frame = load_hs_level(tmp_path)
    assert frame.empty and list(frame.columns) == TIDY_COLUMNS
