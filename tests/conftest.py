"""Fixtures every test package shares: PTB's duration setting and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator

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
