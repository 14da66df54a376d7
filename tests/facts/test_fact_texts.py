"""What answering computes of each fact is kept by the store that owns the fact, computed
ahead (``FactTexts.prepare``) or on first use, and never served for another fact object:
answers are the same with it as without, and an edit shows in the next answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts.answer import Answer, answer
from facts.fact_text import _KINDS, FactTexts, fact_text_of
from facts.model import Bundle
from facts.quality import load_questions
from facts.seed import load_seed
from facts.store import FactStore
from tests.facts.conftest import make_bundle, make_fact

SETS = Path(__file__).resolve().parents[1] / "quality"


def _outcome(result: Answer) -> tuple[object, ...]:
    return (
        result.found,
        [f.id for f in result.facts],
        result.maybe.id if result.maybe else None,
        [f.id for f in result.suggestions],
        result.confidence,
        result.polarity,
    )


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


def test_prepared_answers_equal_a_fresh_stores(tmp_path: Path, seed: Bundle) -> None:
    questions = [
        q.text
        for language in ("en", "ru", "be")
        for q in load_questions(SETS / f"dev_{language}.json")[::6]
    ]
    prepared = FactStore.open(tmp_path / "prepared", seed=seed)
    fresh = FactStore.open(tmp_path / "fresh", seed=seed)
    try:
        assert prepared.fact_texts().prepare(prepared.facts()) == len(prepared.facts())
        assert len(fresh.fact_texts()) == 0
        for question in questions:
            assert _outcome(answer(question, prepared)) == _outcome(answer(question, fresh)), (
                question
            )
        # Nothing was computed for the prepared store while answering: it was all there.
        assert prepared.fact_texts().prepare(prepared.facts()) == 0
    finally:
        prepared.close()
        fresh.close()


def test_what_is_kept_is_what_a_fresh_computation_gives(seed: Bundle) -> None:
    texts = FactTexts()
    texts.prepare(seed.facts)
    for fact in seed.facts:
        for kind in _KINDS:
            assert texts.get(kind, fact) == kind.compute(fact), (fact.id, kind.compute)


def test_an_edit_shows_in_the_next_answer(tmp_path: Path) -> None:
    store = FactStore.open(tmp_path / "data", seed=make_bundle())
    try:
        store.fact_texts().prepare(store.facts())
        assert answer("Where did tens of thousands protest?", store).best == store.get(
            "protest-minsk"
        )
        assert not answer("Did thousands protest in Grodno?", store).found
        before = store.get("protest-minsk")
        edited = before.model_copy(update={"text": "Tens of thousands protested in Grodno."})
        store.update_fact(edited, by="admin", reason="the report said Grodno")
        after = answer("Did thousands protest in Grodno?", store)
        assert after.best is not None and after.best.id == "protest-minsk"
        assert after.best.text == "Tens of thousands protested in Grodno."
        words = {t.word for t in store.fact_texts().get(fact_text_of, after.best).text_tokens}
        assert "grodno" in words and "minsk" not in words
        # The old object's entry was replaced, not kept beside the new one.
        assert len(store.fact_texts()) == len(store.facts())
    finally:
        store.close()


def test_outside_an_answer_nothing_is_kept() -> None:
    fact = make_fact("protest-gomel", text="Thousands protested in Gomel.")
    texts = FactTexts()
    assert fact_text_of(fact) == fact_text_of(fact)
    assert len(texts) == 0
    with texts.in_use():
        first = fact_text_of(fact)
        assert fact_text_of(fact) is first
    assert len(texts) == 1
    assert fact_text_of(fact) is not first
