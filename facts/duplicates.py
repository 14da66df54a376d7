"""Facts that state the same thing, from one source or several: shown once.

Two facts are the same statement when they are of one kind and say the same: a statistic
with the same value, unit and as-of date; anything else whose claims share nearly all their
words. An answer lists the first of them and keeps the others' citations beside it.
"""

from __future__ import annotations

from facts.model import Fact, StatisticDetails
from facts.search import terms

#: Share of the smaller claim's terms the two claims must have in common.
_SAME_WORDS = 0.8


def _claim_terms(fact: Fact) -> frozenset[str]:
    return frozenset(terms(fact.text))


def same_statement(a: Fact, b: Fact) -> bool:
    """True when ``a`` and ``b`` state the same thing."""
    if a.kind is not b.kind or a.id == b.id:
        return False
    if isinstance(a.details, StatisticDetails) and isinstance(b.details, StatisticDetails):
        return (
            a.details.value == b.details.value
            and a.details.unit.casefold() == b.details.unit.casefold()
            and a.details.as_of.date == b.details.as_of.date
        )
    ta, tb = _claim_terms(a), _claim_terms(b)
    smaller = min(len(ta), len(tb))
    return smaller > 0 and len(ta & tb) / smaller >= _SAME_WORDS


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
