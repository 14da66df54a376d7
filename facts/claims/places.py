"""The cities and countries a text names, under any spelling and case ending."""

from __future__ import annotations

import re
from functools import lru_cache

from facts.aliases import STATE_STEMS, states_named

CITIES: dict[str, str] = {
    "minsk": "minsk", "минск": "minsk", "мінск": "minsk",
    "vienna": "vienna", "вен": "vienna",
    "warsaw": "warsaw", "варшав": "warsaw",
    "vilnius": "vilnius", "вильнюс": "vilnius", "вільн": "vilnius", "вильн": "vilnius",
    "moscow": "moscow", "москв": "moscow", "маскв": "moscow",
    "brussels": "brussels", "брюссел": "brussels", "брусел": "brussels",
    "geneva": "geneva", "женев": "geneva", "жэнев": "geneva",
    "kyiv": "kyiv", "kiev": "kyiv", "киев": "kyiv", "кіев": "kyiv",
    "riga": "riga", "риг": "riga", "рыг": "riga",
    "vitebsk": "vitebsk", "витебск": "vitebsk", "віцебск": "vitebsk",
    "grodno": "grodno", "hrodna": "grodno", "гродн": "grodno",
    "gomel": "gomel", "homiel": "gomel", "гомел": "gomel",
    "brest": "brest", "брест": "brest", "брэст": "brest",
    "mogilev": "mogilev", "магілё": "mogilev", "могилев": "mogilev", "магілев": "mogilev",
    "berlin": "berlin", "берлин": "berlin", "берлін": "berlin",
    "paris": "paris", "париж": "paris", "парыж": "paris",
    "london": "london", "лондон": "london",
    "strasbourg": "strasbourg", "страсбург": "strasbourg",
    "new york": "new york", "нью-йорк": "new york", "нью-ёрк": "new york",
    "washington": "washington",
}  # fmt: skip
#: The states a claim or a fact may name, by every beginning of their names (facts.aliases);
#: Belarus, which nearly every fact names, is no country to compare.
COUNTRIES: dict[str, str] = {stem: term for stem, term in STATE_STEMS.items() if term != "belarus"}


def _compile(table: dict[str, str]) -> tuple[re.Pattern[str], list[str]]:
    keys = sorted(table, key=len, reverse=True)
    alternatives = [
        re.escape(k) + (r"\w{0,4}" if len(k) >= 3 and " " not in k else "") for k in keys
    ]
    named = "|".join(f"(?P<k{i}>{a})" for i, a in enumerate(alternatives))
    return re.compile(rf"(?<!\w)(?:{named})(?!\w)"), keys


_CITY_PATTERN = _compile(CITIES)


def gazetteer_hits(text: str, table: dict[str, str]) -> set[str]:
    """The cities (or countries) ``text`` names, under any spelling and case ending."""
    return set(_hits(text, table is CITIES))


@lru_cache(maxsize=16384)
def _hits(text: str, cities: bool) -> frozenset[str]:
    # A claim's words are looked up one by one, again and again: each is read once.
    if not cities:
        return states_named(text) - {"belarus"}
    pattern, keys = _CITY_PATTERN
    return frozenset(
        CITIES[keys[int(m.lastgroup[1:])]]
        for m in pattern.finditer(text.casefold())
        if m.lastgroup is not None
    )
