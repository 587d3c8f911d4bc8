"""`python -m helpers.fetch ...` (make fetch)."""

import sys

from ..core.errors import run_main
from .cli import PROG, main

sys.exit(run_main(PROG, main))
