"""The seed base in Russian and Belarusian: every fact and source translated, in its own script."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from facts.model import TRANSLATION_LANGS, Bundle, EntityType, PersonDetails
from facts.seed import load_seed
from facts.terms import structured_strings

#: Letters only Belarusian has (Cyrillic і and ў) and letters only Russian has (и, щ, ъ).
BELARUSIAN_ONLY = re.compile(r"[іўІЎ]")
RUSSIAN_ONLY = re.compile(r"[ищъИЩЪ]")
NUMBER = re.compile(r"\d+")


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


def test_every_fact_has_russian_and_belarusian_text(seed: Bundle) -> None:
    assert seed.facts
    missing = [
        (f.id, lang)
        for f in seed.facts
        for lang in TRANSLATION_LANGS
        if lang not in f.translations or not f.translations[lang].text
    ]
    assert missing == []


def test_every_person_fact_has_a_name_in_each_language(seed: Bundle) -> None:
    people = [f for f in seed.facts if isinstance(f.details, PersonDetails)]
    assert people
    unnamed = [
        (f.id, lang)
        for f in people
        for lang in TRANSLATION_LANGS
        if not f.translations[lang].name or not f.translations[lang].aliases
    ]
    assert unnamed == []


def test_names_belong_to_person_facts_only(seed: Bundle) -> None:
    named = [
        f.id
        for f in seed.facts
        if not isinstance(f.details, PersonDetails)
        and any(t.name or t.aliases for t in f.translations.values())
    ]
    assert named == []


def test_every_source_has_a_title_in_each_language(seed: Bundle) -> None:
    untitled = [
        (s.id, lang)
        for s in seed.sources
        for lang in TRANSLATION_LANGS
        if lang not in s.translations or not s.translations[lang].title
    ]
    assert untitled == []


def _texts(bundle: Bundle, lang: str) -> list[tuple[str, str]]:
    facts = [(f.id, f.translations[lang].text) for f in bundle.facts if lang in f.translations]
    names = [
        (f.id, name)
        for f in bundle.facts
        if lang in f.translations and (name := f.translations[lang].name) is not None
    ]
    quotes = [
        (f"{f.id} quote {n}", quote)
        for f in bundle.facts
        if lang in f.translations
        for n, quote in enumerate(f.translations[lang].quotes)
        if quote is not None
    ]
    sources = [(s.id, s.translations[lang].title) for s in bundle.sources if lang in s.translations]
    return facts + names + quotes + sources


def test_belarusian_is_written_in_belarusian_letters(seed: Bundle) -> None:
    texts = _texts(seed, "be")
    letters = Counter(ch for _, text in texts for ch in text if ch in "іў")
    assert letters["і"] > len(texts) and letters["ў"] > len(texts) // 2, letters
    russian = [(i, RUSSIAN_ONLY.findall(text)) for i, text in texts if RUSSIAN_ONLY.search(text)]
    assert russian == []


def test_russian_has_no_belarusian_letters(seed: Bundle) -> None:
    texts = _texts(seed, "ru")
    assert texts
    belarusian = [i for i, text in texts if BELARUSIAN_ONLY.search(text)]
    assert belarusian == []


def test_translations_keep_every_number_and_date(seed: Bundle) -> None:
    lost = []
    for fact in seed.facts:
        numbers = Counter(NUMBER.findall(fact.text))
        for lang, tr in fact.translations.items():
            kept = Counter(NUMBER.findall(tr.text))
            if numbers - kept:
                lost.append((fact.id, lang, sorted(numbers - kept)))
    assert lost == []


def test_quote_translations_match_the_citations(seed: Bundle) -> None:
    wrong = [
        (f.id, lang)
        for f in seed.facts
        for lang, tr in f.translations.items()
        if len(tr.quotes) != len(f.citations) or not all(tr.quotes)
    ]
    assert wrong == []
    lost = []
    for fact in seed.facts:
        for n, citation in enumerate(fact.citations):
            numbers = Counter(NUMBER.findall(citation.quote))
            for lang, tr in fact.translations.items():
                kept = Counter(NUMBER.findall(tr.quotes[n] or ""))
                if numbers - kept:
                    lost.append((fact.id, n, lang, sorted(numbers - kept)))
    assert lost == []


def test_every_structured_value_has_a_russian_and_a_belarusian_term(seed: Bundle) -> None:
    missing = [
        (f.id, lang, value)
        for f in seed.facts
        for value in structured_strings(f)
        for lang in TRANSLATION_LANGS
        if not f.translations[lang].terms.get(value)
    ]
    assert missing == []
    assert sum(len(structured_strings(f)) for f in seed.facts) > 300


def test_every_named_outlet_has_a_russian_and_a_belarusian_name(seed: Bundle) -> None:
    outlets = [s for s in seed.sources if s.outlet]
    assert outlets
    missing = [
        (s.id, lang)
        for s in outlets
        for lang in TRANSLATION_LANGS
        if not s.translations[lang].outlet
    ]
    assert missing == []


def test_terms_are_written_in_their_language_letters(seed: Bundle) -> None:
    def written(lang: str) -> list[tuple[str, str]]:
        terms = [(f.id, t) for f in seed.facts for t in f.translations[lang].terms.values()]
        outlets = [(s.id, s.translations[lang].outlet or "") for s in seed.sources]
        return terms + outlets

    assert [i for i, text in written("be") if RUSSIAN_ONLY.search(text)] == []
    assert [i for i, text in written("ru") if BELARUSIAN_ONLY.search(text)] == []


def test_a_term_naming_a_person_spells_them_as_their_profile_does(seed: Bundle) -> None:
    """ "Mike Pompeo" in a statement reads "Майк Помпео" / "Майк Пампеа", as his profile
    does (organisations may go by a shorter name: "Госдепартамент США")."""
    people = {
        name: f
        for f in seed.facts
        if isinstance(f.details, PersonDetails) and f.details.entity is EntityType.PERSON
        for name in (f.details.name, *f.details.aliases)
    }
    checked, wrong = 0, []
    for fact in seed.facts:
        for value in structured_strings(fact):
            person = people.get(value)
            if person is None:
                continue
            for lang in TRANSLATION_LANGS:
                checked += 1
                said = fact.translations[lang].terms[value]
                if said != person.translations[lang].name:
                    wrong.append((fact.id, lang, said, person.translations[lang].name))
    assert wrong == []
    assert checked > 50
