"""Watching the real application under chaos without changing what it does."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Update
from telegram.ext import TypeHandler

from bot.fakeapi import ApiCall, FakeBotApi
from bot.ops.runner import BotRunner

#: The calls that put a message in a chat.
MESSAGES = {"sendMessage", "sendDocument", "sendPhoto"}


@dataclass
class Seen:
    """An update as it reached the handlers."""

    update_id: int
    chat_id: int | None
    private_message: bool
    #: How many Bot API calls the fake had recorded then.
    since: int
    #: For a failure's message: the message's text, or what it holds instead.
    what: str = ""


class Observer:
    """Watches the running application without changing what it does: a handler in a group
    before every other (it never stops an update) and one more error handler."""

    def __init__(self, runner: BotRunner, api: FakeBotApi) -> None:
        self.api = api
        self.seen: list[Seen] = []
        self.errors: list[BaseException] = []
        runner.application.add_handler(TypeHandler(Update, self._arrived), group=-1_000_000)
        runner.application.add_error_handler(self._failed)

    async def _arrived(self, update: Update, context: object) -> None:
        chat = update.effective_chat
        private = update.message is not None and chat is not None and chat.type == "private"
        message = update.message
        what = "" if message is None else repr(message.text or message.caption or message)[:80]
        self.seen.append(
            Seen(update.update_id, chat.id if chat else None, private, len(self.api.sent), what)
        )

    async def _failed(self, update: object, context: object) -> None:
        error = getattr(context, "error", None)
        if error is not None:
            self.errors.append(error)

    def calls_for(self, update_id: int) -> list[ApiCall]:
        """The calls the bot made while handling ``update_id`` (updates run one at a time)."""
        for n, seen in enumerate(self.seen):
            if seen.update_id == update_id:
                end = self.seen[n + 1].since if n + 1 < len(self.seen) else len(self.api.sent)
                return self.api.sent[seen.since : end]
        raise AssertionError(f"update {update_id} never reached the handlers")

    def acknowledged(self, update_id: int) -> bool:
        """Whether handling ``update_id`` said a write was done (the bot's "✅")."""
        return any("✅" in (c.text or "") for c in self.calls_for(update_id) if c.ok)

    def silent(self) -> list[str]:
        """Private messages that got no message back in their chat."""
        return [
            f"update {seen.update_id}: {seen.what}"
            for seen in self.seen
            if seen.private_message
            and not any(
                c.method in MESSAGES and c.ok and str(c.params.get("chat_id")) == str(seen.chat_id)
                for c in self.calls_for(seen.update_id)
            )
        ]
