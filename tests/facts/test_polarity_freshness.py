"""Yes/no verdicts, freshness of figures, and facts merged when they state the same."""

from __future__ import annotations

import datetime as dt

import pytest

from facts.answer import FactSource, IndexedFacts, answer
from facts.duplicates import merge_same, same_statement
from facts.freshness import Age, age, asks_now
from facts.model import Bundle, Fact, Kind, SanctionDetails
from facts.polarity import Polarity, asks_yes_no, verdict
from facts.seed import load_seed


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


@pytest.fixture(scope="module")
def store(seed: Bundle) -> FactSource:
    return IndexedFacts(seed.facts)


def _fact(seed: Bundle, fact_id: str) -> Fact:
    return next(f for f in seed.facts if f.id == fact_id)


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        ("Did the EU sanction Lukashenko?", True),
        ("Is Lukashenko recognised by the US?", True),
        ("Ввёл ли ЕС санкции?", True),
        ("Ці ўвёў ЕС санкцыі?", True),
        ("When did the EU sanction Lukashenko?", False),
        ("how many political prisoners", False),
    ],
)
def test_yes_no_questions_are_recognised(question: str, yes_no: bool) -> None:
    assert asks_yes_no(question) is yes_no


def test_a_measure_only_discussed_answers_no_to_imposed(seed: Bundle) -> None:
    discussed = next(
        f
        for f in seed.facts
        if isinstance(f.details, SanctionDetails) and f.details.status.value == "discussed"
    )
    assert verdict("Did Britain impose sanctions?", discussed) is Polarity.NO


def test_a_negated_fact_answers_no_and_nothing_answers_unknown(seed: Bundle) -> None:
    negated = next(f for f in seed.facts if " not " in f" {f.text} " and f.kind is Kind.STATEMENT)
    assert verdict("Did they say so?", negated) is Polarity.NO
    plain = next(f for f in seed.facts if f.kind is Kind.STATISTIC and " not " not in f" {f.text} ")
    assert verdict("Was it counted?", plain) is Polarity.YES
    assert verdict("Did Britain impose sanctions?", None) is Polarity.UNKNOWN


def test_answers_to_yes_no_questions_carry_a_verdict(store: FactSource) -> None:
    assert answer("Did the EU sanction Lukashenko?", store).polarity is Polarity.YES
    assert answer("Did Britain impose sanctions on Belarus?", store).polarity in (
        Polarity.NO,
        Polarity.UNKNOWN,
    )
    assert answer("How many political prisoners are there?", store).polarity is None


def test_questions_about_the_present_are_flagged(store: FactSource) -> None:
    assert asks_now("how many political prisoners are there now?")
    assert asks_now("сколько политзаключённых сейчас?")
    assert asks_now("колькі палітвязняў цяпер?")
    assert not asks_now("how many political prisoners were there in May 2023?")
    result = answer("how many political prisoners are there now?", store)
    assert result.asks_now and result.found


def test_age_is_counted_from_today(seed: Bundle) -> None:
    fact = _fact(seed, "political-prisoners-2023-05")
    assert age(fact, dt.date(2026, 12, 3)) == Age(3, 7)
    assert age(fact, dt.date(2023, 5, 20)) == Age(0, 0)
    person = next(f for f in seed.facts if f.kind is Kind.PERSON)
    assert age(person, dt.date(2026, 12, 3)) is None


def test_facts_stating_the_same_are_shown_once(seed: Bundle) -> None:
    fact = _fact(seed, "political-prisoners-2023-05")
    twin = fact.model_copy(update={"id": "political-prisoners-2023-05-copy"})
    other = next(f for f in seed.facts if f.kind is Kind.STATISTIC and f.id != fact.id)
    assert same_statement(fact, twin)
    assert not same_statement(fact, other)
    shown, same = merge_same([fact, other, twin])
    assert [f.id for f in shown] == [fact.id, other.id]
    assert same == {fact.id: [twin]}
