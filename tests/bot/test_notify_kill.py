"""The delivery worker killed mid-broadcast and restarted: every subscriber gets each
notification once. The worker runs in a subprocess (``python -m bot.notify``) against the
fake Bot API in this process, which records every message it accepts."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.fakeapi.flood import FloodCheckingApi
from bot.notice_texts import change_item
from facts.model import Bundle
from facts.outbox import Outbox
from facts.store import FactStore
from facts.subscribers import SubTopic
from facts.subscriptions import SubscriptionStore
from tests.bot.harness import TEST_TOKEN
from tests.bot.test_notify_fakes import wait_until
from tests.facts.conftest import make_fact, make_source

REPO = Path(__file__).resolve().parents[2]
SUBSCRIBERS = 120
FIRST_CHAT = 5_000_000_001
IN_FLIGHT = 8


@pytest.fixture
async def api() -> AsyncIterator[FloodCheckingApi]:
    """The fake Bot API; no global limit (the worker runs fast here), 1 s per chat."""
    async with FloodCheckingApi(global_limit=None) as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path, api: FloodCheckingApi) -> Path:
    """Subscribers and two queued notifications, as the bot would leave them."""
    directory = tmp_path / "data"
    bundle = Bundle(
        sources=[make_source()],
        facts=[make_fact("first-fact", "event"), make_fact("second-fact", "event")],
    )
    store = FactStore.open(tmp_path / "facts", seed=bundle)
    try:
        items = [change_item(store, store.get(f), "new") for f in ("first-fact", "second-fact")]
    finally:
        store.close()
    with SubscriptionStore.open(directory) as subscriptions:
        for chat in range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS):
            api.register_chat(chat)
            subscriptions.subscribe(chat, [SubTopic.ALL])
    with Outbox.open(directory) as outbox:
        for item in items:
            outbox.enqueue(item)
    return directory


async def start_worker(api: FloodCheckingApi, data_dir: Path) -> asyncio.subprocess.Process:
    env = {
        **os.environ,
        "BOT_TOKEN": TEST_TOKEN,
        "BOT_API_BASE_URL": api.base_url,
        "DATA_DIR": str(data_dir),
        "NOTIFY_RATE": "200",
        "NOTIFY_MAX_IN_FLIGHT": str(IN_FLIGHT),
        "LOG_LEVEL": "WARNING",
        "PTB_TIMEDELTA": "1",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.notify", "--until-idle", env=env, cwd=REPO
    )


async def finish(api: FloodCheckingApi, data_dir: Path) -> None:
    """Run the worker until the outbox is empty."""
    process = await start_worker(api, data_dir)
    async with asyncio.timeout(60):
        assert await process.wait() == 0
    with Outbox.open(data_dir) as outbox:
        assert outbox.pending() == []


def copies(api: FloodCheckingApi) -> dict[int, list[str]]:
    """Each chat's messages, in the order the fake accepted them."""
    received: dict[int, list[str]] = {}
    for _, chat, text in api.deliveries:
        received.setdefault(chat, []).append("first-fact" if "first-fact" in text else "second")
    return received


async def test_sigkill_mid_broadcast_then_restart_delivers_each_message_once(
    api: FloodCheckingApi, data_dir: Path
) -> None:
    process = await start_worker(api, data_dir)
    try:
        await wait_until(lambda: len(api.deliveries) >= SUBSCRIBERS // 2, timeout=30)
        # Sends in flight from now on wait unanswered: Telegram has not accepted them.
        api.hold_sends()
        # Responses already on their way reach the worker and get their marks (~1 ms each).
        await asyncio.sleep(0.5)
        await wait_until(lambda: api.held > 0)
        process.kill()  # SIGKILL: no clean-up of any kind
        await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == -signal.SIGKILL
    killed_at = len(api.deliveries)
    assert 0 < killed_at < 2 * SUBSCRIBERS
    api.release_sends()  # the held requests died with their connections, never delivered

    await finish(api, data_dir)
    received = copies(api)
    expected = {
        chat: ["first-fact", "second"] for chat in range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS)
    }
    assert received == expected


async def test_random_kills_never_skip_anyone_and_repeat_at_most_the_sends_in_flight(
    api: FloodCheckingApi, data_dir: Path
) -> None:
    rng = random.Random(20200809)
    kills = 0
    for _ in range(2):
        before = len(api.deliveries)
        process = await start_worker(api, data_dir)
        try:
            # Kill at a random moment while messages flow — possibly inside the window
            # between Telegram accepting a message and its mark being written.
            await wait_until(
                lambda b=before, p=process: len(api.deliveries) > b or p.returncode is not None,
                timeout=30,
            )
            await asyncio.sleep(rng.uniform(0.0, 0.2))
            if process.returncode is None:
                process.send_signal(signal.SIGKILL)
                kills += 1
            await process.wait()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
    await finish(api, data_dir)
    received = copies(api)
    assert set(received) == set(range(FIRST_CHAT, FIRST_CHAT + SUBSCRIBERS))
    extra = 0
    for messages in received.values():
        assert {"first-fact", "second"} <= set(messages)  # nobody skipped
        extra += len(messages) - 2
    assert extra <= kills * IN_FLIGHT


async def test_sigterm_stops_after_the_sends_in_flight_and_resumes_exactly(
    api: FloodCheckingApi, data_dir: Path
) -> None:
    process = await start_worker(api, data_dir)
    try:
        await wait_until(lambda: len(api.deliveries) >= SUBSCRIBERS // 3, timeout=30)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(15):
            assert await process.wait() == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert len(api.deliveries) < 2 * SUBSCRIBERS
    await finish(api, data_dir)
    assert all(len(messages) == 2 for messages in copies(api).values())
    assert len(copies(api)) == SUBSCRIBERS


async def test_the_standalone_worker_refuses_a_data_dir_in_use(
    api: FloodCheckingApi, data_dir: Path
) -> None:
    with SubscriptionStore.open(data_dir):  # as the running bot would hold it
        process = await start_worker(api, data_dir)
        async with asyncio.timeout(30):
            assert await process.wait() == 2
    assert api.deliveries == []
