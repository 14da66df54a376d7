"""Confirming an admin change: one write per change (a fact the store refuses writes none
of its new sources), and a Confirm or Approve that fails is not called saved and can be
pressed again."""

from __future__ import annotations

import pytest

from bot import admin_texts as at
from bot.app import build_application
from bot.fakeapi import FakeBotApi
from bot.i18n import translator
from bot.ops.settings import Settings
from bot.rule_texts import ERROR_REASONS
from bot.services import Services
from facts.errors import ErrorReason, FactsError
from facts.model import Status
from facts.store import FactStore
from tests.bot.admin_helpers import (
    EDITOR_ID,
    FACT_ID,
    callback_answers,
    confirm,
    grant_editor,
    press,
    say,
    state,
)
from tests.bot.harness import ADMIN_ID, Harness, texts

NEW_SOURCE_ID = "viasna-monthly-review-april-2024-2024-05-02"


async def _preview_add_with_new_source(harness: Harness) -> None:
    await say(harness, "/add")
    await press(harness, "statement")
    await say(harness, "Viasna said on 2 May 2024 that repression continues.")
    await say(harness, "Viasna")
    await say(harness, "/skip")
    await say(harness, "2024-05-02")
    await say(harness, "/addsource")
    await say(harness, "Viasna monthly review, April 2024")
    await say(harness, "Viasna")
    await say(harness, "2024-05-02")
    await say(harness, "https://spring96.org/en/news/1")
    await say(harness, "Repression continues")
    await say(harness, "-")
    await say(harness, "-")
    assert "Viasna monthly review, April 2024" in await say(harness, "-")


async def test_a_refused_fact_leaves_its_new_source_unwritten(
    harness: Harness, store: FactStore
) -> None:
    await _preview_add_with_new_source(harness)
    (pending,) = state(harness).pending.values()
    assert pending.change is not None and pending.change.fact is not None
    fact = pending.change.fact
    # Between the preview and Confirm a fact with the same id is written: Confirm goes
    # straight to the store's one write, which refuses the fact and so writes no source.
    store.add_fact(fact.model_copy(update={"citations": []}), by="other", reason="race")
    version = store.version
    reply = await confirm(harness)
    assert "already exists" in reply
    assert NEW_SOURCE_ID not in {s.id for s in store.sources()}
    assert store.version == version


def _failing_once(monkeypatch: pytest.MonkeyPatch, store: FactStore, name: str) -> None:
    """Make ``store.<name>`` refuse once (as a full disk or a lost race would), then work."""
    real = getattr(store, name)

    def refuse(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(store, name, real)
        raise FactsError("the journal could not be written")

    monkeypatch.setattr(store, name, refuse)


async def test_a_failed_confirm_is_not_called_saved_and_can_be_retried(
    harness: Harness, store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await say(harness, f"/retract {FACT_ID} duplicate")
    _failing_once(monkeypatch, store, "retract")
    calls = await press(harness, "✅ Confirm")
    assert callback_answers(calls) == [at.NOT_SAVED_SHORT]
    assert "the journal could not be written" in "\n".join(texts(calls))
    assert store.get(FACT_ID).is_current
    # The same preview, pressed again, is written.
    calls = await press(harness, "✅ Confirm")
    assert callback_answers(calls) == [at.SAVED_SHORT]
    assert "Retracted" in "\n".join(texts(calls))
    assert store.get(FACT_ID).status is Status.RETRACTED


async def test_a_failed_approval_can_be_retried(
    api: FakeBotApi, store: FactStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = settings.model_copy(update={"review_mode": True})
    async with Harness(api, build_application(Services.create(review, store))) as harness:
        await grant_editor(harness)
        await say(harness, f"/retract {FACT_ID} duplicate", user_id=EDITOR_ID)
        assert "saved as draft" in await confirm(harness, user_id=EDITOR_ID)
        await say(harness, "/drafts")
        _failing_once(monkeypatch, store, "retract")
        calls = await press(harness, "✅ Approve")
        assert callback_answers(calls) == [at.NOT_SAVED_SHORT]
        assert store.get(FACT_ID).is_current
        assert len(state(harness).store.drafts()) == 1  # type: ignore[union-attr]
        calls = await press(harness, "✅ Approve")
        assert callback_answers(calls) == [at.SAVED_SHORT]
        assert any("approved and published" in t for t in texts(calls))
        assert store.get(FACT_ID).status is Status.RETRACTED


async def test_a_conflict_reaches_a_russian_admin_in_russian(
    harness: Harness, store: FactStore
) -> None:
    harness.api.user_languages[ADMIN_ID] = "ru"
    preview = await say(harness, f"/retract {FACT_ID} the figure was withdrawn")
    assert "Отозвать этот факт?" in preview
    # Between the preview and Confirm another admin retracts the same fact.
    revision = store.retract(FACT_ID, by="other", reason="withdrawn elsewhere").revision
    version = store.version
    ru = translator("ru")
    calls = await press(harness, ru.gettext(at.CONFIRM))
    reply = "\n".join(c.text or "" for c in calls if c.method == "sendMessage" and c.ok)
    expected = ru.gettext(
        ERROR_REASONS[ErrorReason.CHANGED_SINCE_PREVIEW], id=repr(FACT_ID), revision=revision
    )
    assert expected.startswith(f"факт '{FACT_ID}' изменился после предпросмотра")
    assert expected in reply
    assert "changed since the preview" not in reply
    assert store.version == version
