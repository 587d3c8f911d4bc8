"""Command line: fetch UN Comtrade HS-level data for China and one partner into data/raw/comtrade/.

    python -m helpers.fetch --partner RU --from 2023-01 --to 2025-07 [--hs 8703,8704] [--refresh]
    python -m helpers.fetch --from-environment     (make fetch: BRIEFING_PARTNER/FROM/TO, no shell)

The key comes from $COMTRADE_API_KEY only (without it: preview endpoint, 500 rows per call).
Exit codes: 0 ok, 2 bad input or API unreachable (one line on stderr, nothing written).
"""

import argparse
import logging
import os
import socket
import sys
import time
from pathlib import Path

from ..core.errors import InputError, run_main
from ..core.paths import CONFIG_DIR
from ..core.yaml_config import read_yaml
from ..sources.parameters import check_plain_text
from ..sources.partners import UnknownPartnerError, resolve_partner
from .comtrade_api import (
    API_HOST,
    COMTRADE_DIR,
    KEY_ENV,
    ComtradeConnectionError,
    ComtradeError,
    fetch_comtrade,
    month_range,
)
from .redact import install_redaction

PROG = "fetch"
GROUPS_YAML = CONFIG_DIR / "commodity_groups.yaml"


def default_hs_codes(path: Path = GROUPS_YAML) -> list[str]:
    """Every HS code of every group, in the file's order; national codes (`GACC:`) left out, since
    Comtrade only knows the HS."""
    codes = []
    for group in (read_yaml(Path(path)).get("groups") or {}).values():
        for version, listed in ((group or {}).get("hs") or {}).items():
            if str(version).upper().startswith("HS"):
                codes += map(str, listed)
    return list(dict.fromkeys(codes))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument("--partner", help="ISO2/ISO3/M49/name, e.g. RU")
    parser.add_argument("--from", dest="start", help="first month, YYYY-MM")
    parser.add_argument("--to", dest="end", help="last month, YYYY-MM")
    parser.add_argument(
        "--from-environment",
        action="store_true",
        help="take PARTNER, FROM, TO from BRIEFING_PARTNER/_FROM/_TO (what make fetch passes)",
    )
    parser.add_argument(
        "--hs", help="comma-separated HS codes (default: all in config/commodity_groups.yaml)"
    )
    parser.add_argument(
        "--refresh", action="store_true", help="fetch again even if a snapshot exists"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log each call and retry")
    parser.add_argument("--out", default=str(COMTRADE_DIR), help=argparse.SUPPRESS)
    return parser


def _host_resolves(host: str = API_HOST) -> str | None:
    """None if DNS works, else the reason; saves minutes of retries when offline."""
    try:
        socket.getaddrinfo(host, 443)
        return None
    except OSError as error:
        return str(error)


def _fail(message: str) -> int:
    print(f"{PROG}: {' '.join(message.split())}", file=sys.stderr)
    return 2


def _arguments_from_environment(args) -> None:
    """make fetch PARTNER=.. FROM=.. TO=..: values arrive verbatim in the environment, checked here."""
    args.partner = os.environ.get("BRIEFING_PARTNER") or args.partner or "Russia"
    args.start = os.environ.get("BRIEFING_FROM") or args.start
    args.end = os.environ.get("BRIEFING_TO") or args.end


def main(argv=None, *, client=None, sleep=time.sleep) -> int:
    install_redaction(os.environ.get(KEY_ENV) or "")  # first: nothing may log the key, ever
    args = _parser().parse_args(argv)
    if args.from_environment:
        _arguments_from_environment(args)
    missing = [
        flag
        for flag, value in (("PARTNER", args.partner), ("FROM", args.start), ("TO", args.end))
        if not value
    ]
    if missing:
        return _fail(
            f"error: {', '.join(missing)} not given; e.g. make fetch PARTNER=RU FROM=2024-01 TO=2025-07"
        )
    try:
        for flag, value in (("PARTNER", args.partner), ("FROM", args.start), ("TO", args.end)):
            check_plain_text(flag, value)  # the build's rule for a parameter's value
        month_range(args.start, args.end)  # FROM/TO checked before any network use
    except ValueError as error:
        return _fail(f"error: {str(error)[:200]}")
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        partner = resolve_partner(args.partner)
        codes = [c for c in args.hs.split(",") if c.strip()] if args.hs else default_hs_codes()
        if client is None:
            reason = _host_resolves()
            if reason:
                return _fail(f"cannot reach {API_HOST} (no network?): {reason}")
        paths = fetch_comtrade(
            partner,
            args.start,
            args.end,
            codes,
            out_dir=Path(args.out),
            refresh=args.refresh,
            client=client,
            sleep=sleep,
        )
    except ComtradeConnectionError as error:
        return _fail(f"cannot reach {API_HOST} (no network?): {error.reason}")
    except (ComtradeError, UnknownPartnerError, ValueError, InputError) as error:
        return _fail(f"error: {error}")
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(run_main(PROG, main))
