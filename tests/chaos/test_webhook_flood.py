"""Slow, unauthenticated webhook clients against the real ``factbot run`` process on
127.0.0.1 (issue 15, item 2): little memory, no file-handle exhaustion, Telegram gets in."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import signal
import time
from pathlib import Path

import httpx
import pytest

from bot.fakeapi import DEFAULT_USER_ID, FakeBotApi
from bot.ops import web
from bot.ops.metrics import BotMetrics
from bot.ops.web import MAX_BODY_BYTES, SECRET_HEADER, WebServer
from tests.ops.bot_process import bot_env, start_bot
from tests.ops.conftest import WEBHOOK_SECRET, free_port
from tests.ops.test_web import start_update

#: The bot's open-file limit in this test: the issue's flood went past 1,024.
FILE_LIMIT = 256
SLOW_CLIENTS = 600


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def limit_files() -> None:
    resource.setrlimit(resource.RLIMIT_NOFILE, (FILE_LIMIT, FILE_LIMIT))


async def slow_client(port: int, n: int, held: list[asyncio.StreamWriter]) -> None:
    """Half send headers a byte short of complete; half send headers without the secret
    and most of a 250 KB body; then both sit there."""
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(3):  # a server out of file handles never accepts
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        held.append(writer)
        head = (
            "POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            "Content-Length: 250000\r\n"
        )
        if n % 2:
            writer.write(head.encode())
        else:
            writer.write(head.encode() + b"\r\n" + b"[" * 200_000)
        async with asyncio.timeout(3):
            await writer.drain()


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
async def test_hundreds_of_slow_strangers_cost_little_and_telegram_gets_through(
    api: FakeBotApi, tmp_path: Path
) -> None:
    api.register_chat(DEFAULT_USER_ID)
    port = free_port()
    env = bot_env(api, tmp_path / "data")
    env.update(
        WEBHOOK_URL="https://bot.example.org/telegram",
        WEBHOOK_SECRET=WEBHOOK_SECRET,
        LISTEN="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="INFO",
    )
    log_path = tmp_path / "bot.log"
    process = await start_bot(env, log_path, preexec_fn=limit_files)
    held: list[asyncio.StreamWriter] = []
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as client:
            deadline = time.monotonic() + 30
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get("/healthz")).status_code == 200:
                        break
                assert process.returncode is None, log_path.read_text()[-2000:]
                assert time.monotonic() < deadline, "the bot did not come up"
                await asyncio.sleep(0.2)
            baseline = rss_kb(process.pid)

            for first in range(0, SLOW_CLIENTS, 100):
                await asyncio.gather(
                    *(slow_client(port, n, held) for n in range(first, first + 100))
                )
            await asyncio.sleep(0.5)
            assert len(held) >= SLOW_CLIENTS * 0.9  # they did connect

            # Telegram, meanwhile: a real update gets through and is answered.
            response = await client.post(
                "/telegram", json=start_update(1), headers={SECRET_HEADER: WEBHOOK_SECRET}
            )
            assert response.status_code == 200
            sent = await api.wait_for("sendMessage", timeout=10)
            assert sent[0].ok
            health = await client.get("/healthz")
            assert health.status_code == 200, health.text

            grown_mb = (rss_kb(process.pid) - baseline) / 1024
            open_files = len(os.listdir(f"/proc/{process.pid}/fd"))
            metrics = (await client.get("/metrics")).text
        print(f"RSS +{grown_mb:.1f} MB, {open_files} open files")
        assert grown_mb < 20, f"RSS grew by {grown_mb:.1f} MB"
        assert open_files < FILE_LIMIT * 0.6, open_files
        assert "factbot_webhook_rejected_total 0.0\n" not in metrics
    finally:
        for writer in held:
            writer.close()
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(process.wait(), timeout=20)
    log_text = log_path.read_text()
    assert status == 0, log_text[-3000:]
    assert "Too many open files" not in log_text
    assert len(log_text) < 50_000, f"{len(log_text)} bytes of log"
    errors = [
        line for line in log_text.splitlines() if line.startswith("{") and
        json.loads(line)["level"] in ("ERROR", "CRITICAL")
    ]  # fmt: skip
    assert errors == []


def webhook_server(received: list[object], metrics: BotMetrics | None = None) -> WebServer:
    return WebServer(
        metrics=metrics or BotMetrics(),
        health=lambda: (True, {}),
        webhook_path="/telegram",
        secret=WEBHOOK_SECRET,
        parse=lambda data: data,
        submit=received.append,
    )


async def test_the_secret_is_checked_before_the_body_is_read() -> None:
    received: list[object] = []
    server = webhook_server(received)
    port = await server.start("127.0.0.1", 0)
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: 200000\r\n\r\n" + b"{" * 10
        )
        # Answered at once, though almost all of the announced body is still to come...
        async with asyncio.timeout(2):
            answer = await reader.read()  # ...and the connection is closed after it
        writer.close()
        assert answer.startswith(b"HTTP/1.1 403")
        assert received == []
    finally:
        await server.stop()


async def test_oversized_and_deeply_nested_bodies_are_refused() -> None:
    received: list[object] = []
    server = webhook_server(received)
    port = await server.start("127.0.0.1", 0)
    try:
        # A body announced over the limit, with the secret: refused on its headers, before
        # any of it is sent (tornado checks Content-Length against max_body_size).
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(
            b"POST /telegram HTTP/1.1\r\nHost: bot\r\n%s: %s\r\nContent-Length: %d\r\n\r\n"
            % (SECRET_HEADER.encode(), WEBHOOK_SECRET.encode(), MAX_BODY_BYTES + 1)
        )
        async with asyncio.timeout(5):
            big = await reader.read()  # until the server closes the connection
        writer.close()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            auth = {SECRET_HEADER: WEBHOOK_SECRET}
            nested = await client.post("/telegram", content=b"[" * 100_000, headers=auth)
            ok = await client.post("/telegram", json=start_update(1), headers=auth)
        assert big == b"HTTP/1.1 400 Bad Request\r\n\r\n"
        assert nested.status_code == 400 and "Traceback" not in nested.text
        assert ok.status_code == 200
        assert len(received) == 1
    finally:
        await server.stop()


async def test_at_the_cap_telegram_evicts_the_oldest_stranger() -> None:
    received: list[object] = []
    metrics = BotMetrics()
    server = webhook_server(received, metrics)
    server.max_connections = 5
    port = await server.start("127.0.0.1", 0)
    strangers = []
    readers = []
    try:
        for _ in range(5):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"POST /telegram HTTP/1.1\r\nHost: bot\r\n")  # and nothing more
            strangers.append(writer)
            readers.append(reader)
        await asyncio.sleep(0.2)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            auth = {SECRET_HEADER: WEBHOOK_SECRET}
            for n in range(3):  # one kept-alive connection, trusted after the first
                response = await client.post("/telegram", json=start_update(n), headers=auth)
                assert response.status_code == 200
        assert len(received) == 3
        # Telegram's one connection took one stranger's place: the oldest one's.
        assert metrics.webhook_evicted.value == 1
        async with asyncio.timeout(5):
            assert await readers[0].read() == b""  # closed without a word
    finally:
        for writer in strangers:
            writer.close()
        await server.stop()


@pytest.mark.parametrize("stalls", ["in its headers", "in its body", "between requests"])
async def test_a_connection_that_stalls_is_closed_by_its_timeout(
    monkeypatch: pytest.MonkeyPatch, stalls: str
) -> None:
    # The timeouts as configured, scaled down (10 s each in production).
    monkeypatch.setattr(web, "HEADER_TIMEOUT", 0.3)
    monkeypatch.setattr(web, "BODY_TIMEOUT", 0.3)
    received: list[object] = []
    server = webhook_server(received)
    port = await server.start("127.0.0.1", 0)
    auth = f"{SECRET_HEADER}: {WEBHOOK_SECRET}\r\n".encode()
    head = b"POST /telegram HTTP/1.1\r\nHost: bot\r\n"
    body = json.dumps(start_update(1)).encode()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        if stalls == "in its headers":
            writer.write(head)  # and never the blank line that ends them
        elif stalls == "in its body":
            writer.write(head + auth + b"Content-Length: %d\r\n\r\n" % len(body) + body[:5])
        else:  # one whole request, then nothing on a kept-alive connection
            writer.write(head + auth + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        started = time.monotonic()
        async with asyncio.timeout(5):  # far beyond the timeout: it is what closes it
            answer = await reader.read()
        writer.close()
    finally:
        await server.stop()
    waited = time.monotonic() - started
    assert waited >= 0.25
    if stalls == "between requests":
        assert answer.startswith(b"HTTP/1.1 200") and len(received) == 1
    else:
        assert answer == b"" and received == []
