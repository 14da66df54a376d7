"""Watching the real application under chaos without changing what it does.

Every Bot API call the bot makes is credited to the update whose handling made it, and only
to that one: the observer's first handler marks, in the task that handles an update, which
update that is (a context variable), and a request backend slipped in at the process edge
(under the runner's own) reads the mark when the call goes out. A call made by any other
task — the notification worker's deliveries and digests, jobs, anything an update started
in the background — carries no update, so a notification that happens to reach a chat while
one of its messages is handled never counts as that message's answer.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.fakeapi import FakeBotApi
from bot.ops.runner import BotRunner
from bot.transport import PassThroughRequest

#: The calls that put a message in a chat.
MESSAGES = {"sendMessage", "sendDocument", "sendPhoto"}

#: The update the current task is handling, and that task.
_HANDLING: contextvars.ContextVar[tuple[int, asyncio.Task[Any]] | None] = contextvars.ContextVar(
    "chaos_observer_handling", default=None
)


@dataclass
class Seen:
    """An update as it reached the handlers."""

    update_id: int
    chat_id: int | None
    private_message: bool
    #: For a failure's message: the message's text, or what it holds instead.
    what: str = ""


@dataclass(frozen=True)
class Sent:
    """A Bot API call as the bot made it, and the update it was made for."""

    method: str
    chat_id: str | None
    text: str | None
    ok: bool
    #: The update whose handling made the call; None for the bot's background work.
    update_id: int | None


def handling() -> int | None:
    """The update this task is handling (None in any other task)."""
    mark = _HANDLING.get()
    if mark is None or mark[1] is not asyncio.current_task():
        return None  # a task started meanwhile copies the mark, not the handling
    return mark[0]


class _Watching(PassThroughRequest):
    """Passes every call on and records it, with the update it was made for."""

    def __init__(self, inner: BaseRequest, sent: list[Sent]) -> None:
        super().__init__(inner)
        self._sent = sent

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: Any
    ) -> tuple[int, bytes]:
        update_id = handling()
        status, payload = await super().do_request(url, method, request_data, **timeouts)
        name = url.rsplit("/", 1)[-1]
        if name != "getUpdates" and "/file/bot" not in url:  # not a poll, not a download
            params = request_data.parameters if request_data is not None else {}
            try:
                ok = status == 200 and json.loads(payload).get("ok") is True
            except (ValueError, RecursionError):
                ok = False
            text = params.get("text", params.get("caption"))
            chat = params.get("chat_id")
            self._sent.append(
                Sent(
                    name,
                    None if chat is None else str(chat),
                    text if isinstance(text, str) else None,
                    ok,
                    update_id,
                )
            )
        return status, payload


class Observer:
    """Watches the running application without changing what it does: a handler in a group
    before every other (it never stops an update), one more error handler, and a request
    backend under the runner's that records each call."""

    def __init__(self, runner: BotRunner, api: FakeBotApi) -> None:
        self.api = api
        self.seen: list[Seen] = []
        self.sent: list[Sent] = []
        self.errors: list[BaseException] = []
        edge: PassThroughRequest = runner.request
        while isinstance(edge.inner, PassThroughRequest):
            edge = edge.inner
        edge.inner = _Watching(edge.inner, self.sent)
        runner.application.add_handler(TypeHandler(Update, self._arrived), group=-1_000_000)
        runner.application.add_error_handler(self._failed)

    async def _arrived(self, update: Update, context: object) -> None:
        task = asyncio.current_task()
        assert task is not None
        _HANDLING.set((update.update_id, task))
        chat = update.effective_chat
        private = update.message is not None and chat is not None and chat.type == "private"
        message = update.message
        what = "" if message is None else repr(message.text or message.caption or message)[:80]
        self.seen.append(Seen(update.update_id, chat.id if chat else None, private, what))

    async def _failed(self, update: object, context: object) -> None:
        error = getattr(context, "error", None)
        if error is not None:
            self.errors.append(error)

    def calls_for(self, update_id: int) -> list[Sent]:
        """The calls the bot made while handling ``update_id``."""
        if not any(seen.update_id == update_id for seen in self.seen):
            raise AssertionError(f"update {update_id} never reached the handlers")
        return [call for call in self.sent if call.update_id == update_id]

    def background(self) -> list[Sent]:
        """The calls no update's handling made (deliveries, digests, jobs)."""
        return [call for call in self.sent if call.update_id is None]

    def acknowledged(self, update_id: int) -> bool:
        """Whether handling ``update_id`` said a write was done (the bot's "✅")."""
        return any("✅" in (c.text or "") for c in self.calls_for(update_id) if c.ok)

    def silent(self) -> list[str]:
        """Private messages whose handling sent no message back to their chat."""
        return [
            f"update {seen.update_id}: {seen.what}"
            for seen in self.seen
            if seen.private_message
            and not any(
                c.method in MESSAGES and c.ok and c.chat_id == str(seen.chat_id)
                for c in self.calls_for(seen.update_id)
            )
        ]
