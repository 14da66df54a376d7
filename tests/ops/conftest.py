"""Fixtures for the operations tests: a BotRunner driving the real app against the fake Bot
API (the ``api`` fixture is tests/conftest.py's)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from bot.fakeapi import FakeBotApi
from bot.ops.runner import BotRunner
from bot.ops.settings import Settings
from facts.seed import load_seed
from facts.store import FactStore

#: Shaped like a real token (and long enough to look like one to the generic redactor).
TOKEN = "987654321:" + "AAE-opsTEST-notARealToken_0123456789abcdef"  # fake, token-shaped
WEBHOOK_SECRET = "ops-test-webhook-secret_42"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(api: FakeBotApi, data_dir: Path, **overrides: Any) -> Settings:
    """Bot settings pointing at the fake server; never reads a real token."""
    values: dict[str, Any] = {
        "bot_token": TOKEN,
        "bot_api_base_url": api.base_url,
        "data_dir": data_dir,
        "admin_ids": [],
    }
    return Settings(**(values | overrides))


def make_ops(**overrides: Any) -> dict[str, Any]:
    """The operations part of the settings: polling unless a webhook URL is given."""
    values: dict[str, Any] = {"webhook_url": None, "webhook_secret": None, "log_format": "text"}
    return values | overrides


def webhook_ops(port: int) -> dict[str, Any]:
    """Webhook mode on 127.0.0.1:port; the public URL is never contacted."""
    return make_ops(
        webhook_url="https://bot.example.org/telegram",
        webhook_secret=WEBHOOK_SECRET,
        listen="127.0.0.1",
        port=port,
    )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """The bot's data directory."""
    return tmp_path / "data"


@asynccontextmanager
async def running(
    api: FakeBotApi, data_dir: Path, ops: dict[str, Any], **settings: Any
) -> AsyncIterator[BotRunner]:
    """A BotRunner on a seeded store, running until the block ends; asserts a clean exit."""
    store = FactStore.open(data_dir, seed=load_seed())
    runner = BotRunner(make_settings(api, data_dir, **(ops | settings)), store)
    task = asyncio.create_task(runner.run(handle_signals=False))
    try:
        await wait_until(runner.ready.is_set, what="the bot to start")
        if runner.settings.mode == "polling":
            await api.wait_polling()
        yield runner
    finally:
        runner.request_stop("test over")
        status = await asyncio.wait_for(task, timeout=15)
        store.close()
    assert status == 0


async def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float = 5.0,  # noqa: ASYNC109 - the failure names what never happened
    what: str = "a condition",
) -> None:
    """Poll ``condition`` until it holds (the state lives in another task or process)."""
    try:
        async with asyncio.timeout(timeout):
            while not condition():  # noqa: ASYNC110 - nothing to wait on but the state itself
                await asyncio.sleep(0.01)
    except TimeoutError:
        raise AssertionError(f"waited {timeout:g} s for {what}") from None
