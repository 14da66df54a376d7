"""Word families of the domain: the words, in English, Russian and Belarusian, that name
the same happening in other forms or other words ("died", "deaths", "погибли",
"погибших", "загінулых"). A claim's word that the fact lacks still counts when the fact
holds a word of its family; a word of a family the base does not use as written is looked
up by the family's English word, which every fact has.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: family → (the English word the search finds it by, the beginnings of its words).
FAMILIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "death": (
        "deaths",
        (
            *("died", "dies", "dying", "dead", "death", "killed"),
            *("погиб", "гибел", "умер", "умир", "смерт", "убит"),
            *("загін", "гібел", "памёр", "памер", "паміра", "смерц", "забіт"),
        ),
    ),
    "hospital": (
        "hospitalization",
        ("hospital", "госпитал", "больниц", "шпітал", "бальніц"),
    ),
    "detention": (
        "detained",
        (
            *("detain", "detention", "arrest", "jailed", "imprison"),
            *("задерж", "задержан", "арест", "посадил", "сажа"),
            *("затрым", "арышт", "пасадзіл", "саджа"),
            # Where the detained are held: "в изоляторах", "у ізалятары", "СИЗО".
            *("изолятор", "ізалятар", "сизо", "сізо"),
        ),
    ),
    "torture": ("torture", ("tortur", "пытк", "пыток", "пыткам", "катава", "катаван")),
    "visit": (
        "visited",
        (
            "visit",
            "toured",
            "trip",
            "посети",
            "поездк",
            "паездк",
            "посещ",
            "побывал",
            "визит",
            "наведа",
            "пабываў",
            "візіт",
        ),
    ),
    "meeting": (
        "met",
        ("met", "meet", "встрет", "встреч", "сустрэ", "сустрак"),
    ),
    "publication": (
        "published",
        ("publish", "released", "опублик", "вышел", "вышла", "апублік", "выйшаў", "выйшла"),
    ),
    "flight": (
        "flee",
        ("fled", "flee", "fleeing", "бежа", "сбежа", "покину", "уцяк", "пакінул", "пакінуц"),
    ),
}

_PATTERNS = tuple(
    (name, re.compile("|".join(re.escape(p) for p in sorted(prefixes, key=len, reverse=True))))
    for name, (_, prefixes) in FAMILIES.items()
)


@lru_cache(maxsize=65536)
def family(word: str) -> str | None:
    """The family ``word`` belongs to ("погибли" → "death"), or None."""
    folded = word.casefold()
    for name, pattern in _PATTERNS:
        match = pattern.match(folded)
        # A short beginning ("met") must be the whole word: "metro" is no meeting.
        if match and (match.end() >= 4 or match.end() == len(folded)):
            return name
    return None


def families(words: list[str]) -> frozenset[str]:
    """The families of ``words``."""
    return frozenset(f for f in map(family, words) if f is not None)


def search_word(name: str) -> str:
    """The English word the search finds a family's facts by."""
    return FAMILIES[name][0]
