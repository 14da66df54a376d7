"""/search end to end: ranked matches with buttons that open facts, odd input."""

from __future__ import annotations

import pytest

from facts.store import FactStore
from tests.bot.cases import statistic
from tests.bot.harness import Harness, buttons, plain, sent_texts


async def test_search_ranks_matches_with_buttons_that_open_facts(
    harness: Harness, store: FactStore
) -> None:
    fact = statistic(store)
    words = " ".join(fact.text.split()[:6])
    calls = await harness.ask(f"/search {words}")
    text = plain(sent_texts(calls))
    assert fact.text in text
    results = harness.last()
    labels = [label for label, data in buttons(results) if data.startswith("f:")]
    # Each button says which fact it opens: "1 · short title".
    assert [label.split(" · ")[0] for label in labels] == [
        str(n) for n in range(1, len(labels) + 1)
    ]
    assert all(len(label.split(" · ", 1)[1]) >= 3 for label in labels)
    data = next(d for _, d in buttons(results) if d == f"f:{fact.id}")
    opened = await harness.press(results, data)
    assert [c.method for c in opened] == ["answerCallbackQuery", "sendMessage"]
    assert fact.citations[0].quote in plain(sent_texts(opened))
    assert harness.api.unanswered_callback_queries() == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "What should I search for?"),
        ("zzqx wvvk", "Nothing in the base matches"),
        # Russian words the base does not hold, one letter from an English word in Latin
        # letters ("паста" → "pasta" → "past"): nothing, not a fact about the past.
        ("зубная паста", "Nothing in the base matches"),
    ],
)
async def test_search_odd_arguments(harness: Harness, query: str, expected: str) -> None:
    assert expected in plain(await harness.reply(f"/search {query}".strip()))


async def test_search_escapes_what_the_user_typed(harness: Harness) -> None:
    calls = await harness.ask('/search <b>&"zzqx"')
    assert all(c.ok for c in calls)
    assert "&lt;b&gt;&amp;&quot;zzqx&quot;" in sent_texts(calls)
