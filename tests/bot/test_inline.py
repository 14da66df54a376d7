"""Inline mode end to end: fact cards with deep links, key figures, no match."""

from __future__ import annotations

from bot.render import esc
from facts.model import Kind
from facts.store import FactStore
from tests.bot.harness import Harness


async def test_inline_offers_fact_cards_with_deep_links(harness: Harness, store: FactStore) -> None:
    calls = await harness.inline("sanctions")
    assert [c.method for c in calls] == ["answerInlineQuery"]
    assert calls[0].ok
    results = calls[0].params["results"]
    assert 0 < len(results) <= 50
    ids = [r["id"] for r in results]
    assert len(ids) == len(set(ids))
    username = harness.api.bot_username
    for result in results:
        fact = store.get(result["id"])
        card = result["input_message_content"]["message_text"]
        assert esc(fact.text) in card
        assert f"https://t.me/{username}?start=fact_{fact.id}" in card
        assert result["description"]  # the compact citation, as plain text
        assert "<" not in result["title"] and "<" not in result["description"]


async def test_inline_empty_query_offers_key_figures(harness: Harness, store: FactStore) -> None:
    calls = await harness.inline("")
    ids = {r["id"] for r in calls[0].params["results"]}
    assert ids and ids <= {f.id for f in store.facts(kind=Kind.STATISTIC)}


async def test_inline_with_no_match_answers_empty(harness: Harness) -> None:
    calls = await harness.inline("zzqx wvvk")
    assert calls[0].ok and calls[0].params["results"] == []
