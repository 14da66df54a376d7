"""Russian and Belarusian words for the base's English terms: the bridge by which a fact
not yet translated into a language is still found by a question in it.

A fact's translation is what a Russian or Belarusian question is matched against. Until an
admin adds one, the fact has only its English claim, which shares no word with
"сколько политзаключённых?" (names and figures still match: a Cyrillic name is compared by
its sound with the Latin one, "2023" is "2023"). The search therefore reads, in place of
the missing translation, the Russian or Belarusian words of each term the English claim
holds ("political prisoners" → "политзаключённые"; "the EU" → every Cyrillic spelling of
the EU from :mod:`facts.aliases`). Only a missing translation is stood in for, so a
translated fact is found by its own words alone. The fact is still shown in English, with
the note that it is not translated yet.
"""

from __future__ import annotations

import re

from facts.aliases import ACTORS, imposers_named, state
from facts.lang import Language, has_cyrillic

#: (English beginnings of words, as a regex; Russian words; Belarusian words). The words
#: are written as a question would, in one or two forms, and stemmed like any other.
TERMS: tuple[tuple[str, str, str], ...] = (
    (r"political prisoner", "политзаключённые политзаключённых", "палітвязні палітвязняў"),
    (r"prison|jail|imprison|inmate", "тюрьма заключённые", "турма зняволеныя"),
    (r"sanction|restrictive measure", "санкции санкций", "санкцыі санкцый"),
    (r"election|vote|ballot|poll", "выборы выборах голосование", "выбары выбарах галасаванне"),
    (
        r"protest|demonstrat|march|rall",
        "протесты протестующие акции марш",
        "пратэсты пратэстоўцы акцыі марш",
    ),
    (r"detain|detention|arrest", "задержания задержаны аресты", "затрыманні затрыманыя арышты"),
    (r"tortur", "пытки", "катаванні"),
    (r"die|death|dead|kill", "гибель погибли смерть", "гібель загінулі смерць"),
    (r"journalist|reporter|media", "журналисты СМИ", "журналісты СМІ"),
    (r"opposition", "оппозиция оппозиционный", "апазіцыя апазіцыйны"),
    (r"official", "чиновники", "чыноўнікі"),
    (r"president", "президент президентские", "прэзідэнт прэзідэнцкія"),
    (r"government|authorit", "власти правительство", "улады урад"),
    (r"human rights", "права человека правозащитники", "правы чалавека праваабаронцы"),
    (r"crackdown|repress|violence", "репрессии насилие", "рэпрэсіі гвалт"),
    (r"student", "студенты", "студэнты"),
    (r"ambassador|envoy", "посол", "пасол"),
    (r"statement|said|stated|declar|announc", "заявление заявил", "заява заявіў"),
    (r"report", "доклад сообщение", "даклад паведамленне"),
    (r"releas|freed", "освобождение освободили", "вызваленне вызвалілі"),
    (r"charge|accus", "обвинения обвинили", "абвінавачванні абвінавацілі"),
    (r"sentenc|convict", "приговор осуждён", "прысуд асуджаны"),
    (r"fraud|rigged|falsif", "фальсификации фальсифицированы", "фальсіфікацыі"),
    (r"recogni|legitima", "признание признают законность", "прызнанне прызнаюць законнасць"),
    (r"meet|met\b|meeting", "встреча встретился", "сустрэча сустрэўся"),
    (r"visit", "визит посетил", "візіт наведаў"),
    (r"strike", "забастовка", "забастоўка"),
    (r"hospital", "госпитализация больница", "шпіталізацыя бальніца"),
    (r"leader", "лидер", "лідар"),
    (r"candidate|nomine", "кандидат", "кандыдат"),
    (r"exile|fled|flee", "изгнание бежать", "выгнанне ўцякаць"),
    (r"minist", "министр министерство", "міністр міністэрства"),
    # The states the base is about, named as in facts.aliases ("ukrain" also finds
    # "Ukrainian").
    *(
        (
            re.escape(s.english.casefold().removesuffix("e")),
            " ".join(filter(None, (s.russian[0], s.adjectives[0]))),
            " ".join(filter(None, (s.belarusian[0], s.adjectives[1]))),
        )
        for s in map(state, ("belarus", "russia", "ukraine"))
    ),
    (r"minsk", "Минск", "Мінск"),
    (r"osce", "ОБСЕ", "АБСЕ"),
    (r"united nations|\bun\b", "ООН", "ААН"),
)
_PATTERNS = tuple(re.compile(rf"\b(?:{english})", re.IGNORECASE) for english, _, _ in TERMS)


def stand_in(english: str, language: Language) -> str:
    """The Russian or Belarusian words of the terms ``english`` holds (empty for English):
    what a fact without a translation into ``language`` is searched by in its place."""
    if language == "en":
        return ""
    column = 1 if language == "ru" else 2
    words = [TERMS[i][column] for i, pattern in enumerate(_PATTERNS) if pattern.search(english)]
    named = imposers_named(english)
    for actor in ACTORS:
        if actor.term in named:
            words += [s for s in actor.spellings if has_cyrillic(s)]
    return " ".join(words)
