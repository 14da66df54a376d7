"""Questions attached to facts: part of the fact, in its history, and used by the search."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from facts.answer import IndexedFacts, answer
from facts.seed import load_seed
from facts.store import FactStore

FACT_ID = "political-prisoners-2023-05"
QUESTION = "how many are locked up in zhodino for their politics"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[FactStore]:
    opened = FactStore.open(tmp_path / "data", seed=load_seed())
    yield opened
    if not opened.closed:
        opened.close()


def test_with_question_adds_once_and_validates(store: FactStore) -> None:
    fact = store.get(FACT_ID)
    attached = fact.with_question(f"  {QUESTION} ")
    assert attached.questions == [QUESTION]
    assert attached.with_question(QUESTION.upper()) is attached
    with pytest.raises(ValueError):
        fact.with_question("x" * 400)
    with pytest.raises(ValueError):
        fact.with_question("   ")


def test_an_attached_question_is_answered_and_survives_a_reopen(
    store: FactStore, tmp_path: Path
) -> None:
    assert not answer(QUESTION, store).found
    store.update_fact(store.get(FACT_ID).with_question(QUESTION), by="test", reason="attach")
    result = answer(QUESTION, store)
    assert result.found and result.facts[0].id == FACT_ID
    assert store.history(FACT_ID)[-1].fact.questions == [QUESTION]
    store.close()
    reopened = FactStore.open(tmp_path / "data")
    try:
        assert reopened.get(FACT_ID).questions == [QUESTION]
        assert answer(QUESTION, reopened).found
    finally:
        reopened.close()


def test_two_bases_with_one_fact_id_and_revision_never_share_an_analysis() -> None:
    """Caches are per fact object: a base holding the fact with the question attached, and
    one without it (same id, same revision), each answer from their own content."""
    seed = load_seed()
    plain = IndexedFacts(seed.facts)
    attached = IndexedFacts(
        [
            f.model_copy(update={"questions": [QUESTION]}) if f.id == FACT_ID else f
            for f in seed.facts
        ]
    )
    assert answer(QUESTION, attached).found
    assert not answer(QUESTION, plain).found
    assert answer(QUESTION, attached).found
