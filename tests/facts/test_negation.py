"""One negation list for the domain: the claim check and the yes/no verdicts read it alike."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts
from facts.claims import Conflict, Finding, check_claim
from facts.negation import is_negation, negated
from facts.polarity import Polarity, verdict
from facts.seed import load_seed


@pytest.mark.parametrize(
    "text",
    [
        "Nobody was detained.",
        "The election was neither free nor fair.",
        "They didn't sanction him.",
        "in the absence of international observers",
        "the authorities denied medication",
        "Никого не задерживали.",
        "без международных наблюдателей",
        "Ніхто не быў затрыманы.",
        "Такога ніколі не было.",
    ],
)
def test_negations_in_three_languages(text: str) -> None:
    assert negated(text)


@pytest.mark.parametrize(
    "text",
    [
        "Thousands were detained.",
        "He went on to say more.",
        "Тысячи были задержаны.",
        "Тысячы былі затрыманыя.",
        "Notes on the ballots",
    ],
)
def test_no_negation(text: str) -> None:
    assert not negated(text)


def test_single_words() -> None:
    assert is_negation("never") and is_negation("didn't") and is_negation("никто")
    assert not is_negation("note") and not is_negation("ноль")


def test_the_answers_and_the_claim_check_read_the_same_negation() -> None:
    """ "the absence of international observers" denies that there were observers, to a
    yes/no question and to a claim alike (the answers' list once lacked "absence")."""
    seed = load_seed()
    fact = next(f for f in seed.facts if f.id == "statement-joint-un-election-no-observers")
    assert verdict("Did international observers monitor the election?", fact) is Polarity.NO
    checked = check_claim(
        "International observers monitored the election", IndexedFacts(seed.facts)
    )
    assert checked.finding is Finding.CONTRADICT
    assert checked.conflict is Conflict.NEGATION
