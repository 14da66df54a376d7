"""Fixtures: the fake Bot API, the seeded store, and the real application polling it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.config import Settings
from bot.fake_api import FakeBotApi
from facts.model import Bundle
from facts.seed import load_seed
from facts.store import FactStore
from tests.bot.harness import Harness, test_settings


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt into PTB's timedelta durations: otherwise building a RetryAfter warns (PTB 22.2+),
    and with warnings as errors the warning, not RetryAfter, would reach the code under test."""
    monkeypatch.setenv("PTB_TIMEDELTA", "1")


@pytest.fixture(scope="session")
def seed() -> Bundle:
    """The shipped seed, loaded once (bundles are immutable)."""
    return load_seed()


@pytest.fixture
def store(tmp_path: Path, seed: Bundle) -> Iterator[FactStore]:
    """A FactStore on a temporary directory, loaded from the seed."""
    opened = FactStore.open(tmp_path / "data", seed=seed)
    yield opened
    opened.close()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """A running fake Telegram Bot API on 127.0.0.1."""
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def settings(api: FakeBotApi, tmp_path: Path) -> Settings:
    """Settings for the bot under test: fake server, temporary data dir, one admin."""
    return test_settings(api, tmp_path / "data")


@pytest.fixture
async def harness(api: FakeBotApi, store: FactStore, settings: Settings) -> AsyncIterator[Harness]:
    """The application from build_application, polling the fake server, torn down cleanly."""
    async with Harness(api, build_application(settings, store)) as running:
        yield running


@pytest.fixture
def bot(harness: Harness) -> Any:
    """The running Application itself (for bot_data, job_queue, handlers)."""
    return harness.application
