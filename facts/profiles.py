"""What a person or organisation did or said: the list under their profile.

Their own acts come first — statements they made, events they took part in, measures they
imposed or counts they made — newest first; then facts that only mention them, newest
first; a fact stating the same as one listed before it is left out. Other people's
profiles are never in the list (a profile is not something the person did), and neither
is their own.
"""

from __future__ import annotations

import re
from typing import Protocol

from facts.duplicates import merge_same
from facts.model import (
    EventDetails,
    Fact,
    Kind,
    SanctionDetails,
    StatementDetails,
    StatisticDetails,
)
from facts.names import fold

#: The most spellings a profile shows; the full list is in the fact's own view.
SHOWN_SPELLINGS = 5


class PeopleSource(Protocol):
    """What a profile needs from the store."""

    def related_to(self, fact_id: str) -> list[Fact]: ...  # pragma: no cover - protocol

    def speakers(self) -> list[str]: ...  # pragma: no cover - protocol

    def statements_by(self, speaker: str) -> list[Fact]: ...  # pragma: no cover - protocol


def names_pattern(person: Fact) -> re.Pattern[str] | None:
    """A regex matching any of the person's folded names as whole words."""
    names = sorted({fold(n) for n in person.names if len(fold(n)) >= 3}, key=len, reverse=True)
    if not names:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(n) for n in names) + r")(?!\w)")


def _actors(fact: Fact) -> list[str]:
    """The names of who acts in ``fact``: its speaker, participants, imposers, counters."""
    d = fact.details
    if isinstance(d, StatementDetails):
        return [d.speaker]
    if isinstance(d, EventDetails):
        return list(d.participants)
    if isinstance(d, SanctionDetails):
        return list(d.imposed_by)
    if isinstance(d, StatisticDetails):
        return [d.counted_by] if d.counted_by else []
    return []


def _newest_first(facts: list[Fact]) -> list[Fact]:
    dated = sorted(facts, key=lambda f: ((f.date.sort_key if f.date else "0000"), f.id))
    return dated[::-1]


def activity(store: PeopleSource, person: Fact) -> list[Fact]:
    """The person's own acts (newest first), then the facts that mention them (newest
    first); never a person's profile."""
    pattern = names_pattern(person)
    found = {f.id: f for f in store.related_to(person.id)}
    if pattern is not None:
        # Distinct speakers are far fewer than statements: match each once.
        for speaker in store.speakers():
            if pattern.search(fold(speaker)):
                found.update((f.id, f) for f in store.statements_by(speaker))
    facts = [f for f in found.values() if f.kind is not Kind.PERSON]
    own = [
        f
        for f in facts
        if pattern is not None and any(pattern.search(fold(actor)) for actor in _actors(f))
    ]
    own_ids = {f.id for f in own}
    listed = _newest_first(own) + _newest_first([f for f in facts if f.id not in own_ids])
    # A happening the base holds twice (as an event and as a count) is listed once.
    return merge_same(listed)[0]
