"""Language detection, Russian in Latin letters, and the Russian/Belarusian stems."""

from __future__ import annotations

import pytest

from facts.analysis import terms
from facts.lang import cyrillic_lookalikes, detect, latin_russian, month_names, slavic_stem


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("how many political prisoners?", "en"),
        ("сколько политзаключённых?", "ru"),
        ("санкции против Беларуси", "ru"),
        ("хто такі Бенедэк?", "be"),
        ("колькі палітвязняў у Беларусі", "be"),
        ("хто гэта", "be"),
        ("kto takaya Tihanovskaya", "ru"),
        ("who is Pompeo", "en"),
    ],
)
def test_detects_the_language(text: str, language: str) -> None:
    assert detect(text) == language


def test_russian_in_latin_letters_reads_as_cyrillic() -> None:
    assert latin_russian("kto takaya Tihanovskaya") == "кто такая Тихановская"
    assert latin_russian("skolko politzaklyuchennyh") == "сколко политзаключенных"
    # English is never rewritten.
    assert latin_russian("who is Tikhanovskaya") is None
    assert latin_russian("sanctions") is None
    assert latin_russian("pro-government media in Belarus") is None
    assert latin_russian("Is Tsikhanouskaya pro-EU?") is None


# Belarusian vocabulary of the seed's translations: each group is one word's forms.
BELARUSIAN_FORMS = [
    ["палітвязні", "палітвязняў", "палітвязням", "палітвязнямі", "палітвязнях", "палітвязьняў"],
    ["сьмерць", "смерць", "сьмерці"],
    ["санкцыі", "санкцый", "санкцыям", "санкцыямі", "санкцыях"],
    ["затрыманыя", "затрыманых", "затрыманым"],
    ["выбары", "выбараў", "выбарах"],
    ["журналісты", "журналістаў", "журналістам"],
    ["чыноўнікі", "чыноўнікаў", "чыноўнікам"],
    ["пратэсты", "пратэстаў", "пратэстах"],
    ["Лукашэнка", "Лукашэнкі", "Лукашэнку"],
]
RUSSIAN_FORMS = [
    ["политзаключённые", "политзаключенных", "политзаключённым", "политзаключенными"],
    ["санкции", "санкций", "санкциях", "санкциями"],
    ["задержанные", "задержанных", "задержанным"],
    ["выборы", "выборов", "выборах"],
    ["журналисты", "журналистов", "журналистам"],
    ["Тихановская", "Тихановской", "Тихановскую"],
]


@pytest.mark.parametrize("forms", BELARUSIAN_FORMS + RUSSIAN_FORMS, ids=lambda f: f[0])
def test_every_form_of_a_word_has_one_stem(forms: list[str]) -> None:
    stems = {slavic_stem(form.casefold()) for form in forms}
    assert len(stems) == 1, stems


def test_different_words_keep_different_stems() -> None:
    assert slavic_stem("санкцыі") != slavic_stem("выбары")
    assert slavic_stem("палітвязні") != slavic_stem("журналісты")


def test_search_terms_drop_question_words_in_every_language() -> None:
    assert terms("сколько политзаключённых против Беларуси?") == terms("политзаключённые Беларусь")
    assert terms("колькі палітвязняў?") == terms("палітвязні")
    assert terms("who") == []


def test_month_names_come_from_cldr_in_both_forms() -> None:
    assert month_names("en")[:2] == ["January", "February"]
    assert {"мая", "май", "декабря", "декабрь"} <= set(month_names("ru"))
    assert {"студзеня", "студзень", "снежня", "снежань"} <= set(month_names("be"))
    assert len(month_names("ru")) == 24


def test_latin_look_alikes_inside_cyrillic_words_become_cyrillic() -> None:
    assert cyrillic_lookalikes("калi былі выбары у беларусi") == "калі былі выбары у беларусі"
    # Words wholly in Latin letters stay as they are.
    assert cyrillic_lookalikes("Lukashenko і Tut.by") == "Lukashenko і Tut.by"
