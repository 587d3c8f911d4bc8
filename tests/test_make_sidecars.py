"""`make sidecars`: a raw file that changed is validated as the build reads it, then its sidecar records the new
checksum and row count; an invalid row stops it with one line and no sidecar is written."""

import json
import shutil

import pytest

from helpers.core.errors import InputError
from helpers.core.file_hash import file_sha256
from helpers.core.paths import RAW_DIR
from helpers.pipeline.sidecars import refresh, sidecars_of
from helpers.sources.provenance import verify_raw_file
from synthetic_month import append_rows, synthetic_rows

TOTALS = "gacc_cn_ru_totals.csv"


@pytest.fixture
def raw(tmp_path):
    copy = tmp_path / "raw"
    shutil.copytree(RAW_DIR, copy)
    return copy


def sidecar(raw) -> dict:
    return json.loads((raw / "gacc_cn_ru_totals.meta.json").read_text(encoding="utf-8"))


def test_nothing_changed_nothing_written(raw):
    assert len(sidecars_of(raw)) == 7
    assert refresh(raw, today="2026-04-15") == []


def test_appended_month_is_validated_and_recorded(raw):
    before = sidecar(raw)
    append_rows(raw / TOTALS, synthetic_rows())
    with pytest.raises(
        InputError, match="checksum mismatch"
    ):  # what make report says until refreshed
        verify_raw_file(raw / TOTALS)
    lines = refresh(raw, today="2026-04-15")
    assert len(lines) == 1 and lines[0].startswith(
        "raw/gacc_cn_ru_totals.csv: 438 -> 441 rows, sha256 "
    )
    after = sidecar(raw)
    assert after["sha256"] == file_sha256(raw / TOTALS) and after["rows"] == 441
    assert after["bytes"] == (raw / TOTALS).stat().st_size
    assert after["updates"][-1] == {
        "date": "2026-04-15",
        "by": "make sidecars",
        "rows_before": 438,
        "sha256_before": before["sha256"],
    }
    assert {k: v for k, v in after.items() if k not in ("sha256", "rows", "bytes", "updates")} == {
        k: v for k, v in before.items() if k not in ("sha256", "rows", "bytes", "updates")
    }
    verify_raw_file(raw / TOTALS)  # the build accepts it now


def test_an_invalid_row_stops_with_one_line_and_no_sidecar_is_written(raw):
    rows = synthetic_rows()
    rows[1][2] = "exports"  # data row 440: not a flow
    append_rows(raw / TOTALS, rows)
    before = sidecar(raw)
    with pytest.raises(InputError) as error:
        refresh(raw, today="2026-04-15")
    assert str(error.value).startswith("raw/gacc_cn_ru_totals.csv, row 440, column 'flow'")
    assert sidecar(raw) == before


def test_the_cross_row_checks_run_too(raw):
    rows = synthetic_rows()
    rows[2][3] = "69100"  # turnover 10,000 above exports + imports on the same page
    append_rows(raw / TOTALS, rows)
    with pytest.raises(InputError) as error:
        refresh(raw, today="2026-04-15")
    assert str(error.value).startswith(
        "raw/gacc_cn_ru_totals.csv, row 441, column 'value_usd_mn': export + import = 59,100 but total "
        "= 69,100 for 2026-03 ytd on the same page"
    )
