"""The one table of states and bodies (facts/aliases.py), as each reader of it sees it."""

from __future__ import annotations

import pytest

from facts.aliases import ACTORS, STATES, imposer_groups, imposers_named, metonym_rules, state
from facts.analysis import analyze
from facts.claims.places import COUNTRIES, gazetteer_hits
from facts.glossary import stand_in


def _terms(text: str) -> list[str]:
    return [t.term for t in analyze(text)]


@pytest.mark.parametrize(
    ("spelling", "term"),
    [
        ("U.S.", "usa"),
        ("USA", "usa"),
        ("the United States of America", "usa"),
        ("Americans", "usa"),
        ("the us ambassador", "usa"),
        ("European Union", "eu"),
        ("the EU", "eu"),
        ("United Nations", "un"),
        ("the U.K.", "britain"),
        ("British", "britain"),
        ("the Russian Federation", "russia"),
    ],
)
def test_search_indexes_every_name_of_an_actor_under_one_term(spelling: str, term: str) -> None:
    assert term in _terms(spelling)


def test_search_leaves_the_pronoun_and_the_capitals_alone() -> None:
    assert "usa" not in _terms("tell us more")
    assert "usa" not in _terms("Washington correspondent Alex Raufoglu")


def test_every_imposer_is_named_in_english_and_in_cyrillic() -> None:
    groups = imposer_groups()
    assert len(groups) == sum(a.imposer for a in ACTORS)
    for group in groups.values():
        assert any(s.isascii() for s in group)
        assert any(not s.isascii() for s in group)
    usa = groups["usa"]
    assert {"washington", "вашингтон", "сша", "зша", "united states"} <= usa
    assert not any("кремл" in s for g in groups.values() for s in g)  # Russia imposes nothing here


@pytest.mark.parametrize(
    ("text", "rewritten"),
    [
        ("the Kremlin denied it", "Russia denied it"),
        ("Washington imposed sanctions", "the United States imposed sanctions"),
        ("Вашингтон ввёл санкции", "США ввёл санкции"),
        ("в Кремле заявили", "в Россия заявили"),
        ("the Washington Post wrote", "the Washington Post wrote"),
        ("Washington correspondent", "Washington correspondent"),
    ],
)
def test_a_capital_standing_for_its_government_reads_as_the_state(
    text: str, rewritten: str
) -> None:
    for pattern, replacement in metonym_rules():
        text = pattern.sub(replacement, text)
    assert text == rewritten


@pytest.mark.parametrize(
    ("text", "imposers"),
    [
        ("Американцы ввели санкции", {"usa"}),
        ("санкции Евросоюза", {"eu"}),
        ("ЗША ўвялі санкцыі", {"usa"}),
        ("Washington welcomed it", {"usa"}),
        ("the Baltic nations", {"baltic"}),
        ("the United States, Canada and the United Kingdom", {"usa", "canada", "britain"}),
        ("tell us more", set()),
        ("the Kremlin", set()),
    ],
)
def test_the_imposers_a_text_names(text: str, imposers: set[str]) -> None:
    assert imposers_named(text) == imposers


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Poland", "poland"),
        ("в Польше", "poland"),
        ("у Польшчы", "poland"),
        ("Латвія", "latvia"),
        ("Нямеччына", "germany"),
        ("с Расеяй", "russia"),
    ],
)
def test_the_claim_check_reads_a_country_in_any_language_from_the_states_table(
    text: str, country: str
) -> None:
    assert gazetteer_hits(text, COUNTRIES) == {country}
    assert country in {s.term for s in STATES}


def test_the_states_table_is_the_one_source_of_state_names() -> None:
    baltic = next(a for a in ACTORS if a.term == "baltic")
    for term in ("lithuania", "latvia", "estonia"):
        assert set(state(term).names()) <= set(baltic.spellings)
    assert state("canada").russian[0].casefold() in {
        s for g in imposer_groups().values() for s in g
    }
    assert "Украіна" in stand_in("Ukrainian officials", "be")
    assert "расійскі" in stand_in("Russian troops", "be")
    # Belarus, which nearly every fact names, is no country a claim is compared by.
    assert gazetteer_hits("Беларусь", COUNTRIES) == set()
