"""Issue 13 on the HS-level readers, each attack reproduced on SYNTHETIC files: double counting (the same
export twice, repeated lines, H5+H6), coverage per code/month/currency, row-level validation, binary and
oversized files, symlinks leaving the project, hand-dropped files, and the input check at scale."""

import json
import os
import shutil
import tracemalloc
from pathlib import Path

import pytest

from helpers.core.errors import InputError
from helpers.model.groups import group_change
from helpers.pipeline import check_inputs
from helpers.sources.comtrade import read_comtrade_records
from helpers.sources.configs import load_groups
from helpers.sources.hs_level import load_hs_level

GACC_DIR = Path(__file__).parent / "fixtures" / "hs_level" / "raw" / "gacc"  # SYNTHETIC test data
FILE_2025 = "gacc_出口_俄罗斯_2025-01_2025-07.csv"
ROOT = Path(__file__).resolve().parents[1]


def gacc_raw(tmp_path, extra: dict | None = None, drop_2025=False) -> Path:
    raw = tmp_path / "raw"
    (raw / "gacc").mkdir(parents=True)
    for path in GACC_DIR.iterdir():
        if not (drop_2025 and path.name == FILE_2025):
            shutil.copy2(path, raw / "gacc" / path.name)
    for name, content in (extra or {}).items():
        (raw / "gacc" / name).write_bytes(
            content if isinstance(content, bytes) else content.encode("utf-8")
        )
    return raw


def vehicles(raw: Path, period_end="2025-07"):
    """The vehicles group from HS-level rows only (no wire rows: the fallback then has no figure)."""
    groups = load_groups()
    return group_change(
        _empty(), "vehicles", groups["vehicles"], period_end, load_hs_level(raw, partner="RU"), "RU"
    )


def _empty():
    import pandas as pd

    return pd.DataFrame(columns=["group", "unit", "flow", "period", "span"])


# ------------------------------------------------------------------------------- point 1: one key per observation
def test_same_export_dropped_twice_counts_once_with_a_note(tmp_path):
    once = vehicles(gacc_raw(tmp_path / "a"))
    assert (round(once["value_usd_mn"], 2), once["change_pct"]) == (6820.25, -39.6)
    copy = (GACC_DIR / FILE_2025).read_bytes()
    copy_name = FILE_2025.replace(".csv", " (1).csv")
    # byte-identical: read once (issue 23.4); re-saved with another line end: the rows repeat
    for case, content in (("same bytes", copy), ("re-saved", copy.replace(b"\r\n", b"\n"))):
        raw = gacc_raw(tmp_path / case, {copy_name: content})
        twice = vehicles(raw)
        assert (round(twice["value_usd_mn"], 2), twice["change_pct"]) == (
            6820.25,
            -39.6,
        )  # not +20.7%
        notes = load_hs_level(raw, partner="RU").attrs["notes"]
        expected = (
            f"3 HS-level files, 2 distinct contents: raw/gacc/{FILE_2025} and 1 byte-identical "
            f"copy ({copy_name}), each content read once and counted once"
            if case == "same bytes"
            else f"raw/gacc/{copy_name}: 49 line(s) repeat observations of raw/gacc/{FILE_2025} with "
            f"the same values (the same export saved twice?): counted once, from raw/gacc/{FILE_2025}"
        )
        assert expected in notes, notes


def test_a_vendored_file_is_cited_before_a_shorter_named_copy_added_by_hand(tmp_path):
    """The vendored (or fetched) file has a sidecar; a copy added by hand has none, or one marked
    'added by hand': whatever its name, the rows are cited from the vendored file."""
    vendored = FILE_2025.replace(".csv", "_vendored_by_the_project.csv")
    for case, content in (("same bytes", None), ("re-saved", b"")):
        raw = gacc_raw(tmp_path / case, drop_2025=True)
        shutil.copy2(GACC_DIR / FILE_2025, raw / "gacc" / vendored)
        data = (raw / "gacc" / vendored).read_bytes()
        (raw / "gacc" / f"{vendored}.meta.json").write_text(
            json.dumps({"file": vendored, "sha256": sha256_of(data), "rows": 49})
        )
        copy = data if content is None else data + b"\r\n"
        (raw / "gacc" / "出口.csv").write_bytes(copy)
        (raw / "gacc" / "出口.csv.meta.json").write_text(
            json.dumps({"origin": "added by hand", "sha256": sha256_of(copy)})
        )
        rows = load_hs_level(raw, partner="RU")
        assert set(rows.loc[rows.period >= "2025"].source_file) == {f"raw/gacc/{vendored}"}, case


def sha256_of(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def test_repeated_line_inside_one_export_counts_once(tmp_path):
    lines = (GACC_DIR / FILE_2025).read_text(encoding="utf-8-sig").splitlines()
    raw = gacc_raw(tmp_path, {FILE_2025: "\n".join(lines[:3] + [lines[2]] + lines[3:]) + "\n"})
    assert round(vehicles(raw)["value_usd_mn"], 2) == 6820.25
    assert any(
        "1 exact duplicate line(s) (row 3) counted once" in n
        for n in load_hs_level(raw).attrs["notes"]
    )


def test_same_observation_with_two_values_stops_naming_both_files_and_rows(tmp_path):
    lines = (GACC_DIR / FILE_2025).read_text(encoding="utf-8-sig").splitlines()
    changed = lines[1].replace('"80,500,000"', '"81,500,000"')
    raw = gacc_raw(
        tmp_path, {"gacc_出口_俄罗斯_2025-01_fix.csv": "\n".join([lines[0], changed]) + "\n"}
    )
    with pytest.raises(InputError) as info:
        load_hs_level(raw)
    message = str(info.value)
    assert f"{FILE_2025} row 1" in message and "gacc_出口_俄罗斯_2025-01_fix.csv row 1" in message
    assert ("80.5 vs 81.5" in message or "81.5 vs 80.5" in message) and "HS 87012100" in message


def comtrade_csv(path: Path, rows: list[tuple]) -> None:
    header = (
        "freqCode,period,reporterCode,flowCode,partnerCode,partner2Code,customsCode,motCode,"
        "classificationCode,cmdCode,primaryValue"
    )
    path.write_text(
        header
        + "\n"
        + "\n".join(f"M,{p},156,X,643,0,C00,0,{cl},{c},{v}" for p, cl, c, v in rows)
        + "\n"
    )
    (path.parent / (path.name + ".meta.json")).write_text(
        json.dumps({"retrieved_at": "2026-11-01"})
    )


def test_a_code_under_h5_and_h6_counts_once_and_the_config_says_which(tmp_path):
    comtrade = tmp_path / "raw" / "comtrade"
    comtrade.mkdir(parents=True)
    months = ["202401", "202402", "202501", "202502"]
    h6 = [
        (p, "H6", c, 1e9 * (2 if p < "2025" else 1))
        for p in months
        for c in ("8701", "8703", "8704")
    ]
    h5 = [(p, "H5", c, 5e8) for p in months for c in ("8701", "8703", "8704")]
    comtrade_csv(comtrade / "h6.csv", h6)
    comtrade_csv(comtrade / "h5.csv", h5)
    groups = load_groups()
    hs_rows = load_hs_level(tmp_path / "raw", partner="RU")
    h6_wins = group_change(_empty(), "vehicles", groups["vehicles"], "2025-02", hs_rows, "RU")
    assert (h6_wins["value_usd_mn"], h6_wins["prior_value_usd_mn"], h6_wins["change_pct"]) == (
        6000.0,
        12000.0,
        -50.0,
    )
    assert "HS2022" in h6_wins["source"] and "h5.csv" not in h6_wins["source"]
    config = tmp_path / "groups.yaml"
    text = (ROOT / "config" / "commodity_groups.yaml").read_text(encoding="utf-8")
    config.write_text(
        text.replace(
            "classification_preference: [HS2022, HS2017]",
            "classification_preference: [HS2017, HS2022]",
        ),
        encoding="utf-8",
    )
    h5_groups = load_groups(config)
    h5_wins = group_change(_empty(), "vehicles", h5_groups["vehicles"], "2025-02", hs_rows, "RU")
    assert (h5_wins["value_usd_mn"], h5_wins["change_pct"]) == (3000.0, 0.0)


# ------------------------------------------------------------------------------- point 2: coverage
def test_a_missing_code_month_falls_back_and_says_what_is_missing(tmp_path):
    lines = (GACC_DIR / FILE_2025).read_text(encoding="utf-8-sig").splitlines()
    kept = [line for line in lines if not line.startswith("202503,87042100")]
    assert len(kept) == len(lines) - 1
    raw = gacc_raw(tmp_path, {FILE_2025: "\n".join(kept) + "\n"})
    change = vehicles(raw)
    assert (
        change["basis"] == "no published figure"
    )  # the wire data has no vehicles figure for 2025-07
    assert change["source"] == "HS-level rows not used: missing 2025-03 (HS 8704)"


def test_a_month_only_in_yuan_is_not_covered(tmp_path):
    lines = (GACC_DIR / FILE_2025).read_text(encoding="utf-8-sig").splitlines()
    usd = [line for line in lines if not line.startswith("202504")]
    yuan = [lines[0].replace("美元", "人民币")] + [
        line for line in lines if line.startswith("202504")
    ]
    raw = gacc_raw(
        tmp_path,
        {
            FILE_2025: "\n".join(usd) + "\n",
            "gacc_出口_俄罗斯_2025-04_cny.csv": "\n".join(yuan) + "\n",
        },
    )
    change = vehicles(raw)
    assert change["source"] == (
        "HS-level rows not used: missing 2025-04 (HS 8701+8703+8704 (only in yuan, not converted))"
    )


# ------------------------------------------------------------------------------- point 3: row rules
GOOD = "freqCode,period,reporterCode,flowCode,partnerCode,classificationCode,cmdCode,primaryValue\n"


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "M,202403,156,X,643,H6,8703,nan",
            "row 1, column 'primaryValue': value 'nan' is not a number",
        ),
        (
            "M,202403,156,X,643,H6,8703,inf",
            "row 1, column 'primaryValue': value 'inf' is not a number",
        ),
        (
            "M,202403,156,X,643,H6,8703,1e20",
            "row 1, column 'primaryValue': value '1e20' is implausibly large",
        ),
        ("M,202403,156,X,643,H6,8703,-5", "row 1, column 'primaryValue': value '-5' is negative"),
        (
            "M,202403,156,X,643,H6,8703234,5",
            "row 1, column 'cmdCode': commodity code '8703234' has 7 digits",
        ),
        (
            "M,199901,156,X,643,H6,8703,5",
            "row 1, column 'period': period year 1999 is outside 2000-",
        ),
        ("M,209901,156,X,643,H6,8703,5", "row 1, column 'period': period year 2099 is outside"),
        ("M,202413,156,X,643,H6,8703,5", "row 1, column 'period': month 13 is outside 1-12"),
        ("M,202403,156,X,643,H6", "row 1: has 6 fields, header has 8 (truncated row?)"),
        (
            "M,202403,156,X,643,H6,,5",
            "row 1, column 'cmdCode': required field is empty (truncated row?)",
        ),
    ],
)
def test_row_rules_on_both_comtrade_paths(tmp_path, row, message):
    message = message.replace("row 1", "row 2")
    for error in errors_of_both_readers(
        tmp_path, GOOD + "M,202402,156,X,643,H6,8703,10\n" + row + "\n"
    ):
        assert (
            f"snapshot.csv, {message}" in error
            or f"snapshot.csv: {message.split(': ', 1)[-1]}" in error
        ), error


def errors_of_both_readers(tmp_path, text: str) -> list[str]:
    """The error each Comtrade reader (row by row in Python; a large file in DuckDB) raises on `text`."""
    from helpers.sources.comtrade_scan import check_large_file

    path = tmp_path / "snapshot.csv"
    path.write_text(text)
    errors = []
    for reader in (read_comtrade_records, check_large_file):
        with pytest.raises(InputError) as info:
            reader(path)
        errors.append(f"{reader.__name__}: {info.value}")
    return errors


CODES = "freqCode,period,reporterCode,flowCode,partnerCode,partner2Code,motCode,classificationCode,cmdCode,primaryValue\n"


@pytest.mark.parametrize(
    "row, message",
    [
        (
            "M,202403,156,X,643,?,0,H6,8703,5",
            "row 2, column 'partner2Code': partner2Code '?' is not a number",
        ),
        (
            "M,202403,156,X,6.43e2,0,0,H6,8703,5",
            "row 2, column 'partnerCode': partnerCode '6.43e2' is not a number",
        ),
        (
            "M,202403,156,X,643,0,-1,H6,8703,5",
            "row 2, column 'motCode': motCode '-1' is not a number",
        ),
        (
            "M,202403,abc,X,643,0,0,H6,8703,5",
            "row 2, column 'reporterCode': reporterCode 'abc' is not China (156)",
        ),
        (
            "M,202403,156,X,643,0,0,H6,8703,1_000",
            "row 2, column 'primaryValue': value '1_000' is not a number",
        ),
    ],
)
def test_large_file_check_refuses_what_the_row_reader_refuses(tmp_path, row, message):
    """DuckDB's TRY_CAST reads '1_000' and '6.43e2' as numbers and '?' as empty (a breakdown row would then
    count as a total row): the large-file check tests the text the row reader tests, and names the same row."""
    for error in errors_of_both_readers(
        tmp_path, CODES + "M,202402,156.0,X,643.0,0,0,H6,8703,10\n" + row + "\n"
    ):
        assert f"snapshot.csv, {message}" in error, error


# ------------------------------------------------------------------------------- points 8-9: files and paths
def test_nul_file_is_refused_from_its_first_kilobytes(tmp_path):
    raw = tmp_path / "raw"
    (raw / "gacc").mkdir(parents=True)
    with open(raw / "gacc" / "export_2025.csv", "wb") as handle:
        handle.truncate(50_000_000)  # 50 MB of NUL bytes (sparse: cheap to write)
    tracemalloc.start()
    with pytest.raises(InputError) as info:
        load_hs_level(raw)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "export_2025.csv: file is 50 MB, above the 20 MB this format can be" in str(info.value)
    assert peak < 5_000_000
    with open(raw / "gacc" / "export_2025.csv", "r+b") as handle:
        handle.truncate(5_000_000)
    with pytest.raises(
        InputError, match=r"is a binary file, not text \(100% NUL bytes in the first 8,192 bytes\)"
    ):
        load_hs_level(raw)


def test_symlink_leaving_the_project_is_refused_without_echoing_it(tmp_path):
    project = tmp_path / "project"
    raw = project / "data" / "raw"
    (raw / "gacc").mkdir(parents=True)
    outside = tmp_path / "private" / "secret_出口.csv"
    outside.parent.mkdir()
    outside.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    os.symlink(outside, raw / "gacc" / "export_出口.csv")
    with pytest.raises(InputError) as info:
        load_hs_level(raw)
    message = str(info.value)
    assert message.startswith(
        "data/raw/gacc/export_出口.csv: is a symbolic link to a file outside the project"
    )
    assert str(tmp_path) not in message and "root:x" not in message


def test_error_quotes_only_a_short_escaped_excerpt(tmp_path):
    raw = tmp_path / "raw"
    (raw / "gacc").mkdir(parents=True)
    (raw / "gacc" / "export_2025.csv").write_text(
        "root:x:0:0:" + "A" * 500 + "\x1b[31m\n1,2\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as info:
        load_hs_level(raw)
    message = str(info.value)
    assert (
        "unknown header set" in message
        and len(message) < 400
        and "\x1b" not in message
        and "A" * 100 not in message
    )


# ------------------------------------------------------------------------------- hand-dropped files
def test_hand_dropped_file_is_read_and_registered_with_a_sidecar(tmp_path, capsys):
    from test_bad_input import copy_raw

    raw = copy_raw(tmp_path)
    (raw / "gacc").mkdir()
    shutil.copy2(GACC_DIR / FILE_2025, raw / "gacc" / FILE_2025)
    assert check_inputs.main(["--raw-dir", str(raw)]) == 0
    out = capsys.readouterr().out
    sidecar = json.loads((raw / "gacc" / (FILE_2025 + ".meta.json")).read_text(encoding="utf-8"))
    assert (
        sidecar["origin"] == "added by hand"
        and sidecar["rows"] == 49
        and len(sidecar["sha256"]) == 64
    )
    assert (
        f"{FILE_2025}: added by hand; sidecar written (sha256 {sidecar['sha256'][:12]}…, 49 rows"
        in out
    )
    assert check_inputs.main(["--raw-dir", str(raw)]) == 0  # registered now: no second sidecar note
    assert "added by hand; sidecar written" not in capsys.readouterr().out
    with open(raw / "gacc" / FILE_2025, "a", encoding="utf-8") as handle:
        handle.write('202507,87032342,小轿车,344,俄罗斯联邦,1,辆,"1,000"\n')
    assert check_inputs.main(["--raw-dir", str(raw)]) == 2
    assert "checksum mismatch" in capsys.readouterr().err


# ------------------------------------------------------------------------------- point 8: input check at scale
def test_input_check_streams_large_comtrade_files_through_duckdb(tmp_path, monkeypatch, capsys):
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench", ROOT / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    from test_bad_input import copy_raw

    raw = copy_raw(tmp_path)
    (raw / "comtrade").mkdir()
    big = raw / "comtrade" / "synthetic_comtrade_60000rows.csv"
    bench.generate(60_000, 7, big)  # SYNTHETIC (scripts/bench.py's generator, scaled down)
    monkeypatch.setattr("helpers.sources.hs_level.LARGE_CSV_BYTES", 1_000_000)

    def no_python_rows(*args, **kwargs):
        raise AssertionError("a large file was read row by row in Python")

    monkeypatch.setattr("helpers.sources.hs_level.read_comtrade_records", no_python_rows)
    tracemalloc.start()
    code = check_inputs.main(["--raw-dir", str(raw)])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    out, err = capsys.readouterr()
    assert code == 0, err
    assert (
        "synthetic_comtrade_60000rows.csv: 60,000 rows checked in DuckDB (large file); 0 breakdown and 0 sub-flow rows skipped"
        in out
    )
    assert "total rows of other partners than RU left out" in out
    assert peak < 40_000_000, peak  # Python-side allocations stay small (the rows stay in DuckDB)


def test_vendored_file_linked_from_outside_the_project_is_refused(tmp_path, capsys):
    from test_bad_input import copy_raw

    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    raw = copy_raw(project / "data")  # project/data/raw
    outside = tmp_path / "elsewhere.csv"
    (raw / "context_facts.csv").rename(outside)
    os.symlink(outside, raw / "context_facts.csv")
    assert check_inputs.main(["--raw-dir", str(raw)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "check-inputs: error: data/raw/context_facts.csv: is a symbolic link to a file outside"
    )
    assert str(tmp_path) not in err
