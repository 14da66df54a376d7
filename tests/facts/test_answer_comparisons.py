"""Comparisons are answered side by side, each side by its own best fact, and only when
every side is answered."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts, answer
from facts.comparisons import sides
from facts.seed import load_seed


@pytest.fixture(scope="module")
def seed_facts() -> IndexedFacts:
    seed = load_seed()
    return IndexedFacts(seed.facts, seed.sources)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        (
            "Who sanctioned Lukashenko first, the US or the EU?",
            ["Who sanctioned Lukashenko the US", "Who sanctioned Lukashenko the EU"],
        ),
        (
            "lukashenko 80% vs tikhanovskaya two thirds",
            ["lukashenko 80%", "tikhanovskaya two thirds"],
        ),
        (
            "Did the US or the EU sanction more officials?",
            ["Did the US sanction more officials", "Did the EU sanction more officials"],
        ),
        # Not comparisons: an "or" without a comparative, a preposition that means "against".
        ("Did Japan or Korea sanction Belarus?", []),
        ("санкции против Беларуси", []),
    ],
)
def test_the_sides_of_a_comparison(question: str, expected: list[str]) -> None:
    assert sides(question) == expected


def test_a_comparison_shows_the_best_fact_of_each_side(seed_facts: IndexedFacts) -> None:
    got = answer("Who sanctioned Lukashenko first, the US or the EU?", seed_facts)
    assert got.found
    assert [f.id for f in got.facts] == [
        "sanction-us-lukashenka-2006",
        "sanction-eu-lukashenko-officials-2020-11-06",
    ]


def test_a_comparison_with_an_unanswered_side_is_not_answered(seed_facts: IndexedFacts) -> None:
    assert not answer("Who sanctioned Belarus first, Japan or Brazil?", seed_facts).found


def test_a_choice_is_not_a_yes_no_question(seed_facts: IndexedFacts) -> None:
    got = answer("Did the US or the EU sanction more officials on 2 October 2020?", seed_facts)
    assert got.found and got.polarity is None
