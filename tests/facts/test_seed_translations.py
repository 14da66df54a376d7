"""The seed base in Russian and Belarusian: every fact and source translated, in its own script."""

from __future__ import annotations

import json
import re
from collections import Counter
from importlib import resources

import pytest

from facts.model import TRANSLATION_LANGS, Bundle, PersonDetails
from facts.seed import load_seed, seed_files

#: Letters only Belarusian has (Cyrillic і and ў) and letters only Russian has (и, щ, ъ).
BELARUSIAN_ONLY = re.compile(r"[іўІЎ]")
RUSSIAN_ONLY = re.compile(r"[ищъИЩЪ]")
NUMBER = re.compile(r"\d+")

#: Seed files whose facts are not translated yet; emptied as each file is done.
PENDING: set[str] = {"facts_004.json"}


@pytest.fixture(scope="module")
def seed() -> Bundle:
    return load_seed()


def _fact_file() -> dict[str, str]:
    """Fact id → the seed file it is in."""
    root = resources.files("facts.seed")
    return {
        fact["id"]: name
        for name in seed_files()
        for fact in json.loads(root.joinpath(name).read_text("utf-8"))
    }


@pytest.fixture(scope="module")
def translated(seed: Bundle) -> Bundle:
    """The seed less the files still pending translation."""
    files = _fact_file()
    return seed.model_copy(update={"facts": [f for f in seed.facts if files[f.id] not in PENDING]})


def test_pending_files_are_exactly_the_untranslated_ones(seed: Bundle) -> None:
    files = _fact_file()
    untranslated = {files[f.id] for f in seed.facts if not f.translations}
    assert untranslated == PENDING


def test_every_fact_has_russian_and_belarusian_text(translated: Bundle) -> None:
    assert translated.facts
    missing = [
        (f.id, lang)
        for f in translated.facts
        for lang in TRANSLATION_LANGS
        if lang not in f.translations or not f.translations[lang].text
    ]
    assert missing == []


def test_every_person_fact_has_a_name_in_each_language(translated: Bundle) -> None:
    people = [f for f in translated.facts if isinstance(f.details, PersonDetails)]
    assert people
    unnamed = [
        (f.id, lang)
        for f in people
        for lang in TRANSLATION_LANGS
        if not f.translations[lang].name or not f.translations[lang].aliases
    ]
    assert unnamed == []


def test_names_belong_to_person_facts_only(translated: Bundle) -> None:
    named = [
        f.id
        for f in translated.facts
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
    sources = [(s.id, s.translations[lang].title) for s in bundle.sources if lang in s.translations]
    return facts + sources


def test_belarusian_is_written_in_belarusian_letters(translated: Bundle) -> None:
    texts = _texts(translated, "be")
    letters = Counter(ch for _, text in texts for ch in text if ch in "іў")
    assert letters["і"] > len(texts) and letters["ў"] > len(texts) // 2, letters
    russian = [(i, RUSSIAN_ONLY.findall(text)) for i, text in texts if RUSSIAN_ONLY.search(text)]
    assert russian == []


def test_russian_has_no_belarusian_letters(translated: Bundle) -> None:
    texts = _texts(translated, "ru")
    assert texts
    belarusian = [i for i, text in texts if BELARUSIAN_ONLY.search(text)]
    assert belarusian == []


def test_translations_keep_every_number_and_date(translated: Bundle) -> None:
    lost = []
    for fact in translated.facts:
        numbers = Counter(NUMBER.findall(fact.text))
        for lang, tr in fact.translations.items():
            kept = Counter(NUMBER.findall(tr.text))
            if numbers - kept:
                lost.append((fact.id, lang, sorted(numbers - kept)))
    assert lost == []
