"""Fixtures for the fake Bot API's own tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram import Bot

from bot.fakeapi import DEFAULT_USER_ID, FakeBotApi
from tests.bot.harness import TEST_TOKEN


@pytest.fixture
async def tg(api: FakeBotApi) -> AsyncIterator[Bot]:
    """PTB's Bot talking to the fake server, with a chat the test user opened."""
    api.register_chat(DEFAULT_USER_ID)
    async with Bot(TEST_TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        yield bot
