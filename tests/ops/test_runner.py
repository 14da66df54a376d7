"""The runner end to end against the fake Bot API: polling, heartbeat, metrics, logs."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.fakeapi import FakeBotApi
from bot.ops.health import check_heartbeat, heartbeat_path, read_heartbeat
from bot.ops.logs import apply_log_format, configure_logging
from bot.ops.runner import BotRunner
from facts.seed import load_seed
from facts.store import FactStore
from tests.ops.conftest import TOKEN, free_port, make_ops, make_settings, running, wait_until


async def test_polling_answers_start_and_beats(api: FakeBotApi, data_dir: Path) -> None:
    async with running(api, data_dir, make_ops()) as runner:
        api.user_message("/start")
        calls = await api.wait_for("sendMessage")
        assert calls[0].ok
        beat = read_heartbeat(heartbeat_path(data_dir))
        assert beat is not None and beat.mode == "polling" and not beat.problems
        assert beat.last_poll is not None
        assert check_heartbeat(heartbeat_path(data_dir), max_age=60).healthy
        await wait_until(lambda: runner.metrics.updates.value == 1, what="the update counted")
        assert runner.metrics.latency.count == 1
        # Timed by PTB's public hook: the application's own update processor.
        assert runner.application.update_processor is runner.processor
    # After a clean stop the heartbeat says so, and the check fails.
    result = check_heartbeat(heartbeat_path(data_dir), max_age=60)
    assert not result.healthy and "stopping" in result.message


async def test_every_fact_is_analysed_for_answering_once_running(
    api: FakeBotApi, data_dir: Path
) -> None:
    async with running(api, data_dir, make_ops()) as runner:
        api.user_message("How many political prisoners were there in May 2023?")
        await api.wait_for("sendMessage")
        store = runner.store
        await wait_until(
            lambda: len(store.fact_texts()) == len(store.facts()),
            what="every fact analysed",
        )
        assert store.fact_texts().prepare(store.facts()) == 0


async def test_updates_received_before_the_stop_are_answered(
    api: FakeBotApi, data_dir: Path
) -> None:
    async with running(api, data_dir, make_ops()) as runner:
        for n in range(5):
            api.user_message(f"/start {n}")
        await api.wait_delivered(5)
        runner.request_stop("test")
    assert len(api.calls("sendMessage")) == 5


async def test_token_and_user_text_never_logged_at_debug(
    api: FakeBotApi,
    data_dir: Path,
    capsys: pytest.CaptureFixture[str],
    root_logging: logging.Logger,
) -> None:
    secret_question = "zebra-crossing-question-7731"
    configure_logging("DEBUG", secrets=[TOKEN])
    apply_log_format("text", secrets=[TOKEN])
    async with running(api, data_dir, make_ops(), log_level="DEBUG"):
        api.user_message("/start")
        api.user_message(secret_question)
        await api.wait_for("sendMessage", count=2)
        # A failing call logs a traceback whose URL holds the token.
        api.fail_next("sendMessage", 400, "Bad Request: chat not found")
        api.user_message("/start")
        await api.wait_for("sendMessage", count=3)
    logging.getLogger("ops-test").debug("url was %s/getMe", api.base_url + TOKEN)
    err = capsys.readouterr().err
    assert "DEBUG" in err and "factbot is running" in err  # the capture did see the logs
    assert TOKEN not in err and TOKEN.split(":")[1] not in err
    assert secret_question not in err
    assert "[REDACTED]" in err


def runner_for(api: FakeBotApi, data_dir: Path, **settings: object) -> tuple[BotRunner, FactStore]:
    store = FactStore.open(data_dir, seed=load_seed())
    return BotRunner(make_settings(api, data_dir, **(make_ops() | settings)), store), store


async def test_a_token_revoked_while_polling_stops_the_bot_with_status_2(
    api: FakeBotApi, data_dir: Path
) -> None:
    runner, store = runner_for(api, data_dir)
    task = asyncio.create_task(runner.run(handle_signals=False))
    try:
        await wait_until(runner.ready.is_set, what="the bot to start")
        api.fail_next("getUpdates", 401, "Unauthorized")
        api.user_message("/start")  # wakes the waiting long poll
        assert await asyncio.wait_for(task, timeout=10) == 2
    finally:
        store.close()


async def test_a_rejected_token_at_start_up_exits_2(api: FakeBotApi, data_dir: Path) -> None:
    runner, store = runner_for(api, data_dir)
    api.fail_next("getMe", 401, "Unauthorized")
    try:
        assert await asyncio.wait_for(runner.run(handle_signals=False), timeout=10) == 2
    finally:
        store.close()


async def test_start_up_retries_while_the_api_is_unreachable_and_can_be_stopped(
    api: FakeBotApi, data_dir: Path
) -> None:
    runner, store = runner_for(
        api, data_dir, bot_api_base_url=f"http://127.0.0.1:{free_port()}/bot"
    )
    task = asyncio.create_task(runner.run(handle_signals=False))
    try:
        await asyncio.sleep(1.5)  # the first attempt and one retry
        assert not task.done() and not runner.ready.is_set()
        runner.request_stop("test")
        assert await asyncio.wait_for(task, timeout=10) == 0
    finally:
        store.close()


async def test_an_update_in_flight_at_the_stop_is_finished(api: FakeBotApi, data_dir: Path) -> None:
    started = asyncio.Event()

    async def slow(update: Update, context: object) -> None:
        started.set()
        await asyncio.sleep(0.5)  # still running when the stop comes

    async with running(api, data_dir, make_ops()) as runner:
        runner.application.add_handler(TypeHandler(Update, slow), group=-100)
        api.user_message("/start")
        await asyncio.wait_for(started.wait(), timeout=5)
        runner.request_stop("test")
    assert len(api.calls("sendMessage")) == 1
