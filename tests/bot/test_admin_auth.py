"""Who may use the admin commands: nobody but owners and editors, in private, typed by them."""

from __future__ import annotations

import json
import logging

import pytest

from bot import admin_texts as at
from bot.admin_state import Role
from bot.app import build_application
from bot.fakeapi import FakeBotApi
from bot.ops.settings import Settings
from bot.services import Services
from facts.admin_store import AdminStore
from facts.store import FactStore
from tests.bot.admin_helpers import (
    EDITOR_ID,
    FACT_ID,
    confirm,
    fact_json,
    forward_origin,
    grant_editor,
    press,
    quote_the_recount,
    raw_message,
    say,
    snapshot,
    state,
)
from tests.bot.harness import ADMIN_ID, USER_ID, Harness, texts

ADMIN_COMMANDS = [
    "/adminhelp",
    "/admins",
    f"/grant {USER_ID}",
    f"/revoke {USER_ID}",
    "/add",
    f"/add {json.dumps(fact_json())}",
    f"/addjson {json.dumps(fact_json())}",
    "/addsource Viasna report | Viasna | 2024-05-01 | https://spring96.org/en",
    f"/edit {FACT_ID}",
    f"/edit {FACT_ID} value 2000 | new count",
    f"/supersede {FACT_ID}",
    f"/retract {FACT_ID} it was wrong",
    f"/history {FACT_ID}",
    f"/revert {FACT_ID} 1 go back",
    "/import",
    "/export",
    "/unanswered",
    "/drafts",
    "/cancel",
]


async def _make_previews(harness: Harness) -> None:
    """An owner leaves one of each kind of button in their chat."""
    await say(harness, f"/retract {FACT_ID} the count is outdated")
    await say(harness, f"/addjson {json.dumps(fact_json())}")
    await say(harness, "/unanswered")
    await say(harness, f"/edit {FACT_ID}")
    await say(harness, "/cancel")
    await say(harness, "/add")


async def test_a_stranger_can_run_no_admin_command_nor_press_an_admin_button(
    harness: Harness, store: FactStore, caplog: pytest.LogCaptureFixture
) -> None:
    # An unanswerable question, so that /unanswered has a dismiss button to press.
    await say(harness, "zzxq wobble frobnicate", user_id=USER_ID)
    await _make_previews(harness)
    before = snapshot(harness, store)
    caplog.set_level(logging.INFO, logger="bot")
    for command in ADMIN_COMMANDS:
        reply = await say(harness, command, user_id=USER_ID)
        assert reply == at.REFUSED, command
    calls = await harness.send_document(
        json.dumps({"sources": [], "facts": []}).encode(),
        "x.json",
        user_id=USER_ID,
        caption="/import",
    )
    assert texts(calls) == [at.REFUSED]
    # Every button the owner's chat holds, pressed by someone else.
    pressed = 0
    for message in harness.chat(ADMIN_ID):
        for row in message.buttons:
            for button in row:
                calls = await harness.press(message, button["callback_data"], user_id=USER_ID)
                answers = [c for c in calls if c.method == "answerCallbackQuery"]
                assert answers and answers[0].params.get("text") == at.REFUSED_BUTTON
                assert [c.method for c in calls] == ["answerCallbackQuery"]
                pressed += 1
    assert pressed >= 10
    assert snapshot(harness, store) == before
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == len(ADMIN_COMMANDS) + 1 + pressed
    assert all(f"user {USER_ID}" in line for line in refusals)
    # Only the user id and the command: no arguments, reasons or fact text in the log.
    assert not any(
        "outdated" in r.getMessage() or "wrong" in r.getMessage() for r in caplog.records
    )
    # The owner's preview was not used up by the attempts.
    (preview,) = [m for m in harness.chat(ADMIN_ID) if m.text and "Retract this" in m.text]
    calls = await harness.press(preview, preview.button_data("✅ Confirm"), user_id=ADMIN_ID)
    assert "Retracted" in "\n".join(texts(calls))


async def test_the_owner_is_refused_in_groups_forwarded_edited_and_channel_posts(
    harness: Harness, store: FactStore
) -> None:
    before = snapshot(harness, store)
    command = f"/retract {FACT_ID} it was wrong"
    calls = await harness.ask(command, user_id=ADMIN_ID, chat_type="group")
    assert texts(calls) == [at.REFUSED_NOT_PRIVATE]
    calls = await raw_message(
        harness, "message", {"forward_origin": forward_origin()}, text=command
    )
    assert texts(calls) == [at.REFUSED_FORWARDED]
    calls = await raw_message(
        harness, "edited_message", {"edit_date": 1_700_000_000}, text=f"/grant {USER_ID}"
    )
    assert texts(calls) == []
    calls = await raw_message(
        harness,
        "channel_post",
        {"from": None, "sender_chat": {"id": -100123, "type": "channel", "title": "C"}},
        text=command,
        chat_type="channel",
    )
    assert texts(calls) == []
    assert snapshot(harness, store) == before


async def test_owner_grants_an_editor_who_then_edits(harness: Harness, store: FactStore) -> None:
    assert await say(harness, f"/retract {FACT_ID} x", user_id=EDITOR_ID) == at.REFUSED
    # A preview first: nothing changes until the owner confirms.
    preview = await say(harness, f"/grant {EDITOR_ID}")
    assert f"Make user {EDITOR_ID} an editor?" in preview
    assert state(harness).role(EDITOR_ID) is None
    await press(harness, "✖ Cancel")
    assert state(harness).role(EDITOR_ID) is None
    quote_the_recount(store)
    await say(harness, f"/grant {EDITOR_ID}")
    assert await confirm(harness) == at.GRANTED.format(user_id=EDITOR_ID)
    assert state(harness).role(EDITOR_ID) is Role.EDITOR
    assert "already an editor" in await say(harness, f"/grant {EDITOR_ID}")
    listing = await say(harness, "/admins")
    assert f"{EDITOR_ID} — granted by {ADMIN_ID}" in listing
    assert f"{ADMIN_ID} granted the editor role to {EDITOR_ID}" in listing

    # The editor may edit, but not hand out roles.
    assert await say(harness, "/grant 12345", user_id=EDITOR_ID) == at.REFUSED_OWNERS_ONLY
    reply = await say(
        harness, f"/edit {FACT_ID} value 1,500 | recount by the source", user_id=EDITOR_ID
    )
    assert "value" in reply and "1486 → 1500" in reply
    assert "Saved" in await confirm(harness, user_id=EDITOR_ID)
    fact = store.get(FACT_ID)
    assert fact.details.value == 1500  # type: ignore[union-attr]
    last = store.history(FACT_ID)[-1]
    assert (last.by, last.reason, last.revision) == (f"tg:{EDITOR_ID}", "recount by the source", 3)

    # Revoked: refused again, and the role change is logged.
    assert "Take the editor role from user" in await say(harness, f"/revoke {EDITOR_ID}")
    assert state(harness).role(EDITOR_ID) is Role.EDITOR
    assert await confirm(harness) == at.REVOKED.format(user_id=EDITOR_ID)
    assert "not an editor" in await say(harness, f"/revoke {EDITOR_ID}")
    assert await say(harness, f"/history {FACT_ID}", user_id=EDITOR_ID) == at.REFUSED
    log = state(harness).store.role_log()  # type: ignore[union-attr]
    assert [(c.action.value, c.by, c.user_id) for c in log] == [
        ("revoked", ADMIN_ID, EDITOR_ID),
        ("granted", ADMIN_ID, EDITOR_ID),
    ]
    assert "owner" in await say(harness, f"/revoke {ADMIN_ID}")
    assert "not a Telegram user id" in await say(harness, "/grant abc")
    assert "numeric Telegram id" in await say(harness, "/grant")


async def test_a_preview_can_only_be_confirmed_by_its_author(
    harness: Harness, store: FactStore
) -> None:
    await grant_editor(harness)
    before = snapshot(harness, store)
    await say(harness, f"/retract {FACT_ID} outdated")
    # The editor cannot reach the owner's chat, but even a forged press is refused.
    calls = await press(harness, "✅ Confirm", user_id=EDITOR_ID)
    assert [c.method for c in calls] == ["answerCallbackQuery"]
    assert snapshot(harness, store) == before
    assert "Retracted" in await confirm(harness)
    assert store.get(FACT_ID).status.value == "retracted"


async def test_a_revoked_editor_cannot_confirm_an_earlier_preview(
    harness: Harness, store: FactStore
) -> None:
    await grant_editor(harness)
    await say(harness, f"/retract {FACT_ID} outdated", user_id=EDITOR_ID)
    await say(harness, f"/revoke {EDITOR_ID}")
    await confirm(harness)
    before = snapshot(harness, store)
    calls = await press(harness, "✅ Confirm", user_id=EDITOR_ID, chat_id=EDITOR_ID)
    assert [c.params.get("text") for c in calls] == [at.REFUSED_BUTTON]
    assert snapshot(harness, store) == before


async def test_admin_commands_say_so_when_the_admin_store_cannot_open(
    api: FakeBotApi, store: FactStore, settings: Settings
) -> None:
    # Another process holds the admin store: the bot still answers readers.
    with AdminStore.open(settings.data_dir):
        async with Harness(api, build_application(Services.create(settings, store))) as harness:
            assert await say(harness, f"/retract {FACT_ID} x") == at.UNAVAILABLE
            assert "Sorry" not in await say(harness, "/numbers", user_id=USER_ID)
            assert await say(harness, "zzxq wobble", user_id=USER_ID)
    assert store.get(FACT_ID).is_current


async def test_an_editor_revoked_mid_dialogue_loses_the_dialogue(
    harness: Harness, store: FactStore
) -> None:
    await grant_editor(harness)
    await say(harness, f"/edit {FACT_ID}", user_id=EDITOR_ID)
    choice = harness.last(EDITOR_ID)
    await harness.press(choice, choice.buttons[0][0]["callback_data"], user_id=EDITOR_ID)
    # The dialogue now waits for the new value, as text.
    await say(harness, f"/revoke {EDITOR_ID}")
    await confirm(harness)
    before = snapshot(harness, store)
    reply = await say(harness, "A new claim text for the fact.", user_id=EDITOR_ID)
    assert reply == at.REFUSED  # no new preview
    assert snapshot(harness, store) == before
    # The dialogue is over: the next text is a plain question, not a step of it.
    reply = await say(harness, "A new claim text for the fact.", user_id=EDITOR_ID)
    assert reply != at.REFUSED and "Confirm" not in reply
