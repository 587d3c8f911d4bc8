"""What the build would read from one raw HS-level file, so a user checks a download before building.

    make inspect FILE=path [JSON=1]        (FILE and JSON reach Python through the environment)
    python -m helpers.pipeline.inspect path [--json]

Reads the file with the adapter the build uses (helpers.sources.hs_level.read_hs_file), without
filtering partners, and prints: adapter, rows, currency, spans and periods, partners, flows, HS codes,
value totals per period x partner x flow in the file's currency (millions), and every row skipped or
flagged with the reason. With JSON the last line is ONE JSON object:
{"adapter", "rows", "currency": "USD"|"CNY", "totals": [{"period", "partner", "flow", "value_mn"}],
 "skipped": [{"row", "reason"}], "flags": [...]}. An unreadable file: one line on stderr, exit 2.

Totals never add a breakdown to its total nor a heading to its subheadings: the all-goods (TOTAL) row
where the file has one, else the sum of the codes that have no shorter code of the same file above them.
"""

import argparse
import json
import os
import sys
from pathlib import Path

import pandas as pd

from ..core.errors import InputError, excerpt
from ..sources.baci import read_baci
from ..sources.comtrade import partner_label, read_header
from ..sources.comtrade_scan import file_summary
from ..sources.fuel_monitor import read_fuel_monitor
from ..sources.hs_dedupe import CELL
from ..sources.hs_level import COMTRADE_SUFFIXES, GACC_SUFFIXES, is_large, read_hs_file
from ..sources.raw_guard import check_raw_file, sniff

PROG = "inspect"


# Readers of the other raw folders: BACI rows and fuel-monitor rows.
OTHER_READERS = {"baci": read_baci, "fuel": read_fuel_monitor}


def source_of(path: Path) -> str:
    """'comtrade', 'gacc' or another raw folder's name: the folder the file sits in, else its name and
    first line."""
    folder = path.parent.name.lower()
    if folder in ("comtrade", "gacc") or folder in OTHER_READERS:
        return folder
    if path.name.startswith("BACI_") or sniff(path)[:16].startswith(b"t,i,j,k,v,q"):
        return "baci"
    name = path.name.lower()
    if name.endswith((".json", ".txt", ".txt.gz", ".tsv", ".tsv.gz", ".csv.gz")):
        return "comtrade"
    if name.endswith((".xlsx", ".xlsm", ".xls", ".html", ".htm")):
        return "gacc"
    if name.endswith(".csv"):
        first = sniff(path)[:2048]
        if b"flowCode" in first and b"cmdCode" in first:
            return "comtrade"
        return "gacc"
    raise InputError(
        "is not a file type the build reads",
        file=path,
        expected=f"a Comtrade file ({', '.join(COMTRADE_SUFFIXES)}) "
        f"or a GACC export ({', '.join(GACC_SUFFIXES)})",
    )


def file_totals(frame: pd.DataFrame) -> list[dict]:
    values = frame.loc[frame.measure == "value"]
    totals = []
    for (period, partner, flow), cell in values.groupby(["period", "partner", "flow"], sort=True):
        whole = cell.loc[cell.hs_code == ""]
        if len(whole):
            value = whole.value.sum()
        else:
            codes = set(cell.hs_code)
            top = [c for c in codes if not any(c != d and c.startswith(d) for d in codes)]
            value = cell.loc[cell.hs_code.isin(top)].value.sum()
        totals.append(
            {"period": period, "partner": partner, "flow": flow, "value_mn": round(float(value), 6)}
        )
    return totals


def inspect_file(path) -> dict:
    path = Path(path)
    if not path.exists() and not path.is_symlink():
        raise InputError("file not found", file=path, expected="FILE=path to a downloaded raw file")
    if path.is_dir():
        raise InputError("is a folder", file=path, expected="FILE=path to one raw file")
    source = source_of(path)
    if source == "comtrade":
        read_header(path)  # a non-Comtrade file fails here with its own one-line message
    if source == "comtrade" and is_large(path):
        return _large_comtrade(path)
    if source in OTHER_READERS:
        frame = OTHER_READERS[source](path)
    else:
        frame = read_hs_file(path, source, root=Path(os.path.realpath(path)).parent, inspect=True)
    skipped = list(frame.attrs.get("skipped", []))
    repeated = frame.loc[frame.measure == "value"].duplicated(CELL + ["value"])
    skipped += [
        {"row": int(r), "reason": "exact duplicate line (the build counts it once)"}
        for r in frame.loc[frame.measure == "value"].loc[repeated].source_row
    ]
    frame = frame.loc[~frame.index.isin(frame.loc[frame.measure == "value"].loc[repeated].index)]
    values = frame.loc[frame.measure == "value"]
    return {
        "adapter": frame.attrs.get("adapter", source),
        "rows": int(frame.attrs.get("rows", len(values))),
        "currency": frame.attrs.get("currency", "USD"),
        "totals": file_totals(frame),
        "skipped": sorted(skipped, key=lambda s: s["row"]),
        "flags": list(frame.attrs.get("flags", [])),
        "_spans": sorted(set(values.span)),
        "_codes": sorted(set(values.hs_code) - {""}),
        "_has_total": bool((values.hs_code == "").any()),
        "_file": path.name,
    }


def _large_comtrade(path: Path) -> dict:
    """A large Comtrade file, summarised inside DuckDB (never read row by row into Python)."""
    check_raw_file(path, "comtrade_csv", Path(os.path.realpath(path)).parent)
    summary = file_summary(path)
    totals = sorted(
        (
            {
                "period": p if len(p) == 4 else f"{p[:4]}-{p[4:]}",
                "partner": partner_label(code, {}),
                "flow": "export" if flow == "X" else "import",
                "value_mn": round(float(v), 6),
            }
            for p, code, flow, v in summary["totals"].itertuples(index=False)
        ),
        key=lambda t: (t["period"], t["partner"], t["flow"]),
    )
    skipped = [
        {"row": 0, "reason": f"{int(n):,} rows: {reason} (large file: row numbers not listed)"}
        for reason, n in summary["skipped"].itertuples(index=False)
    ]
    return {
        "adapter": "comtrade_duckdb_scan",
        "rows": int(summary["rows"]),
        "currency": "USD",
        "totals": totals,
        "skipped": skipped,
        "flags": [],
        "_spans": sorted({"year" if len(t["period"]) == 4 else "month" for t in totals}),
        "_codes": summary["codes"],
        "_has_total": False,
        "_file": path.name,
    }


def _listing(items, limit=12) -> str:
    items = list(items)
    return (
        ", ".join(items[:limit])
        + (f" … (+{len(items) - limit} more)" if len(items) > limit else "")
        or "none"
    )


def report_lines(result: dict) -> list[str]:
    # the periods, partners and flows with a value are those of the totals (one per period x partner x flow)
    periods, partners, flows = (
        sorted({t[key] for t in result["totals"]}) for key in ("period", "partner", "flow")
    )
    lines = [
        f"file: {result['_file']}",
        f"adapter: {result['adapter']}",
        f"rows: {result['rows']:,} data rows; {len(result['skipped']):,} skipped or flagged (listed below)",
        f"currency: {result['currency']} (totals in millions of {result['currency']}, never converted)",
        f"spans: {_listing(result['_spans'])}; periods: "
        + (
            f"{periods[0]}…{periods[-1]} ({len(periods)})"
            if len(periods) > 1
            else _listing(periods)
        ),
        f"partners: {_listing(partners)}",
        f"flows: {_listing(flows)}",
        f"HS codes: {_listing(result['_codes'])}"
        + (" (+ all-goods TOTAL rows)" if result["_has_total"] else ""),
    ]
    lines += [f"flag: {flag}" for flag in result["flags"]]
    lines.append("totals per period x partner x flow:")
    lines += [
        f"  {t['period']:<8} {t['partner']:<6} {t['flow']:<7} {t['value_mn']:>16,.3f}"
        for t in result["totals"]
    ]
    lines.append(
        "skipped or flagged rows:" if result["skipped"] else "skipped or flagged rows: none"
    )
    lines += [
        f"  row {s['row']}: {s['reason']}" if s["row"] else f"  {s['reason']}"
        for s in result["skipped"]
    ]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "file", nargs="?", default=os.environ.get("BRIEFING_FILE", os.environ.get("FILE", ""))
    )
    parser.add_argument(
        "--json",
        action="store_true",
        default=os.environ.get("BRIEFING_JSON", os.environ.get("JSON", "")) not in ("", "0"),
    )
    args = parser.parse_args(argv)
    try:
        if not args.file:
            raise InputError("no file given", expected="make inspect FILE=path/to/download.csv")
        result = inspect_file(args.file)
    except InputError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # noqa: BLE001 - any reader failure is still one line, never a traceback
        detail = excerpt(" ".join(str(error).split()), 160)
        print(
            f"{PROG}: error: {Path(args.file).name}: could not be read: {type(error).__name__}: {detail}",
            file=sys.stderr,
        )
        return 2
    print("\n".join(report_lines(result)))
    if args.json:
        print(
            json.dumps(
                {k: v for k, v in result.items() if not k.startswith("_")}, ensure_ascii=False
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
