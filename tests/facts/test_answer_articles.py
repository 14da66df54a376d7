"""Questions about the articles themselves (who wrote one, which outlet published it) are
answered from the article's own record, and refused when that record does not say."""

from __future__ import annotations

import pytest

from facts.answer import IndexedFacts, answer
from facts.articles import Asked, asks_about_article
from facts.seed import load_seed


@pytest.fixture(scope="module")
def seed_facts() -> IndexedFacts:
    seed = load_seed()
    return IndexedFacts(seed.facts, seed.sources)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("Who wrote the Voice of America piece on Gilmore's briefing?", Asked.AUTHOR),
        ("Кто автор статьи агентства Туран про Карпентера?", Asked.AUTHOR),
        ("which outlet reported on Carpenter's briefing", Asked.OUTLET),
        ("Якое выданне надрукавала артыкул пра Пампеа?", Asked.OUTLET),
        # A report is one of the documents the articles are about, not an article.
        ("Who wrote the 2023 Moscow Mechanism report?", None),
        # An outlet, but no article: a question about the outlet itself.
        ("Which was Belarus' biggest independent media outlet?", None),
    ],
)
def test_what_an_article_question_asks(question: str, asked: Asked | None) -> None:
    assert asks_about_article(question) is asked


@pytest.mark.parametrize(
    ("question", "fact_id"),
    [
        (
            "Who wrote the Voice of America piece on Gilmore's briefing?",
            "person-danila-galperovich",
        ),
        ("Хто напісаў артыкул Голасу Амерыкі пра Гілмара?", "person-danila-galperovich"),
        ("which outlet reported on Carpenter's briefing", "org-turan"),
    ],
)
def test_the_author_or_outlet_comes_from_the_article_s_record(
    seed_facts: IndexedFacts, question: str, fact_id: str
) -> None:
    got = answer(question, seed_facts)
    assert got.found and got.facts[0].id == fact_id


def test_an_article_whose_record_names_no_author_is_refused(seed_facts: IndexedFacts) -> None:
    """The article on Pompeo's call after the Benedek report names no author: the author of
    another article citing one of the same facts is not the answer."""
    got = answer(
        "Кто автор статьи о призыве Помпео прекратить репрессии после доклада Бенедека?",
        seed_facts,
    )
    assert not got.found
