"""Keep the Comtrade key out of every log line, whichever library writes it.

comtradeapicall puts the key in the request URL (`subscription-key=...`) and urllib3 logs that URL
on each retry ("Retrying (...) after connection broken by ...: /data/v1/get/...?subscription-key=KEY")
through its own loggers; Python's last-resort handler prints those warnings to stderr even when
nobody configured logging. So redaction happens where every record is born: a log-record factory
rewrites the message of every record from any logger, and a filter on the root logger, its handlers,
urllib3's loggers and the last-resort handler does the same for records made some other way.
"""

import logging
import re

KEY_IN_URL = re.compile(r"(subscription-key=)[^&\s'\")\]]+", re.IGNORECASE)
MASK = "***"
_secrets: set[str] = set()
_installed = False
LIBRARY_LOGGERS = (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.util.retry",
    "requests",
    "comtradeapicall",
)


def redact(text, secrets=None) -> str:
    text = str(text)
    for secret in sorted(secrets if secrets is not None else _secrets, key=len, reverse=True):
        if secret:
            text = text.replace(secret, MASK)
    return KEY_IN_URL.sub(r"\1" + MASK, text)


def _redact_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - a malformed record: redact what we can see
        message = f"{record.msg} {record.args}"
    record.msg, record.args = redact(message), None
    if record.exc_info and record.exc_info[1] is not None:
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        record.exc_info = None
    return record


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        _redact_record(record)
        return True


def install_redaction(*secrets: str) -> None:
    """Idempotent: register secrets and make sure every log path redacts them."""
    global _installed
    _secrets.update(s for s in secrets if s)
    if _installed:
        return
    _installed = True
    previous_factory = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        return _redact_record(previous_factory(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    redacting = RedactSecrets()
    for name in ("", *LIBRARY_LOGGERS):
        logging.getLogger(name).addFilter(redacting)
    for handler in [*logging.getLogger().handlers, logging.lastResort]:
        if handler is not None:
            handler.addFilter(redacting)
    logging.captureWarnings(True)  # warnings.warn(...) texts go through the same filters
