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


@pytest.mark.parametrize(
    ("question", "yes_no"),
    [
        # Russian and Belarusian ask by word order and the mark alone.
        ("ЕС вводил санкции против Лукашенко?", True),
        ("Британия ввела санкции?", True),
        ("Помпео встречался с Лукашенко?", True),
        ("Ввела Британия санкции?", True),
        ("США признают Лукашенко?", True),
        ("Політвязні ёсць у Беларусі?", True),
        ("Лукашэнка сустрэўся з Пампеа?", True),
        ("правда что Помпео встречался с Лукашенко?", True),
        ("Правда, что ЕС ввёл санкции", True),
        ("это правда что выборы были честными", True),
        ("ці праўда, што ЕС увёў санкцыі", True),
        # A question word asks what, not whether; no verb, no yes/no; no mark, a statement.
        ("когда ЕС ввёл санкции?", False),
        ("В каком городе Гилмор встретился с Тихановской?", False),
        ("На скольких чиновников Балтия ввела запрет на въезд?", False),
        ("Па якой цане Пампеа прапаноўваў нафту?", False),
        ("хто ўвёў санкцыі?", False),
        ("санкции против Беларуси?", False),
        ("Координационный совет?", False),
        ("ЕС ввёл санкции против Лукашенко", False),
    ],
)
def test_russian_and_belarusian_yes_no_without_li(question: str, yes_no: bool) -> None:
    assert asks_yes_no(question) is yes_no


@pytest.mark.parametrize(
    ("question", "fact_id", "expected"),
    [
        # Read in the question's language: the Russian and Belarusian translations say
        # "не были ни свободными, ни честными" / "не былі ні свабоднымі, ні сумленнымі".
        ("были ли выборы свободными?", "statement-pompeo-election-not-free-fair", "no"),
        ("были ли выборы честными?", "statement-pompeo-election-not-free-fair", "no"),
        ("Выборы были свободными?", "statement-pompeo-election-not-free-fair", "no"),
        (
            "ці былі выбары свабоднымі і сумленнымі?",
            "statement-pompeo-election-not-free-fair",
            "no",
        ),
        ("признают ли США Лукашенко законно избранным?", "person-alexander-lukashenko", "no"),
        ("ці прызнаюць ЗША Лукашэнку?", "person-alexander-lukashenko", "no"),
        # An opposite assessment: "fraudulent" answers "fair".
        (
            "были ли выборы честными?",
            "event-belarus-presidential-election-2020-08-09",
            "no",
        ),
        # What the fact states, in the question's language.
        (
            "ЕС вводил санкции против Лукашенко?",
            "sanction-eu-lukashenko-officials-2020-11-06",
            "yes",
        ),
        (
            "правда что Помпео встречался с Лукашенко?",
            "event-pompeo-meets-lukashenko-2020-02",
            "yes",
        ),
        # A fact about the same people that does not speak to what was asked says nothing.
        ("признают ли США Лукашенко?", "sanction-us-lukashenka-2006", "unknown"),
        # Nor one about another state than the one asked about.
        ("Британия ввела санкции?", "sanction-baltic-travel-restrictions-2020-09", "unknown"),
        (
            "Did Russia impose sanctions on Belarus?",
            "sanction-eu-lukashenko-officials-2020-11-06",
            "unknown",
        ),
    ],
)
def test_verdicts_in_the_question_s_language(
    seed: Bundle, question: str, fact_id: str, expected: str
) -> None:
    assert verdict(question, _fact(seed, fact_id)) is Polarity(expected)


def test_the_first_fact_that_speaks_to_the_question_decides(seed: Bundle) -> None:
    question = "признают ли США Лукашенко?"
    about_them = _fact(seed, "sanction-us-lukashenka-2006")
    recognition = _fact(seed, "person-alexander-lukashenko")
    assert verdict(question, about_them, [recognition]) is Polarity.NO
    # A fact with no translation in the question's language cannot be read for it.
    untranslated = recognition.model_copy(update={"translations": {}})
    assert verdict(question, untranslated) is Polarity.UNKNOWN


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


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Facts that name Russia beside sanctions, none a measure Russia took.
        ("Did Russia impose sanctions?", "unknown"),
        ("Ці ўвяла Расія санкцыі?", "unknown"),
        ("Did Russia impose sanctions on Belarus?", "unknown"),
        # A measure the US took answers yes, though another fact says it only discussed one.
        ("Did the US sanction Belarus?", "yes"),
        ("США вводили санкции против Лукашенко?", "yes"),
        ("Did Canada impose sanctions?", "no"),
        # The state the measures target is not their author.
        ("Was Belarus sanctioned?", "yes"),
    ],
)
def test_whether_a_state_imposed_a_measure_is_read_from_its_measures(
    store: FactSource, question: str, expected: str
) -> None:
    assert answer(question, store).polarity is Polarity(expected)


def test_a_place_before_a_denial_is_not_a_stance(seed: Bundle) -> None:
    # "…the election in Belarus was neither free nor fair": Belarus is where, not who.
    joint = _fact(seed, "statement-joint-un-election-not-free-nor-fair")
    assert verdict("Was the election free and fair?", joint) is Polarity.NO


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


#: The seed's facts that state the same thing as another kind from the same source: a
#: sanction and the count of whom it hit, an event and its statistic, a statement and the
#: claimed share.
SEED_TWINS = {
    frozenset({"sanction-us-officials-2020-10-02", "us-sanctioned-officials-2020-10-02"}),
    frozenset({"sanction-eu-40-officials-2020-10-02", "eu-sanctions-list-names-2020-10-02"}),
    frozenset({"statement-pompeo-us-oil-offer", "us-oil-offer-share-2020-02"}),
    frozenset(
        {
            "tikhanovskaya-claimed-vote-share-2020-08-09",
            "statement-tikhanovskaya-won-two-thirds",
        }
    ),
    frozenset(
        {
            "event-journalists-protest-colleagues-detention-2020-09",
            "journalists-protesting-detentions-2020-09",
        }
    ),
    frozenset({"event-students-march-minsk-2020-09", "students-marching-minsk-2020-09"}),
    frozenset(
        {
            "sanction-baltic-travel-restrictions-2020-09",
            "baltic-travel-restricted-officials-2020-09",
        }
    ),
}


def test_the_same_statement_as_two_kinds_is_merged_and_nothing_else(seed: Bundle) -> None:
    facts = list(seed.facts)
    merged = {frozenset({a.id, b.id}) for a in facts for b in facts if same_statement(a, b)}
    # Never its near neighbours: the joint statement's crackdown on journalists / on
    # athletes (one word apart), its call on the presidium's charges against the charges
    # themselves, two people of one presidium, profiles.
    assert merged == SEED_TWINS


def test_facts_that_differ_are_never_merged(seed: Bundle) -> None:
    fact = _fact(seed, "political-prisoners-2023-05")
    negated = fact.model_copy(
        update={"id": "negated", "text": fact.text.replace("were held", "were not held")}
    )
    assert negated.text != fact.text
    assert not same_statement(fact, negated)
    other_year = fact.model_copy(
        update={"id": "other-figure", "text": fact.text.replace("1,486", "1,468")}
    )
    assert not same_statement(fact, other_year)
    assert not same_statement(
        _fact(seed, "statement-joint-un-crackdown-journalists"),
        _fact(seed, "statement-joint-un-crackdown-athletes"),
    )
    # A negation of something the other never names does not part them.
    claim = _fact(seed, "statement-tikhanovskaya-won-two-thirds")
    assert "not Alexander Lukashenko" in claim.text
    assert same_statement(claim, _fact(seed, "tikhanovskaya-claimed-vote-share-2020-08-09"))


@pytest.mark.parametrize(
    ("question", "twins"),
    [
        ("who imposed sanctions in October 2020?", "us-sanctioned-officials-2020-10-02"),
        ("были ли задержания?", "journalists-protesting-detentions-2020-09"),
    ],
)
def test_an_answer_shows_a_statement_once(store: FactSource, question: str, twins: str) -> None:
    result = answer(question, store, limit=3)
    shown = [f.id for f in result.facts]
    assert twins not in shown
    assert twins in {f.id for merged in result.same.values() for f in merged}
    close = answer("what is the capital of France", store)
    assert not close.found
    assert not {"students-marching-minsk-2020-09", "event-students-march-minsk-2020-09"} <= {
        f.id for f in close.suggestions
    }
