"""Question answering picks the fact that answers, by intent, and refuses what the base lacks."""

from __future__ import annotations

import pytest

from facts.answer import Answer, FactSource, IndexedFacts, Intent, answer
from facts.errors import NotFoundError
from facts.model import Fact
from tests.facts.test_search import fact

FACTS = [
    fact(
        "political-prisoners-2023-05",
        "At least 1,486 political prisoners were held in Belarus as of May 2023.",
        "statistic",
        related=["person-herve-ascensio"],
    ),
    fact(
        "statement-release-political-prisoners",
        "Fifty countries called on 26 October 2020 for the release of political prisoners.",
        "statement",
        speaker="Fifty countries",
    ),
    fact(
        "sanction-us-officials-2020-10-02",
        "On 2 October 2020 the United States imposed sanctions on eight Belarusian officials.",
        "sanction",
    ),
    fact(
        "statement-pompeo-sanctions",
        "Mike Pompeo said progress on human rights was the only way to lift the sanctions.",
        "statement",
        related=["person-mike-pompeo"],
    ),
    fact(
        "event-pompeo-visit-2020-02",
        "U.S. Secretary of State Mike Pompeo visited Belarus in February 2020.",
        date="2020-02",
        related=["person-mike-pompeo"],
    ),
    fact(
        "event-klimovich-dies-2023-05",
        "Blogger Nikolai Klimovich, accused of a satirical cartoon of Lukashenka, died in"
        " prison near Vitebsk in May 2023.",
        date="2023-05",
        related=["person-nikolai-klimovich", "person-alexander-lukashenko"],
    ),
    fact(
        "event-students-march-minsk",
        "Hundreds of students marched across Minsk, the capital of Belarus, in protest.",
        date="2020-09",
    ),
    fact(
        "sanction-eu-lukashenko-2020-11-06",
        "On 6 November 2020 the European Union imposed sanctions on Alexander Lukashenko.",
        "sanction",
        imposed_by=["European Union"],
        date="2020-11-06",
        related=["person-alexander-lukashenko"],
    ),
    fact(
        "statement-joint-candidates",
        "The joint statement of 26 October 2020 by the EU and 51 countries said candidates"
        " other than Mr. Lukashenko were intimidated.",
        "statement",
        speaker="the EU and 51 countries",
        related=["person-alexander-lukashenko"],
    ),
    fact(
        "statement-diplomats-dialogue",
        "Diplomats demanded in November 2020 that Minsk stop the violence and start a"
        " dialogue with the protesters.",
        "statement",
        speaker="Diplomats",
    ),
    fact(
        "person-alexander-lukashenko",
        "Alexander Lukashenko is the longstanding leader of Belarus.",
        "person",
        name="Alexander Lukashenko",
        aliases=["Lukashenko", "Aleksandr Lukashenka", "Lukashenka"],
    ),
    fact(
        "person-mike-pompeo",
        "Mike Pompeo was the U.S. Secretary of State in 2020.",
        "person",
        name="Mike Pompeo",
        aliases=["Michael Pompeo", "Pompeo"],
    ),
    fact(
        "person-nikolai-klimovich",
        "Nikolai Klimovich was a Belarusian blogger who died in prison in May 2023.",
        "person",
        name="Nikolai Klimovich",
        aliases=["Klimovich"],
    ),
    fact(
        "person-herve-ascensio",
        "Dr. Hervé Ascensio was the OSCE Moscow Mechanism rapporteur in 2023.",
        "person",
        name="Hervé Ascensio",
        aliases=["Ascensio"],
    ),
    fact(
        "person-mariya-kalesnikava",
        "Mariya Kalesnikava is a member of the Coordination Council Presidium.",
        "person",
        name="Mariya Kalesnikava",
        aliases=["Maria Kolesnikova", "Kalesnikava", "Kolesnikova"],
    ),
]


@pytest.fixture
def store() -> FactSource:
    return IndexedFacts(FACTS)


def first(store: FactSource, question: str) -> str | None:
    result = answer(question, store)
    return result.facts[0].id if result.found else None


def test_indexed_facts_gets_by_id_and_filters(store: FactSource) -> None:
    assert store.get("person-mike-pompeo").id == "person-mike-pompeo"
    with pytest.raises(NotFoundError):
        store.get("no-such-fact")
    assert {f.id for f in store.facts(topic="nothing")} == set()
    assert len(store.facts()) == len(FACTS)


def test_indexed_facts_leaves_out_retracted_facts() -> None:
    retracted = fact(
        "retracted-prisoners",
        "Ten thousand political prisoners were held.",
        "statistic",
        status="retracted",
        retraction_reason="Miscounted.",
    )
    store = IndexedFacts([*FACTS, retracted])
    assert store.get("retracted-prisoners").id == "retracted-prisoners"
    assert all(h.fact.id != "retracted-prisoners" for h in store.search("political prisoners"))


def test_how_many_prefers_the_statistic(store: FactSource) -> None:
    result = answer("How many political prisoners are there in Belarus?", store)
    assert result.found
    assert result.facts[0].id == "political-prisoners-2023-05"
    assert Intent.COUNT in result.intents
    assert 0 < result.confidence <= 1
    assert result.best is result.facts[0]


def test_when_prefers_a_dated_fact(store: FactSource) -> None:
    assert first(store, "When did Pompeo visit Belarus?") == "event-pompeo-visit-2020-02"


def test_sanction_questions_get_sanctions(store: FactSource) -> None:
    assert first(store, "What sanctions did the US impose?") == "sanction-us-officials-2020-10-02"


def test_what_someone_said(store: FactSource) -> None:
    assert first(store, "What did Pompeo say about lifting sanctions?") == (
        "statement-pompeo-sanctions"
    )


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("Who is Lukashenko?", "person-alexander-lukashenko"),
        ("who is lukashenka", "person-alexander-lukashenko"),
        ("tell me about Alyaksandr Lukashenka", "person-alexander-lukashenko"),
        ("Who is Maria Kolesnikova?", "person-mariya-kalesnikava"),
        ("who's kalesnikava", "person-mariya-kalesnikava"),
        ("Who is Pompeio?", "person-mike-pompeo"),
        ("Kolesnikova", "person-mariya-kalesnikava"),
        ("Herve Ascensio", "person-herve-ascensio"),
    ],
)
def test_who_is_answers_with_the_profile(store: FactSource, question: str, expected: str) -> None:
    result = answer(question, store)
    assert result.found and result.facts == [store.get(expected)]
    assert Intent.PERSON in result.intents


def test_who_did_something_is_answered_by_the_fact(store: FactSource) -> None:
    assert first(store, "Who died in prison near Vitebsk?") in {
        "event-klimovich-dies-2023-05",
        "person-nikolai-klimovich",
    }


@pytest.mark.parametrize(
    "question",
    [
        "What is the weather in Minsk?",
        "How many political prisoners are there in Russia?",
        "How many political prisoners were there in 2021?",
        "Who is Macron?",
        "What is the capital of France?",
        "When did Lukashenko die?",
        "When did Lukashenko become president?",
        "When is the next election?",
        "When did Kolesnikova visit Belarus?",
        "When did the EU lift sanctions on Lukashenko?",
        "What did Lukashenko say about the EU?",
        "Where is Kolesnikova now?",
        "How old was Nikolai Klimovich when he died?",
        "When did the protests start?",
        "Was Lukashenko intimidated?",
        "How many political prisoners were freed?",
        "",
        "???",
    ],
)
def test_refuses_what_the_base_does_not_hold(store: FactSource, question: str) -> None:
    result = answer(question, store)
    assert not result.found
    assert result.facts == []
    assert result.best is None
    assert result.confidence == 0.0


def test_a_refusal_suggests_close_facts_and_says_what_was_asked(store: FactSource) -> None:
    result = answer("How many political prisoners are there in Russia?", store)
    assert not result.found
    # A country the base never mentions: Belarus's figure is not even offered as "maybe".
    assert result.maybe is None
    assert "political-prisoners-2023-05" in [f.id for f in result.suggestions]
    assert Intent.COUNT in result.intents
    assert Intent.DATE in answer("When did Lukashenko die?", store).intents


def test_answers_hold_at_most_the_limit(store: FactSource) -> None:
    result = answer("political prisoners", store, limit=1)
    assert len(result.facts) == 1


def test_answer_is_a_plain_value(store: FactSource) -> None:
    result = answer("Who is Lukashenko?", store)
    assert isinstance(result, Answer)
    assert isinstance(result.facts[0], Fact)
    assert result.question == "Who is Lukashenko?"


def test_when_questions_need_their_verb(store: FactSource) -> None:
    assert first(store, "When did the EU sanction Lukashenko?") == (
        "sanction-eu-lukashenko-2020-11-06"
    )
    assert not answer("When did the EU lift sanctions on Lukashenko?", store).found


def test_what_someone_said_needs_them_as_the_speaker(store: FactSource) -> None:
    assert not answer("What did Lukashenko say about the candidates?", store).found
    assert first(store, "What did the joint statement say about the candidates?") == (
        "statement-joint-candidates"
    )


def test_a_profile_of_someone_else_does_not_answer(store: FactSource) -> None:
    # Klimovich's profile mentions no one else, but Ascensio's question must not get it.
    result = answer("What did Hervé Ascensio count?", store)
    assert all(f.kind.value != "person" or f.id == "person-herve-ascensio" for f in result.facts)
