"""Trustworthy under bad input: a corpus of broken inputs, each generated here from the real raw files.

Every case copies data/raw's three CSVs and sidecars into a tmp dir, breaks ONE thing, re-seals the
sidecar's sha256 (unless the case is about checksums, so each case tests what it claims) and runs
`python -m helpers.pipeline.check_inputs`. It must exit 2 with one line naming the file, the row, the column
(or parameter) and what was expected. Recoverable oddities must pass and be reported.
"""

import csv
import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from helpers.core.errors import run_main
from helpers.core.paths import CONFIG_DIR, PROJECT_ROOT, RAW_DIR
from helpers.pipeline import build, check_inputs
from helpers.sections.data import load_customs

TOTALS, COMMODITIES, CONTEXT = (
    "gacc_cn_ru_totals.csv",
    "gacc_cn_ru_commodities.csv",
    "context_facts.csv",
)
VENDORED = (TOTALS, COMMODITIES, CONTEXT)
# The totals file's last row (rows numbered from 1 after the header): it grows as months are appended.
LAST_TOTALS_ROW = f"row {len((RAW_DIR / TOTALS).read_text(encoding='utf-8').splitlines()) - 1}"
GACC_FIXTURE = (
    PROJECT_ROOT
    / "tests"
    / "fixtures"
    / "hs_level"
    / "raw"
    / "gacc"
    / "gacc_出口_俄罗斯_2024-01_2024-07.csv"
)
TODAY = dt.date.today()


# --------------------------------------------------------------------------- fixture-generating code
def copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in VENDORED:
        shutil.copy2(RAW_DIR / name, raw / name)
        shutil.copy2(
            RAW_DIR / name.replace(".csv", ".meta.json"), raw / name.replace(".csv", ".meta.json")
        )
    return raw


def reseal(path: Path) -> None:
    """Record the (deliberately changed) file's sha256 in its sidecar, as a re-vendoring would."""
    sidecar = path.with_suffix(".meta.json")
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    meta["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    sidecar.write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def write_table(path: Path, header, rows, encoding="utf-8", errors="strict") -> None:
    buffer = []

    class Sink:
        def write(self, text):
            buffer.append(text)

    writer = csv.writer(Sink(), lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes("".join(buffer).encode(encoding, errors=errors))


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    """Data row `row` (1-based, as the validator counts) gets `value` in `column`."""
    header, rows = read_table(path)
    rows[row - 1][header.index(column)] = value
    write_table(path, header, rows)


def find_row(path: Path, **match) -> int:
    header, rows = read_table(path)
    for number, row in enumerate(rows, start=1):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return number
    raise LookupError(match)


# --------------------------------------------------------------------------- the corpus
@dataclass
class Case:
    id: str
    breaks: object  # (raw_dir, tmp_path) -> dict of values for `expected`, may hold "argv"
    expected: list = field(default_factory=list)  # substrings of the error line (str.format'ed)
    reseal: bool = True  # False for cases about checksums/sidecars


def drop_column(raw, tmp):
    header, rows = read_table(raw / TOTALS)
    i = header.index("yoy_pct")
    write_table(raw / TOTALS, header[:i] + header[i + 1 :], [r[:i] + r[i + 1 :] for r in rows])


def rename_column(raw, tmp):
    header, rows = read_table(raw / TOTALS)
    header[header.index("value_usd_mn")] = "value_usd"
    write_table(raw / TOTALS, header, rows)


def extra_column(raw, tmp):
    header, rows = read_table(raw / COMMODITIES)
    write_table(raw / COMMODITIES, header + ["comment"], [r + [""] for r in rows])


def cell(file, row, column, value):
    def breaks(raw, tmp):
        set_cell(raw / file, row, column, value)

    return breaks


def empty_file(raw, tmp):
    (raw / TOTALS).write_bytes(b"")


def header_only(raw, tmp):
    header, _ = read_table(raw / COMMODITIES)
    write_table(raw / COMMODITIES, header, [])


def gbk_file(raw, tmp):
    """A Chinese spreadsheet re-saved in GBK: a Chinese quote, the whole file GBK-encoded."""
    header, rows = read_table(raw / TOTALS)
    rows[4][header.index("quote")] = "中俄贸易额同比增长"
    write_table(raw / TOTALS, header, rows, encoding="gbk", errors="replace")


def ragged_row(raw, tmp):
    header, rows = read_table(raw / TOTALS)
    rows[6].append("stray")
    write_table(raw / TOTALS, header, rows)


def page_mismatch(raw, tmp):
    """One page's ytd total no longer equals export + import (a shifted or mistyped row)."""
    row = find_row(raw / TOTALS, period="2024-06", span="ytd", flow="total", value_usd_mn="116870")
    set_cell(raw / TOTALS, row, "value_usd_mn", "150000")
    return {"row": row}


def ytd_below_month(raw, tmp):
    """Every outlet's Jan–Jun 2024 ytd scaled below June alone (export + import = total still holds)."""
    header, rows = read_table(raw / TOTALS)
    new = {"export": "5000", "import": "6000", "total": "11000"}
    changed = []
    for number, row in enumerate(rows, start=1):
        if (
            row[header.index("period")] == "2024-06"
            and row[header.index("span")] == "ytd"
            and row[header.index("value_usd_mn")]
        ):
            row[header.index("value_usd_mn")] = new[row[header.index("flow")]]
            if row[header.index("flow")] == "export":
                changed.append(number)
    write_table(raw / TOTALS, header, rows)
    return {"rows": "|".join(map(str, changed))}


def one_byte_changed(raw, tmp):
    data = bytearray((raw / TOTALS).read_bytes())
    data[2000] = ord("7") if data[2000] != ord("7") else ord("8")
    (raw / TOTALS).write_bytes(bytes(data))


def missing_sidecar(raw, tmp):
    (raw / "gacc_cn_ru_commodities.meta.json").unlink()


def missing_raw_file(raw, tmp):
    (raw / CONTEXT).unlink()


def gacc_export_non_numeric(raw, tmp):
    (raw / "gacc").mkdir()
    target = raw / "gacc" / GACC_FIXTURE.name
    header, rows = read_table(GACC_FIXTURE)
    rows[2][header.index("美元")] = "约12亿"
    write_table(target, header, rows)


def cut_inside_last_value(text: str, value: str) -> str:
    """The text cut inside the last occurrence of `value` (an interrupted download), no final newline."""
    return text[: text.rindex(value) + len(value) // 2]


def gacc_export_cut_last_row(raw, tmp):
    """The 2024 fixture's last row (row 49, code 980400, US$ "45,000,000") cut to "45,00"."""
    (raw / "gacc").mkdir()
    text = GACC_FIXTURE.read_text(encoding="utf-8-sig")
    (raw / "gacc" / GACC_FIXTURE.name).write_text(cut_inside_last_value(text, "45,000,000"))


def gacc_export_open_quote(raw, tmp):
    """Cut inside the quoted value, but just after a line break: only the open quote shows the cut."""
    (raw / "gacc").mkdir()
    text = GACC_FIXTURE.read_text(encoding="utf-8-sig")
    (raw / "gacc" / GACC_FIXTURE.name).write_text(cut_inside_last_value(text, "45,000,000") + "\n")


def totals_cut_last_row(raw, tmp):
    text = (raw / TOTALS).read_text(encoding="utf-8")
    (raw / TOTALS).write_text(text.rstrip("\n")[:-40], encoding="utf-8")


def fuel_row_cut_short(raw, tmp):
    """A fuel-monitor row missing its last fields (pandas once padded them with empty text)."""
    (raw / "fuel").mkdir()
    name = "customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv"
    lines = (RAW_DIR / "fuel" / name).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[3] = ",".join(lines[3].split(",")[:3]) + "\n"
    (raw / "fuel" / name).write_text("".join(lines), encoding="utf-8")
    sidecar = json.loads((RAW_DIR / "fuel" / f"{name}.meta.json").read_text(encoding="utf-8"))
    sidecar["sha256"] = hashlib.sha256((raw / "fuel" / name).read_bytes()).hexdigest()
    (raw / "fuel" / f"{name}.meta.json").write_text(json.dumps(sidecar), encoding="utf-8")


def gacc_export_utf16(raw, tmp):
    """The export re-saved by Excel as 'Unicode Text': UTF-16 with a byte-order mark, 38% NUL bytes."""
    (raw / "gacc").mkdir()
    text = GACC_FIXTURE.read_text(encoding="utf-8-sig")
    (raw / "gacc" / GACC_FIXTURE.name).write_bytes(text.encode("utf-16"))


def totals_utf16_no_bom(raw, tmp):
    (raw / TOTALS).write_bytes((raw / TOTALS).read_text(encoding="utf-8").encode("utf-16-le"))


def gacc_xlsx_garbage(raw, tmp):
    """Not an xlsx at all (a saved HTML error page): the parser's exception becomes one line."""
    (raw / "gacc").mkdir()
    (raw / "gacc" / "gacc_export_2024.xlsx").write_text(
        "<html>session expired</html>", encoding="utf-8"
    )


def groups_config(change):
    def breaks(raw, tmp):
        config = yaml.safe_load((CONFIG_DIR / "commodity_groups.yaml").read_text(encoding="utf-8"))
        change(config["groups"])
        path = tmp / "commodity_groups.yaml"
        path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        return {"argv": ["--groups", str(path)]}

    return breaks


def claims_unknown_group(raw, tmp):
    config = yaml.safe_load((CONFIG_DIR / "claims.yaml").read_text(encoding="utf-8"))
    claim = next(c for c in config["claims"] if c.get("group") == "vehicles")
    claim["group"] = "spaceships"
    path = tmp / "claims.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return {"argv": ["--claims", str(path)]}


def groups_invalid_yaml(raw, tmp):
    path = tmp / "commodity_groups.yaml"
    path.write_text("groups:\n  vehicles: {flow: export, hs: [8701\n", encoding="utf-8")
    return {"argv": ["--groups", str(path)]}


# Rows picked in the vendored files: 307 = 2024-06 month export (Prime), 1 = first data row.
CASES = [
    Case(
        "missing-column",
        drop_column,
        [TOTALS, "column 'yoy_pct'", "column is missing", "expected columns period"],
    ),
    Case(
        "renamed-column",
        rename_column,
        [TOTALS, "column 'value_usd_mn'", "found unexpected column 'value_usd'", "renamed?"],
    ),
    Case(
        "extra-unknown-column",
        extra_column,
        [COMMODITIES, "column 'comment'", "unexpected column", "expected only period"],
    ),
    Case(
        "non-numeric-value",
        cell(TOTALS, 307, "value_usd_mn", "n/a"),
        [
            TOTALS,
            "row 307",
            "column 'value_usd_mn'",
            "value 'n/a' is not a number",
            "expected a number",
        ],
    ),
    Case(
        "thousands-separator",
        cell(TOTALS, 307, "value_usd_mn", "9,883"),
        [
            TOTALS,
            "row 307",
            "column 'value_usd_mn'",
            "thousands separator",
            "expected a plain number",
        ],
    ),
    Case(
        "decimal-comma",
        cell(COMMODITIES, 1, "value", "179,5"),
        [COMMODITIES, "row 1", "column 'value'", "decimal comma", "expected a decimal point"],
    ),
    Case(
        "negative-value",
        cell(TOTALS, 307, "value_usd_mn", "-9883"),
        [
            TOTALS,
            "row 307",
            "column 'value_usd_mn'",
            "is negative",
            "expected a non-negative amount",
        ],
    ),
    Case(
        "empty-file", empty_file, [TOTALS, "file is empty", "expected a header line and data rows"]
    ),
    Case("header-only", header_only, [COMMODITIES, "header only, no data rows"]),
    Case(
        "gbk-encoding",
        gbk_file,
        [TOTALS, "not UTF-8 text", "looks like GBK", "expected UTF-8 encoding"],
    ),
    Case("ragged-row", ragged_row, [TOTALS, "row 7", "has 11 fields, header has 10"]),
    Case(
        "hs-code-lost-leading-zero-4-digit",
        cell(COMMODITIES, 1, "hs_code", "303"),
        [
            COMMODITIES,
            "row 1",
            "column 'hs_code'",
            "commodity code '303' has 3 digits",
            "leading zero lost?",
            "expected '0303'",
        ],
    ),
    Case(
        "hs-code-lost-leading-zero-chapter",
        cell(COMMODITIES, 18, "hs_code", "3"),
        [
            COMMODITIES,
            "row 18",
            "column 'hs_code'",
            "commodity code '3' has 1 digit",
            "leading zero lost?",
            "expected '03'",
        ],
    ),
    Case(
        "unknown-unit",
        cell(COMMODITIES, 1, "unit", "usd_bn"),
        [
            COMMODITIES,
            "row 1",
            "column 'unit'",
            "unknown unit 'usd_bn' for measure 'value'",
            "expected one of usd_mn",
        ],
    ),
    Case(
        "unknown-currency-note",
        cell(TOTALS, 307, "currency_note", "eur"),
        [
            TOTALS,
            "row 307",
            "column 'currency_note'",
            "value 'eur' is not valid",
            "expected one of cny, usd",
        ],
    ),
    Case(
        "period-in-future",
        cell(TOTALS, 307, "period", "2099-06"),
        [
            TOTALS,
            "row 307",
            "column 'period'",
            "period 2099-06 is in the future",
            f"expected a month up to {TODAY:%Y-%m}",
        ],
    ),
    Case(
        "period-malformed",
        cell(TOTALS, 307, "period", "2024-13"),
        [TOTALS, "row 307", "column 'period'", "period '2024-13' is malformed", "expected YYYY-MM"],
    ),
    Case(
        "period-not-matching-year-span",
        cell(TOTALS, 1, "period", "15"),
        [TOTALS, "row 1", "column 'period'", "does not match span 'year'", "expected YYYY"],
    ),
    Case(
        "value-without-unit",
        cell(COMMODITIES, 1, "unit", ""),
        [COMMODITIES, "row 1", "column 'unit'", "field is empty", "expected measure value"],
    ),
    Case(
        "empty-source-field-in-context",
        cell(CONTEXT, 3, "publisher", ""),
        [
            CONTEXT,
            "row 3",
            "column 'publisher'",
            "field is empty",
            "expected a non-empty source",
        ],
    ),
    Case(
        "ytd-smaller-than-month",
        ytd_below_month,
        [
            TOTALS,
            re.compile(r"row ({rows})\b"),
            "column 'value_usd_mn'",
            "year-to-date export for 2024-06 (5,000) is smaller than the month inside it (9,883)",
            "expected ytd >= the same period's month",
        ],
    ),
    Case(
        "export-plus-import-not-total-on-one-page",
        page_mismatch,
        [
            TOTALS,
            "row {row}",
            "column 'value_usd_mn'",
            "export + import = 116,874 but total = 150,000 for 2024-06 ytd",
            "expected export + import within 2.0% of total",
        ],
    ),
    Case(
        "checksum-mismatch",
        one_byte_changed,
        [TOTALS, "checksum mismatch", "sidecar records 624e2766df74"],
        reseal=False,
    ),
    Case(
        "missing-sidecar",
        missing_sidecar,
        [
            "gacc_cn_ru_commodities.meta.json",
            "provenance sidecar is missing",
            "expected a .meta.json",
        ],
        reseal=False,
    ),
    Case("missing-raw-file", missing_raw_file, [CONTEXT, "raw file is missing"], reseal=False),
    Case(
        "group-names-nonexistent-hs-code",
        groups_config(lambda g: g["vehicles"]["hs"]["HS2022"].append("7701")),
        [
            "commodity_groups.yaml: group 'vehicles', field 'hs.HS2022': HS code '7701' does not exist",
            "no HS chapter 77",
            "expected a code in HS chapters 01–97",
        ],
    ),
    Case(
        "group-hs-code-odd-digits",
        groups_config(lambda g: g["trucks"]["hs"]["HS2017"].append("870")),
        [
            "commodity_groups.yaml: group 'trucks', field 'hs.HS2017': HS code '870' has 3 digits: "
            "leading zero lost? (expected '0870': 2, 4, 6, 8 or 10 digits 0-9 kept as text)",
        ],
    ),
    Case(
        "group-config-invalid-yaml",
        groups_invalid_yaml,
        ["commodity_groups.yaml", "not valid YAML"],
    ),
    Case(
        "claims-unknown-group",
        claims_unknown_group,
        [
            "claims.yaml: claim 'vehicles', field 'group': unknown group 'spaceships'",
            "expected a group of the groups file: vehicles",
        ],
    ),
    Case(
        "gacc-query-export-non-numeric-amount",
        gacc_export_non_numeric,
        [
            f"gacc/{GACC_FIXTURE.name}",
            "row 3",
            "column '美元'",
            "value '约12亿' is not a number",
            "expected a number",
        ],
    ),
    Case(
        "gacc-query-export-cut-inside-last-row",
        gacc_export_cut_last_row,
        [
            f"gacc/{GACC_FIXTURE.name}",
            "row 49",
            "the file ends inside this row",
            "download it again",
        ],
    ),
    Case(
        "gacc-query-export-cut-inside-open-quote",
        gacc_export_open_quote,
        [f"gacc/{GACC_FIXTURE.name}", "row 49", "the file ends inside this row"],
    ),
    Case(
        "wire-totals-cut-inside-last-row",
        totals_cut_last_row,
        [TOTALS, LAST_TOTALS_ROW, "the file ends inside this row"],
    ),
    Case(
        "fuel-row-cut-short",
        fuel_row_cut_short,
        ["fuel/customs_cn_fuel_imports_from_ru_monthly_2025_2026.csv", "row 3", "has 3 fields"],
    ),
    Case(
        "gacc-query-export-utf16",
        gacc_export_utf16,
        [f"gacc/{GACC_FIXTURE.name}", "is UTF-16 text", "expected the file re-saved as UTF-8"],
    ),
    Case(
        "wire-totals-utf16-without-bom",
        totals_utf16_no_bom,
        [TOTALS, "is UTF-16 text", "expected the file re-saved as UTF-8"],
    ),
    Case(
        "gacc-xlsx-not-a-workbook",
        gacc_xlsx_garbage,
        [
            "gacc/gacc_export_2024.xlsx",
            "could not be read: ValueError: 'Excel file format cannot be determined",
            "expected a file in the format README.md describes",
        ],
    ),
]


def run_check(argv, capsys) -> tuple[int, str, str]:
    code = check_inputs.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_input_stops_with_one_clear_line(case, tmp_path, capsys):
    raw = copy_raw(tmp_path)
    values = case.breaks(raw, tmp_path) or {}
    if case.reseal:
        for name in VENDORED:
            reseal(raw / name)
    code, out, err = run_check(["--raw-dir", str(raw)] + values.get("argv", []), capsys)
    assert code == 2, f"expected exit 2, got {code}; stdout: {out}"
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("check-inputs: error: "), err
    assert "Traceback" not in err and "inputs ok" not in out
    for expected in case.expected:
        if isinstance(expected, re.Pattern):
            pattern = re.compile(expected.pattern.format(**values))
            assert pattern.search(lines[0]), f"/{pattern.pattern}/ not in: {lines[0]}"
        else:
            assert expected.format(**values) in lines[0], (
                f"{expected.format(**values)!r} not in: {lines[0]}"
            )


def test_corpus_is_large_and_distinct():
    assert len(CASES) >= 20
    assert len({c.id for c in CASES}) == len(CASES)


def test_command_line_exit_code_and_single_line(tmp_path):
    """The real entry point (what make runs): exit 2, one stderr line, no traceback."""
    raw = copy_raw(tmp_path)
    set_cell(raw / TOTALS, 307, "value_usd_mn", "1,234.5")
    reseal(raw / TOTALS)
    result = subprocess.run(
        [sys.executable, "-m", "helpers.pipeline.check_inputs", "--raw-dir", str(raw)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert (
        f"{TOTALS}, row 307, column 'value_usd_mn': value '1,234.5' has a thousands separator"
        in result.stderr
    )


def test_vendored_inputs_pass(capsys):
    code, out, err = run_check([], capsys)
    assert code == 0, err
    assert (
        out.strip()
        .splitlines()[-1]
        .startswith("inputs ok: totals 438 rows, commodities 435 rows, context 200 rows")
    )


# ------------------------------------------------- parameters (make report: helpers.pipeline.build)
PARAM_CASES = [
    (
        "unknown-partner",
        {"PARTNER": "Atlantis"},
        ["PARTNER 'Atlantis' has no data in data/raw", "valid values:", "Russia"],
    ),
    (
        "period-end-malformed",
        {"PERIOD_END": "2025-7"},
        ["PERIOD_END '2025-7' is not a month in YYYY-MM form", "valid: a month YYYY-MM from"],
    ),
    (
        "period-end-after-data",
        {"PERIOD_END": "2099-06"},
        [
            "PERIOD_END 2099-06 is after the latest release in the data",
            "valid: a month YYYY-MM from",
        ],
    ),
    (
        "period-end-before-data",
        {"PERIOD_END": "1990-06"},
        ["PERIOD_END 1990-06 is before the data", "valid: a month YYYY-MM from"],
    ),
    (
        "period-end-january-alone",
        {"PERIOD_END": "2024-01"},
        ["PERIOD_END 2024-01: GACC publishes January only together with February", "use 2024-02"],
    ),
    # the first monthly release is 2021-02 (January–February): January 2021 is refused for GACC's reason
    (
        "period-end-first-january",
        {"PERIOD_END": "2021-01"},
        ["PERIOD_END 2021-01: GACC publishes January only together with February; use 2021-02"],
    ),
    # annual totals go back to 2015, monthly releases only to 2021-02: say so rather than "before the data"
    (
        "period-end-annual-only",
        {"PERIOD_END": "2020-12"},
        [
            "PERIOD_END 2020-12 is before the first monthly release in the data (2021-02): for 2015–2020 data/raw holds "
            "only annual totals, and the briefing is built from monthly and January–month releases",
            "valid: a month YYYY-MM from 2021-02",
        ],
    ),
]


@pytest.mark.parametrize(
    "variables,expected", [c[1:] for c in PARAM_CASES], ids=[c[0] for c in PARAM_CASES]
)
def test_bad_parameter_stops_with_valid_values(variables, expected, tmp_path, capsys, monkeypatch):
    """make report's parameter check (make's variables reach it as BRIEFING_<NAME>), before any work."""
    for variable, value in variables.items():
        monkeypatch.setenv(f"BRIEFING_{variable}", value)
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tmp_path / "build"))
    assert run_main("report", build.main, ["--dry-run"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and err.startswith("report: error: ")
    for text in expected:
        assert text in err, f"{text!r} not in: {err}"
    assert not (tmp_path / "build").exists()


# --------------------------------------------------------------------------- recoverable oddities
def test_exact_duplicate_row_is_dropped_and_reported(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    header, rows = read_table(raw / TOTALS)
    rows.append(list(rows[306]))  # row 307 again, as row 439
    write_table(raw / TOTALS, header, rows)
    reseal(raw / TOTALS)
    code, out, err = run_check(["--raw-dir", str(raw)], capsys)
    assert code == 0, err
    assert (
        "check-inputs: note: data/raw/gacc_cn_ru_totals.csv, row 439: exact duplicate row dropped"
        in out
    )
    customs = load_customs(raw)
    assert {
        "check": "exact duplicate row dropped",
        "source_file": "data/raw/gacc_cn_ru_totals.csv",
        "source_row": 439,
        "detail": "2024-06 month export",
    } in customs.quality
    assert len(customs.totals) == 438


def test_utf8_bom_is_removed_and_noted(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    (raw / COMMODITIES).write_bytes(b"\xef\xbb\xbf" + (raw / COMMODITIES).read_bytes())
    reseal(raw / COMMODITIES)
    code, out, err = run_check(["--raw-dir", str(raw)], capsys)
    assert code == 0, err
    assert "data/raw/gacc_cn_ru_commodities.csv: UTF-8 byte-order mark removed" in out
    customs = load_customs(raw)
    assert {
        "check": "UTF-8 byte-order mark removed",
        "source_file": "data/raw/gacc_cn_ru_commodities.csv",
    } in customs.quality
    assert customs.commodities.columns[0] == "reporter" and len(customs.commodities) == 435


def test_agreeing_duplicates_from_two_outlets_resolve_without_conflict(tmp_path, capsys):
    raw = copy_raw(tmp_path)
    baseline = load_customs(RAW_DIR)
    header, rows = read_table(raw / TOTALS)
    copy = list(rows[306])  # 2024-06 month export 9883, Prime
    copy[header.index("value_usd_mn")] = "9883.0"
    copy[header.index("publisher")] = "TASS"
    copy[header.index("source_url")] = "https://tass.example/2024-06-china-russia"
    copy[header.index("quote")] = "экспорт из Китая в Россию составил $9,883 млрд"
    rows.append(copy)
    write_table(raw / TOTALS, header, rows)
    reseal(raw / TOTALS)
    code, out, err = run_check(["--raw-dir", str(raw)], capsys)
    assert code == 0, err
    customs = load_customs(raw)
    key = (
        (customs.resolved_totals.period == "2024-06")
        & (customs.resolved_totals.span == "month")
        & (customs.resolved_totals.flow == "export")
    )
    record = customs.resolved_totals.loc[key].iloc[0]
    assert (
        record.value == 9883
        and record.n_rows == baseline.resolved_totals.loc[key].iloc[0].n_rows + 1
    )
    conflicts = customs.conflicts
    assert conflicts.loc[
        (conflicts.period == "2024-06") & (conflicts.span == "month") & (conflicts.flow == "export")
    ].empty
    assert len(conflicts) == len(baseline.conflicts)
    assert not any("duplicate" in q["check"] for q in customs.quality)
