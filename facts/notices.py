"""What a change notice is about: the fact as it now stands, the fact it replaced, and the
topics whose subscribers hear of it. The bot renders the notice; the rules are here."""

from __future__ import annotations

from dataclasses import dataclass

from facts.model import Fact, Status
from facts.notifications import Change
from facts.store import FactStore
from facts.subscribers import SubTopic, fact_topics


@dataclass(frozen=True, slots=True)
class ChangeSubject:
    """The facts a change notice speaks of, and whom it concerns."""

    #: The fact as it now stands (for a supersession: the new fact).
    fact: Fact
    #: For a supersession, the fact it replaced.
    previous: Fact | None
    #: Subscribers of these topics hear of the change (the old fact's topics too).
    topics: frozenset[SubTopic]


def change_subject(store: FactStore, fact: Fact, change: Change) -> ChangeSubject:
    """What a notice of ``change`` to ``fact`` is about. A supersession may be announced
    through either fact: the old one (now superseded) or the new one."""
    previous: Fact | None = None
    if change is Change.SUPERSEDED:
        if fact.status is Status.SUPERSEDED and fact.superseded_by:
            previous, fact = fact, store.get(fact.superseded_by)
        else:
            previous = store.predecessor(fact.id)
    topics = fact_topics(fact) | (fact_topics(previous) if previous else frozenset())
    return ChangeSubject(fact, previous, topics)
