"""What a change notice is about (facts/notices.py)."""

from __future__ import annotations

from facts.notices import change_subject
from facts.notifications import Change
from facts.store import FactStore
from facts.subscribers import fact_topics
from tests.facts.conftest import make_fact

WHO = {"by": "admin", "reason": "a newer count"}


def test_a_supersession_is_about_the_new_fact_and_the_one_it_replaced(store: FactStore) -> None:
    new = store.supersede(
        "prisoners-2023", make_fact("prisoners-2024", "statistic", value=1400), **WHO
    )
    old = store.get("prisoners-2023")
    # Announced through either fact, the notice speaks of both.
    for announced in (old, new):
        subject = change_subject(store, announced, Change.SUPERSEDED)
        assert subject.fact == new
        assert subject.previous == old
        assert subject.topics == fact_topics(new) | fact_topics(old)
    assert store.predecessor("prisoners-2024") == old
    assert store.predecessor("prisoners-2023") is None


def test_other_changes_are_about_the_fact_alone(store: FactStore) -> None:
    fact = store.get("protest-minsk")
    for change in Change:
        if change is not Change.SUPERSEDED:
            subject = change_subject(store, fact, change)
            assert (subject.fact, subject.previous) == (fact, None)
            assert subject.topics == fact_topics(fact)
