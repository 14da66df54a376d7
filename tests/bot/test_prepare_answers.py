"""``factbot run`` analyses every fact for answering once the bot runs (in small slices,
only while no update waits), so that a question asked for the first time finds its
candidates analysed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

import pytest

from bot.app import PREPARE_SLICE, build_application, updates_waiting
from bot.fakeapi import FakeBotApi
from bot.ops.settings import Settings
from bot.services import Services
from facts.model import Fact
from facts.store import FactStore
from tests.bot.harness import Harness


async def _prepared(store: FactStore) -> bool:
    for _ in range(500):
        if len(store.fact_texts()) >= len(store.facts()):
            return True
        await asyncio.sleep(0.01)
    return False


async def test_every_fact_is_analysed_after_start_and_questions_are_served_meanwhile(
    api: FakeBotApi, store: FactStore, settings: Settings
) -> None:
    app = build_application(Services.create(settings, store), prepare_answers=True)
    assert len(store.fact_texts()) == 0
    async with Harness(api, app) as bot:
        reply = await bot.reply("How many political prisoners were there in May 2023?")
        assert "1,486" in reply
        assert await _prepared(store)
        # Nothing left to do: every fact object is the one analysed.
        assert store.fact_texts().prepare(store.facts()) == 0


async def test_without_it_nothing_is_analysed_ahead(
    api: FakeBotApi, store: FactStore, settings: Settings
) -> None:
    async with Harness(api, build_application(Services.create(settings, store))) as bot:
        await bot.reply("/start")
        await asyncio.sleep(0.05)
        assert len(store.fact_texts()) == 0


async def test_the_analysis_waits_while_updates_are_queued_or_handled(
    api: FakeBotApi, store: FactStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_application(Services.create(settings, store), prepare_answers=True)
    texts = store.fact_texts()
    prepare = texts.prepare
    # For each slice the job analysed: whether an update was queued or being handled then.
    slices: list[bool] = []

    def observed(facts: Iterable[Fact]) -> int:
        slices.append(updates_waiting(app))
        return prepare(facts)

    monkeypatch.setattr(texts, "prepare", observed)
    async with Harness(api, app) as bot:
        questions = [
            "How many political prisoners were there in May 2023?",
            "Who is Maria Kalesnikava?",
            "/search sanctions",
        ]
        replies = [await bot.reply(question) for question in questions]
        # The questions came while the job was analysing (it had slices left)…
        assert len(store.fact_texts()) < len(store.facts())
        assert await _prepared(store)
    assert "1,486" in replies[0] and all(replies)
    # …and no slice ran while an update waited: none was held up by more than one slice.
    assert slices and not any(slices)
    assert len(slices) == -(-len(store.facts()) // PREPARE_SLICE)
