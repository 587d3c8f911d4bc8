"""Issue acceptance: dropping GACC query exports into data/raw/gacc/ and running `make report`
switches the commodity figures to HS-level sums and names that source in the briefing."""

import re
import shutil
from pathlib import Path

from project_copy import copy_project, make

FIXTURES = Path(__file__).parent / "fixtures" / "hs_level" / "raw" / "gacc"  # SYNTHETIC test data


def test_dropped_gacc_exports_drive_the_commodity_figures(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "data" / "raw" / "gacc").mkdir(parents=True, exist_ok=True)
    for export in FIXTURES.iterdir():
        shutil.copy2(export, project / "data" / "raw" / "gacc" / export.name)
    # the same export saved twice (issue 13): must count once, with a note naming both. A browser names the
    # copy "… (1).csv"; a space in a raw file name needs the content-addressed Makefile (branch trust)
    twice = "gacc_出口_俄罗斯_2025-01_2025-07_copy.csv"
    shutil.copy2(
        FIXTURES / "gacc_出口_俄罗斯_2025-01_2025-07.csv", project / "data" / "raw" / "gacc" / twice
    )
    result = make(project, "report")
    assert result.returncode == 0, result.stderr[-2000:]
    html = (project / "reports" / "briefing.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)  # tags removed, not spaced: numbers sit in no-break spans
    # vehicles = 8701+8703+8704 summed from the dropped files: $6.8bn, −39.6% (synthetic fixture values)
    assert "Vehicles (tractors, passenger cars, trucks): $6.8bn, −39.6% (HS-level sum)" in text
    assert "sum of HS 8701+8703+8704" in text
    assert "gacc_出口_俄罗斯_2025-01_2025-07.csv" in text
    assert (
        "4 HS-level files, 3 distinct contents: data/raw/gacc/gacc_出口_俄罗斯_2025-01_2025-07.csv "
        f"and 1 byte-identical copy ({twice}), each content read once and counted once" in text
    )
    assert (
        "added by hand" in text and str(project) not in html
    )  # no absolute local path in the briefing
    sidecar = project / "data" / "raw" / "gacc" / (twice + ".meta.json")
    assert '"origin": "added by hand"' in sidecar.read_text(encoding="utf-8")
    figure_csv = (project / "reports" / "figures" / "f4-commodity-changes.csv").read_text(
        encoding="utf-8"
    )
    assert "HS-level sum" in figure_csv
    # the group of GACC national code 9804 (issue 23): an HS-level change, and the claim a verdict
    assert (
        "low_value_goods,Low-value goods under simplified customs clearance (GACC code 9804),"
        "export,0.218,217.9,293,-25.6,-25.6,True,HS-level sum" in figure_csv
    )
    verdicts = (project / "reports" / "tables" / "t-claim-check.csv").read_text(encoding="utf-8")
    low_value = next(line for line in verdicts.splitlines() if "low-value goods" in line)
    assert ",differs," in low_value and "cannot be checked" not in low_value
