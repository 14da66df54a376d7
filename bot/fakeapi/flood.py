"""The fake Bot API with Telegram's flood limits, and able to hold sends: what the
notification tests and bench/bench_subscriptions.py deliver to.

It relies on two FakeBotApi internals: handlers are looked up on the instance (so overriding
``_send_message`` takes effect) and ``respond`` may return a coroutine (as long polls do),
which the server cancels when the client goes away.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, deque
from collections.abc import Awaitable
from typing import Any

from aiohttp import web

from bot.fakeapi.records import ApiCall, ApiError
from bot.fakeapi.server import ApiRequest, FakeBotApi


class FloodCheckingApi(FakeBotApi):
    """Answers 429 (retry_after 1) to a sendMessage over ``global_limit`` in any
    ``window`` seconds, or to the same chat within ``per_chat_interval``; counts them."""

    def __init__(
        self,
        *,
        global_limit: int | None = 30,
        per_chat_interval: float | None = 1.0,
        window: float = 1.0,
        keep_messages: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.global_limit = global_limit
        self.per_chat_interval = per_chat_interval
        self.window = window
        #: Keep every sent message in its chat (turn off for 100k-message benchmarks).
        self.keep_messages = keep_messages
        #: sendMessage calls refused with 429 by the flood check.
        self.flood_refusals = 0
        #: (arrival time, chat id, text) of every sendMessage accepted (with keep_messages).
        self.deliveries: list[tuple[float, int, str]] = []
        #: How many sendMessage calls were accepted.
        self.delivered = 0
        #: The most sendMessage calls accepted within one ``window``.
        self.max_in_window = 0
        self.per_chat: Counter[int] = Counter()
        self._recent: deque[float] = deque()
        self._last: dict[int, float] = {}
        self._gate = asyncio.Event()
        self._gate.set()
        self.held = 0

    # --- holding sends --------------------------------------------------------------------
    def hold_sends(self) -> None:
        """From now on, sendMessage requests wait unanswered (and unrecorded)."""
        self._gate.clear()

    def release_sends(self) -> None:
        """Let held and new sendMessage requests through."""
        self._gate.set()

    def respond(self, request: ApiRequest) -> web.Response | Awaitable[web.Response]:
        if self._gate.is_set() or request.method != "sendMessage":
            return super().respond(request)
        return self._held(request)

    async def _held(self, request: ApiRequest) -> web.Response:
        # Cancelled with the connection when the client is killed: never reaches the chat.
        self.held += 1
        try:
            await self._gate.wait()
        finally:
            self.held -= 1
        answer = super().respond(request)
        assert isinstance(answer, web.Response)
        return answer

    # --- flood limits ---------------------------------------------------------------------
    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        now = time.monotonic()
        chat_id = params.get("chat_id")
        while self._recent and self._recent[0] <= now - self.window:
            self._recent.popleft()
        over_global = self.global_limit is not None and len(self._recent) >= self.global_limit
        last = self._last.get(chat_id) if isinstance(chat_id, int) else None
        too_soon = (
            self.per_chat_interval is not None
            and last is not None
            and now - last < self.per_chat_interval
        )
        if over_global or too_soon:
            self.flood_refusals += 1
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        result = super()._send_message(params)
        self._recent.append(now)
        self.delivered += 1
        self.max_in_window = max(self.max_in_window, len(self._recent))
        if isinstance(chat_id, int):
            self._last[chat_id] = now
            if self.keep_messages:
                self.per_chat[chat_id] += 1
                self.deliveries.append((now, chat_id, str(params.get("text"))))
            else:
                self._chats[chat_id].messages.clear()
        return result

    def _record(self, call: ApiCall) -> None:
        if self.keep_messages or call.method != "sendMessage":
            super()._record(call)
        else:
            self._wake()
