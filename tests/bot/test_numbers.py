"""/numbers end to end: one line per figure, most important first, buttons to open each."""

from __future__ import annotations

from bot.handlers import numbers
from bot.handlers.pages import PAGE_SIZE
from bot.render import fmt_number
from facts.model import Kind, StatisticDetails
from facts.store import FactStore
from tests.bot.cases import statistic
from tests.bot.harness import Harness, buttons, plain, sent_texts


async def test_numbers_one_line_each_most_important_first(
    harness: Harness, store: FactStore
) -> None:
    calls = await harness.ask("/numbers")
    listing = harness.last()
    text = plain(sent_texts(calls))
    figures = store.facts(kind=Kind.STATISTIC)
    shown = numbers.ordered(figures)[:PAGE_SIZE]
    # One button per figure, in list order, labelled with its number and a short title.
    opens = [(label, data) for label, data in buttons(listing) if data.startswith("f:")]
    assert [data for _, data in opens] == [f"f:{f.id}" for f in shown]
    assert [label.split(" · ")[0] for label, _ in opens] == [
        str(n) for n in range(1, len(shown) + 1)
    ]
    assert all(len(label) <= 44 for label, _ in opens)
    for n, fact in enumerate(shown, start=1):
        details = fact.details
        assert isinstance(details, StatisticDetails)
        # Compact: the claim sentence is not repeated under the value.
        assert fact.text not in text
        line = next(x for x in text.splitlines() if x.startswith(f"{n}. "))
        assert " — as of " in line and " · " in line, line
        if details.counted_by:
            assert details.counted_by in line
    # Prisoners first, then torture, then detentions: what readers come for.
    topics = [numbers.importance(f) for f in shown]
    assert topics == sorted(topics)
    prisoners = [f for f in shown if "prisoners" in f.topics]
    if prisoners:
        assert shown[0].topics and "prisoners" in shown[0].topics
        assert "political prisoners" in opens[0][0]
    fact = statistic(store)
    assert isinstance(fact.details, StatisticDetails)
    assert fmt_number(fact.details.value) in text
