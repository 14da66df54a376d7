"""The states and bodies people name in many ways: one table, read by every part that
needs it.

The search index rewrites each actor's names to one term (``usa``, ``eu``), so "the United
States" and "U.S." find the same facts; the sanctions filter accepts every spelling a user
types for an imposer, in English, Russian and Belarusian; the claim check reads a capital
standing for its government ("Washington", "the Kremlin") as the state itself. Each of
those reads only the columns it needs, so a spelling added here reaches all of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.names import accentless


@dataclass(frozen=True, slots=True)
class Actor:
    """A state or body, with the ways people write it."""

    #: The one word the search index holds it under ("usa").
    term: str
    #: How a rewritten English text names it ("the United States").
    english: str
    #: How a rewritten Russian or Belarusian text names it ("США").
    cyrillic: str
    #: What the search rewrites to ``term``: its names and abbreviations, as a regex
    #: (case and dots matter: "US" is the country, "us" mostly the pronoun). Empty: the
    #: search leaves it as written.
    search: str = ""
    #: Everything else a user may type for it when filtering sanctions by imposer (lower
    #: case, any language): looser words the search must not rewrite ("europe").
    spellings: tuple[str, ...] = ()
    #: Capitals standing for its government, as written (a Cyrillic one as its stem, to
    #: take any case ending: "Кремл" for Кремль, Кремля, Кремлём).
    metonyms: tuple[str, ...] = ()
    #: True for the usual imposers of sanctions (the /sanctions filter offers them).
    imposer: bool = False


ACTORS: tuple[Actor, ...] = (
    Actor(
        term="usa",
        english="the United States",
        cyrillic="США",
        search=r"\bU\.\s?S\.(?:\s?A\.?)?|\bUSA?\b"
        r"|(?i:\bunited\s+states(?:\s+of\s+america)?\b|\bamericans?\b)"
        # Lower-case "us" is a pronoun unless the words around it make it the country.
        r"|(?i:(?<=\bthe )us\b|\bus(?= (?:sanction|ambassador|impos|official|secretar|"
        r"state|government|mission|senate|embassy|president|envoy|diplomat|"
        r"authorit|deputy|position)))",
        spellings=(
            "us",
            "usa",
            "united states",
            "united states of america",
            "america",
            "american",
            "us government",
            "us treasury",
            "сша",
            "америка",
            "соединённые штаты",
            "штаты",
            "зша",
            "злучаныя штаты",
        ),
        metonyms=("Washington", "Вашингтон"),
        imposer=True,
    ),
    Actor(
        term="eu",
        english="the European Union",
        cyrillic="Евросоюз",
        search=r"(?i:\bEU\b|\beuropean\s+union\b)",
        spellings=(
            "eu",
            "european union",
            "europe",
            "brussels",
            "european",
            "ес",
            "евросоюз",
            "европейский союз",
            "европа",
            "брюссель",
            "еу",
            "еўрасаюз",
            "еўрапейскі саюз",
            "еўропа",
        ),
        imposer=True,
    ),
    Actor(
        term="un",
        english="the United Nations",
        cyrillic="ООН",
        search=r"(?i:\bUN\b|\bunited\s+nations\b)",
    ),
    Actor(
        term="baltic",
        english="the Baltic states",
        cyrillic="страны Балтии",
        spellings=(
            "baltic",
            "baltics",
            "baltic states",
            "baltic countries",
            "lithuania",
            "latvia",
            "estonia",
            "прибалтика",
            "страны балтии",
            "балтия",
            "литва",
            "латвия",
            "эстония",
            "прыбалтыка",
            "краіны балтыі",
            "балтыя",
            "літва",
            "латвія",
            "эстонія",
        ),
        imposer=True,
    ),
    Actor(
        term="britain",
        english="Britain",
        cyrillic="Великобритания",
        search=r"(?i:\bU\.\s?K\.|\bUK\b|\bunited\s+kingdom\b|\bgreat\s+britain\b|\bbritish\b)",
        spellings=(
            "uk",
            "britain",
            "great britain",
            "united kingdom",
            "british",
            "london",
            "великобритания",
            "британия",
            "англия",
            "лондон",
            "вялікабрытанія",
            "брытанія",
        ),
        imposer=True,
    ),
    Actor(
        term="canada",
        english="Canada",
        cyrillic="Канада",
        spellings=("canada", "canadian", "ottawa", "канада", "оттава", "атава"),
        imposer=True,
    ),
    Actor(
        term="russia",
        english="Russia",
        cyrillic="Россия",
        search=r"(?i:\brussian\s+federation\b)",
        metonyms=("Kremlin", "Кремл"),
    ),
)


def search_rules() -> tuple[tuple[str, str], ...]:
    """(regex, replacement) for every actor the search rewrites to its one term."""
    return tuple((a.search, f" {a.term} ") for a in ACTORS if a.search)


def imposer_groups() -> tuple[frozenset[str], ...]:
    """For each usual imposer, every folded spelling that names it (its metonyms too)."""
    return tuple(
        frozenset(accentless(s) for s in (*a.spellings, *a.metonyms)) for a in ACTORS if a.imposer
    )


def _spelling_pattern(spelling: str) -> str:
    """A spelling as a regex: a Cyrillic word takes any case ending ("Евросоюза",
    "американцы"), a Latin one is matched as written ("us" is left to ``search``)."""
    if spelling.isascii():
        return "" if spelling == "us" else rf"\b{re.escape(spelling)}\b"
    words = spelling.split()
    stems = [w[:-1] if len(w) >= 5 and w[-1] in "аяыіиоеуюёй" else w for w in words]
    return r"(?<!\w)" + r"\s+".join(rf"{re.escape(w)}\w{{0,4}}" for w in stems) + r"(?!\w)"


def _actor_pattern(actor: Actor) -> re.Pattern[str]:
    parts = [p for p in map(_spelling_pattern, (*actor.spellings, *actor.metonyms)) if p]
    folded = "|".join(parts)
    case_sensitive = actor.search or "(?!)"
    return re.compile(rf"(?:{case_sensitive})|(?i:{folded or '(?!)'})")


_IMPOSER_PATTERNS = tuple((a.term, _actor_pattern(a)) for a in ACTORS if a.imposer)


def imposers_named(text: str) -> frozenset[str]:
    """The usual imposers ``text`` names, as their terms ("Американцы ввели" → usa)."""
    return frozenset(term for term, pattern in _IMPOSER_PATTERNS if pattern.search(text))


#: Words after a capital that make it the city (or a paper), not the government.
_NOT_METONYM = r"(?!\s+(?:correspondent|Post|DC|D\.C))"


def metonym_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    """(pattern, replacement): a capital standing for its government, rewritten as the
    state it stands for, in the text's own script ("the Kremlin" → "Russia")."""
    rules: list[tuple[re.Pattern[str], str]] = []
    for actor in ACTORS:
        for metonym in actor.metonyms:
            if metonym.isascii():
                pattern = rf"\b(?:the )?{re.escape(metonym)}\b{_NOT_METONYM}"
                rules.append((re.compile(pattern), actor.english))
            else:
                rules.append((re.compile(rf"\b{re.escape(metonym)}\w*"), actor.cyrillic))
    return tuple(rules)
