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


@pytest.mark.parametrize(
    ("question", "fact_id", "expected"),
    [
        # A negation elsewhere in the claim does not deny what is asked.
        ("Did Klimovich die in prison?", "event-nikolai-klimovich-dies-in-prison-2023-05", "yes"),
        (
            "Did Tikhanovskaya claim she won the election?",
            "statement-tikhanovskaya-won-two-thirds",
            "yes",
        ),
        # A negation right before what is asked denies it.
        ("Was the election free and fair?", "statement-pompeo-election-not-free-fair", "no"),
        (
            "Does the US recognize Lukashenko as legitimate?",
            "person-alexander-lukashenko",
            "no",
        ),
        # Considering sanctions is not imposing them; asking about considering is a yes.
        ("Did the EU consider sanctions?", "sanction-eu-considering-list-2020-09", "yes"),
    ],
)
def test_verdicts_on_real_facts(seed: Bundle, question: str, fact_id: str, expected: str) -> None:
    assert verdict(question, _fact(seed, fact_id)) is Polarity(expected)


def test_nothing_answers_unknown_and_didnt_asks_as_did(seed: Bundle) -> None:
    assert verdict("Did Britain impose sanctions?", None) is Polarity.UNKNOWN
    fact = _fact(seed, "event-nikolai-klimovich-dies-in-prison-2023-05")
    assert verdict("Didn't Klimovich die in prison?", fact) is Polarity.YES


def test_answers_to_yes_no_questions_carry_a_verdict(store: FactSource) -> None:
    assert answer("Did the EU sanction Lukashenko?", store).polarity is Polarity.YES
    assert answer("Did the UK sanction Belarus?", store).polarity is Polarity.NO
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
    other_source = next(s.id for s in seed.sources if s.id != fact.citations[0].source)
    citation = fact.citations[0].model_copy(update={"source": other_source})
    twin = fact.model_copy(
        update={"id": "political-prisoners-2023-05-copy", "citations": [citation]}
    )
    other = next(f for f in seed.facts if f.kind is Kind.STATISTIC and f.id != fact.id)
    assert same_statement(fact, twin)
    assert not same_statement(fact, other)
    shown, same = merge_same([fact, other, twin])
    assert [f.id for f in shown] == [fact.id, other.id]
    assert same == {fact.id: [twin]}


def test_facts_that_differ_are_never_merged(seed: Bundle) -> None:
    fact = _fact(seed, "political-prisoners-2023-05")
    # The same source: not a second report of it.
    assert not same_statement(fact, fact.model_copy(update={"id": "copy-from-same-source"}))
    # The seed holds no two facts that state the same thing from different sources: none of
    # its near neighbours (the joint statement's crackdown on journalists / athletes, two
    # people of one presidium, profiles) is merged.
    facts = list(seed.facts)
    assert not [(a.id, b.id) for a in facts for b in facts if same_statement(a, b)]
    negated = fact.model_copy(
        update={
            "id": "negated",
            "text": fact.text.replace("were held", "were not held"),
            "citations": [
                fact.citations[0].model_copy(update={"source": "pompeo-benedek-2020-11"})
            ],
        }
    )
    assert not same_statement(
        _fact(seed, "statement-joint-un-crackdown-journalists"),
        _fact(seed, "statement-joint-un-crackdown-athletes"),
    )
    assert not same_statement(fact, negated)
