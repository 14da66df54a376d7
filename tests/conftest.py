"""Fixtures every test package shares: PTB's duration setting, the fake Bot API, and the
root logger put back as it was after a test that configures logging."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.fakeapi import FakeBotApi


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt into PTB's timedelta durations, as ``factbot`` does: otherwise building a
    RetryAfter warns (PTB 22.2+), and with warnings as errors the warning, not RetryAfter,
    would reach the code under test."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A running fake Telegram Bot API on 127.0.0.1."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def root_logging() -> Iterator[logging.Logger]:
    """The root logger, its handlers and level restored after the test (for tests that run
    ``configure_logging`` or ``run_bot``, which replace them)."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield root
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
