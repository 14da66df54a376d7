"""Fixtures: the seeded store and the real application polling the fake Bot API (the
``api`` fixture, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application
from bot.fakeapi import FakeBotApi
from bot.ops.settings import Settings
from bot.services import Services
from facts.model import Bundle
from facts.seed import load_seed
from facts.store import FactStore
from tests.bot.harness import Harness, test_settings


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
def settings(api: FakeBotApi, tmp_path: Path) -> Settings:
    """Settings for the bot under test: fake server, temporary data dir, one admin."""
    return test_settings(api, tmp_path / "data")


@pytest.fixture
async def harness(api: FakeBotApi, store: FactStore, settings: Settings) -> AsyncIterator[Harness]:
    """The application from build_application, polling the fake server, torn down cleanly."""
    async with Harness(api, build_application(Services.create(settings, store))) as running:
        yield running


@pytest.fixture
def bot(harness: Harness) -> Any:
    """The running Application itself (for bot_data, job_queue, handlers)."""
    return harness.application
