"""/fact end to end: a fact in full, odd arguments, superseded and retracted facts."""

from __future__ import annotations

import pytest

from bot.render import fmt_number
from facts.model import Qualifier, StatisticDetails
from facts.store import FactStore
from tests.bot.cases import statistic
from tests.bot.harness import Harness, buttons, plain


async def test_fact_in_full_with_quotes_and_history(harness: Harness, store: FactStore) -> None:
    fact = next(f for f in store.facts() if len(f.citations) > 1)
    text = plain(await harness.reply(f"/fact {fact.id}"))
    assert fact.text in text
    for citation in fact.citations:
        assert citation.quote in text
    assert "History" in text and "seeded" in text
    assert f"Id: {fact.id}" in text


async def test_fact_shows_value_as_of_and_counter(harness: Harness, store: FactStore) -> None:
    fact = statistic(store)
    details = fact.details
    assert isinstance(details, StatisticDetails)
    text = plain(await harness.reply(f"/fact {fact.id}"))
    assert fmt_number(details.value) in text
    assert "As of:" in text
    if details.counted_by:
        assert details.counted_by in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("", "Which fact?"),
        ("NOT AN ID!", "is not a fact id"),
        ("no-such-fact-anywhere", "There is no fact with the id"),
    ],
)
async def test_fact_odd_arguments(harness: Harness, args: str, expected: str) -> None:
    text = plain(await harness.reply(f"/fact {args}".strip()))
    assert expected in text


async def test_superseded_fact_is_never_shown_as_current(
    harness: Harness, store: FactStore
) -> None:
    old = statistic(store)
    assert isinstance(old.details, StatisticDetails)
    new = old.model_copy(
        update={
            "id": f"{old.id}-v2"[:58],
            "text": "A newer count of 99,999 of the same thing, for the test.",
            # The old translations state the old figure: the store refuses to carry them.
            "translations": {},
            "citations": [
                old.citations[0].model_copy(update={"quote": "a newer count of 99,999 names"})
            ],
            "details": old.details.model_copy(
                update={"value": 99999, "value_text": None, "qualifier": Qualifier.EXACTLY}
            ),
        }
    )
    store.supersede(old.id, new, by="test", reason="newer figure")
    text = plain(await harness.reply(f"/fact {old.id}"))
    assert "superseded" in text
    assert new.text in text
    assert "99,999" in text
    # Lists show only the current figure.
    listed = plain(await harness.reply("/numbers"))
    assert "99,999" in listed
    data = [d for _, d in buttons(harness.last())]
    assert f"f:{new.id}" in data and f"f:{old.id}" not in data


async def test_retracted_fact_shows_only_its_retraction(harness: Harness, store: FactStore) -> None:
    fact = statistic(store)
    store.retract(fact.id, by="test", reason="the source was misread")
    text = plain(await harness.reply(f"/fact {fact.id}"))
    assert "retracted" in text
    assert "the source was misread" in text
    assert fact.text not in text
    await harness.ask("/numbers")
    assert f"f:{fact.id}" not in [d for _, d in buttons(harness.last())]
