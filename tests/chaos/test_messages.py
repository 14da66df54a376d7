"""Chaos: whatever a reader sends in a private chat gets a reply — photos, stickers,
locations, a /start in a caption, odd Unicode, deeply nested JSON (issue 15, item 4)."""

from __future__ import annotations

import pytest

from bot import texts
from bot.fakeapi import FakeBotApi
from facts.store import FactStore
from tests.bot.admin_helpers import say, snapshot
from tests.bot.harness import ADMIN_ID, USER_ID, Harness
from tests.bot.harness import texts as call_texts
from tests.chaos.hostile import NOT_TEXT, private_message


@pytest.mark.parametrize("kind", sorted(NOT_TEXT))
async def test_a_message_without_text_is_answered(
    harness: Harness, api: FakeBotApi, kind: str
) -> None:
    api.register_chat(USER_ID)
    start = len(api.sent)
    await harness.settle(api.raw_update("message", private_message(**NOT_TEXT[kind])))
    sent = [c for c in api.sent[start:] if c.method == "sendMessage"]
    assert len(sent) == 1 and sent[0].ok
    assert sent[0].text == texts.NOT_TEXT


async def test_start_in_a_photo_caption_gets_the_welcome(harness: Harness, api: FakeBotApi) -> None:
    api.register_chat(USER_ID)
    welcome = await harness.reply("/start")
    start = len(api.sent)
    photo = private_message(
        caption="/start", caption_entities=[{"type": "bot_command", "offset": 0, "length": 6}],
        **NOT_TEXT["photo"],
    )  # fmt: skip
    await harness.settle(api.raw_update("message", photo))
    sent = [c.text for c in api.sent[start:] if c.method == "sendMessage"]
    assert "\n\n".join(t or "" for t in sent) == welcome


async def test_deeply_nested_json_in_import_and_addjson_is_a_clear_refusal(
    harness: Harness, store: FactStore
) -> None:
    before = snapshot(harness, store)
    await say(harness, "/import")
    nested = b'{"facts": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    calls = await harness.send_document(nested, "facts.json", user_id=ADMIN_ID)
    reply = "\n".join(call_texts(calls))
    assert "nested too deeply" in reply
    reply = await say(harness, "/addjson " + "[" * 3000)
    assert "nested too deeply" in reply
    assert snapshot(harness, store) == before


async def test_another_bots_command_in_a_private_chat_is_answered(harness: Harness) -> None:
    reply = await harness.reply("/START@SomeOtherBot")
    assert "I don't know the command <code>/START@SomeOtherBot</code>" in reply
    assert "Did you mean /start?" in reply
    # In a group it may well be for that other bot: no reply.
    calls = await harness.ask("/START@SomeOtherBot", chat_type="group")
    assert [c for c in calls if c.method == "sendMessage"] == []
