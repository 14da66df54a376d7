"""Regression tests of the admin layer: one write per change, review mode, retryable
confirmations, /broadcasts authorisation, a dialogue ended by /forget."""

from __future__ import annotations

import pytest

from bot import admin_texts as at
from bot.app import build_application
from bot.fakeapi import ApiCall, FakeBotApi
from bot.handlers import admin_core
from bot.ops.settings import Settings
from facts.errors import FactsError
from facts.model import Status
from facts.store import FactStore
from tests.bot.admin_helpers import EDITOR_ID, FACT_ID, confirm, grant_editor, press, say, state
from tests.bot.harness import Harness, texts

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
    harness: Harness, store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await _preview_add_with_new_source(harness)
    (pending,) = state(harness).pending.values()
    assert pending.change is not None and pending.change.fact is not None
    fact = pending.change.fact
    # Meanwhile a fact with the same id is written, and the early check is passed (as by a
    # writer between the check and the write): the store itself must refuse, writing nothing.
    monkeypatch.setattr(admin_core, "check_change", lambda store, change: None)
    store.add_fact(fact.model_copy(update={"citations": []}), by="other", reason="race")
    version = store.version
    reply = await confirm(harness)
    assert "already exists" in reply
    assert NEW_SOURCE_ID not in {s.id for s in store.sources()}
    assert store.version == version


def test_add_fact_with_a_new_source_is_one_write(store: FactStore) -> None:
    source = store.sources()[0].model_copy(update={"id": "fresh-source-2024"})
    fact = store.facts()[0]
    cited = fact.model_copy(
        update={
            "id": "fresh-fact-2024",
            "citations": [fact.citations[0].model_copy(update={"source": source.id})],
            "related": [],
        }
    )
    version = store.version
    store.add_fact(cited, by="t", reason="test", new_sources=[source])
    assert store.version == version + 1
    assert store.get_source(source.id) == source
    assert store.get(cited.id).citations[0].source == source.id


def _failing_once(monkeypatch: pytest.MonkeyPatch, store: FactStore, name: str) -> None:
    """Make ``store.<name>`` refuse once (as a full disk or a lost race would), then work."""
    real = getattr(store, name)

    def refuse(*args: object, **kwargs: object) -> object:
        monkeypatch.setattr(store, name, real)
        raise FactsError("the journal could not be written")

    monkeypatch.setattr(store, name, refuse)


def _answers(calls: list[ApiCall]) -> list[str]:
    return [str(c.params.get("text")) for c in calls if c.method == "answerCallbackQuery"]


async def test_a_failed_confirm_is_not_called_saved_and_can_be_retried(
    harness: Harness, store: FactStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    await say(harness, f"/retract {FACT_ID} duplicate")
    _failing_once(monkeypatch, store, "retract")
    calls = await press(harness, "✅ Confirm")
    assert _answers(calls) == [at.NOT_SAVED_SHORT]
    assert "the journal could not be written" in "\n".join(texts(calls))
    assert store.get(FACT_ID).is_current
    # The same preview, pressed again, is written.
    calls = await press(harness, "✅ Confirm")
    assert _answers(calls) == [at.SAVED_SHORT]
    assert "Retracted" in "\n".join(texts(calls))
    assert store.get(FACT_ID).status is Status.RETRACTED


async def test_a_failed_approval_can_be_retried(
    api: FakeBotApi, store: FactStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    review = settings.model_copy(update={"review_mode": True})
    async with Harness(api, build_application(review, store)) as harness:
        await grant_editor(harness)
        await say(harness, f"/retract {FACT_ID} duplicate", user_id=EDITOR_ID)
        assert "saved as draft" in await confirm(harness, user_id=EDITOR_ID)
        await say(harness, "/drafts")
        _failing_once(monkeypatch, store, "retract")
        calls = await press(harness, "✅ Approve")
        assert _answers(calls) == [at.NOT_SAVED_SHORT]
        assert store.get(FACT_ID).is_current
        assert len(state(harness).store.drafts()) == 1  # type: ignore[union-attr]
        calls = await press(harness, "✅ Approve")
        assert _answers(calls) == [at.SAVED_SHORT]
        assert any("approved and published" in t for t in texts(calls))
        assert store.get(FACT_ID).status is Status.RETRACTED


async def test_an_answer_after_forget_says_the_dialogue_has_ended(harness: Harness) -> None:
    await say(harness, "/add")
    await press(harness, "event")
    await say(harness, "/forget")
    await press(harness, "Yes, delete everything")
    # The conversation still waits for an answer, but its session is gone.
    assert await say(harness, "Something happened") == at.DIALOGUE_ENDED.format(command="/add")
    # The conversation has ended: the next text is an ordinary question again.
    assert "dialogue has ended" not in await say(harness, "Something happened")


async def test_a_button_after_forget_is_answered(harness: Harness) -> None:
    await say(harness, "/add")
    await say(harness, "/forget")
    await press(harness, "Yes, delete everything")
    calls = await press(harness, "event")
    assert _answers(calls) == [at.DIALOGUE_ENDED_SHORT]
    sent = [c.text for c in calls if c.method == "sendMessage"]
    assert sent == [at.DIALOGUE_ENDED.format(command="/add")]


async def test_an_edit_answer_after_forget_says_the_dialogue_has_ended(harness: Harness) -> None:
    assert "Why is this change made?" in await say(harness, f"/edit {FACT_ID} unit x")
    await say(harness, "/forget")
    await press(harness, "Yes, delete everything")
    reply = await say(harness, "a reason")
    assert reply == at.DIALOGUE_ENDED.format(command="/edit or /supersede")
