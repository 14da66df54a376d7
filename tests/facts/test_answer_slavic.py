"""Russian and Belarusian questions over the real seed: names in any case, words of one
root that the stemmer keeps apart, and dates and names that must be matched as written."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts, answer
from facts.model import StatementDetails
from facts.seed import load_seed


@pytest.fixture(scope="module")
def seed_facts() -> IndexedFacts:
    return IndexedFacts(load_seed().facts)


@pytest.mark.parametrize(
    "question",
    ["Расскажи про Светлану Тихановскую", "Раскажы пра Святлану Ціханоўскую"],
)
def test_a_profile_question_finds_a_name_in_any_case(
    seed_facts: IndexedFacts, question: str
) -> None:
    got = answer(question, seed_facts)
    assert got.found and got.facts[0].id == "person-svetlana-tikhanovskaya"


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        # встречался / встреча, краіны / краін: one root, stems the stemmer keeps apart.
        ("С кем Помпео встречался в Беларуси в феврале?", "event-pompeo-meets-lukashenko-2020-02"),
        ("Якія краіны згадаў Лукашэнка ў папярэджанні Пампеа?", None),
        ("Какие страны упомянул Лукашенко в предупреждении Помпео?", None),
    ],
)
def test_words_of_one_root_match(
    seed_facts: IndexedFacts, question: str, fact_id: str | None
) -> None:
    got = answer(question, seed_facts)
    want = fact_id or "statement-lukashenko-warning-poland-lithuania-ukraine"
    assert got.found and got.facts[0].id == want


def test_a_same_root_word_never_stands_for_a_required_one(seed_facts: IndexedFacts) -> None:
    """A year the question names must be in the fact as written: 2023's figure does not
    answer a question about 2020, however alike their words."""
    got = answer("Сколько политзаключённых было в Беларуси в 2020 году?", seed_facts)
    assert not got.found


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("что сказал Карпентер?", "Michael Carpenter"),
        ("Што сказаў Карпентэр?", "Michael Carpenter"),
        ("что Гилмор говорил о пытках", "James Gilmore"),
    ],
)
def test_what_x_said_in_russian_and_belarusian_reads_like_english(
    seed_facts: IndexedFacts, question: str, speaker: str
) -> None:
    """ "сказал", "говорил", "сказаў" only frame the question, as "say" does in English:
    the answer is the speaker's own statement, whatever verb its translation uses."""
    got = answer(question, seed_facts)
    assert got.found
    details = got.facts[0].details
    assert isinstance(details, StatementDetails) and details.speaker == speaker


@pytest.mark.parametrize(
    "question", ["сколько человек погибло?", "Колькі чалавек загінула?", "how many people died?"]
)
def test_a_count_of_people_is_answered_by_what_it_counts(
    seed_facts: IndexedFacts, question: str
) -> None:
    """ "people" / "человек" is how a count of people is asked, not a word the fact must
    hold; "погибло" finds "погибших" (one root) although the base holds no "погибло"."""
    got = answer(question, seed_facts)
    assert got.found and got.facts[0].id == "deaths-several-joint-stmt-2020-10"


@pytest.mark.parametrize(
    "question",
    ["сколько политзаклченных?", "политзеков сколько", "колькі палітвезняў"],
)
def test_misspelt_political_prisoners_read_as_the_two_words(
    seed_facts: IndexedFacts, question: str
) -> None:
    got = answer(question, seed_facts)
    assert got.found and got.facts[0].id == "political-prisoners-2023-05"
