"""Regression tests of the admin layer: one write per change, review mode, retryable
confirmations, /broadcasts authorisation, a dialogue ended by /forget."""

from __future__ import annotations

import pytest

from bot.handlers import admin_core
from facts.store import FactStore
from tests.bot.admin_helpers import confirm, press, say, state
from tests.bot.harness import Harness

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
