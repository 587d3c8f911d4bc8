"""Run the briefing's notebooks in ONE kernel, in order, with papermill's parameter injection.

One kernel start and one import of pandas/altair for the whole briefing instead of one per notebook
(about 10 s saved per notebook), and the customs data is loaded once (helpers.sections.data caches it).
With --wait-for-go (what `make report` uses) the kernel starts and imports the section modules while
the input check runs, then waits for the build's go-ahead (helpers.core.early_start).
The kernel's namespace is cleared before each notebook (every variable deleted by a silent request;
imported modules and their caches stay), so a notebook that passes here
cannot lean on another notebook's variables: each one runs alone as well (tests/test_notebooks.py).
Parameters come from build/params.json as strings, so nothing is type-guessed as with `papermill -p`.
Each executed notebook is written atomically; on a failing cell the partial notebook is kept as
`<name>.failed.ipynb` for inspection and the run stops with one line naming notebook and error.
"""

import argparse
import json
import os
import re
import select
import shutil
import signal
import sys
import tempfile
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from jupyter_client.manager import KernelManager

from ..core.atomic import write_text_atomic
from ..core.early_start import print_timing, say_ready, wait_for_go
from ..core.errors import run_main
from ..core.paths import PROJECT_ROOT

KERNEL = "ru-cn-briefing"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
NOTEBOOK_PARAMETERS = ("period_end", "partner", "groups_file", "claims_file")


def notebook_parameters(params_file: Path) -> dict:
    params = json.loads(Path(params_file).read_text(encoding="utf-8"))
    return {name: str(params[name]) for name in NOTEBOOK_PARAMETERS}


def import_notebook_tools() -> None:
    """nbformat, nbclient and papermill (most of a second): imported while the kernel starts, not before."""
    import nbclient  # noqa: F401
    import nbformat  # noqa: F401
    import papermill.iorw  # noqa: F401
    import papermill.parameterize  # noqa: F401


def write_atomically(notebook, path: Path) -> None:
    import nbformat

    text = nbformat.writes(notebook)
    write_text_atomic(path, text if text.endswith("\n") else text + "\n")  # as nbformat.write


@contextmanager
def running_kernel(kernel: str = KERNEL):
    """A kernel started in the project root, talking over IPC sockets in a private temporary folder
    (TCP would make ipykernel print an encryption warning on every build); shut down on exit."""
    sockets = tempfile.mkdtemp(prefix="briefing-kernel-")
    km = KernelManager(kernel_name=kernel, transport="ipc", ip=os.path.join(sockets, "kernel"))
    km.start_kernel(
        cwd=str(PROJECT_ROOT), extra_arguments=["--HistoryManager.hist_file=:memory:"]
    )  # as nbclient does
    kc = km.client()
    import_notebook_tools()

    def stop(signum, frame):
        """A stop signal ends the kernel (its own session) and this runner at once, silently: nbclient
        would otherwise go on, or report the kernel's death as an error (issue 23, point 5)."""
        with suppress(OSError, AttributeError, TypeError):
            os.killpg(km.provisioner.pgid, signal.SIGKILL)
        shutil.rmtree(sockets, ignore_errors=True)
        os._exit(128 + signum)

    previous = {each: signal.signal(each, stop) for each in STOP_SIGNALS}
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)
        for each, handler in previous.items():
            signal.signal(each, handler)


# Imports every section module (what the notebooks call), binding no name in the kernel's namespace. A
# failure here is ignored: the notebook that needs the module then fails with its own, clearer message.
WARM_UP = """\
__import__("helpers.sections", fromlist=["_"]).import_all()
"""
# vl-convert's JavaScript engines started in a background thread (they release the GIL): sent only while
# the build is still checking its inputs. A warm build draws nothing (build/cache/), and on two cores the
# engines' start would otherwise slow the first notebooks.
WARM_UP_DRAWING = """\
__import__("threading").Thread(target=__import__("helpers.report.figures", fromlist=["_"]).start_vl_convert,
                               daemon=True).start()
"""


# Before each notebook, out of sight (a silent request, no cell in the notebook): delete every variable
# the previous notebook defined (`%reset -f` would also run a full garbage collection, 0.25 s a notebook
# with altair loaded), and start a new history session so cell numbers restart at 1.
FRESH_NAMESPACE = """\
get_ipython().run_line_magic("reset_selective", "-f .")
get_ipython().history_manager.reset(new_session=True)
get_ipython().execution_count = 1
"""


def run_silently(kc, code: str, timeout: float = 120) -> None:
    """Run `code` in the kernel without output or history, and wait until it has finished."""
    msg_id = kc.execute(code, silent=True, store_history=False)
    deadline = time.monotonic() + timeout
    while (
        kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))["parent_header"].get(
            "msg_id"
        )
        != msg_id
    ):
        pass


def run_notebooks(
    notebooks: list[Path],
    out_dir: Path,
    parameters: dict,
    km,
    kc,
    kernel: str = KERNEL,
    timeout: int = 600,
) -> None:
    """Execute `notebooks` in order in the running kernel; write each executed notebook to `out_dir`
    and print its timing line."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    out_dir.mkdir(parents=True, exist_ok=True)
    for source in notebooks:
        started = time.monotonic()
        run_silently(kc, FRESH_NAMESPACE)
        notebook = parameterize_notebook(
            load_notebook_node(str(source)), parameters, kernel_name=kernel
        )
        for (
            cell
        ) in notebook.cells:  # papermill gives its cell a random id: the same one every build
            if "injected-parameters" in cell.metadata.get("tags", []):
                cell.id = "injected-parameters"
        client = NotebookClient(
            notebook,
            km=km,
            timeout=timeout,
            kernel_name=kernel,
            record_timing=False,  # no timestamps in the executed notebook: two builds write the same bytes
            resources={"metadata": {"path": str(PROJECT_ROOT)}},
        )
        client.kc = kc  # NotebookClient ignores a `kc` argument and would open (and wait for) a new client per notebook
        try:
            client.execute()
        except CellExecutionError as error:
            write_atomically(notebook, out_dir / f"{source.stem}.failed.ipynb")
            raise NotebookFailed(
                f"{source.name} failed in {failing_cell(notebook, error)} "
                f"(see {out_dir / (source.stem + '.failed.ipynb')})"
            ) from None
        write_atomically(notebook, out_dir / source.name)
        print_timing(source.stem, time.monotonic() - started)


def failing_cell(notebook, error) -> str:
    """'cell 3: SyntaxError: invalid syntax (line 2)': the cell as numbered in the notebook's source
    (every cell counts, Markdown too; papermill's injected parameters do not), and its error."""
    number = 0
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            continue
        number += 1
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                value = re.sub(r"\(\d+\.py, (line \d+)\)", r"(\1)", str(output.get("evalue", "")))
                detail = " ".join(value.split())[:200]
                return f"cell {number}: {output.get('ename', 'error')}" + (
                    f": {detail}" if detail else ""
                )
    text = re.sub(r"\x1b\[[0-9;]*m", "", str(error)).strip()  # traceback colours
    return text.splitlines()[-1] if text else repr(error)


class NotebookFailed(RuntimeError):
    pass


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--params", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--kernel", default=KERNEL)
    parser.add_argument(
        "--wait-for-go",
        action="store_true",
        help="start and warm up the kernel, then wait for a line 'go' on stdin",
    )
    parser.add_argument(
        "--ready-fd", type=int, help="write 'ready' to this pipe once the kernel has warmed up"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    with running_kernel(args.kernel) as (km, kc):
        label, ready = "kernel start", time.monotonic()
        if args.wait_for_go:
            run_silently(kc, WARM_UP)
            label, ready = "kernel start + imports", time.monotonic()
            say_ready(args.ready_fd)
            if not select.select([sys.stdin], [], [], 0)[0]:  # no word from the build yet
                run_silently(kc, WARM_UP_DRAWING)
            if not wait_for_go():
                return 0
        print_timing(label, ready - started)
        try:
            run_notebooks(
                args.notebooks,
                args.out,
                notebook_parameters(args.params),
                km,
                kc,
                args.kernel,
            )
        except NotebookFailed as error:
            print(f"run-notebooks: error: {error}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(run_main("run-notebooks", main))
