"""JSON log lines and the redacting filter."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from bot.ops.logs import (
    REDACTED,
    JsonFormatter,
    RedactingFilter,
    apply_log_format,
    configure_logging,
    redact,
)

SECRET = "4242:short-secret"  # too short for the generic token pattern: only the list catches it
TOKEN_LIKE = "1234567890:" + "AAHbcdefghijklmnopqrstuvwxyz012345678"  # fake, token-shaped


@pytest.fixture
def logger() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter([SECRET]))
    handler.setFormatter(JsonFormatter([SECRET]))
    log = logging.getLogger("tests.ops.logformat")
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    log.propagate = False
    yield log, stream
    log.removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_lines_carry_level_logger_message_and_extras(
    logger: tuple[logging.Logger, io.StringIO],
) -> None:
    log, stream = logger
    log.info("backup written to %s", "/data/b.json", extra={"facts": 175})
    (entry,) = lines(stream)
    assert entry["level"] == "INFO" and entry["logger"] == "tests.ops.logformat"
    assert entry["message"] == "backup written to /data/b.json"
    assert entry["facts"] == 175
    assert str(entry["time"]).endswith("+00:00")


def test_secrets_are_redacted_in_messages_arguments_and_tracebacks(
    logger: tuple[logging.Logger, io.StringIO],
) -> None:
    log, stream = logger
    log.debug("calling https://api.telegram.org/bot%s/getMe", SECRET)
    log.info("other bot: /bot%s/sendMessage", TOKEN_LIKE)
    try:
        raise RuntimeError(f"POST /bot{SECRET}/getUpdates failed")
    except RuntimeError:
        log.exception("polling failed")
    text = stream.getvalue()
    assert SECRET not in text and TOKEN_LIKE not in text
    assert SECRET.split(":")[1] not in text
    entries = lines(stream)
    assert all(REDACTED in str(e["message"]) for e in entries[:2])
    assert REDACTED in str(entries[2]["exc_info"])


def test_redact_leaves_ordinary_text_alone() -> None:
    assert redact("update 12: 3 facts at 10:45", ["x" * 8]) == "update 12: 3 facts at 10:45"


def test_a_newline_in_a_message_cannot_forge_a_text_log_line(
    capsys: pytest.CaptureFixture[str], root_logging: logging.Logger
) -> None:
    configure_logging("INFO")
    apply_log_format("text")
    logging.getLogger("ops-test").warning(
        "refused button %s", "adm:x\n2026-01-01 00:00:00 CRITICAL forged\r\u2028line"
    )
    lines = [line for line in capsys.readouterr().err.splitlines() if "forged" in line]
    assert len(lines) == 1 and "refused button adm:x\\n2026" in lines[0], lines
