"""A fact not yet translated into a language is still found by a question in it: the search
reads its terms' Russian and Belarusian words in place of the missing translation."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts, answer
from facts.glossary import stand_in
from facts.index_fields import translation_fields
from facts.model import Bundle, Fact
from facts.seed import load_seed

PRISONERS = "political-prisoners-2023-05"


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


def _without(fact: Fact, *languages: str) -> Fact:
    kept = {k: v for k, v in fact.translations.items() if k not in languages}
    return fact.model_copy(update={"translations": kept})


def _base(seed: Bundle, *languages: str) -> IndexedFacts:
    return IndexedFacts([_without(f, *languages) if f.id == PRISONERS else f for f in seed.facts])


def test_a_term_s_words_stand_in_for_a_missing_translation() -> None:
    english = "At least 1,486 political prisoners were held in Belarus, the EU said."
    russian = stand_in(english, "ru")
    assert "политзаключённые" in russian and "Беларусь" in russian
    assert "евросоюз" in russian  # the EU under its Cyrillic spellings (facts.aliases)
    assert "палітвязні" in stand_in(english, "be")
    assert stand_in(english, "en") == ""
    assert stand_in("The weather was fine.", "ru") == ""


@pytest.mark.parametrize(
    ("question", "languages"),
    [
        ("сколько политзаключённых?", ("ru",)),
        ("сколько политзаключенных в Беларуси сейчас?", ("ru",)),
        ("колькі палітвязняў?", ("be",)),
        ("сколько политзаключённых?", ("ru", "be")),
    ],
)
def test_a_fact_without_a_translation_is_found_by_a_question_in_that_language(
    seed: Bundle, question: str, languages: tuple[str, ...]
) -> None:
    base = _base(seed, *languages)
    assert not set(languages) & set(base.get(PRISONERS).translations)
    result = answer(question, base)
    assert result.found
    assert result.facts[0].id == PRISONERS


def test_a_translated_fact_is_searched_by_its_translation_alone(seed: Bundle) -> None:
    fact = next(f for f in seed.facts if f.id == PRISONERS)
    _, text = translation_fields(fact)
    assert text == " ".join(t.text for t in fact.translations.values())
    _, without_ru = translation_fields(_without(fact, "ru"))
    assert fact.translations["be"].text in without_ru
    assert "политзаключённые" in without_ru
