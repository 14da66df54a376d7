"""Updates the bot cannot parse, and a failing getUpdates, never stop the bot (issue 15, 1)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.app import HANDLED_UPDATE_TYPES
from bot.fakeapi import FakeBotApi
from bot.ops.health import check_heartbeat, heartbeat_path
from bot.ops.polling import SkippedUpdate, parse_batch, update_kind, without_lone_surrogates
from bot.ops.web import SECRET_HEADER
from tests.chaos.hostile import OLD_POLL_ANSWER, SECRET_TEXT, message_without_date
from tests.ops.conftest import WEBHOOK_SECRET, free_port, make_ops, running, wait_until, webhook_ops


def parse(data: dict[str, Any]) -> Update:
    return Update.de_json(data, None)


def test_lone_surrogates_become_replacement_characters_pairs_stay() -> None:
    update = json.loads(
        '{"update_id": 1, "message": {"text": "a\\ud800 \\ud83d\\ude00 \\udfff",'
        ' "entities": [{"url": "\\udc00"}], "\\ud801": [["\\udbff"]]}}'
    )
    assert without_lone_surrogates(update) == {"update_id": 1, "message": {
        "text": "a\ufffd \U0001f600 \ufffd", "entities": [{"url": "\ufffd"}],
        "\ufffd": [["\ufffd"]]}}  # fmt: skip
    # As deep as the JSON parser goes, without a RecursionError.
    deep = json.loads('{"update_id": 2, "message": ' + "[" * 900 + '"\\ud800"' + "]" * 900 + "}")
    node = without_lone_surrogates(deep)["message"]
    for _ in range(900):
        node = node[0]
    assert node == "\ufffd"


def test_parse_batch_skips_what_fails_and_acknowledges_all() -> None:
    good = {"update_id": 3, "inline_query": {"id": "1", "from": {"id": 1, "is_bot": False,
            "first_name": "a"}, "query": "x", "offset": ""}}  # fmt: skip
    batch = parse_batch(
        [
            {"update_id": 1, "poll_answer": OLD_POLL_ANSWER},
            {"update_id": 2, "message": message_without_date(SECRET_TEXT)},
            good,
            {"update_id": True, "message": {}},  # a bool is not an id
            {"update_id": 9, "callback_query": "garbage"},
            "not an update",
        ],
        parse,
    )
    assert [u.update_id for u in batch.updates] == [3]
    assert batch.skipped == [
        SkippedUpdate(1, "poll_answer"),
        SkippedUpdate(2, "message"),
        SkippedUpdate(None, "message"),
        SkippedUpdate(9, "callback_query"),
        SkippedUpdate(None, "?"),
    ]
    assert batch.next_offset == 10
    # A type that could forge a log line is never repeated.
    assert update_kind({"update_id": 1, "evil\nkind": {}}) == "?"
    with pytest.raises(ValueError, match="not return a list"):
        parse_batch({"update_id": 1}, parse)


async def test_an_unparsable_update_is_skipped_and_the_next_one_answered(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with running(api, data_dir, make_ops()) as runner:
        polls_before = api.polls
        poison = api.raw_update("message", message_without_date(SECRET_TEXT))
        api.user_message("/start")
        calls = await api.wait_for("sendMessage")
        assert calls[0].ok
        await api.wait_delivered(poison)  # its offset was acknowledged
        await asyncio.sleep(0.3)
        # No retry storm: a handful of polls, not hundreds.
        assert api.polls - polls_before <= 4
        assert runner.metrics.unparsable_updates.value == 1
        assert "factbot_updates_unparsable_total 1.0\n" in runner.metrics.render()
        assert runner.metrics.poll_errors.value == 0
        assert runner.problems() == []
    lines = [r.getMessage() for r in caplog.records if "could not be parsed" in r.getMessage()]
    assert lines == [f"skipped update {poison} (message): it could not be parsed"]
    assert SECRET_TEXT not in caplog.text
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


async def test_only_the_handled_update_types_are_asked_for(api: FakeBotApi, data_dir: Path) -> None:
    async with running(api, data_dir, make_ops()):
        assert api.allowed_updates == frozenset(HANDLED_UPDATE_TYPES)
        old = api.raw_update("poll_answer", OLD_POLL_ANSWER)
        api.user_message("/start")
        await api.wait_for("sendMessage")
        assert api.dropped() == {old: "poll_answer"}


async def test_webhook_asks_only_for_the_handled_types(api: FakeBotApi, data_dir: Path) -> None:
    async with running(api, data_dir, webhook_ops(free_port())):
        assert api.allowed_updates == frozenset(HANDLED_UPDATE_TYPES)


async def test_an_unparsable_webhook_update_is_acknowledged_and_counted(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    async with running(api, data_dir, webhook_ops(port)) as runner:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            response = await client.post(
                "/telegram",
                json={"update_id": 41, "message": message_without_date(SECRET_TEXT)},
                headers={SECRET_HEADER: WEBHOOK_SECRET},
            )
        # 200: Telegram would otherwise deliver it again and again.
        assert response.status_code == 200
        assert runner.metrics.unparsable_updates.value == 1
    assert "skipped update 41 (message): it could not be parsed" in caplog.text
    assert SECRET_TEXT not in caplog.text


async def test_failing_polls_back_off_and_turn_health_unhealthy(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(api, data_dir, make_ops(health_max_age=1.5)) as runner:
        for _ in range(20):
            api.fail_next("getUpdates", 502)
        polls_before = api.polls
        api.user_message("/start")  # wakes the waiting long poll, which then fails
        await asyncio.sleep(3.2)
        # Back-off 1 s, 2 s...: three or four attempts in 3 s, never hundreds.
        assert 2 <= api.polls - polls_before <= 4
        assert runner.metrics.poll_errors.value >= 2
        problems = runner.problems()
        assert any("getUpdates has failed" in p for p in problems), problems
        runner.heartbeat()
        result = check_heartbeat(heartbeat_path(data_dir), max_age=90)
        assert not result.healthy and "getUpdates has failed" in result.message
    failures = [r for r in caplog.records if "getUpdates failed" in r.getMessage()]
    assert failures and all(r.exc_info is None for r in failures)


async def test_updates_waiting_with_none_processed_turn_health_unhealthy(
    api: FakeBotApi, data_dir: Path
) -> None:
    release = asyncio.Event()

    async def stuck(update: Update, context: object) -> None:
        await release.wait()

    async with running(api, data_dir, make_ops(health_max_age=0.5)) as runner:
        runner.application.add_handler(TypeHandler(Update, stuck), group=-100)
        assert runner.problems() == []
        api.user_message("/start")
        api.user_message("/help")
        await wait_until(lambda: runner.pending_updates() == 2, what="both updates received")
        started = time.monotonic()
        await wait_until(
            lambda: any("waiting, none processed" in p for p in runner.problems()),
            what="the stall reported",
        )
        assert time.monotonic() - started >= 0.3
        release.set()
        await wait_until(lambda: runner.pending_updates() == 0, what="the updates processed")
        assert runner.problems() == []
