"""`python -m helpers.fetch ...` (make fetch)."""
import sys

from .cli import main

sys.exit(main())
