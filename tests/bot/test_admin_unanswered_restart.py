"""/unanswered, conversation timeouts, and a restart in the middle of a conversation."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot import admin_texts as at
from bot.app import build_application
from bot.fakeapi import FakeBotApi
from bot.handlers import admin_dialogue
from bot.ops.settings import Settings
from bot.services import Services
from facts.model import Bundle, Status
from facts.store import FactStore
from tests.bot.admin_helpers import EDITOR_ID, FACT_ID, confirm, grant_editor, press, say, state
from tests.bot.harness import ADMIN_ID, USER_ID, Harness, texts

OTHER_ID = "protesters-marching-2020"


async def test_unanswered_questions_most_asked_first_and_dismissed(
    harness: Harness, store: FactStore
) -> None:
    assert await say(harness, "/unanswered") == at.UNANSWERED_NONE
    for question in ["zzxq wobble frobnicate", "Qwerty plover?", "ZZXQ  wobble frobnicate"]:
        await say(harness, question, user_id=USER_ID)
    listing = await say(harness, "/unanswered")
    assert "1. ×2 — zzxq wobble frobnicate" in listing
    assert "2. ×1 — Qwerty plover?" in listing
    assert str(USER_ID) not in listing  # nobody's identity is kept
    calls = await press(harness, "✖ 1")
    assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
    assert "zzxq" not in (calls[1].text or "") and "Qwerty plover?" in (calls[1].text or "")
    calls = await press(harness, "✖ 1")
    assert (calls[1].text or "") == at.UNANSWERED_NONE
    admin = state(harness).store
    assert admin is not None and admin.unanswered() == []


async def test_a_conversation_times_out_and_saves_nothing(
    api: FakeBotApi, store: FactStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(admin_dialogue, "CONVERSATION_TIMEOUT", timedelta(seconds=0.3))
    async with Harness(api, build_application(Services.create(settings, store))) as harness:
        await say(harness, "/add")
        await press(harness, "event")
        await api.wait_for("sendMessage", count=1, since=len(api.sent))
        messages = harness.chat(ADMIN_ID)
        assert "nothing was saved" in (messages[-1].text or "")
        # The answer that would have been the claim is now an ordinary question.
        reply = await say(harness, "Something happened in Minsk on 1 June 2024.")
        assert "nothing was saved" not in reply and "2/" not in reply


async def test_a_restart_mid_conversation_loses_no_committed_change(
    api: FakeBotApi, tmp_path: Path, seed: Bundle, settings: Settings
) -> None:
    data_dir = tmp_path / "data"
    store = FactStore.open(data_dir, seed=seed)
    harness = Harness(api, build_application(Services.create(settings, store)))
    await harness.start()
    await grant_editor(harness)
    await say(harness, f"/retract {FACT_ID} misquoted")
    await confirm(harness)
    await say(harness, "zzxq wobble frobnicate", user_id=USER_ID)
    # Mid-conversation: an unconfirmed preview, and an /add half answered.
    await say(harness, f"/retract {OTHER_ID} duplicate")
    await say(harness, "/add")
    await press(harness, "event")
    await say(harness, "Students marched in Minsk on 1 September 2024.")
    stale = [m for m in harness.chat(ADMIN_ID) if m.buttons][-1]
    await harness.stop()
    store.close()

    store = FactStore.open(data_dir, seed=seed)
    restarted = Harness(api, build_application(Services.create(settings, store)))
    await restarted.start()
    try:
        assert store.get(FACT_ID).status is Status.RETRACTED
        assert state(restarted).role(EDITOR_ID) is not None
        listing = await say(restarted, "/unanswered")
        assert "zzxq wobble frobnicate" in listing
        # The old preview's button only says it expired; nothing is written.
        calls = await restarted.press(stale, stale.button_data("✅ Confirm"), user_id=ADMIN_ID)
        assert at.EXPIRED in texts(calls)
        assert store.get(OTHER_ID).is_current and len(store.history(OTHER_ID)) == 1
        # The half-finished /add is gone: the next text is just a question.
        assert "2/" not in await say(restarted, "2024-09-01")
    finally:
        await restarted.stop()
        store.close()
