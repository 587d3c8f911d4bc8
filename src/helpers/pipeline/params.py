"""`python -m helpers.pipeline.params`: check the parameters and write build/params.json (only when changed)."""

import argparse
import sys
from pathlib import Path

from ..core.errors import run_main
from ..sources.parameters import ParameterError, check_parameters, write_if_changed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--period-end")
    parser.add_argument("--partner")
    parser.add_argument("--groups-file")
    parser.add_argument("--claims-file")
    parser.add_argument("--out", type=Path, default=Path("build/params.json"))
    args = parser.parse_args(argv)
    try:
        params = check_parameters(
            {
                "period_end": args.period_end,
                "partner": args.partner,
                "groups_file": args.groups_file,
                "claims_file": args.claims_file,
            }
        )
    except ParameterError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    changed = write_if_changed(params, args.out)
    print(
        f"params: period_end={params['period_end']} partner={params['partner_code']}"
        + (" (changed)" if changed else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(run_main("params", main))
