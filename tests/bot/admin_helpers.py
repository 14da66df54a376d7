"""Helpers for the admin tests: a snapshot of everything admins can change, raw updates."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.admin_state import AdminState
from bot.context import services_of
from bot.fakeapi import ApiCall, ChatMessage
from facts.bundle import dump_bundle
from facts.model import Fact
from facts.store import FactStore
from tests.bot.harness import ADMIN_ID, Harness

FACT_ID = "political-prisoners-2023-05"
SOURCE_ID = "turan-carpenter-2023-05-12"
EDITOR_ID = 7777


def state(harness: Harness) -> AdminState:
    """The admin state of the application under test."""
    found = services_of(harness.application).admin
    assert found is not None and found.store is not None
    return found


def snapshot(harness: Harness, store: FactStore) -> tuple[Any, ...]:
    """Everything an admin command could change: the base with every revision, roles,
    unanswered questions, drafts."""
    admin = state(harness).store
    assert admin is not None
    histories = {
        f.id: [r.model_dump_json() for r in store.history(f.id)]
        for f in store.export_bundle().facts
    }
    return (
        dump_bundle(store.export_bundle()),
        json.dumps(histories, sort_keys=True),
        [e.model_dump_json() for e in admin.editors()],
        [c.model_dump_json() for c in admin.role_log()],
        [q.model_dump_json() for q in admin.unanswered()],
        [d.model_dump_json() for d in admin.drafts()],
    )


def fact_json(fact_id: str = "test-event-2023-05-01", **overrides: Any) -> dict[str, Any]:
    """A valid new fact (an event citing a seed source) as JSON."""
    data: dict[str, Any] = {
        "id": fact_id,
        "kind": "event",
        "text": "A test event happened in Minsk on 1 May 2023.",
        "details": {"kind": "event", "date": {"date": "2023-05-01"}, "place": "Minsk"},
        "citations": [
            {
                "source": SOURCE_ID,
                "quote": "There are currently at least 1,486 political prisoners in Belarus",
            }
        ],
        "topics": ["timeline"],
    }
    data.update(overrides)
    return data


async def say(harness: Harness, text: str, user_id: int = ADMIN_ID) -> str:
    """Send ``text`` in the user's private chat; the bot's texts joined."""
    return await harness.reply(text, user_id=user_id)


def last_with_buttons(harness: Harness, chat_id: int = ADMIN_ID) -> ChatMessage:
    """The bot's latest message in the chat that still has buttons."""
    for message in reversed(harness.chat(chat_id)):
        if message.buttons:
            return message
    raise AssertionError(f"no message with buttons in chat {chat_id}")


async def press(
    harness: Harness, label: str, *, user_id: int = ADMIN_ID, chat_id: int = ADMIN_ID
) -> list[ApiCall]:
    """Press the button labelled ``label`` on the latest message that has buttons."""
    message = last_with_buttons(harness, chat_id)
    return await harness.press(message, message.button_data(label), user_id=user_id)


def callback_answers(calls: list[ApiCall]) -> list[str]:
    """The texts of the answerCallbackQuery calls among ``calls`` (what the button showed)."""
    return [str(c.params.get("text")) for c in calls if c.method == "answerCallbackQuery"]


async def confirm(harness: Harness, user_id: int = ADMIN_ID) -> str:
    """Press ✅ Confirm on the latest preview; the bot's texts joined."""
    calls = await press(harness, "✅ Confirm", user_id=user_id, chat_id=user_id)
    return "\n".join(c.text or "" for c in calls if c.method == "sendMessage" and c.ok)


async def grant_editor(harness: Harness, user_id: int = EDITOR_ID) -> str:
    """/grant ``user_id`` and confirm it (as the owner); the bot's texts joined."""
    preview = await say(harness, f"/grant {user_id}")
    assert "an editor?" in preview, preview
    return await confirm(harness)


async def raw_message(
    harness: Harness,
    kind: str,
    payload_changes: dict[str, Any],
    *,
    text: str,
    user_id: int = ADMIN_ID,
    chat_type: str = "private",
) -> list[ApiCall]:
    """Queue an update of ``kind`` (message, edited_message, channel_post…) built like a
    user's message, with ``payload_changes`` applied; the bot's calls while handling it."""
    api = harness.api
    message = api.user_post(user_id, None, chat_type, None)
    message.text = text
    payload = message.to_json()
    payload.update(payload_changes)
    for key in [k for k, v in payload_changes.items() if v is None]:
        del payload[key]
    start = len(api.sent)
    update_id = api.raw_update(kind, payload)
    await harness.settle(update_id)
    return [c for c in api.sent[start:] if c.method not in ("getUpdates",)]


def forward_origin() -> dict[str, Any]:
    """A forward_origin as Telegram sends it for a message forwarded from a user."""
    return {
        "type": "user",
        "date": int(time.time()) - 60,
        "sender_user": {"id": 999, "is_bot": False, "first_name": "Someone"},
    }


def current(store: FactStore, fact_id: str) -> Fact:
    """The fact as stored now."""
    return store.get(fact_id)


#: A quote of the seed fact's source stating the figures the tests edit the value to (the
#: rule "a quote states the figure" refuses a value no quote states).
RECOUNT_QUOTE = "a recount gives 1,500, then 1,510, then 1,600 political prisoners"


def quote_the_recount(store: FactStore, fact_id: str = FACT_ID) -> None:
    """Give ``fact_id`` a second citation of its source that states the recounted figures."""
    fact = store.get(fact_id)
    citation = fact.citations[0].model_copy(update={"quote": RECOUNT_QUOTE})
    store.update_fact(
        fact.model_copy(update={"citations": [*fact.citations, citation]}),
        by="tests",
        reason="the source's recount",
    )
