"""JsonRequest over real HTTP on 127.0.0.1: JSON bodies, uploads, PTB's errors (how the fake
reads a JSON body is tested in tests/fakeapi/test_server.py)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    ReplyParameters,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.fakeapi import DEFAULT_USER_ID, ApiCall, FakeBotApi
from bot.notify import run_worker
from bot.ops.runner import BotRunner
from bot.ops.settings import Settings
from bot.transport import POOL_TIMEOUT_MESSAGE, JsonRequest
from facts.store import FactStore
from tests.bot.harness import TEST_TOKEN, Harness

USER = DEFAULT_USER_ID
JSON = "application/json"


def bot_on(api: FakeBotApi, request: BaseRequest) -> Bot:
    return Bot(
        TEST_TOKEN,
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=request,
        get_updates_request=JsonRequest(connection_pool_size=1),
    )


@pytest.fixture
async def json_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """PTB's Bot sending through JsonRequest to the fake server."""
    api.register_chat(USER)
    async with bot_on(api, JsonRequest()) as bot:
        yield bot


@pytest.fixture
async def form_bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """PTB's Bot with its stock HTTPXRequest (form-encoded bodies)."""
    api.register_chat(USER)
    async with bot_on(api, HTTPXRequest()) as bot:
        yield bot


# --- JSON bodies reach the fake and mean what the form meant -----------------------------------


async def test_send_message_goes_as_json_and_decodes_like_the_form(
    json_bot: Bot, form_bot: Bot, api: FakeBotApi
) -> None:
    markup = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Next ▶", callback_data="page:2")],
            [InlineKeyboardButton("Source", url="https://example.org/a?b=1&c=ü")],
        ]
    )
    text = '<b>Вясна</b> — 42 &amp; "quotes" 🏳️\n<a href="https://example.org/">link</a>'
    calls: list[ApiCall] = []
    for bot in (json_bot, form_bot):
        message = await bot.send_message(
            USER,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_parameters=ReplyParameters(message_id=99, allow_sending_without_reply=True),
            disable_notification=True,
        )
        assert message.text is not None and message.text.startswith("Вясна — 42 & ")
        assert message.reply_markup == markup
        calls.append(api.calls("sendMessage")[-1])
    via_json, via_form = calls
    assert via_json.media_type == JSON
    assert via_form.media_type == "application/x-www-form-urlencoded"
    assert via_json.params == via_form.params
    assert via_json.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "page:2"
    first, second = api.messages(USER)
    assert (first.text, first.entities, first.reply_markup) == (
        second.text,
        second.entities,
        second.reply_markup,
    )


async def test_the_fakes_checks_still_refuse_over_json(json_bot: Bot, api: FakeBotApi) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="é" * 33)]])
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await json_bot.send_message(USER, "hi", reply_markup=too_long)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await json_bot.send_message(USER, "<b>open", parse_mode=ParseMode.HTML)
    assert [c.media_type for c in api.calls("sendMessage")] == [JSON, JSON]


async def test_uploads_stay_multipart_and_a_file_id_goes_as_json(
    json_bot: Bot, api: FakeBotApi
) -> None:
    payload = b'{"facts": []}\r\n\x00binary'
    message = await json_bot.send_document(
        USER, payload, filename="facts.json", caption="<b>export</b>", parse_mode=ParseMode.HTML
    )
    assert message.document is not None and message.caption == "export"
    upload = api.calls("sendDocument")[0]
    assert upload.media_type == "multipart/form-data"
    assert upload.params["document"].data == payload
    again = await json_bot.send_document(USER, message.document.file_id, caption="again")
    assert again.document is not None and again.document.file_id == message.document.file_id
    assert api.calls("sendDocument")[1].media_type == JSON
    file = await json_bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == payload


async def test_the_applications_requests_are_json(harness: Harness, api: FakeBotApi) -> None:
    calls = await harness.ask("/start")
    assert calls and {c.media_type for c in calls} == {JSON}
    assert {c.media_type for c in api.calls(["getMe", "setMyCommands"])} == {JSON}
    bot = harness.application.bot
    sends, polls = bot.request, bot._request[0]  # getUpdates has its own, one connection
    assert isinstance(sends, JsonRequest) and isinstance(polls, JsonRequest)
    assert sends.pool_size == 256
    assert polls.pool_size == 1


async def test_the_runner_and_the_worker_send_json(
    api: FakeBotApi, settings: Settings, store: FactStore
) -> None:
    ops = {"webhook_url": None, "webhook_secret": None, "log_format": "text"}
    runner = BotRunner(settings.model_copy(update=ops), store)
    async with runner.application.bot:
        await runner.application.bot.get_me()
    assert await run_worker(settings, until_idle=True) == 0
    assert [c.media_type for c in api.calls("getMe")] == [JSON, JSON, JSON]


# --- PTB's timeouts and errors ------------------------------------------------------------------


@dataclass
class RawServer:
    """A server on 127.0.0.1 that records each request and answers it, or never does;
    or, ``gated``, answers one request each time :attr:`gate` is released."""

    answer: bytes | None
    port: int = 0
    requests: list[tuple[str, bytes]] = field(default_factory=list)  # (head, body)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    closing: asyncio.Event = field(default_factory=asyncio.Event)
    gated: bool = False
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(0))
    #: Requests answered; read and not yet answered, now and at most.
    answered: int = 0
    in_flight: int = 0
    most_in_flight: int = 0
    _handlers: set[asyncio.Task[Any]] = field(default_factory=set)

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            while True:
                head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                length = re.search(r"(?im)^content-length:\s*(\d+)", head)
                body = await reader.readexactly(int(length.group(1)) if length else 0)
                self.requests.append((head, body))
                self.arrived.set()
                if self.answer is None:
                    await self.closing.wait()  # accepted, read, never answered
                    return
                self.in_flight += 1
                self.most_in_flight = max(self.most_in_flight, self.in_flight)
                if self.gated:
                    await self.gate.acquire()
                self.in_flight -= 1
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(self.answer), self.answer)
                )
                await writer.drain()
                self.answered += 1
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot{TEST_TOKEN}/sendMessage"

    async def close(self) -> None:
        self.closing.set()
        for _ in self._handlers:
            self.gate.release()  # a gated request still waiting is answered now
        await asyncio.gather(*self._handlers)


@contextlib.asynccontextmanager
async def raw_server(answer: bytes | None, *, gated: bool = False) -> AsyncIterator[RawServer]:
    recorder = RawServer(answer, gated=gated)
    server = await asyncio.start_server(recorder.handle, "127.0.0.1", 0)
    recorder.port = server.sockets[0].getsockname()[1]
    try:
        yield recorder
    finally:
        server.close()
        await recorder.close()
        await server.wait_closed()


@contextlib.asynccontextmanager
async def opened(request: JsonRequest) -> AsyncIterator[JsonRequest]:
    await request.initialize()
    try:
        yield request
    finally:
        await request.shutdown()


async def test_the_body_is_one_json_object_with_native_nesting() -> None:
    async with raw_server(b'{"ok": true, "result": true}') as server:
        base_url = f"http://127.0.0.1:{server.port}/bot"
        # Not initialized: the Bot's getMe would want a User, this server only says true.
        async with opened(JsonRequest()) as request:
            bot = Bot(TEST_TOKEN, base_url=base_url, request=request, get_updates_request=request)
            commands = [BotCommand("start", "Начать"), BotCommand("help", "Help")]
            assert await bot.set_my_commands(commands, scope=BotCommandScopeChat(USER))
    head, body = server.requests[-1]
    assert re.search(r"(?im)^content-type: application/json\r$", head)
    assert re.search(rf"(?im)^user-agent: {re.escape(BaseRequest.USER_AGENT)}\r$", head)
    assert json.loads(body) == {
        "commands": [
            {"command": "start", "description": "Начать"},
            {"command": "help", "description": "Help"},
        ],
        "scope": {"type": "chat", "chat_id": USER},
    }
    assert body.isascii()  # json.dumps' default escapes: the UTF-8 encoding is a plain copy


@pytest.mark.parametrize(
    ("configured", "per_call"),
    [(0.2, BaseRequest.DEFAULT_NONE), (30.0, 0.2)],
    ids=["configured-read-timeout", "per-call-read-timeout"],
)
async def test_a_server_that_never_answers_times_out(configured: float, per_call: Any) -> None:
    async with raw_server(None) as server, opened(JsonRequest(read_timeout=configured)) as request:
        async with asyncio.timeout(5):
            with pytest.raises(TimedOut) as caught:
                await request.do_request(server.url, "POST", RequestData(), read_timeout=per_call)
    assert "Pool timeout" not in str(caught.value)
    head, body = server.requests[0]
    assert "application/json" in head and body == b"{}"


async def test_a_closed_port_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/bot{TEST_TOKEN}/getMe"
    async with opened(JsonRequest(connect_timeout=2)) as request:
        with pytest.raises(NetworkError) as caught:
            await request.do_request(url, "POST", RequestData())
    assert not isinstance(caught.value, TimedOut)
    assert str(caught.value).startswith("aiohttp.ClientConnectorError: ")
    assert TEST_TOKEN not in str(caught.value)


async def test_a_full_pool_times_out_with_ptbs_message() -> None:
    async with (
        raw_server(None) as server,
        opened(JsonRequest(connection_pool_size=1, pool_timeout=0.1)) as request,
    ):
        busy = asyncio.create_task(request.do_request(server.url, "POST", RequestData()))
        await asyncio.wait_for(server.arrived.wait(), 5)
        async with asyncio.timeout(5):
            with pytest.raises(TimedOut) as caught:
                await request.do_request(server.url, "POST", RequestData())
        busy.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await busy
    assert caught.value.message == POOL_TIMEOUT_MESSAGE
    assert len(server.requests) == 1  # the second was never sent


async def test_a_shut_down_request_refuses_like_ptbs() -> None:
    request = JsonRequest()
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:9/", "POST", RequestData())


async def test_the_pool_is_given_back_after_a_timeout_and_under_load() -> None:
    answer = b'{"ok": true, "result": true}'
    async with (
        raw_server(None) as silent,
        raw_server(answer, gated=True) as server,
        opened(JsonRequest(connection_pool_size=2, pool_timeout=0.2)) as request,
    ):
        # Both slots held by calls that will never be answered, then given back by cancelling.
        held = []
        for _ in range(2):
            silent.arrived.clear()
            held.append(asyncio.create_task(request.do_request(silent.url, "POST", RequestData())))
            await asyncio.wait_for(silent.arrived.wait(), 5)
        with pytest.raises(TimedOut, match="Pool timeout"):
            await request.do_request(server.url, "POST", RequestData())
        for task in held:
            task.cancel()
        await asyncio.gather(*held, return_exceptions=True)
        # Twenty calls through two slots, each waiting its turn: the server answers one call
        # at a time, when told, so each answer lets exactly one waiting call in. (They are
        # told to wait as long as it takes: how long twenty turns take is the machine's
        # business, not the pool's.) Both slots came back from the timeout and the cancels.
        calls = [
            asyncio.create_task(
                request.do_request(server.url, "POST", RequestData(), pool_timeout=None)
            )
            for _ in range(20)
        ]
        for answered in range(20):
            # The answers so far are out and as many calls as there are free slots are in.
            expected = min(answered + 2, 20)
            await wait_for_condition(
                lambda a=answered, n=expected: server.answered == a and len(server.requests) >= n
            )
            assert len(server.requests) == expected
            server.gate.release()
        async with asyncio.timeout(10):
            answers = await asyncio.gather(*calls)
    assert answers == [(200, answer)] * 20
    assert len(server.requests) == 20
    assert server.most_in_flight == 2


async def wait_for_condition(condition: Callable[[], bool], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    """Poll ``condition`` (set by the server's task) until it holds."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - the state lives in the server's tasks
            await asyncio.sleep(0.005)


async def test_a_dropped_connection_is_a_network_error_without_the_url() -> None:
    async def hang_up(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()

    server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}/bot{TEST_TOKEN}/sendMessage"
    try:
        async with opened(JsonRequest()) as request:
            with pytest.raises(NetworkError) as caught:
                await request.do_request(url, "POST", RequestData())
    finally:
        server.close()
        await server.wait_closed()
    assert not isinstance(caught.value, TimedOut)
    assert str(caught.value).startswith("aiohttp.")
    assert TEST_TOKEN not in str(caught.value) and url not in str(caught.value)


async def test_a_request_works_before_initialize_and_again_after_a_restart() -> None:
    answer = b'{"ok": true, "result": true}'
    async with raw_server(answer) as server:
        request = JsonRequest()
        assert await request.do_request(server.url, "POST", RequestData()) == (200, answer)
        await request.shutdown()
        with pytest.raises(RuntimeError, match="not initialized"):
            await request.do_request(server.url, "POST", RequestData())
        async with opened(request):
            assert await request.do_request(server.url, "POST", RequestData()) == (200, answer)
    assert len(server.requests) == 2


async def test_a_proxy_from_the_environment_is_used_unless_no_proxy_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    answer = b'{"ok": true, "result": true}'
    async with raw_server(answer) as proxy, raw_server(answer) as direct:
        for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{proxy.port}")
        monkeypatch.setenv("NO_PROXY", "localhost")
        async with opened(JsonRequest()) as request:
            assert await request.do_request(direct.url, "POST", RequestData()) == (200, answer)
            local = direct.url.replace("127.0.0.1", "localhost")
            assert await request.do_request(local, "POST", RequestData()) == (200, answer)
    # The first went through the proxy (absolute URI in the request line), the second not.
    ((head, _),) = proxy.requests
    assert head.startswith(f"POST {direct.url} HTTP/1.1")
    ((head, _),) = direct.requests
    assert head.startswith(f"POST /bot{TEST_TOKEN}/sendMessage HTTP/1.1")


#: Token-shaped, so that the redaction of anything that looks like a token is tested too.
LONG_TOKEN = "123456:" + "A" * 35


async def test_a_connect_timeout_is_timed_out_and_carries_no_url() -> None:
    """A listening socket whose accept queue is full drops new connections' SYNs, as a
    blackholed Telegram would: the connect times out. aiohttp's own error quotes the URL,
    so nothing of it may travel with PTB's TimedOut (a logged traceback would show it)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        queued = []
        for _ in range(4):
            sock = socket.socket()
            sock.setblocking(False)
            with contextlib.suppress(BlockingIOError):
                sock.connect(("127.0.0.1", port))
            queued.append(sock)
        try:
            async with opened(JsonRequest(connect_timeout=0.3)) as request:
                async with asyncio.timeout(5):
                    with pytest.raises(TimedOut) as caught:
                        await request.do_request(
                            f"http://127.0.0.1:{port}/bot{LONG_TOKEN}/getMe", "POST", RequestData()
                        )
        finally:
            for sock in queued:
                sock.close()
    assert "Pool timeout" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_an_error_quoting_the_url_is_redacted() -> None:
    # aiohttp quotes its normalised form of the URL (lower-case host), not the one given.
    url = f"http://LOCALHOST:99999/bot{LONG_TOKEN}/getMe"
    async with opened(JsonRequest()) as request:
        with pytest.raises(NetworkError) as caught:
            await request.do_request(url, "POST", RequestData())
    assert str(caught.value).startswith("aiohttp.")
    assert "AAAAAAAAAA" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


async def test_a_long_per_call_read_timeout_outlasts_the_configured_one() -> None:
    """As getUpdates does: PTB passes poll timeout + read timeout for the call."""

    handlers: list[asyncio.Task[Any]] = []

    async def late(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        handlers.append(asyncio.current_task())  # type: ignore[arg-type]
        try:
            await reader.readuntil(b"\r\n\r\n")
            await asyncio.sleep(0.5)
            body = b'{"ok": true, "result": []}'
            head = b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: %d\r\n\r\n"
            writer.write(head % len(body) + body)
            await writer.drain()
        except ConnectionError:
            pass  # the client gave up first (the second call)
        finally:
            writer.close()

    server = await asyncio.start_server(late, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/bot{TEST_TOKEN}/getUpdates"
    try:
        async with opened(JsonRequest(read_timeout=0.2, connect_timeout=0.1)) as request:
            assert await request.do_request(url, "POST", RequestData(), read_timeout=2.0) == (
                200,
                b'{"ok": true, "result": []}',
            )
            with pytest.raises(TimedOut):
                await request.do_request(url, "POST", RequestData())
    finally:
        server.close()
        await asyncio.gather(*handlers)
        await server.wait_closed()


async def test_proxy_variables_read_like_httpx(monkeypatch: pytest.MonkeyPatch) -> None:
    answer = b'{"ok": true, "result": true}'
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    async with raw_server(answer) as proxy, raw_server(answer) as direct:
        # No scheme: http:// is meant, as httpx reads it.
        monkeypatch.setenv("http_proxy", f"127.0.0.1:{proxy.port}")
        monkeypatch.setenv("no_proxy", "example.org")
        async with opened(JsonRequest()) as request:
            assert await request.do_request(direct.url, "POST", RequestData()) == (200, answer)
        # "*" anywhere in NO_PROXY: nothing goes through the proxy.
        monkeypatch.setenv("no_proxy", "example.org, *")
        async with opened(JsonRequest()) as request:
            assert await request.do_request(direct.url, "POST", RequestData()) == (200, answer)
    assert [head.split(" ")[1] for head, _ in proxy.requests] == [direct.url]
    assert len(direct.requests) == 1


@pytest.mark.parametrize(
    "setting",
    [{"proxy": "http://127.0.0.1:3128"}, {"http_version": "2"}, {"httpx_kwargs": {}}],
    ids=["proxy", "http2", "httpx-kwargs"],
)
def test_settings_that_would_reach_uploads_only_are_refused(setting: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="does not support"):
        JsonRequest(**setting)
