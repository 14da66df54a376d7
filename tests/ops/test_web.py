"""Webhook mode: the secret token gate, /healthz and /metrics, on the real application."""

from __future__ import annotations

import asyncio
import socket
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from telegram import Update
from telegram.ext import TypeHandler

from bot.fakeapi import DEFAULT_USER_ID, FakeBotApi
from bot.ops.health import check_http
from bot.ops.metrics import BotMetrics
from bot.ops.runner import BotRunner
from bot.ops.web import SECRET_HEADER, WebServer
from facts.seed import load_seed
from facts.store import FactStore
from tests.ops.conftest import (
    WEBHOOK_SECRET,
    free_port,
    make_ops,
    make_settings,
    running,
    wait_until,
    webhook_ops,
)


def start_update(update_id: int, text: str = "/start") -> dict[str, Any]:
    """A private message update as Telegram would POST it."""
    user = {"id": DEFAULT_USER_ID, "is_bot": False, "first_name": "Ops"}
    message: dict[str, Any] = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": DEFAULT_USER_ID, "type": "private", "first_name": "Ops"},
        "from": user,
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text)}]
    return {"update_id": update_id, "message": message}


def record_arrivals(runner: BotRunner) -> list[Update]:
    """Every update that reaches the application's handlers (a group before all others)."""
    seen: list[Update] = []

    async def record(update: Update, context: object) -> None:
        seen.append(update)

    runner.application.add_handler(TypeHandler(Update, record), group=-100)
    return seen


async def test_webhook_accepts_only_the_secret_token(api: FakeBotApi, data_dir: Path) -> None:
    api.register_chat(DEFAULT_USER_ID)
    port = free_port()
    async with running(api, data_dir, webhook_ops(port)) as runner:
        seen = record_arrivals(runner)
        url = f"http://127.0.0.1:{port}/telegram"
        registered = api.calls("setWebhook")
        assert registered and registered[0].params["secret_token"] == WEBHOOK_SECRET
        async with httpx.AsyncClient() as client:
            missing = await client.post(url, json=start_update(1))
            wrong = await client.post(
                url, json=start_update(2), headers={SECRET_HEADER: WEBHOOK_SECRET + "x"}
            )
            empty = await client.post(url, json=start_update(3), headers={SECRET_HEADER: ""})
            assert (missing.status_code, wrong.status_code, empty.status_code) == (403, 403, 403)
            assert WEBHOOK_SECRET not in wrong.text
            garbage = await client.post(
                url, content=b"{not json", headers={SECRET_HEADER: WEBHOOK_SECRET}
            )
            assert garbage.status_code == 400
            ok = await client.post(
                url, json=start_update(4), headers={SECRET_HEADER: WEBHOOK_SECRET}
            )
            assert ok.status_code == 200
            await api.wait_for("sendMessage")
            await wait_until(lambda: runner.metrics.updates.value == 1, what="one update")
        assert [u.update_id for u in seen] == [4]
        assert runner.metrics.webhook_rejected.value == 3
        assert len(api.calls("sendMessage")) == 1


async def test_healthz_and_metrics(api: FakeBotApi, data_dir: Path) -> None:
    api.register_chat(DEFAULT_USER_ID)
    port = free_port()
    async with running(api, data_dir, webhook_ops(port)) as runner:
        base = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=base) as client:
            await client.post(
                "/telegram", json=start_update(1), headers={SECRET_HEADER: WEBHOOK_SECRET}
            )
            await wait_until(lambda: runner.metrics.updates.value == 1, what="one update")
            health = await client.get("/healthz")
            metrics = await client.get("/metrics")
        assert health.status_code == 200
        report = health.json()
        assert report["status"] == "ok" and report["mode"] == "webhook"
        assert report["store"] == {"ok": True, "facts": len(runner.store)}
        assert report["bot"]["running"] is True and report["bot"]["username"]
        assert metrics.headers["content-type"].startswith("text/plain; version=0.0.4")
        text = metrics.text
        assert "factbot_updates_total 1.0\n" in text
        assert 'factbot_update_duration_seconds_bucket{le="+Inf"} 1.0\n' in text
        assert "factbot_update_duration_seconds_count 1.0\n" in text
        assert f"factbot_facts {float(len(runner.store))}\n" in text
        assert "factbot_update_errors_total 0.0\n" in text
        assert "# TYPE factbot_update_duration_seconds histogram" in text
        # `factbot health` in webhook mode asks this very endpoint.
        assert (await asyncio.to_thread(check_http, base + "/healthz")).healthy


async def test_healthz_answers_503_when_unhealthy() -> None:
    server = WebServer(metrics=BotMetrics(), health=lambda: (False, {"status": "unavailable"}))
    port = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"http://127.0.0.1:{port}/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable"}
        result = await asyncio.to_thread(check_http, f"http://127.0.0.1:{port}/healthz")
        assert not result.healthy and "503" in result.message
    finally:
        await server.stop()


async def test_health_check_reports_a_server_that_is_down() -> None:
    result = check_http(f"http://127.0.0.1:{free_port()}/healthz", timeout=2)
    assert not result.healthy and "not answering" in result.message


async def test_webhook_answers_503_when_too_far_behind() -> None:
    def full(update: object) -> None:
        raise asyncio.QueueFull

    server = WebServer(
        metrics=BotMetrics(),
        health=lambda: (True, {}),
        webhook_path="/telegram",
        secret=WEBHOOK_SECRET,
        parse=lambda data: data,
        submit=full,
    )
    port = await server.start("127.0.0.1", 0)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.post(
                f"http://127.0.0.1:{port}/telegram",
                json=start_update(1),
                headers={SECRET_HEADER: WEBHOOK_SECRET},
            )
        assert response.status_code == 503
    finally:
        await server.stop()


async def run_to_exit(api: FakeBotApi, data_dir: Path, ops: dict[str, Any]) -> int:
    store = FactStore.open(data_dir, seed=load_seed())
    try:
        runner = BotRunner(make_settings(api, data_dir, **ops), store)
        return await asyncio.wait_for(runner.run(handle_signals=False), timeout=10)
    finally:
        store.close()


async def test_a_port_in_use_stops_start_up_with_a_clear_message(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert await run_to_exit(api, data_dir, webhook_ops(port)) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in caplog.text


async def test_a_refused_webhook_stops_start_up(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ops = make_ops(
        webhook_url="http://bot.example.org/telegram",  # Telegram wants https
        webhook_secret=WEBHOOK_SECRET,
        listen="127.0.0.1",
        port=free_port(),
    )
    assert await run_to_exit(api, data_dir, ops) == 2
    assert "setWebhook: the Bot API refused" in caplog.text and "https" in caplog.text.lower()
