import json
import logging
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from helpers.fetch import comtrade_api as comtrade
from helpers.fetch.comtrade_api import (
    ChunkQuery,
    ComtradeConnectionError,
    ComtradeError,
    fetch_comtrade,
    month_range,
    plan_chunks,
)
from helpers.sources.comtrade import read_comtrade_records
from helpers.sources.hs_level import TIDY_COLUMNS, load_hs_level
from helpers.sources.partners import resolve_partner

FIXTURES = Path(__file__).parent / "fixtures" / "hs_level"
DUMMY_KEY = "dummy-key-123456"


class FakeClient:
    """Same function names and signatures as comtradeapicall; records calls, answers from a script."""

    def __init__(self, script=None, rows_per_call=None):
        self.calls = []
        self.script = list(script or [])
        self.rows_per_call = rows_per_call

    def _answer(self, kind, key, kwargs):
        self.calls.append({"function": kind, "key": key, **kwargs})
        if self.script:
            step = self.script.pop(0)
            if isinstance(step, BaseException):
                raise step
            if callable(step):
                return step()
            return step
        periods, codes = kwargs["period"].split(","), kwargs["cmdCode"].split(",")
        rows = [
            {
                "period": p,
                "reporterCode": 156,
                "flowCode": f,
                "partnerCode": int(kwargs["partnerCode"]),
                "classificationCode": "H6",
                "cmdCode": c,
                "primaryValue": 1e6,
                "qty": 1,
                "qtyUnitAbbr": "u",
            }
            for p in periods
            for c in codes
            for f in ("X", "M")
        ]
        return pd.DataFrame(rows[: self.rows_per_call] if self.rows_per_call else rows)

    def previewFinalData(
        self,
        typeCode,
        freqCode,
        clCode,
        period,
        reporterCode,
        cmdCode,
        flowCode,
        partnerCode,
        partner2Code,
        customsCode,
        motCode,
        maxRecords=None,
        format_output=None,
        aggregateBy=None,
        breakdownMode=None,
        countOnly=None,
        includeDesc=None,
        proxy_url=None,
    ):
        return self._answer(
            "previewFinalData",
            None,
            dict(
                period=period,
                cmdCode=cmdCode,
                flowCode=flowCode,
                partnerCode=partnerCode,
                reporterCode=reporterCode,
                maxRecords=maxRecords,
            ),
        )

    def getFinalData(
        self,
        subscription_key,
        typeCode,
        freqCode,
        clCode,
        period,
        reporterCode,
        cmdCode,
        flowCode,
        partnerCode,
        partner2Code,
        customsCode,
        motCode,
        maxRecords=None,
        format_output=None,
        aggregateBy=None,
        breakdownMode=None,
        countOnly=None,
        includeDesc=None,
        proxy_url=None,
    ):
        return self._answer(
            "getFinalData",
            subscription_key,
            dict(
                period=period,
                cmdCode=cmdCode,
                flowCode=flowCode,
                partnerCode=partnerCode,
                reporterCode=reporterCode,
                maxRecords=maxRecords,
            ),
        )


def clock(*stamps):
    times = iter(stamps or [datetime(2025, 8, 7, 10, 15, tzinfo=UTC)])
    last = [None]

    def now():
        last[0] = next(times, last[0])
        return last[0]

    return now


@pytest.fixture(autouse=True)
def no_key(monkeypatch):
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)


def snapshot_files(directory):
    return sorted(p.name for p in Path(directory).iterdir())


# ----------------------------------------------------------------- planning and chunking
def test_month_range_and_errors():
    assert month_range("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert len(month_range("2023-01", "2025-07")) == 31
    with pytest.raises(ValueError, match="'2023-13' is not YYYY-MM"):
        month_range("2023-13", "2024-01")
    with pytest.raises(ValueError, match="start after end"):
        month_range("2024-02", "2024-01")


def test_plan_respects_12_periods_and_record_cap():
    russia = resolve_partner("RU")
    chunks = plan_chunks(russia, month_range("2023-01", "2025-07"), ["8703", "8704"], 500)
    assert [len(c.periods) for c in chunks] == [12, 12, 7]
    assert chunks[0].periods[0] == "202301" and chunks[-1].periods[-1] == "202507"
    codes = [f"{n:04d}" for n in range(8400, 8430)]  # 30 codes x 12 months x 2 flows = 720 > 500
    chunks = plan_chunks(russia, month_range("2024-01", "2024-12"), codes, 500)
    assert [len(c.hs_codes) for c in chunks] == [20, 10]
    assert all(len(c.periods) * len(c.hs_codes) * 2 <= 500 for c in chunks)


@pytest.mark.parametrize(
    "code, message",
    [
        ("87032345", "HS code '87032345' is a national code: Comtrade has 2, 4 or 6 digits"),
        ("870", "HS code '870' has 3 digits: leading zero lost?"),
        ("８７０３", "HS code '８７０３' is not digits"),  # fullwidth digits once passed isdigit()
    ],
)
def test_fetch_codes_follow_the_readers_code_rule(code, message):
    with pytest.raises(ValueError, match=message):
        plan_chunks(resolve_partner("RU"), ["2024-01"], ["8703", code], 500)
    assert plan_chunks(resolve_partner("RU"), ["2024-01"], ["87.03", "8703"], 500)[0].hs_codes == (
        "8703",
    )


def test_fetch_splits_calls_by_periods(tmp_path):
    client = FakeClient()
    paths = fetch_comtrade(
        "RU",
        "2023-01",
        "2025-07",
        ["8703", "8704"],
        out_dir=tmp_path,
        client=client,
        sleep=lambda s: None,
        now=clock(),
    )
    assert len(client.calls) == 3 and len(paths) == 3
    assert [c["period"].split(",")[0] for c in client.calls] == ["202301", "202401", "202501"]
    assert [len(c["period"].split(",")) for c in client.calls] == [12, 12, 7]
    first = client.calls[0]
    assert (
        first["function"],
        first["reporterCode"],
        first["partnerCode"],
        first["flowCode"],
        first["cmdCode"],
        first["maxRecords"],
    ) == ("previewFinalData", "156", "643", "X,M", "8703,8704", 500)


def test_a_capped_query_splits_its_codes_then_its_periods():
    russia = resolve_partner("RU")
    query = ChunkQuery(russia, ("202401", "202402", "202403"), ("8703", "8704", "8708"))
    assert [c.hs_codes for c in query.split()] == [("8703",), ("8704", "8708")]
    one_code = ChunkQuery(russia, query.periods, ("8703",)).split()
    assert [(c.periods, c.hs_codes) for c in one_code] == [
        (("202401",), ("8703",)),
        (("202402", "202403"), ("8703",)),
    ]
    assert ChunkQuery(russia, ("202401",), ("8703",)).split() == []


def test_truncated_response_is_split_and_refetched(tmp_path):
    # the first answer hits the 500-row cap (truncated); later answers are complete
    script = [lambda: pd.DataFrame([{"period": "202401"}] * 500)]
    client = FakeClient(script=script)
    codes = [f"{n:04d}" for n in range(8400, 8420)]
    paths = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-12",
        codes,
        out_dir=tmp_path,
        client=client,
        sleep=lambda s: None,
        now=clock(),
    )
    assert [len(c["cmdCode"].split(",")) for c in client.calls] == [20, 10, 10]
    assert len(paths) == 2
    assert len(list(tmp_path.glob("*.csv"))) == 2  # the truncated answer was never saved


# ----------------------------------------------------------------- retry, errors
def test_retry_with_exponential_backoff(tmp_path):
    sleeps = []
    client = FakeClient(
        script=[ConnectionError("connection reset"), TimeoutError("read timed out")]
    )
    paths = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-03",
        ["8703"],
        out_dir=tmp_path,
        client=client,
        sleep=sleeps.append,
        now=clock(),
        backoff_base=2.0,
    )
    assert sleeps == [2.0, 4.0]
    assert len(client.calls) == 3 and len(paths) == 1


def test_rate_limit_printed_by_client_is_retried(tmp_path):
    def rate_limited():
        print('{"statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds."}')
        return None

    sleeps = []
    client = FakeClient(script=[rate_limited])
    fetch_comtrade(
        "RU",
        "2024-01",
        "2024-01",
        ["8703"],
        out_dir=tmp_path,
        client=client,
        sleep=sleeps.append,
        now=clock(),
    )
    assert sleeps == [2.0] and len(client.calls) == 2


def test_none_from_client_becomes_comtrade_error_naming_the_query(tmp_path, capsys):
    def bad_request():
        print('{"error": "Invalid cmdCode"}')
        return None

    client = FakeClient(script=[bad_request])
    with pytest.raises(ComtradeError) as info:
        fetch_comtrade(
            "RU",
            "2024-01",
            "2024-02",
            ["8703"],
            out_dir=tmp_path,
            client=client,
            sleep=lambda s: None,
            now=clock(),
        )
    message = str(info.value)
    assert "returned no data (None)" in message
    assert "China (156) vs RU (643), flows X,M, periods 202401..202402 (2), HS 8703" in message
    assert "Invalid cmdCode" in message
    assert capsys.readouterr().out == ""  # the client's print was captured, not leaked
    assert list(tmp_path.iterdir()) == []


def test_connection_failures_exhaust_retries(tmp_path):
    sleeps = []
    client = FakeClient(script=[ConnectionError("Name or service not known")] * 4)
    with pytest.raises(
        ComtradeConnectionError, match="cannot reach comtradeapi.un.org after 4 attempts"
    ):
        fetch_comtrade(
            "RU",
            "2024-01",
            "2024-02",
            ["8703"],
            out_dir=tmp_path,
            client=client,
            sleep=sleeps.append,
            now=clock(),
        )
    assert sleeps == [2.0, 4.0, 8.0]
    assert list(tmp_path.iterdir()) == []


def test_request_error_printed_by_real_client_is_a_connection_error(tmp_path):
    def offline():  # what comtradeapicall prints when urllib3 cannot connect, then returns None
        print(
            "Request error: HTTPSConnectionPool(host='comtradeapi.un.org', port=443): Max retries "
            "exceeded with url: /public/v1/preview/C/M/HS?period=202401 (Caused by NameResolutionError)"
        )
        return None

    client = FakeClient(script=[offline] * 2)
    with pytest.raises(ComtradeConnectionError, match="NameResolutionError"):
        fetch_comtrade(
            "RU",
            "2024-01",
            "2024-01",
            ["8703"],
            out_dir=tmp_path,
            client=client,
            sleep=lambda s: None,
            now=clock(),
            max_attempts=2,
        )


# ----------------------------------------------------------------- snapshots, cache, atomicity
def test_snapshot_and_sidecar(tmp_path):
    (path,) = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-02",
        ["8703", "0303"],
        out_dir=tmp_path,
        client=FakeClient(),
        sleep=lambda s: None,
        now=clock(),
    )
    assert path.name.startswith("comtrade_CN-RU_M_202401-202402_XM_2hs_q")
    assert path.name.endswith("_20250807T101500Z.csv")
    meta = json.loads(Path(str(path) + ".meta.json").read_text())
    assert meta["rows"] == 8 and meta["retrieved_at"] == "2025-08-07T10:15:00Z"
    assert meta["endpoint"] == "https://comtradeapi.un.org/public/v1/preview/C/M/HS"
    assert meta["function"] == "comtradeapicall.previewFinalData"
    assert meta["query"]["cmdCode"] == "8703,0303" and meta["query"]["partnerCode"] == "643"
    assert "UN Comtrade terms of use" in meta["licence"]
    import hashlib

    assert meta["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    tidy = read_comtrade_records(path)
    assert sorted(set(tidy.hs_code)) == ["0303", "8703"]  # leading zero survives the CSV round trip
    assert tidy.published_date.iloc[0] == "2025-08-07"
    assert tidy.source_url.iloc[0].startswith(
        "https://comtradeapi.un.org/public/v1/preview/C/M/HS?"
    )


def test_cache_reuses_identical_query_and_refresh_refetches(tmp_path):
    client = FakeClient()
    first = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-03",
        ["8703"],
        out_dir=tmp_path,
        client=client,
        sleep=lambda s: None,
        now=clock(),
    )
    second = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-03",
        ["8703"],
        out_dir=tmp_path,
        client=client,
        sleep=lambda s: None,
        now=clock(),
    )
    assert len(client.calls) == 1 and second == first
    before = first[0].read_bytes()
    third = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-03",
        ["8703"],
        out_dir=tmp_path,
        client=client,
        refresh=True,
        sleep=lambda s: None,
        now=clock(datetime(2025, 9, 1, 8, 0, tzinfo=UTC)),
    )
    assert len(client.calls) == 2 and third != first
    assert third[0].name.endswith("_20250901T080000Z.csv")
    assert first[0].read_bytes() == before  # earlier snapshot untouched


def test_refresh_in_same_second_never_overwrites(tmp_path):
    client = FakeClient()
    kwargs = dict(out_dir=tmp_path, client=client, sleep=lambda s: None, now=clock())
    (a,) = fetch_comtrade("RU", "2024-01", "2024-01", ["8703"], **kwargs)
    (b,) = fetch_comtrade("RU", "2024-01", "2024-01", ["8703"], refresh=True, **kwargs)
    assert a != b and a.exists() and b.name.endswith("Z-1.csv")


def test_crash_mid_write_leaves_no_partial_file(tmp_path, monkeypatch):
    (earlier,) = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-01",
        ["8703"],
        out_dir=tmp_path,
        client=FakeClient(),
        sleep=lambda s: None,
        now=clock(),
    )
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def crash(fd):
        raise OSError("simulated crash: disk full")

    monkeypatch.setattr(
        comtrade.os, "fsync", crash
    )  # temp file holds data, the rename never happens
    with pytest.raises(OSError, match="simulated crash"):
        fetch_comtrade(
            "RU",
            "2024-01",
            "2024-01",
            ["8703"],
            out_dir=tmp_path,
            client=FakeClient(),
            refresh=True,
            sleep=lambda s: None,
            now=clock(datetime(2025, 9, 1, tzinfo=UTC)),
        )
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    assert after == before  # no temp file, no new half snapshot, earlier bytes identical
    assert earlier.exists()


def test_key_from_env_is_used_and_never_written_or_logged(tmp_path, monkeypatch, capsys, caplog):
    monkeypatch.setenv("COMTRADE_API_KEY", DUMMY_KEY)
    caplog.set_level(logging.DEBUG)

    def leaky_failure():  # urllib3 puts the full URL, key included, into its error text
        print(
            f"Request error: Max retries exceeded with url: /data/v1/get/C/M/HS?period=202401"
            f"&subscription-key={DUMMY_KEY} (Caused by ConnectTimeoutError)"
        )
        return None

    client = FakeClient(script=[leaky_failure])
    paths = fetch_comtrade(
        "RU",
        "2024-01",
        "2024-02",
        ["8703"],
        out_dir=tmp_path,
        client=client,
        sleep=lambda s: None,
        now=clock(),
    )
    assert [c["function"] for c in client.calls] == ["getFinalData", "getFinalData"]
    assert client.calls[-1]["key"] == DUMMY_KEY and client.calls[-1]["maxRecords"] == 100_000
    for path in tmp_path.iterdir():
        assert DUMMY_KEY.encode() not in path.read_bytes(), path.name
    out, err = capsys.readouterr()
    assert DUMMY_KEY not in out + err + caplog.text
    assert "subscription-key=***" in caplog.text  # the retry was logged, redacted
    meta = json.loads(Path(str(paths[0]) + ".meta.json").read_text())
    assert meta["endpoint"] == "https://comtradeapi.un.org/data/v1/get/C/M/HS"
    assert "subscription_key" not in json.dumps(meta) and "subscription-key" not in json.dumps(meta)


def test_key_redacted_from_final_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", DUMMY_KEY)
    client = FakeClient(script=[OSError(f"connect failed; key {DUMMY_KEY} rejected")] * 2)
    with pytest.raises(ComtradeConnectionError) as info:
        fetch_comtrade(
            "RU",
            "2024-01",
            "2024-01",
            ["8703"],
            out_dir=tmp_path,
            client=client,
            sleep=lambda s: None,
            now=clock(),
            max_attempts=2,
        )
    assert DUMMY_KEY not in str(info.value)


def test_key_is_not_a_parameter():
    import inspect

    assert not any("key" in name for name in inspect.signature(fetch_comtrade).parameters)


# ----------------------------------------------------------------- reading records
def test_read_json_response_fixture():
    tidy = read_comtrade_records(FIXTURES / "comtrade_cn_ru_2024.json")
    assert list(tidy.columns) == TIDY_COLUMNS
    values = tidy[tidy.measure == "value"]
    exports = values[values.flow == "export"]
    assert exports.value.sum() == pytest.approx(3150.0)
    assert dict(exports.groupby("hs_code").value.sum()) == pytest.approx(
        {"8703": 2600.0, "8704": 250.0, "851713": 300.0}
    )
    imports = values[values.flow == "import"]
    assert dict(zip(imports.hs_code, imports.value)) == pytest.approx({"0303": 95.0, "": 10000.0})
    assert imports[imports.hs_code == ""].commodity.item() == "TOTAL"
    assert (
        set(tidy.partner) == {"RU"}
        and set(tidy.reporter) == {"CN"}
        and set(tidy.hs_version) == {"HS2022"}
    )
    assert sorted(set(tidy.period)) == ["2024-01", "2024-02"] and set(tidy.span) == {"month"}
    assert tidy.attrs["notes"] == [
        "comtrade_cn_ru_2024.json: skipped 1 row(s) with flowCode RX (only X and M are used)"
    ]


def test_quantity_rows_only_when_qty_present():
    tidy = read_comtrade_records(FIXTURES / "comtrade_cn_ru_2024.json")
    quantities = tidy[tidy.measure == "quantity"]
    assert len(quantities) == 5  # TOTAL has qty null / N/A, RX skipped
    fish = quantities[quantities.hs_code == "0303"]
    assert (fish.unit.item(), fish.value.item()) == ("kg", 40_000_000.0)
    cars_jan = quantities[(quantities.hs_code == "8703") & (quantities.period == "2024-01")]
    assert (cars_jan.unit.item(), cars_jan.value.item()) == ("u", 60000.0)


def test_read_csv_with_ref_year_month_and_hs_versions():
    tidy = read_comtrade_records(FIXTURES / "comtrade_cn_ru_2023.csv")
    values = tidy[tidy.measure == "value"]
    got = {(r.period, r.flow, r.hs_code): (r.value, r.hs_version) for r in values.itertuples()}
    assert got[("2023-03", "export", "8703")][0] == pytest.approx(812.3456789)
    assert got[("2023-03", "export", "8703")][1] == "HS2022"
    assert got[("2023-03", "export", "8701")][0] == pytest.approx(45.0)
    assert got[("2023-03", "import", "0303")][0] == pytest.approx(12.5)
    assert got[("2021-12", "export", "8703")] == (100.0, "HS2017")
    assert len(values) == 5 and "RM" in tidy.attrs["notes"][0]
    assert len(tidy[tidy.measure == "quantity"]) == 4  # the N/A row has none


def test_keep_levels_drops_total_and_other_levels():
    tidy = read_comtrade_records(FIXTURES / "comtrade_cn_ru_2024.json", keep_levels={4})
    assert sorted(set(tidy.hs_code)) == ["0303", "8703", "8704"]


def test_missing_column_is_loud(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "period,flowCode,partnerCode,cmdCode,classificationCode\n202401,X,643,8703,H6\n"
    )
    with pytest.raises(ValueError) as info:
        read_comtrade_records(path)
    assert "bad.csv" in str(info.value) and "'primaryValue' is missing" in str(info.value)
    assert str(tmp_path) not in str(info.value)  # no absolute local path in messages


def test_load_hs_level_reads_every_file_sidecar_or_not(tmp_path):
    client = FakeClient()
    fetch_comtrade(
        "RU",
        "2024-01",
        "2024-02",
        ["8703"],
        out_dir=tmp_path / "comtrade",
        client=client,
        sleep=lambda s: None,
        now=clock(),
    )
    (tmp_path / "gacc").mkdir()
    gbk = FIXTURES / "gacc_出口_俄罗斯_202401-202402_gbk.csv"
    (tmp_path / "gacc" / gbk.name).write_bytes(gbk.read_bytes())  # dropped by hand: no sidecar
    frame = load_hs_level(tmp_path)
    assert set(frame.publisher) == {"UN Comtrade", "GACC query platform"}
    assert len(frame[(frame.publisher == "UN Comtrade") & (frame.measure == "value")]) == 4
    assert any("added by hand" in note and gbk.name in note for note in frame.attrs["notes"])
    # a file without a sidecar that cannot be read is never skipped: it stops with one line naming it
    orphan = tmp_path / "comtrade" / "comtrade_orphan.csv"
    orphan.write_text("garbage without sidecar")
    with pytest.raises(
        ValueError, match="comtrade_orphan.csv: required Comtrade column 'flowCode' is missing"
    ):
        load_hs_level(tmp_path)
