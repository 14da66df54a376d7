"""Logging set-up that keeps the bot token and users' messages out of the logs: one
redactor (:func:`redact`) behind the formatter, the filter on every root handler (a second
line of defence for records formatted elsewhere) and the JSON lines asked for by LOG_FORMAT."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

REDACTED = "[REDACTED]"
# Any Bot API token, not only the configured one: a traceback may carry another bot's URL.
_ANY_TOKEN = re.compile(r"\d{5,20}:[A-Za-z0-9_-]{30,}")
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


# LogRecord attributes that are not "extra" fields of the call.
_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", None, None)).keys() | {"message", "asctime"}
)


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with each secret and anything token-shaped replaced by a marker."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return _ANY_TOKEN.sub(REDACTED, text)


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
        return redact(super().format(record), self._secrets)


class RedactingFilter(logging.Filter):
    """Rewrites a record's message, traceback and stack with secrets redacted.

    Attached to handlers, so it sees records from every logger whatever their formatter.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: let the handler report it as usual
            return True
        record.msg, record.args = redact(message, self._secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, extra fields, traceback."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets = tuple(s for s in secrets if s)

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line, redacted."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc_info"] = record.exc_text
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return redact(json.dumps(entry, ensure_ascii=False, default=str), self._secrets)


def apply_log_format(log_format: str, *, secrets: Iterable[str] = ()) -> None:
    """Give every root handler the redacting filter, and the JSON formatter if asked."""
    secrets = tuple(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter(secrets))
        if log_format == "json":
            handler.setFormatter(JsonFormatter(secrets))
    # One line per webhook request, and two per job run (the heartbeat runs every 30 s)
    # would drown everything else over months; their warnings and errors still show.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # Defence in depth: even if the set-up above changes, request URLs (token) stay out.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)


def configure_logging(
    level: str = "INFO", *, secrets: Iterable[str] = (), log_format: str = "text"
) -> None:
    """Log to stderr at ``level`` as ``log_format`` ("text" or "json"), redacting
    ``secrets``; quiet the loggers that leak."""
    secrets = tuple(secrets)
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
    apply_log_format(log_format, secrets=secrets)
