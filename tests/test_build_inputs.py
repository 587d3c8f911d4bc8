"""Fast checks of what `make report` trusts before it builds (issue 13, the pipeline half):
content-addressed rebuild decisions, the build lock, parameter validation, YAML configs, sidecars,
one-line failures and a deterministic PDF. The end-to-end versions run `make` in a copy
(tests/test_build_e2e.py)."""

import errno
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.core import file_hash
from helpers.core.errors import InputError, run_main
from helpers.core.json_file import read_json_object
from helpers.core.yaml_config import read_yaml
from helpers.pipeline.lock import BuildLocked, build_lock
from helpers.pipeline.manifest import (
    HashCache,
    claims_entry,
    describe_changes,
    input_manifest,
    stage_keys,
)
from helpers.report.pdf import normalise_pdf_dates, number_structure_ids
from helpers.sources.parameters import ParameterError, check_parameters, parameters_from_environment

ROOT = Path(__file__).resolve().parents[1]
PARAMS = {
    "period_end": "2025-07",
    "partner": "Russia",
    "groups_file": "config/commodity_groups.yaml",
    "claims_file": "config/claims.yaml",
}
OLD_TIME = 978307200  # 2001-01-01: older than any build stamp, like `cp -p` or unzip would leave


@pytest.fixture
def tree(tmp_path):
    """A minimal project tree: two raw files, the two configs, one code file."""
    for name, text in {
        "data/raw/a.csv": "x,y\n1,2\n",
        "data/raw/gacc/b.csv": "x\n3\n",
        "config/commodity_groups.yaml": "groups: {}\n",
        "config/claims.yaml": "claims: []\n",
        "src/helpers/m.py": "X = 1\n",
        "src/helpers/fetch/cli.py": "Y = 1\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def keys(root: Path, cache=None, params=PARAMS) -> tuple[dict, dict]:
    entries = input_manifest(root, params, cache or HashCache(root / "build" / "hash-cache.json"))
    return entries, stage_keys(entries, claims_entry(root, params))


def test_file_copied_with_an_old_time_changes_the_build_key(tree):
    before, before_keys = keys(tree)
    added = tree / "data/raw/gacc/export (1): \"q\" 'x'.csv"
    shutil.copy2(tree / "data/raw/gacc/b.csv", added)
    os.utime(added, (OLD_TIME, OLD_TIME))
    after, after_keys = keys(tree)
    assert (
        after_keys["check"] != before_keys["check"] and after_keys["build"] != before_keys["build"]
    )
    assert describe_changes(before, after) == "data/raw/gacc/export (1): \"q\" 'x'.csv added"


def test_deleted_input_changes_the_build_key(tree):
    before, before_keys = keys(tree)
    (tree / "data/raw/gacc/b.csv").unlink()
    after, after_keys = keys(tree)
    assert after_keys["check"] != before_keys["check"]
    assert describe_changes(before, after) == "data/raw/gacc/b.csv removed"


def test_same_size_same_mtime_edit_is_seen_through_the_cache(tree):
    """The cache is keyed by (size, mtime_ns, ctime_ns, inode): restoring the mtime does not hide an edit."""
    cache = HashCache(tree / "cache.json")
    raw = tree / "data/raw/a.csv"
    before, before_keys = keys(tree, cache)
    stat = raw.stat()
    raw.write_text("x,y\n1,9\n")  # same size
    os.utime(raw, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after, after_keys = keys(tree, cache)
    assert after["raw:data/raw/a.csv"] != before["raw:data/raw/a.csv"]
    assert after_keys["check"] != before_keys["check"]


def test_parameters_change_only_the_build_key(tree):
    _, first = keys(tree)
    _, second = keys(tree, params={**PARAMS, "period_end": "2024-12"})
    assert first["check"] == second["check"] and first["build"] != second["build"]


def test_a_claims_edit_leaves_the_raw_data_check_standing(tree):
    """The raw data's check reads no claim: a claims edit re-checks the configs alone (check_data kept);
    a groups edit (the HS codes the check filters by) or a raw file re-runs the whole check; the caches'
    code key moves with code only."""
    _, first = keys(tree)
    (tree / "config/claims.yaml").write_text("claims: [] # reworded\n")
    _, claims = keys(tree)
    assert claims["check"] != first["check"] and claims["build"] != first["build"]
    assert claims["check_data"] == first["check_data"] and claims["code"] == first["code"]
    (tree / "config/commodity_groups.yaml").write_text("groups: {} # more\n")
    _, groups = keys(tree)
    assert groups["check_data"] != claims["check_data"] and groups["code"] == first["code"]
    (tree / "data/raw/a.csv").write_text("x,y\n1,3\n")
    assert keys(tree)[1]["check_data"] != groups["check_data"]
    (tree / "src/helpers/m.py").write_text("X = 3\n")
    assert keys(tree)[1]["code"] != first["code"]


def test_a_claims_file_that_is_also_the_groups_file_is_checked_in_full(tree):
    same = {**PARAMS, "claims_file": PARAMS["groups_file"]}
    _, first = keys(tree, params=same)
    (tree / "config/commodity_groups.yaml").write_text("groups: {} # more\n")
    assert keys(tree, params=same)[1]["check_data"] != first["check_data"]


def test_fetch_code_is_not_a_build_input(tree):
    _, first = keys(tree)
    (tree / "src/helpers/fetch/cli.py").write_text("Y = 2\n")
    (tree / "src/helpers/m.py").write_text("X = 1\n")
    _, second = keys(tree)
    assert first == second
    (tree / "src/helpers/m.py").write_text("X = 2\n")
    assert keys(tree)[1]["check"] != first["check"]


def test_unchanged_inputs_are_not_rehashed(tree, monkeypatch):
    cache_file = tree / "build" / "hash-cache.json"
    cache = HashCache(cache_file)
    keys(tree, cache)
    cache.save()
    calls = []
    monkeypatch.setattr(file_hash, "sha256_file", lambda path: calls.append(path) or "x")
    keys(tree, HashCache(cache_file))
    assert calls == []


def test_checks_reuse_the_manifests_hashes_and_reread_an_edited_file(tree, monkeypatch):
    """The input check and the page verify sidecar checksums with file_sha256: it takes the sha256 the
    build's manifest recorded for an unchanged file, and reads a file again once it is written to."""
    monkeypatch.setenv("BRIEFING_BUILD_DIR", str(tree / "build"))
    cache = HashCache(tree / "build" / "hash-cache.json")
    keys(tree, cache)
    cache.save()
    raw = tree / "data/raw/a.csv"
    calls = []
    real = file_hash.sha256_file
    monkeypatch.setattr(
        file_hash, "sha256_file", lambda path: calls.append(Path(path).name) or real(path)
    )
    assert file_hash.file_sha256(raw) == real(raw) and calls == []
    raw.write_bytes(raw.read_bytes() + b"\n")
    assert file_hash.file_sha256(raw) == real(raw) and calls == ["a.csv"]


def test_fifo_in_raw_is_listed_not_opened(tree):
    os.mkfifo(tree / "data/raw/pipe.csv")  # opening it would block forever
    entries, _ = keys(tree)
    assert entries["raw:data/raw/pipe.csv"] == "not a regular file"


def test_manifest_of_this_project_is_fast_when_nothing_changed(tmp_path):
    cache = HashCache(tmp_path / "cache.json")
    input_manifest(ROOT, PARAMS, cache)
    cache.save()
    started = time.monotonic()
    entries = input_manifest(ROOT, PARAMS, HashCache(tmp_path / "cache.json"))
    assert (
        time.monotonic() - started < 1.5
    )  # the no-op rebuild budget is 1 s; generous for a loaded CI machine
    assert (
        "raw:data/raw/gacc_cn_ru_totals.csv" in entries and "config:config/claims.yaml" in entries
    )


# --------------------------------------------------------------------------- the build lock
HOLDER = """
import fcntl, sys, time
handle = open(sys.argv[1], "a+")
fcntl.flock(handle, fcntl.LOCK_EX)
handle.write("make report, pid 4242 (test holder)"); handle.flush()
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
"""


def hold_lock(build: Path, seconds: float) -> subprocess.Popen:
    build.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(build / "build.lock"), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_second_build_stops_with_a_clear_message_when_told_not_to_wait(tmp_path):
    holder = hold_lock(tmp_path / "build", 30)
    try:
        with pytest.raises(BuildLocked, match=r"another build is running .*pid 4242"):
            with build_lock(tmp_path / "build", wait_seconds=0):
                pytest.fail("entered a locked build")
    finally:
        holder.kill()
        holder.wait()


def test_second_build_waits_for_the_first(tmp_path, capsys):
    holder = hold_lock(tmp_path / "build", 1.0)
    started = time.monotonic()
    with build_lock(tmp_path / "build", wait_seconds=30):
        waited = time.monotonic() - started
        # the first build has let go of the lock (its process may still be exiting, so wait for it)
        assert holder.wait(timeout=10) == 0
    assert waited >= 0.5
    assert "waiting for another build to finish (make report, pid 4242" in capsys.readouterr().err


def test_lock_held_too_long_stops_after_the_wait(tmp_path):
    holder = hold_lock(tmp_path / "build", 30)
    try:
        with pytest.raises(BuildLocked, match="still running after 1 s"):
            with build_lock(tmp_path / "build", wait_seconds=1, poll=0.1):
                pass
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------------------- parameters
@pytest.mark.parametrize(
    "variable,value,message",
    [
        (
            "PARTNER",
            "`touch /tmp/pwned-trust`",
            "PARTNER '`touch /tmp/pwned-trust`' has no data in data/raw",
        ),
        ("PARTNER", "$(touch /tmp/pwned-trust)", "PARTNER '$(touch /tmp/pwned-trust)' has no data"),
        ("PERIOD_END", "2025-07; rm -rf /", "PERIOD_END '2025-07; rm -rf /' is not a month"),
        (
            "PERIOD_END",
            "2025-07\n2024-12",
            "PERIOD_END '2025-07\\\\n2024-12' contains control characters",
        ),
        ("GROUPS_FILE", "x" * 5000, "GROUPS_FILE is 5000 characters long"),
        ("CLAIMS_FILE", "config/\x00claims.yaml", "contains control characters"),
    ],
)
def test_hostile_parameter_values_are_refused_in_one_line(variable, value, message):
    with pytest.raises(
        ParameterError, match=message.replace("(", r"\(").replace(")", r"\)").replace("$", r"\$")
    ) as error:
        check_parameters(parameters_from_environment({f"BRIEFING_{variable}": value}))
    assert "\n" not in str(error.value) and len(str(error.value)) < 400


def test_parameters_come_from_the_environment_verbatim():
    env = {"BRIEFING_PERIOD_END": "2024-12", "BRIEFING_PARTNER": "", "UNRELATED": "x"}
    assert parameters_from_environment(env) == {"period_end": "2024-12"}


# --------------------------------------------------------------------------- configs and sidecars
ALIAS_BOMB = (
    "\n".join(
        ["a: &a [x, x, x, x, x, x, x, x, x]"]
        + [
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]"
            for i in range(8)
        ]
    )
    + "\ngroups: *i\n"
)


def test_yaml_alias_bomb_is_refused_in_one_short_line(tmp_path):
    bomb = tmp_path / "groups.yaml"
    bomb.write_text(ALIAS_BOMB)  # 9**9 = 387 million strings if expanded
    with pytest.raises(
        InputError, match=r"YAML anchor at line 1, column 4 is not allowed"
    ) as error:
        read_yaml(bomb)
    assert len(str(error.value)) < 300


def test_oversized_yaml_config_is_refused(tmp_path):
    big = tmp_path / "claims.yaml"
    big.write_text("claims:\n" + "  - {id: x}\n" * 100_000)
    with pytest.raises(InputError, match="over the 1,000,000-byte limit"):
        read_yaml(big)


@pytest.mark.parametrize(
    "content,message",
    [
        ("[1, 2]", "sidecar is a JSON list, not an object"),
        ("{broken", "sidecar is not valid JSON"),
        (b"\xff\xfe", "sidecar is not UTF-8 text"),
    ],
)
def test_broken_sidecar_is_named_itself(tmp_path, content, message):
    sidecar = tmp_path / "x.csv.meta.json"
    sidecar.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(InputError, match=message) as error:
        read_json_object(sidecar)
    # named by the sidecar itself, and (outside the project) without an absolute local path
    assert str(error.value).startswith("x.csv.meta.json: ") and str(tmp_path) not in str(
        error.value
    )


# --------------------------------------------------------------------------- failures and the PDF
def test_disk_full_is_one_line_and_exit_2(capsys):
    def fills_disk():
        raise OSError(errno.ENOSPC, "No space left on device", "build/stage-x/briefing.pdf")

    assert run_main("render", fills_disk) == 2
    err = capsys.readouterr().err
    assert (
        err
        == "render: error: disk full (build/stage-x/briefing.pdf): free space or fix permissions, then run again\n"
    )


def test_unexpected_exception_is_one_line(capsys):
    assert run_main("check-inputs", lambda: {}.get("x").strip()) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("check-inputs: error: unexpected AttributeError:") and err.count("\n") == 1
    )


def test_pdf_dates_are_normalised_without_moving_offsets():
    """Chromium 156 writes /CreationDate and /ModDate (no XMP, no /ID): same length, so xref stays valid."""
    body = (
        b"%PDF-1.4\n1 0 obj\n<</Creator (Mozilla/5.0)\n/Producer (Skia/PDF m156)\n"
        b"/CreationDate (D:20261128171916+00'00')\n/ModDate (D:20261128171916+00'00')>>\nendobj\n"
        b"trailer\n<</Size 2\n/Info 1 0 R>>\nstartxref\n0\n%%EOF\n"
    )
    first = normalise_pdf_dates(body, epoch=0)
    second = normalise_pdf_dates(body.replace(b"20261128171916", b"20270101093000"), epoch=0)
    assert first == second and len(first) == len(body)
    assert b"/CreationDate (D:19700101000000+00'00')\n/ModDate (D:19700101000000+00'00')" in first
    # a date of another length is left as it is rather than move the offsets
    short = body.replace(b"+00'00')\n/Mod", b"Z)\n/Mod")
    assert normalise_pdf_dates(short, epoch=0).count(b"D:20261128171916") == 1


def test_structure_ids_are_numbered_in_order_without_moving_offsets():
    """Two prints of one page whose DOM nodes were numbered differently (Chromium names a tagged PDF's
    structure elements after them) come out as the same bytes, of the same length."""
    body = (
        b"%PDF-1.7\n5 0 obj\n<</Type /StructElem /S /P /ID (node00000065)>>\nendobj\n"
        b"6 0 obj\n<</Type /StructElem /S /TH /ID (node00000223)>>\nendobj\n"
        b"7 0 obj\n<</Type /StructElem /S /TD /A <</O /Table /Headers [(node00000223)]>>>>\nendobj\n"
    )
    first = number_structure_ids(body)
    second = number_structure_ids(
        body.replace(b"00000065", b"00000071").replace(b"00000223", b"00000230")
    )
    assert first == second and len(first) == len(body)
    assert first.count(b"(node00000001)") == 1
    # a table cell still points at its header
    assert first.count(b"(node00000002)") == 2


def test_rebuild_reason_names_what_changed(tmp_path):
    from helpers.pipeline.build import rebuild_reason, write_stamp

    entries = {"config:config/claims.yaml": "sha256:1", "raw:data/raw/a.csv": "sha256:2"}
    keys = {"build": "k1"}
    changed = {**entries, "config:config/claims.yaml": "sha256:9"}
    assert (
        rebuild_reason(tmp_path, entries, changed, keys, ["notebooks"])
        == "config/claims.yaml changed"
    )
    assert (
        rebuild_reason(tmp_path, entries, entries, keys, ["notebooks", "render", "publish"])
        == "no input changed since the last attempt, which did not finish"
    )  # no notebooks stamp: it did not finish
    write_stamp(tmp_path, "notebooks", {"key": "k1", "outputs": {}})
    assert (
        "build/nb or build/figures differ from what the last build wrote (a notebook run by hand?)"
        in rebuild_reason(tmp_path, entries, entries, keys, ["notebooks", "render", "publish"])
    )
    assert (
        rebuild_reason(tmp_path, entries, entries, keys, ["render", "publish"])
        == "no input changed, but reports/ differs from what the last build published"
    )
