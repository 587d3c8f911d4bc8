"""UN Comtrade monthly data for China (reporter 156) and one partner, via the official
`comtradeapicall` client, saved as immutable raw snapshots with provenance sidecars.

Why the wrapping: the client prints errors and returns None, makes one call per request without
splitting, and puts the subscription key in request URLs that end up in printed error messages.
Here every call is planned within the documented limits, retried on transient failures, checked,
redacted and saved atomically under data/raw/comtrade/. Only `make fetch` imports this module.
"""

import contextlib
import hashlib
import io
import json
import logging
import os
import re
import sys
import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from ..core.atomic import write_bytes_atomic
from ..core.json_file import read_json_object
from ..core.paths import RAW_DIR
from ..sources.comtrade import FLOWS, REPORTER_CHINA, REQUIRED_COLUMNS
from ..sources.fields import commodity_code
from ..sources.partners import Partner, resolve_partner
from ..sources.provenance import sidecar_of, write_sidecar
from .redact import install_redaction, redact

log = logging.getLogger(__name__)

COMTRADE_DIR = RAW_DIR / "comtrade"
API_HOST = "comtradeapi.un.org"
KEY_ENV = "COMTRADE_API_KEY"
MAX_PERIODS_PER_CALL = 12  # API cap on periods per query for monthly data
PREVIEW_RECORD_CAP = 500  # previewFinalData (no key): at most 500 records per call
KEYED_RECORD_CAP = 100_000  # getFinalData: client README says 250K; stay at the older 100K cap
ENDPOINTS = {
    "previewFinalData": f"https://{API_HOST}/public/v1/preview/C/M/HS",
    "getFinalData": f"https://{API_HOST}/data/v1/get/C/M/HS",
}
LICENCE = (
    "UN Comtrade data, subject to the UN Comtrade terms of use "
    "(https://comtradeplus.un.org/ — see 'Terms of Use' / redissemination policy)"
)
TRANSIENT_MARKERS = "429|too many requests|rate limit|500|502|503|504|timeout|timed out|temporarily"


class ComtradeError(RuntimeError):
    """A Comtrade query failed; the message names the query (never the key)."""


class ComtradeConnectionError(ComtradeError):
    """The API host could not be reached (no network, DNS failure, refused connection)."""

    def __init__(self, message: str, reason: str = ""):
        super().__init__(message)
        self.reason = reason or message


class _Transient(Exception):
    def __init__(self, reason: str, connection: bool):
        super().__init__(reason)
        self.connection = connection


# --------------------------------------------------------------------------- query planning
@dataclass(frozen=True)
class ChunkQuery:
    """One API call: China vs one partner, up to 12 months, some HS codes, both flows."""

    partner: Partner
    periods: tuple[str, ...]  # YYYYMM
    hs_codes: tuple[str, ...]
    flows: str = "X,M"

    def params(self) -> dict:
        return dict(
            typeCode="C",
            freqCode="M",
            clCode="HS",
            period=",".join(self.periods),
            reporterCode=str(REPORTER_CHINA),
            cmdCode=",".join(self.hs_codes),
            flowCode=self.flows,
            partnerCode=str(self.partner.comtrade_code),
            # pinned to the total row: left as None, the API also returns breakdown rows (by second
            # partner, customs procedure, mode of transport) that a reader would add to the total
            partner2Code="0",
            customsCode="C00",
            motCode="0",
        )

    def describe(self) -> str:
        return (
            f"China (156) vs {self.partner.iso2} ({self.partner.comtrade_code}), flows {self.flows}, "
            f"periods {self.periods[0]}..{self.periods[-1]} ({len(self.periods)}), "
            f"HS {','.join(self.hs_codes)}"
        )

    def split(self) -> list["ChunkQuery"]:
        """Halve the HS codes first (rows scale with codes), then the periods."""
        for name in ("hs_codes", "periods"):
            if len(items := getattr(self, name)) > 1:
                half = len(items) // 2
                return [
                    replace(self, **{name: items[:half]}),
                    replace(self, **{name: items[half:]}),
                ]
        return []


def month_range(start: str, end: str) -> list[str]:
    """'2023-11'..'2024-02' -> ['2023-11', '2023-12', '2024-01', '2024-02']."""
    for text in (start, end):
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(text).strip()):
            raise ValueError(f"period {text!r} is not YYYY-MM (e.g. 2024-07)")
    months = pd.period_range(str(start).strip(), str(end).strip(), freq="M").strftime("%Y-%m")
    if months.empty:
        raise ValueError(f"period range {start}..{end} is empty (start after end)")
    return list(months)


def normalise_hs_codes(codes) -> tuple[str, ...]:
    """The codes by the readers' code rule (helpers.sources.fields; dots dropped), each once."""
    cleaned = [commodity_code(str(code).replace(".", ""), what="HS code") for code in codes]
    if national := next((code for code in cleaned if len(code) > 6), None):
        raise ValueError(f"HS code {national!r} is a national code: Comtrade has 2, 4 or 6 digits")
    if not cleaned:
        raise ValueError("no HS codes given")
    return tuple(dict.fromkeys(cleaned))


def plan_chunks(partner: Partner, months: list[str], hs_codes, record_cap: int) -> list[ChunkQuery]:
    """Periods in groups of <= 12; codes grouped so periods x codes x 2 flows stays under the cap."""
    periods = [m.replace("-", "") for m in months]
    hs_codes = normalise_hs_codes(hs_codes)
    chunks = []
    for i in range(0, len(periods), MAX_PERIODS_PER_CALL):
        group = tuple(periods[i : i + MAX_PERIODS_PER_CALL])
        per_call = max(1, record_cap // (len(group) * len(FLOWS)))
        for j in range(0, len(hs_codes), per_call):
            chunks.append(ChunkQuery(partner, group, hs_codes[j : j + per_call]))
    return chunks


# --------------------------------------------------------------------------- calling the client
def _is_transient(text: str) -> bool:
    lowered = text.lower()
    return any(marker in lowered for marker in TRANSIENT_MARKERS.split("|"))


def _call_once(client, key: str | None, query: ChunkQuery, record_cap: int) -> pd.DataFrame:
    """One client call with its printed output captured (it prints errors and returns None); texts
    are redacted by `redact`, which knows the key once fetch_comtrade has installed it."""
    options = dict(
        maxRecords=record_cap, format_output="JSON", breakdownMode="classic", includeDesc=True
    )
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            if key:
                frame = client.getFinalData(key, **query.params(), **options)
            else:
                frame = client.previewFinalData(**query.params(), **options)
    except (ConnectionError, TimeoutError, OSError) as error:
        raise _Transient(redact(f"{type(error).__name__}: {error}"), connection=True) from None
    except Exception as error:  # urllib3/requests errors not derived from OSError
        reason = redact(f"{type(error).__name__}: {error}")
        if "connect" in reason.lower() or "resolve" in reason.lower():
            raise _Transient(reason, connection=True) from None
        raise ComtradeError(f"Comtrade client failed for {query.describe()}: {reason}") from None
    output = redact(printed.getvalue().strip())
    if frame is None:
        if output.startswith("Request error") or "connect" in output.lower():
            raise _Transient(output, connection=True)
        if _is_transient(output):
            raise _Transient(output, connection=False)
        raise ComtradeError(
            f"Comtrade returned no data (None) for {query.describe()}; "
            f"client said: {output[:500] or '(nothing)'}"
        )
    return frame


def _call_with_retry(
    client, key, query, record_cap, sleep, max_attempts, backoff_base
) -> pd.DataFrame:
    for attempt in range(max_attempts):
        try:
            return _call_once(client, key, query, record_cap)
        except _Transient as error:
            if attempt == max_attempts - 1:
                if error.connection:
                    raise ComtradeConnectionError(
                        f"cannot reach {API_HOST} after {max_attempts} attempts: {error}",
                        reason=f"{error} ({max_attempts} attempts)",
                    ) from None
                raise ComtradeError(
                    f"Comtrade kept failing for {query.describe()} after "
                    f"{max_attempts} attempts: {error}"
                ) from None
            delay = backoff_base * 2**attempt
            log.info("Comtrade transient failure (%s); retrying in %.0fs", error, delay)
            sleep(delay)
    raise AssertionError("unreachable")


# --------------------------------------------------------------------------- snapshots
def _query_identity(function: str, query: ChunkQuery, record_cap: int) -> dict:
    return {
        "function": function,
        "endpoint": ENDPOINTS[function],
        "maxRecords": record_cap,
        "breakdownMode": "classic",
        **query.params(),
    }


def _query_hash(identity: dict) -> str:
    return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()[:12]


def _snapshot_stem(query: ChunkQuery, qhash: str, stamp: str) -> str:
    return (
        f"comtrade_CN-{query.partner.iso2}_M_{query.periods[0]}-{query.periods[-1]}_XM_"
        f"{len(query.hs_codes)}hs_q{qhash}_{stamp}"
    )


def _frame_to_csv_bytes(frame: pd.DataFrame) -> bytes:
    if frame.columns.empty:  # no records: keep a header so the file still reads as a snapshot
        frame = pd.DataFrame(columns=["period", *REQUIRED_COLUMNS])
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def find_cached_snapshot(out_dir: Path, qhash: str) -> Path | None:
    """Latest complete snapshot (data + sidecar with matching checksum) for this query."""
    for path in sorted(Path(out_dir).glob(f"comtrade_*_q{qhash}_*.csv"), reverse=True):
        sidecar = sidecar_of(path)
        if not sidecar.exists():
            continue
        meta = read_json_object(sidecar)
        if meta.get("sha256") == hashlib.sha256(path.read_bytes()).hexdigest():
            return path
    return None


def save_snapshot(
    frame: pd.DataFrame, query: ChunkQuery, identity: dict, out_dir: Path, retrieved: datetime
) -> Path:
    stamp = retrieved.strftime("%Y%m%dT%H%M%SZ")
    qhash = _query_hash(identity)
    path = Path(out_dir) / f"{_snapshot_stem(query, qhash, stamp)}.csv"
    counter = 1
    while path.exists() or sidecar_of(path).exists():  # never overwrite an earlier snapshot
        path = Path(out_dir) / f"{_snapshot_stem(query, qhash, stamp)}-{counter}.csv"
        counter += 1
    data = _frame_to_csv_bytes(frame)
    meta = {
        "file": path.name,
        "title": f"UN Comtrade monthly final data, {query.describe()}",
        "source": "UN Comtrade database (comtradeplus), API v1 via the comtradeapicall client",
        "publisher": "UN Comtrade",
        "function": f"comtradeapicall.{identity['function']}",
        "endpoint": identity["endpoint"],
        "query": {k: v for k, v in identity.items() if k not in ("function", "endpoint")},
        "query_hash": qhash,
        "retrieved_at": retrieved.isoformat().replace("+00:00", "Z"),
        "sha256": hashlib.sha256(data).hexdigest(),
        "rows": int(len(frame)),
        "licence": LICENCE,
    }
    write_bytes_atomic(path, data)
    write_sidecar(sidecar_of(path), meta)
    return path


# --------------------------------------------------------------------------- public entry point
def _default_client():
    import comtradeapicall

    return comtradeapicall


def _progress_bar(total: int, enabled: bool | None):
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty() and "PYTEST_CURRENT_TEST" not in os.environ
    return tqdm(
        total=total, desc="comtrade", unit="call", disable=not enabled, file=sys.stderr, leave=False
    )


def fetch_comtrade(
    partner,
    start: str,
    end: str,
    hs_codes,
    *,
    out_dir=COMTRADE_DIR,
    refresh=False,
    client=None,
    sleep=time.sleep,
    now=None,
    max_attempts=4,
    backoff_base=2.0,
    progress=None,
) -> list[Path]:
    """Fetch China's monthly exports and imports with `partner` for HS codes and months start..end.

    The key is read from $COMTRADE_API_KEY only; without it the preview endpoint (500 rows/call) is
    used. Returns the snapshot paths (reused from cache unless refresh=True).
    """
    partner = partner if isinstance(partner, Partner) else resolve_partner(partner)
    key = os.environ.get(KEY_ENV) or None
    install_redaction(key)  # before the client or urllib3 can log a URL carrying the key
    client = client or _default_client()
    now = now or (lambda: datetime.now(UTC))
    function = "getFinalData" if key else "previewFinalData"
    record_cap = KEYED_RECORD_CAP if key else PREVIEW_RECORD_CAP
    pending = plan_chunks(partner, month_range(start, end), hs_codes, record_cap)
    paths = []
    with _progress_bar(len(pending), progress) as bar:
        while pending:
            query = pending.pop(0)
            identity = _query_identity(function, query, record_cap)
            cached = None if refresh else find_cached_snapshot(out_dir, _query_hash(identity))
            if cached:
                log.info("reusing cached snapshot %s", cached.name)
                paths.append(cached)
                bar.update(1)
                continue
            frame = _call_with_retry(
                client, key, query, record_cap, sleep, max_attempts, backoff_base
            )
            if len(frame) >= record_cap:  # the API silently truncates at maxRecords
                parts = query.split()
                if not parts:
                    raise ComtradeError(
                        f"{len(frame)} rows hit the {record_cap}-row cap for a single "
                        f"code and month: {query.describe()}"
                    )
                log.info("%d rows hit the cap; splitting %s", len(frame), query.describe())
                pending[:0] = parts
                bar.total += len(parts) - 1
                bar.refresh()
                continue
            paths.append(save_snapshot(frame, query, identity, out_dir, now()))
            bar.update(1)
    return paths
