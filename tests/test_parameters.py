"""The parameters live in config/parameters.yaml only: the Makefile, the check and every notebook's
parameters cell start from it; `latest` is the last month with data; a partner without data fails
before any work, naming the partners that have data."""

import ast
import csv
import subprocess

import pytest

from helpers.core.paths import RAW_DIR, wire_files
from helpers.sources.parameters import (
    ParameterError,
    check_parameters,
    check_partner,
    parameter_defaults,
    partners_with_data,
)
from helpers.sources.wire import load_totals
from notebooks_alone import NOTEBOOKS, ROOT, parameters_cell

PARAMETERS_FILE = ROOT / "config" / "parameters.yaml"


def test_defaults_are_the_file():
    assert parameter_defaults() == {
        "period_end": "2025-07",  # the story's period: Jan-Jul 2025
        "partner": "Russia",
        "groups_file": "config/commodity_groups.yaml",
        "claims_file": "config/claims.yaml",
    }


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda text: text.replace('"2025-07"', "2025-07-01"),
            "period_end is datetime.date(2025, 7, 1), not text in quotes",
        ),
        (lambda text: text + 'colour: "red"\n', "unknown parameter 'colour'"),
        (lambda text: text.replace("partner:", "# partner:"), "no default for partner"),
        (lambda text: text + "x: *anchor\n", "YAML alias at line"),
    ],
    ids=["unquoted date", "unknown name", "missing", "alias"],
)
def test_a_broken_defaults_file_stops_with_one_line(tmp_path, change, message):
    broken = tmp_path / "parameters.yaml"
    broken.write_text(change(PARAMETERS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ParameterError, match="parameters.yaml") as info:
        parameter_defaults(broken)
    assert message in str(info.value) and "\n" not in str(info.value)


def test_makefile_defaults_are_the_file():
    shown = subprocess.run(
        ["make", "-s", "--no-print-directory", "-C", str(ROOT), "parameters"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin"},
    ).stdout.split()
    defaults = parameter_defaults()
    assert shown == [f"{name.upper()}={defaults[name]}" for name in defaults]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for value in defaults.values():  # no second copy of a value: the Makefile passes overrides only
        assert value not in makefile


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_parameters_cell_is_the_file(path):
    import nbformat

    cell = parameters_cell(nbformat.read(path, as_version=4))
    values = {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign)
    }
    assert values == parameter_defaults()


def test_readme_points_to_the_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "config/parameters.yaml" in readme and "latest" in readme


def last_month_with_data() -> str:
    """Independent of helpers: the latest month a GACC release in the totals file covers."""
    with open(RAW_DIR / wire_files("RU")[0], newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return max(
        [r["period"] for r in rows if r["span"] in ("month", "ytd")]
        + [r["period"] + "-12" for r in rows if r["span"] == "year"]
    )


@pytest.mark.parametrize("spelling", ["latest", "LATEST", " latest "])
def test_latest_is_the_last_month_with_data(spelling):
    params = check_parameters({"period_end": spelling})
    assert params["period_end"] == last_month_with_data()
    assert params["period_end"] > "2025-07"


def test_make_report_resolves_latest_to_a_month(tmp_path, monkeypatch, capsys):
    from helpers.pipeline.build import main

    monkeypatch.setenv("BRIEFING_PERIOD_END", "latest")
    monkeypatch.setenv("BRIEFING_PARTNER", "")
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tmp_path / "build"))
    assert main(["--dry-run"]) == 0
    assert f"params: period_end={last_month_with_data()} partner=RU\n" in capsys.readouterr().out


def test_unknown_partner_lists_partners_with_data():
    with pytest.raises(ParameterError) as info:
        check_parameters({"partner": "Kazakhstan"})
    assert "PARTNER 'Kazakhstan' has no data in data/raw" in str(info.value)
    assert "valid values: RU/Russia/RUS/643" in str(info.value)


def write_synthetic_partner(raw_dir, iso2: str) -> None:
    """SYNTHETIC totals/commodities files for a second partner (header of the real layout, one row each)."""
    totals, commodities = (raw_dir / name for name in wire_files(iso2))
    with open(RAW_DIR / wire_files("RU")[0], encoding="utf-8") as handle:
        totals_header = handle.readline()
    with open(RAW_DIR / wire_files("RU")[1], encoding="utf-8") as handle:
        commodities_header = handle.readline()
    totals.write_text(
        totals_header + "2025-07,ytd,total,1000.5,-1.5,usd,https://example.org/synthetic,"
        "SYNTHETIC test data,2025-08-07,synthetic row\n",
        encoding="utf-8",
    )
    commodities.write_text(commodities_header, encoding="utf-8")


def test_a_partner_with_data_is_accepted_and_flows_into_its_rows(tmp_path):
    (tmp_path / "gacc_cn_ru_totals.csv").write_text("x")  # Russia's files present but incomplete:
    write_synthetic_partner(tmp_path, "KZ")
    assert partners_with_data(tmp_path) == {"KZ"}  # a partner needs both files
    assert check_partner("Kazakhstan", tmp_path) == "KZ" and check_partner("398", tmp_path) == "KZ"
    with pytest.raises(ParameterError, match="valid values: KZ/Kazakhstan/KAZ/398"):
        check_partner("Russia", tmp_path)
    rows = load_totals(tmp_path / wire_files("KZ")[0], verify=False, partner="KZ")
    assert rows.partner.tolist() == ["KZ"] and rows.value.tolist() == [1000.5]


def test_every_spelling_of_the_partner_gives_the_same_parameters():
    """PARTNER=643, RUS, ru or Russia: the same parameters, so the same build fingerprint (no rebuild) and the
    same notebook parameter cells."""
    spelled = [check_parameters({"partner": p}) for p in ("643", "RUS", " ru ", "Russia")]
    assert all(p == spelled[-1] for p in spelled)
    assert (spelled[0]["partner"], spelled[0]["partner_code"]) == ("Russia", "RU")
