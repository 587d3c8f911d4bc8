"""`make report`: check the parameters, take the build lock, and rebuild exactly what the content of
the inputs requires, then publish this build's own stage into reports/.

    python -m helpers.pipeline.build [--dry-run] [--clean]

Parameters come from the environment only (BRIEFING_PERIOD_END, BRIEFING_PARTNER,
BRIEFING_GROUPS_FILE, BRIEFING_CLAIMS_FILE, set by the Makefile from make's variables without any
shell in between) and are checked before anything runs. Stages run as subprocesses with argument
lists (no shell), each printing its own timing line:

    parameter check -> input manifest -> input check -> notebooks -> page/figures/PDF -> publish

Whether a stage runs depends on the input manifest (helpers.pipeline.manifest: names + sha256 of
every raw file, config, code file and the parameters), recorded in build/stamps/ after the stage
succeeds; file times play no part. A rebuild with nothing changed only hashes what changed (nothing)
and compares: well under a second. Every failure is one line on stderr and exit 2; reports/ is
checked writable before any work and is touched only by a complete build.
"""

from __future__ import annotations

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..core.atomic import write_text_atomic
from ..core.early_start import GO, print_timing
from ..core.errors import InputError, run_main
from ..core.file_hash import HashCache, sha256_file
from ..core.paths import PROJECT_ROOT, build_dir
from ..core.result_cache import CODE_KEY_VARIABLE
from ..report.publish import check_publishable, publish
from ..sources.parameters import (
    MAKE_VARIABLES,
    ParameterError,
    check_parameters,
    parameter_defaults,
    parameters_from_environment,
    write_if_changed,
)
from .lock import DEFAULT_WAIT_SECONDS, build_lock
from .manifest import claims_entry, describe_changes, input_manifest, stage_keys
from .process_tree import Interrupted, signals_deferred, stage_session, stopped_on_signal

PROG = "report"
STAGE_PREFIX = "stage-"


class StageFailed(Exception):
    """A stage subprocess failed; it has already printed its own one-line error."""


def read_stamp(build: Path, name: str) -> dict:
    try:
        stamp = json.loads((build / "stamps" / f"{name}.json").read_text(encoding="utf-8"))
        return stamp if isinstance(stamp, dict) else {}
    except (OSError, ValueError):
        return {}


def write_stamp(build: Path, name: str, stamp: dict) -> None:
    write_text_atomic(
        build / "stamps" / f"{name}.json", json.dumps(stamp, indent=1, sort_keys=True) + "\n"
    )


def files_match(recorded: dict, base: Path, cache: HashCache) -> bool:
    """Do the files recorded in a stamp ({relative path: sha256}) still exist with that content?"""
    try:
        return bool(recorded) and all(
            cache.sha256(base / relative, (base / relative).stat()) == expected
            for relative, expected in recorded.items()
        )
    except OSError:
        return False


def hashes_of(base: Path, relatives: list[str]) -> dict[str, str]:
    return {relative: sha256_file(base / relative) for relative in relatives}


def stage_environment(root: Path, build: Path, code: str = "") -> dict:
    env = dict(os.environ)
    env.update(BRIEFING_ROOT=str(root), BRIEFING_BUILD_DIR=str(build))
    if code:  # the key of build/cache/'s drawings and pages (helpers.core.result_cache)
        env[CODE_KEY_VARIABLE] = code
    env.setdefault("PYTHONHASHSEED", "0")
    env.setdefault("SOURCE_DATE_EPOCH", "0")
    return env


class Stage:
    """A stage subprocess (`python -m module args`, in its own session). Started `early`, before its turn,
    it imports and warms up (the notebook kernel, the renderer's libraries) while the stage before it runs,
    then waits for `go()`; `cancel()` lets it exit without doing anything (helpers.core.early_start). On two
    cores this hides ~2 s of start-up. Not early, it works at once; `finish()` waits for it either way."""

    def __init__(
        self,
        label: str,
        module: str,
        args: list[str],
        root: Path,
        build: Path,
        timed: bool = True,
        code: str = "",
        early: bool = True,
        says_ready: bool = False,
    ):
        self.label, self.timed = label, timed
        self.ready, ready_args, passed = None, [], ()
        if says_ready:  # a pipe the stage writes to once it has warmed up (core.early_start)
            self.ready, passed = os.pipe()
            ready_args = ["--ready-fd", str(passed)]
        try:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    module,
                    *args,
                    *(["--wait-for-go"] if early else []),
                    *ready_args,
                ],
                cwd=root,
                env=stage_environment(root, build, code),
                stdin=subprocess.PIPE if early else None,
                text=True,
                preexec_fn=stage_session,
                pass_fds=(passed,) if says_ready else (),
            )
        finally:
            if says_ready:
                os.close(passed)
        self.started = time.monotonic()

    def wait_ready(self, timeout: float = 120) -> None:
        """Until the stage says its warm-up is done, or exits (end of the pipe), or `timeout` passes."""
        if self.ready is not None:
            select.select([self.ready], [], [], timeout)
            os.close(self.ready)
            self.ready = None

    def go(self) -> None:
        self.started = time.monotonic()
        self.process.stdin.write(GO + "\n")
        self.process.stdin.close()

    def finish(self) -> None:
        """Wait for the stage to end; StageFailed if it failed."""
        returncode = self.process.wait()
        if self.timed:
            print_timing(self.label, time.monotonic() - self.started)
        if returncode != 0:
            if returncode < 0 or returncode not in (1, 2):  # else the stage printed its own error
                reason = (
                    f"killed by signal {-returncode}" if returncode < 0 else f"exit {returncode}"
                )
                hint = " (out of memory?)" if returncode in (-9, 137) else ""
                print(
                    f"{PROG}: error: {self.label} stopped: {reason}{hint}; reports/ unchanged",
                    file=sys.stderr,
                )
            raise StageFailed(self.label)

    def cancel(self) -> None:
        if self.ready is not None:
            os.close(self.ready)
            self.ready = None
        if self.process.poll() is None:
            try:
                self.process.stdin.close()  # end of input: the stage exits without working
                self.process.wait(timeout=30)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()


def notebooks_of(root: Path) -> list[Path]:
    return sorted(p.relative_to(root) for p in (root / "notebooks").glob("[0-9]*.ipynb"))


def remove_stale_stages(build: Path) -> None:
    """Stage directories of builds that were killed (we hold the lock: none is in use)."""
    for folder in build.glob(f"{STAGE_PREFIX}*"):
        shutil.rmtree(folder, ignore_errors=True)


def build(
    root: Path,
    build: Path,
    reports: Path,
    dry_run: bool = False,
    wait: float = DEFAULT_WAIT_SECONDS,
) -> int:
    started = time.monotonic()
    try:
        params = check_parameters(parameters_from_environment())
    except ParameterError as error:
        raise InputError(str(error)) from None
    print_timing("parameter check", time.monotonic() - started)
    print(f"params: period_end={params['period_end']} partner={params['partner_code']}", flush=True)
    if dry_run:
        return plan_only(root, build, params)
    check_publishable(reports)  # before any work: a read-only reports/ wastes no build
    with build_lock(build, wait):
        status = build_locked(root, build, reports, params)
    print_timing("total", time.monotonic() - started)
    return status


def plan(
    root: Path, build: Path, params: dict, cache: HashCache, label: str = "input manifest"
) -> tuple[dict, dict, dict]:
    started = time.monotonic()
    entries = input_manifest(root, params, cache)
    keys = stage_keys(entries, claims_entry(root, params))
    print_timing(label, time.monotonic() - started)
    previous = read_stamp(build, "manifest").get("entries") or {}
    return entries, keys, previous


def plan_only(root: Path, build: Path, params: dict) -> int:
    cache = HashCache(build / "hash-cache.json")
    entries, keys, previous = plan(root, build, params, cache)
    todo = stages_to_run(root, build, keys, cache)
    if not todo:
        print(f"{PROG}: would run: nothing (up to date)")
    else:
        print(
            f"{PROG}: would run: {', '.join(todo)}; changes: {rebuild_reason(build, previous, entries, keys, todo)}"
        )
    return 0


def rebuild_reason(build: Path, previous: dict, entries: dict, keys: dict, todo: list[str]) -> str:
    """Why the stages in `todo` run: the inputs that changed or, with none changed, which outputs did."""
    if previous != entries:
        return describe_changes(previous, entries)
    if "notebooks" in todo and read_stamp(build, "notebooks").get("key") == keys["build"]:
        return "no input changed, but build/nb or build/figures differ from what the last build wrote (a notebook run by hand?)"
    if todo == ["render", "publish"]:
        return "no input changed, but reports/ differs from what the last build published"
    return "no input changed since the last attempt, which did not finish"


def stages_to_run(root: Path, build: Path, keys: dict, cache: HashCache) -> list[str]:
    checked = read_stamp(build, "check")
    check = checked.get("key") != keys["check"]
    # only the claims file changed since the last full check: the raw data's check stands (it reads no claim)
    configs_only = check and checked.get("data_key") == keys["check_data"]
    notebooks_stamp = read_stamp(build, "notebooks")
    notebooks = (
        check
        or notebooks_stamp.get("key") != keys["build"]
        or not files_match(notebooks_stamp.get("outputs") or {}, build, cache)
    )
    published = read_stamp(build, "published")
    publish_needed = (
        notebooks
        or published.get("key") != keys["build"]
        or not files_match(published.get("files") or {}, root / "reports", cache)
    )
    return [
        name
        for name, needed in (
            ("input check", check and not configs_only),
            ("config check", configs_only),
            ("notebooks", notebooks),
            ("render", publish_needed),
            ("publish", publish_needed),
        )
        if needed
    ]


def build_locked(root: Path, build: Path, reports: Path, params: dict) -> int:
    cache = HashCache(build / "hash-cache.json")
    entries, keys, previous = plan(root, build, params, cache)
    todo = stages_to_run(root, build, keys, cache)
    cache.save()
    if not todo:
        print(f"{PROG}: up to date (inputs {keys['build'][:12]}); nothing rebuilt")
        return 0
    print(
        f"{PROG}: rebuilding ({', '.join(todo)}); changes: {rebuild_reason(build, previous, entries, keys, todo)}",
        flush=True,
    )
    write_stamp(build, "manifest", {"entries": entries})
    remove_stale_stages(build)
    params_file = build / "params.json"
    write_if_changed(params, params_file)
    code = keys["code"]
    notebooks = (
        early_notebooks_stage(root, build, params_file, code) if "notebooks" in todo else None
    )
    renderer = None
    try:
        if "config check" in todo:
            started = time.monotonic()
            check_configs(params)
            print_timing("config check", time.monotonic() - started)
            write_stamp(build, "check", {"key": keys["check"], "data_key": keys["check_data"]})
        if "input check" in todo:
            Stage(
                "input check",
                "helpers.pipeline.check_inputs",
                [
                    "--groups",
                    params["groups_file"],
                    "--claims",
                    params["claims_file"],
                    "--partner",
                    params["partner_code"],
                ],
                root,
                build,
                code=code,
                early=False,
            ).finish()
            # The check registers files added by hand (writes their sidecars) and forgets removed ones:
            # the build is recorded under the inputs as they are now, so the next run finds it up to date.
            entries, keys, _ = plan(root, build, params, cache, "manifest after check")
            cache.save()
            write_stamp(build, "manifest", {"entries": entries})
            write_stamp(build, "check", {"key": keys["check"], "data_key": keys["check_data"]})
        stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=build))
        try:
            executed = [str(build / "nb" / path.name) for path in notebooks_of(root)]
            args = ["--notebooks", *executed, "--params", str(params_file), "--out", str(stage)]
            if os.environ.get("BRIEFING_CHROMIUM"):
                args += ["--chromium", os.environ["BRIEFING_CHROMIUM"]]
            render = ("page, figures, PDF", "helpers.report.render", args)
            if notebooks is not None:
                notebooks.go()
                # Started only once the kernel has warmed up: beside the kernel's start (and the input
                # check) its own imports would slow the start of the notebooks on two cores.
                notebooks.wait_ready()
                renderer = Stage(*render, root, build, timed=False, code=code)
                notebooks.finish()
                finish_notebooks_stage(root, build, keys)
                renderer.go()
                renderer.finish()
            else:
                Stage(*render, root, build, timed=False, code=code, early=False).finish()
            started = time.monotonic()
            with signals_deferred():  # all of reports/ or none of it, whenever a signal comes
                published = publish(stage, reports)
                write_stamp(
                    build,
                    "published",
                    {"key": keys["build"], "files": hashes_of(reports, published)},
                )
            print_timing("publish", time.monotonic() - started)
        finally:
            shutil.rmtree(stage, ignore_errors=True)
    except StageFailed:
        return 2
    finally:
        for early in (notebooks, renderer):
            if early is not None:
                early.cancel()
    print(f"{PROG}: published {len(published)} files to reports/ (inputs {keys['build'][:12]})")
    return 0


def early_notebooks_stage(root: Path, build: Path, params_file: Path, code: str) -> Stage:
    """Fresh output folders (a notebook or figure dropped since the last build cannot linger), then the
    notebook runner starts its kernel while the input check runs."""
    for folder in ("nb", "figures"):
        shutil.rmtree(build / folder, ignore_errors=True)
    write_stamp(build, "notebooks", {})
    return Stage(
        "notebooks",
        "helpers.pipeline.run_notebooks",
        [*map(str, notebooks_of(root)), "--params", str(params_file), "--out", str(build / "nb")],
        root,
        build,
        timed=False,
        code=code,
        says_ready=True,
    )


def check_configs(params: dict) -> None:
    """The input check when only the claims file changed since the last full one: the configs, read and
    validated as the full check reads them (helpers.sources.configs), in this process: a fraction of a second
    instead of every raw file read again while the notebook kernel starts. One line and StageFailed if invalid."""
    from ..sources.configs import load_claims, load_groups

    try:
        load_claims(params["claims_file"], load_groups(params["groups_file"]))
    except InputError as error:
        print(f"check-inputs: error: {error}", file=sys.stderr)
        raise StageFailed("config check") from None


def finish_notebooks_stage(root: Path, build: Path, keys: dict) -> None:
    outputs = [f"nb/{path.name}" for path in notebooks_of(root)]
    outputs += [
        path.relative_to(build).as_posix() for path in sorted((build / "figures").glob("*"))
    ]
    write_stamp(build, "notebooks", {"key": keys["build"], "outputs": hashes_of(build, outputs)})


def clean(build: Path, reports: Path, wait: float) -> int:
    """`make clean`, under the lock so it cannot pull files from under a running build."""
    with build_lock(build, wait, what="make clean"):
        for path in build.iterdir():
            if path.name != "build.lock":
                shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
        for name in ("briefing.html", "briefing.pdf"):
            (reports / name).unlink(missing_ok=True)
        shutil.rmtree(reports / "figures", ignore_errors=True)
    print(f"{PROG}: cleaned build/ and reports/")
    return 0


def lock_wait_seconds() -> float:
    text = os.environ.get("BRIEFING_LOCK_WAIT", "")
    if text == "":
        return DEFAULT_WAIT_SECONDS
    try:
        return max(0.0, float(text))
    except ValueError:
        raise InputError(f"LOCK_WAIT '{text[:20]}' is not a number of seconds") from None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--dry-run", action="store_true", help="say what would be rebuilt and why; build nothing"
    )
    parser.add_argument(
        "--clean", action="store_true", help="delete build/ and the published briefing"
    )
    parser.add_argument(
        "--show-parameters",
        action="store_true",
        help="print the parameters a build would use (config/parameters.yaml + make's overrides)",
    )
    args = parser.parse_args(argv)
    if args.show_parameters:
        values = {**parameter_defaults(), **parameters_from_environment()}
        print(" ".join(f"{variable}={values[name]}" for variable, name in MAKE_VARIABLES.items()))
        return 0
    root, build_folder = PROJECT_ROOT, build_dir()
    reports = root / "reports"
    try:
        with stopped_on_signal():
            if args.clean:
                return clean(build_folder, reports, lock_wait_seconds())
            return build(root, build_folder, reports, args.dry_run, lock_wait_seconds())
    except Interrupted as stop:
        outcome = (
            "reports/ holds this build, published just before"
            if stop.after_publish
            else "reports/ unchanged"
        )
        print(
            f"{PROG}: stopped by {stop.name}: the {stop.stopped} process(es) it started have ended; "
            f"{outcome}; build/ is ready for the next run",
            file=sys.stderr,
        )
        return 128 + stop.signum


if __name__ == "__main__":
    sys.exit(run_main(PROG, main))
