"""README's "When GACC publishes a new month", end to end in a throwaway copy of the project: append a month of
wire rows (SYNTHETIC, labelled), `make sidecars` records them, `make report PERIOD_END=latest` reports the new
month in the headline, Figures 2 and 3 and the Since the story rows and says which inputs changed; a file edited
without `make sidecars` is refused."""

import csv
import re

from project_copy import copy_project, make
from synthetic_month import append_rows, synthetic_rows

TOTALS = "data/raw/gacc_cn_ru_totals.csv"


def read_csv(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_new_month_reaches_the_briefing_with_no_code_change(tmp_path):
    project = copy_project(tmp_path / "project")
    first = make(project, "report", "PERIOD_END=latest")
    assert first.returncode == 0, first.stderr
    assert "params: period_end=2026-02" in first.stdout

    append_rows(project / TOTALS, synthetic_rows())
    recorded = make(project, "sidecars")
    assert recorded.returncode == 0, recorded.stderr
    assert "sidecars: data/raw/gacc_cn_ru_totals.csv: 438 -> 441 rows" in recorded.stdout
    assert "sidecars: 1 updated, 6 unchanged" in recorded.stdout

    built = make(project, "report", "PERIOD_END=latest")
    assert built.returncode == 0, built.stderr
    assert "params: period_end=2026-03" in built.stdout
    assert re.search(
        r"changes: .*data/raw/gacc_cn_ru_totals\.csv changed.*data/raw/gacc_cn_ru_totals\.meta\.json "
        r"changed",
        built.stdout,
    ), built.stdout

    reports = project / "reports"
    text = re.sub(r"<[^>]+>", "", (reports / "briefing.html").read_text(encoding="utf-8"))
    assert "China–Russia trade in January–March 2026 came to $59.1bn, up 11.1%" in text
    monthly = {r["period"]: r for r in read_csv(reports / "figures" / "f2-monthly-turnover.csv")}
    assert (monthly["2026-03"]["status"], float(monthly["2026-03"]["value_usd_bn"])) == (
        "derived",
        20.056,  # 59,100 − 39,044 (January–February, Prime)
    )
    ytd = read_csv(reports / "figures" / "f3-ytd-comparison.csv")
    assert {(r["flow"], r["year"], r["value_usd_bn"]) for r in ytd if r["year"] == "2026"} == {
        ("China's exports", "2026", "27.5"),
        ("China's imports", "2026", "31.6"),
        ("Turnover", "2026", "59.1"),
    }
    since = {r["Claim"]: r for r in read_csv(reports / "tables" / "t-since-the-story.csv")}
    turnover = since["Turnover"]
    assert (turnover["Trend"], turnover["Decided on"], turnover["Data to"]) == (
        "reversed",
        "January–March 2026",
        "2026-03",
    )
    assert turnover["In short"] == (
        "Turnover: the story's 8.1% fall has reversed: January–March 2026: +11.1%; full-year 2025: −6.9%."
    )
    assert "SYNTHETIC test figure" in turnover["Sources"]
    assert since["Fuel"]["Trend"] == "reversed"  # the other claims as before

    # an edited file whose sidecar was not refreshed is refused, and the published briefing stays as it was
    published = (reports / "briefing.html").read_bytes()
    append_rows(project / TOTALS, [synthetic_rows()[0][:1] + ["month"] + synthetic_rows()[0][2:]])
    refused = make(project, "report", "PERIOD_END=latest")
    assert refused.returncode == 2
    assert "data/raw/gacc_cn_ru_totals.csv: checksum mismatch" in refused.stderr
    assert (reports / "briefing.html").read_bytes() == published
