"""Questions about an entity no fact is about are never answered with something else:
an organisation named after a country is not the country, a broadcaster's profile is not
its report, one state's stance is not everyone's."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts, answer
from facts.articles import reported_by, reporter_asked
from facts.model import Kind
from facts.polarity import Polarity, verdict
from facts.seed import load_seed


@pytest.fixture(scope="module")
def seed_facts() -> IndexedFacts:
    return IndexedFacts(load_seed().facts)


@pytest.mark.parametrize(
    "question",
    [
        "tell me about belarus",
        "расскажи о беларуси",
        "раскажы пра Беларусь",
        "Belarus?",
        "who is the US",
        "расскажи о России",
    ],
)
def test_a_state_is_not_the_organisation_named_after_it(
    seed_facts: IndexedFacts, question: str
) -> None:
    got = answer(question, seed_facts)
    shown = [*got.facts, *([got.maybe] if got.maybe else [])]
    assert not any(f.id.startswith("org-") for f in shown), (question, [f.id for f in shown])


@pytest.mark.parametrize(
    "question",
    ["tell me about belarus", "расскажи о беларуси", "belarus", "беларусь"],
)
def test_nothing_but_the_country_every_fact_is_about_is_refused(
    seed_facts: IndexedFacts, question: str
) -> None:
    got = answer(question, seed_facts)
    assert not got.found and got.maybe is None


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        ("who is the EU", "org-european-union"),
        ("расскажи о ЕС", "org-european-union"),
        ("tell me about the election commission", "org-belarus-central-election-commission"),
        ("tell me about the CEC", "org-belarus-central-election-commission"),
        ("tell me about the US State Department", "org-us-state-department"),
    ],
)
def test_an_organisation_asked_by_its_own_name_is_still_its_profile(
    seed_facts: IndexedFacts, question: str, fact_id: str
) -> None:
    got = answer(question, seed_facts)
    assert got.found and got.facts[0].id == fact_id


@pytest.mark.parametrize(
    "question",
    [
        "What did the BBC report?",
        "что сообщило Би-би-си?",
        "что сообщило Би-би-си о протестах?",
        "что писала Би-би-си?",
    ],
)
def test_an_outlet_no_fact_is_cited_from_reported_nothing(
    seed_facts: IndexedFacts, question: str
) -> None:
    got = answer(question, seed_facts)
    assert not got.found and got.maybe is None, (got.facts, got.maybe)
    assert not any(f.kind is Kind.PERSON for f in got.suggestions)


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("what did VOA report?", "voa"),
        ("What did Voice of America report about US criticism of official Minsk?", "voa"),
        ("Что Госдеп написал о докладе Бенедека?", "Госдеп"),
    ],
)
def test_what_an_outlet_or_speaker_reported_comes_from_it(
    seed_facts: IndexedFacts, question: str, who: str
) -> None:
    got = answer(question, seed_facts)
    assert got.found
    assert all(reported_by(seed_facts, f, who) for f in got.facts)


@pytest.mark.parametrize(
    ("question", "who"),
    [
        ("What did the BBC report?", "BBC"),
        ("What did Radio Liberty write about the Benedek report?", "Radio Liberty"),
        ("что сообщило Би-би-си о протестах?", "Би-би-си"),
        ("Что Госдеп написал о докладе Бенедека?", "Госдеп"),
        # "report" as a noun: nobody is asked what they reported.
        ("What did Gilmore say about the OSCE report?", None),
        ("What did Ascensio's 2020 report on the election find?", None),
        ("What did the 2023 Moscow Mechanism report recommend?", None),
    ],
)
def test_the_reporter_a_question_asks_about(question: str, who: str | None) -> None:
    assert reporter_asked(question) == who


def test_a_profile_is_never_a_report(seed_facts: IndexedFacts) -> None:
    bbc = seed_facts.get("org-bbc-russian-service")
    assert not reported_by(seed_facts, bbc, "BBC Russian Service")


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # The fact: "…whom the United States does not recognise as legitimately elected."
        ("Лукашенко признали президентом?", Polarity.UNKNOWN),
        ("Was Lukashenko recognised as president?", Polarity.UNKNOWN),
        ("Did Russia recognise Lukashenko as president?", Polarity.UNKNOWN),
        ("Did the US recognise Lukashenko?", Polarity.NO),
        ("Признали ли Соединённые Штаты Лукашенко президентом?", Polarity.NO),
    ],
)
def test_one_state_s_no_is_not_a_no_to_a_question_about_no_one(
    seed_facts: IndexedFacts, question: str, expected: Polarity
) -> None:
    lukashenko = seed_facts.get("person-alexander-lukashenko")
    assert verdict(question, lukashenko) is expected


def test_the_reply_to_an_impersonal_question_does_not_say_no(seed_facts: IndexedFacts) -> None:
    got = answer("Лукашенко признали президентом?", seed_facts)
    assert got.polarity is not Polarity.NO


@pytest.mark.parametrize(
    "question", ["what did the BBC say?", "что сказала Би-би-си?", "what did Galperovich say?"]
)
def test_a_profile_is_not_what_someone_said(seed_facts: IndexedFacts, question: str) -> None:
    got = answer(question, seed_facts)
    shown = [*got.facts, *([got.maybe] if got.maybe else [])]
    assert not any(f.kind is Kind.PERSON for f in shown), [f.id for f in shown]


def test_who_said_may_still_be_answered_by_a_profile(seed_facts: IndexedFacts) -> None:
    got = answer("who is Galperovich?", seed_facts)
    assert got.found and got.facts[0].id == "person-danila-galperovich"
