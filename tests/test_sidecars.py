"""One definition of a valid sidecar for every stage (issue 23, point 3): a sidecar the input check
accepts never fails later in the sources section (report.about), and one it refuses is refused there
too, each naming the sidecar. Once a hand-made sidecar without sha256 passed the check ("inputs ok")
and the render failed 22 s later with "checksum mismatch … sidecar records None"."""

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from helpers.core.errors import InputError
from helpers.core.paths import CONFIG_DIR
from helpers.pipeline.check_inputs import check_inputs
from helpers.report.about import about_from_sidecars
from helpers.report.blocks import RenderError
from test_bad_input import GACC_FIXTURE, copy_raw

DROPPED = "gacc/" + GACC_FIXTURE.name  # SYNTHETIC fixture export


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hand_sidecar(**fields):
    """A sidecar written by hand beside the dropped GACC export (`None` removes a field)."""

    def write(raw: Path) -> None:
        meta = {"file": GACC_FIXTURE.name, "sha256": sha(raw / DROPPED), "rows": 49}
        meta.update(fields)
        meta = {k: v for k, v in meta.items() if v is not None}
        (raw / f"{DROPPED}.meta.json").write_text(json.dumps(meta), encoding="utf-8")

    return write


def orphan_sidecar(raw: Path) -> None:
    (raw / "gacc" / "gone.csv.meta.json").write_text(
        json.dumps({"file": "gone.csv", "sha256": "0" * 64}), encoding="utf-8"
    )


CASES = {
    # case: (what is written, the refusal both stages give, or None when both accept it)
    "no sha256": (hand_sidecar(sha256=None), "sidecar records no sha256"),
    "sha256 not hex": (hand_sidecar(sha256="abc"), "sidecar's sha256 is malformed"),
    "sha256 of another file": (hand_sidecar(sha256="0" * 64), "checksum mismatch"),
    "names another file": (hand_sidecar(file="other.csv"), "sidecar names file 'other.csv'"),
    "rows not a count": (hand_sidecar(rows="many"), "rows 'many' is not a count"),
    "origin without commit": (
        hand_sidecar(origin_repository="someone/repo", origin_path="x.csv"),
        "origin_repository is given without origin_commit",
    ),
    "sidecar without its file": (orphan_sidecar, "sidecar without its raw file"),
    "minimal valid sidecar": (hand_sidecar(file=None, rows=None), None),
    "rows written as text": (hand_sidecar(rows="49"), None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_input_check_and_the_sources_section_agree(case, tmp_path):
    raw = copy_raw(tmp_path)
    (raw / "gacc").mkdir()
    shutil.copy2(GACC_FIXTURE, raw / DROPPED)
    write, refusal = CASES[case]
    write(raw)
    config = (CONFIG_DIR / "commodity_groups.yaml", CONFIG_DIR / "claims.yaml")
    if refusal is None:
        check_inputs(raw, *config, register=False)
        sources = about_from_sidecars(raw)["sources"]
        assert sources[-1]["sha256"] == sha(raw / DROPPED)
        return
    with pytest.raises(InputError, match=refusal) as checked:
        check_inputs(raw, *config, register=False)
    assert ".meta.json" in str(checked.value) or "checksum mismatch" in str(checked.value)
    with pytest.raises(RenderError, match=refusal):
        about_from_sidecars(raw)


def test_the_sources_list_stays_short_however_many_files(tmp_path):
    """30 copies of one export and 15 other files added by hand: one row per content, at most 12 rows,
    the vendored files first, a summary line linking the full list (issue 23, point 4)."""
    from helpers.report.about import SOURCES_SHOWN, write_sources_csv
    from helpers.report.publish import table_csvs_in_html
    from helpers.sources.provenance import write_hand_sidecar

    raw = copy_raw(tmp_path)
    (raw / "gacc").mkdir()
    text = GACC_FIXTURE.read_bytes()
    for n in range(30):
        (raw / "gacc" / f"copy_{n:02d}_{GACC_FIXTURE.name}").write_bytes(text)
    for n in range(15):  # distinct contents: one more blank line each
        (raw / "gacc" / f"other_{n:02d}.csv").write_bytes(text + b"\n" * (n + 1))
    for path in sorted((raw / "gacc").iterdir()):
        write_hand_sidecar(path, 49, "2026-12-05")
    about = about_from_sidecars(raw)
    vendored = ["gacc_cn_ru_totals.csv", "gacc_cn_ru_commodities.csv", "context_facts.csv"]
    assert len(about["sources"]) == SOURCES_SHOWN == 12
    assert sorted(s["file"] for s in about["sources"][:3]) == sorted(vendored)
    assert [str(n) for n in about["notes"]] == [
        "48 raw files, 19 distinct contents (29 byte-identical copies counted once); the table shows "
        '12. Every file, with its sha256 and origin: <a href="tables/t-sources.csv" '
        'data-csv="tables/t-sources.csv">tables/t-sources.csv</a>.'
    ]
    assert table_csvs_in_html(str(about["notes"][0])) == ["tables/t-sources.csv"]
    listing = write_sources_csv(about["files"], tmp_path / "tables").read_text(encoding="utf-8")
    lines = listing.splitlines()
    assert lines[0] == "file,sha256,rows,origin,same_content_as,title,publisher,accessed"
    assert len(lines) == 1 + 48
    assert sum(",gacc/copy_00_" in line for line in lines) == 29  # the copies name the one kept
