"""Chaos: forged callback data of every prefix never raises in a handler and is always
answered (issue 15, item 4)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.fakeapi import FakeBotApi
from tests.bot.harness import ADMIN_ID, USER_ID, Harness
from tests.chaos.hostile import FORGED


@pytest.mark.parametrize("user_id", [USER_ID, ADMIN_ID], ids=["reader", "owner"])
async def test_forged_callbacks_never_raise_and_are_always_answered(
    harness: Harness, api: FakeBotApi, user_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.ask("/timeline", user_id=user_id)
    message = harness.last(user_id)
    async with asyncio.timeout(120):  # bounded: ~400 presses
        for data in FORGED:
            await harness.settle(api.forged_press(message, data, user_id=user_id))
    assert api.unanswered_callback_queries() == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # A forged newline never starts a line of its own in the log.
    assert not any("forged log line" in line and not line.startswith(("{", " ", "20"))
                   for line in caplog.text.splitlines())  # fmt: skip
