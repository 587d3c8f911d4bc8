"""`make lab`: JupyterLab on notebooks/ with the project's kernel, Python (ru-cn-briefing), ready to edit.

The port comes from BRIEFING_LAB_PORT (make's LAB_PORT, default 8888), checked as a number: like every
other make variable it never passes through a shell string. JupyterLab prints the URL to open.
"""

import os
import sys

from ..core.errors import InputError, excerpt, run_main
from ..core.paths import PROJECT_ROOT
from .run_notebooks import KERNEL

PROG = "lab"


def lab_command(port: str, as_root: bool) -> list[str]:
    if not port.isdigit() or not 1024 <= int(port) <= 65535:
        raise InputError(
            f"LAB_PORT {excerpt(port)} is not a port number", expected="1024-65535, e.g. 8890"
        )
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.root_dir={PROJECT_ROOT}",
        "--ServerApp.default_url=/lab/tree/notebooks",
        f"--MappingKernelManager.default_kernel_name={KERNEL}",
    ]
    return command + (["--allow-root"] if as_root else [])


def main() -> int:
    command = lab_command(os.environ.get("BRIEFING_LAB_PORT") or "8888", os.geteuid() == 0)
    print(
        f"{PROG}: notebooks/ with kernel Python ({KERNEL}); open the URL JupyterLab prints below (Ctrl-C stops)",
        flush=True,
    )
    os.execv(command[0], command)  # JupyterLab takes over this process: Ctrl-C goes straight to it
    return 0


if __name__ == "__main__":
    sys.exit(run_main(PROG, main))
