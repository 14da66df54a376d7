"""The chaos suite's observer cannot be fooled by the bot's background work: a private
message that got no answer is reported silent even when a notification reached its chat
while it was being handled, and the notification is credited to no update."""

from __future__ import annotations

from pathlib import Path

from telegram import Update
from telegram.ext import ApplicationHandlerStop, ContextTypes, MessageHandler, filters

from bot.context import services_of
from bot.fakeapi import FakeBotApi
from tests.chaos.observer import Observer
from tests.ops.conftest import make_ops, running, wait_until

READER = 63_000_001
SWALLOWED = "/numbers"


async def test_a_message_left_unanswered_is_silent_though_a_notification_went_out_meanwhile(
    api: FakeBotApi, data_dir: Path
) -> None:
    api.register_chat(READER)
    async with running(api, data_dir, make_ops()) as runner:
        observer = Observer(runner, api)
        app = runner.application
        notifier = services_of(app).notifier

        async def step(text: str) -> int:
            update_id = api.user_message(text, user_id=READER)
            await api.wait_delivered(update_id, timeout=10)
            await wait_until(lambda: runner.pending_updates() == 0, timeout=10, what=text)
            return update_id

        subscribed = await step("/subscribe all")
        assert observer.acknowledged(subscribed)

        # In front of the real handlers, one that takes the message and sends nothing back.
        # While it holds the message, a change is announced: the notification worker, in a
        # task of its own, sends it to this very chat.
        seen_meanwhile: list[int] = []

        async def swallow(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            before = len(api.messages(READER))
            fact = next(iter(runner.store.facts()))
            assert notifier.announce(runner.store, fact, "new") >= 1
            await wait_until(
                lambda: len(api.messages(READER)) > before, timeout=10, what="the notification"
            )
            seen_meanwhile.append(len(api.messages(READER)) - before)
            raise ApplicationHandlerStop

        app.add_handler(MessageHandler(filters.Text([SWALLOWED]), swallow), group=-1)
        swallowed = await step(SWALLOWED)
        answered = await step("/help")

        # A message did reach the chat while the swallowed one was handled: the notification.
        assert seen_meanwhile == [1]
        # It is nobody's answer: the swallowed message is silent, the others are not.
        assert observer.silent() == [f"update {swallowed}: {SWALLOWED!r}"]
        assert observer.calls_for(swallowed) == []
        assert observer.calls_for(answered) and observer.calls_for(subscribed)
        notification = [c for c in observer.background() if c.chat_id == str(READER)]
        assert len(notification) == 1 and notification[0].method == "sendMessage"
        assert notification[0].ok
