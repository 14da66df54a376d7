"""The chaos stream in webhook mode: the real BotRunner behind the real webhook server on
127.0.0.1, held down by slow strangers, while Telegram (this test, with the secret) posts
ordinary and hostile updates and strangers post without it. (Forged presses and inline
queries go through the same application in test_stream.py; here the transport is the point.)

Bounded: 150 slow connections, about 90 requests, a 30 s budget. What must hold: no
stranger's request reaches a handler; every private message Telegram delivers is answered
meanwhile; nothing reaches the error handlers or the log as an error; the bot stays
healthy. (The memory and file-handle figures come from tests/chaos/test_webhook_flood.py,
which runs ``factbot run`` as a process.)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import random
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.context import services_of
from bot.fakeapi import FakeBotApi
from bot.ops.web import MAX_BODY_BYTES, SECRET_HEADER
from tests.chaos.hostile import (
    NOT_TEXT,
    ODD_TEXTS,
    POISON,
    SECRET_TEXT,
    nested,
    private_message,
)
from tests.chaos.observer import Observer
from tests.ops.conftest import WEBHOOK_SECRET, free_port, running, wait_until, webhook_ops

SEED = 15
READERS = [62_000_001 + n for n in range(6)]
STRANGERS = 150
BUDGET = 30.0
QUESTIONS = ["/start", "/help", "how many political prisoners?", "/numbers", "/sanctions"]


def text_message(chat_id: int, text: str) -> dict[str, Any]:
    """A private text message as Telegram posts it (a command gets its entity)."""
    extra: dict[str, Any] = {"text": text}
    if text.startswith("/"):
        length = len(text.split()[0]) if text.split() else 1
        extra["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
    return private_message(chat_id, **extra)


async def slow_stranger(
    port: int, n: int, held: list[asyncio.StreamWriter], complete: list[int]
) -> None:
    """Headers a line short of complete, or headers without the secret and part of a body
    (``complete`` counts those: each is refused)."""
    with contextlib.suppress(OSError, TimeoutError):
        async with asyncio.timeout(3):
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        held.append(writer)
        head = b"POST /telegram HTTP/1.1\r\nHost: bot\r\nContent-Length: 200000\r\n"
        writer.write(head if n % 2 else head + b"\r\n" + b"[" * 50_000)
        async with asyncio.timeout(3):
            await writer.drain()
        if n % 2 == 0:
            complete.append(n)


async def headers_only(port: int, headers: dict[str, str], length: int) -> bytes:
    """A POST's headers announcing a ``length`` byte body, none of which is sent: all the
    server says before it closes the connection (a server that waits for the body says
    nothing and keeps it open: then this fails on its timeout)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    lines = ["POST /telegram HTTP/1.1", "Host: bot", "Content-Type: application/json",
             f"Content-Length: {length}", *(f"{k}: {v}" for k, v in headers.items())]  # fmt: skip
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    try:
        async with asyncio.timeout(5):
            return await reader.read()  # until the server closes
    finally:
        writer.close()


async def test_webhook_under_strangers_answers_telegram_and_nothing_else(
    api: FakeBotApi, data_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    rng = random.Random(SEED)
    update_ids = itertools.count(1)
    for chat in READERS:
        api.register_chat(chat)
    port = free_port()
    held: list[asyncio.StreamWriter] = []
    complete: list[int] = []
    async with running(api, data_dir, webhook_ops(port)) as runner:
        observer = Observer(runner, api)
        auth = {SECRET_HEADER: WEBHOOK_SECRET}
        statuses: dict[str, list[int | None]] = {}
        try:
            async with (
                asyncio.timeout(BUDGET),
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as telegram,
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as stranger,
            ):
                for first in range(0, STRANGERS, 50):
                    await asyncio.gather(
                        *(slow_stranger(port, n, held, complete) for n in range(first, first + 50))
                    )
                assert len(held) >= STRANGERS * 0.9  # they did connect

                async def post(label: str, client: httpx.AsyncClient, **kwargs: Any) -> None:
                    try:
                        status: int | None = (await client.post("/telegram", **kwargs)).status_code
                    except httpx.TransportError:
                        status = None  # closed before the body was read: refused too
                    statuses.setdefault(label, []).append(status)

                def update(kind: str, payload: Any) -> dict[str, Any]:
                    return {"update_id": next(update_ids), kind: payload}

                requests: list[tuple[str, httpx.AsyncClient, dict[str, Any]]] = []

                def from_telegram(label: str, kind: str, payload: Any) -> None:
                    # Encoded as Telegram's JSON is: ASCII escapes, so that a lone surrogate
                    # (which UTF-8 cannot hold) arrives as the escape a server would send.
                    body = json.dumps(update(kind, payload)).encode("ascii")
                    requests.append((label, telegram, {"content": body}))

                for text in ODD_TEXTS:
                    from_telegram("ok", "message", text_message(rng.choice(READERS), text))
                for content in NOT_TEXT.values():
                    from_telegram("ok", "message", private_message(rng.choice(READERS), **content))
                for kind, payload in POISON:
                    from_telegram("poison", kind, payload)
                for _ in range(30):
                    question = text_message(rng.choice(READERS), rng.choice(QUESTIONS))
                    from_telegram("ok", "message", question)
                # Strangers: no secret, a wrong one; and Telegram's own requests gone bad.
                forged = update("message", text_message(READERS[0], "/subscribe all"))
                guess = {SECRET_HEADER: "guess"}
                for _ in range(10):
                    requests.append(("no secret", stranger, {"json": forged}))
                    requests.append(("wrong secret", stranger, {"json": forged, "headers": guess}))
                requests += [
                    ("nested", telegram, {"content": nested(100_000)}),
                    ("not json", telegram, {"content": b"\xff\xfe{"}),
                    ("not an update", telegram, {"json": [1, 2, 3]}),
                ]
                rng.shuffle(requests)
                for label, client, kwargs in requests:
                    if client is telegram and "headers" not in kwargs:
                        kwargs = kwargs | {"headers": auth}
                    await post(label, client, **kwargs)
                # What is refused on its headers alone is answered before any of its body
                # is sent, and the connection closed: a body too big even with the secret,
                # and a stranger's, however small.
                answers = {
                    "too big": await headers_only(port, auth, MAX_BODY_BYTES + 1),
                    "no secret, headers only": await headers_only(port, {}, 300),
                    "wrong secret, headers only": await headers_only(port, guess, 300),
                }
                done = lambda: runner.pending_updates() == 0  # noqa: E731
                await wait_until(done, timeout=20, what="the stream")
                health = await telegram.get("/healthz")
        finally:
            for writer in held:
                writer.close()

        assert health.status_code == 200, health.text
        assert set(statuses["ok"]) == {200} and set(statuses["poison"]) == {200}
        assert statuses["no secret"] == [403] * 10 and statuses["wrong secret"] == [403] * 10
        assert statuses["nested"] == [400] and statuses["not json"] == [400]
        assert statuses["not an update"] == [400]
        # tornado refuses a Content-Length over max_body_size as it reads the headers.
        assert answers["too big"] == b"HTTP/1.1 400 Bad Request\r\n\r\n"
        for refused in ("no secret, headers only", "wrong secret, headers only"):
            assert answers[refused].startswith(b"HTTP/1.1 403 Forbidden\r\n"), answers[refused]
            assert answers[refused].endswith(b"\r\n\r\n403\n")
        # No stranger's update reached a handler: READERS[0] never subscribed.
        assert not any("/subscribe all" in s.what for s in observer.seen)
        assert READERS[0] not in services_of(runner.application).notifier.subscriptions
        assert observer.errors == []
        assert runner.metrics.errors.value == 0
        assert not [r.getMessage() for r in caplog.records
                    if r.levelno >= logging.ERROR or r.exc_info]  # fmt: skip
        assert observer.silent() == []
        assert runner.metrics.unparsable_updates.value == len(POISON)
        # Every request without the right secret, and only those, is counted: the twenty
        # strangers' posts, the two sent headers only and the slow strangers whose headers
        # were complete (the others never finished a request).
        assert len(complete) >= STRANGERS * 0.45
        assert runner.metrics.webhook_rejected.value == 22 + len(complete)
        assert SECRET_TEXT not in caplog.text
        assert json.dumps(forged) not in caplog.text
        ordinary = len(ODD_TEXTS) + len(NOT_TEXT) + 30
        assert len(observer.seen) == ordinary
