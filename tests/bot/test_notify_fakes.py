"""Helpers for the notification tests (no tests here); the flood-checking fake Bot API
they deliver to is bot/fakeapi/flood.py."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from bot.context import services_of
from bot.fakeapi import BotDriver
from bot.notice_texts import ChangeName


# --- helpers for tests ----------------------------------------------------------------------
async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Poll ``condition`` until it holds; TimeoutError after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"condition not met within {timeout:g} s")
        await asyncio.sleep(0.01)


async def announce(harness: BotDriver, fact_id: str, change: ChangeName) -> int:
    """Announce a fact of the running bot's store as an admin's publish would."""
    application = harness.application
    store = services_of(application).facts
    return services_of(application).notifier.announce(store, store.get(fact_id), change)
