"""Cases the end-to-end tests pick from the seeded store, or add to it when the seed lacks
one (so that no test skips for want of seed data)."""

from __future__ import annotations

from facts.model import Fact, Kind, StatisticDetails
from facts.store import FactStore


def statistic(store: FactStore) -> Fact:
    """A seed statistic with a plain numeric value (prefers one counted by someone)."""
    facts = [
        f
        for f in store.facts(kind=Kind.STATISTIC)
        if isinstance(f.details, StatisticDetails) and not f.details.value_text
    ]
    facts.sort(key=lambda f: (not f.details.counted_by, f.id))  # type: ignore[union-attr]
    assert facts, "the seed has no numeric statistic"
    return facts[0]


def source_label_of(store: FactStore, fact: Fact) -> str:
    """How a reply names the source of the fact's first citation."""
    source = store.get_source(fact.citations[0].source)
    return source.outlet or source.title[:40]


def find_person(store: FactStore, name: str) -> Fact:
    """The person the seed knows best by ``name``."""
    hits = store.find_people(name, limit=1)
    assert hits, f"the seed has no {name}"
    return hits[0].fact


def add_like(store: FactStore, kind: Kind, fact_id: str, text: str, **details: object) -> Fact:
    """Add the case a test needs: a copy of the first current fact of ``kind`` under a new
    id and claim, with ``details`` changed (its citations stay, so the store accepts it)."""
    model = store.facts(kind=kind)[0]
    fact = Fact.model_validate(
        {
            **model.model_dump(mode="json"),
            "id": fact_id,
            "text": text,
            "details": model.details.model_copy(update=details).model_dump(mode="json"),
            "related": [],
            "translations": {},
            "questions": [],
            "revision": 1,
        }
    )
    return store.add_fact(fact, by="test", reason="the case this test needs")
