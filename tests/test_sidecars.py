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
