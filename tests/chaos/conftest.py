"""Fixtures for the chaos suite: the bot tests' harness (the real application polling the
fake Bot API) and the operations tests' data directory, for the tests that run the real
BotRunner (polling through bot.polling, the webhook through bot.web). The fake Bot API
and PTB's duration setting come from tests/conftest.py."""

from __future__ import annotations

from tests.bot.conftest import bot, harness, seed, settings, store
from tests.ops.conftest import data_dir

__all__ = ["bot", "data_dir", "harness", "seed", "settings", "store"]
