"""Logging set-up that keeps the bot token and users' messages out of the logs."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable

# Any Bot API token, whatever the configured one: URLs in tracebacks carry it.
_ANY_TOKEN = re.compile(r"\d{5,20}:[A-Za-z0-9_-]{30,}")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


class RedactingFormatter(logging.Formatter):
    """A formatter that blanks out secrets and token-shaped strings, tracebacks included."""

    def __init__(self, fmt: str, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self._secrets = [s for s in secrets if s]

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The message line, its control characters escaped: a newline in data a stranger
        sent (forged callback data, say) must not start a forged log line."""
        record.message = _CONTROL.sub(_escape, record.message)
        return super().formatMessage(record)

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then redact."""
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, "[REDACTED]")
        return _ANY_TOKEN.sub("[REDACTED]", text)


def configure_logging(level: str = "INFO", *, secrets: Iterable[str] = ()) -> None:
    """Log to stderr at ``level``, redacting ``secrets``; quiet the loggers that leak."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(RedactingFormatter(_FORMAT, secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request URL at INFO, and the URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # tornado logs each malformed request and each body timeout at INFO: a stranger could
    # fill the disk with them (the webhook counts what it refuses in /metrics instead).
    logging.getLogger("tornado.general").setLevel(logging.WARNING)
    # At DEBUG, PTB logs each whole update ("Processing update ..."): users' message texts.
    if logging.getLevelName(level) == logging.DEBUG:
        logging.getLogger("telegram").setLevel(logging.INFO)
