"""Facts that state the same thing, from one source or several: shown once.

Two facts are the same statement when they come from different sources and say the same
thing on the same date: a statistic with the same value and unit in much the same words;
anything else in nearly the same words, both ways. Profiles are never merged. An answer
lists the first of them and names the others' sources beside it.
"""

from __future__ import annotations

from facts.model import Fact, Kind, StatisticDetails
from facts.polarity import negated
from facts.search import analyze

#: Share of the terms the two claims must have in common (of the larger one: both ways).
_SAME_WORDS = 0.9


def _claim_terms(fact: Fact) -> frozenset[str]:
    # Every word, stop words included: "imposed" and "did not impose" are not the same.
    return frozenset(t.term for t in analyze(fact.text, keep_stop_words=True))


def same_statement(a: Fact, b: Fact) -> bool:
    """True when ``a`` and ``b`` state the same thing from different sources: one kind, one
    date, and the same value (statistics: value, unit, date and nearly the same words) or
    nearly the same words both ways. Profiles are never merged: each is its own person."""
    if a.kind is not b.kind or a.id == b.id or a.kind is Kind.PERSON:
        return False
    if {c.source for c in a.citations} & {c.source for c in b.citations}:
        return False
    if (a.date.date if a.date else None) != (b.date.date if b.date else None):
        return False
    if negated(a.text) != negated(b.text):
        return False
    ta, tb = _claim_terms(a), _claim_terms(b)
    overlap = len(ta & tb) / max(len(ta), len(tb), 1)
    if isinstance(a.details, StatisticDetails) and isinstance(b.details, StatisticDetails):
        same_value = (
            a.details.value == b.details.value
            and a.details.unit.casefold() == b.details.unit.casefold()
        )
        return same_value and overlap >= _SAME_WORDS - 0.2
    return overlap >= _SAME_WORDS


def merge_same(facts: list[Fact]) -> tuple[list[Fact], dict[str, list[Fact]]]:
    """``facts`` with each statement once (the first of its kind kept, order kept), and
    the facts merged into each kept one, by its id."""
    shown: list[Fact] = []
    same: dict[str, list[Fact]] = {}
    for fact in facts:
        twin = next((kept for kept in shown if same_statement(kept, fact)), None)
        if twin is None:
            shown.append(fact)
        else:
            same.setdefault(twin.id, []).append(fact)
    return shown, same
