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
class State:
    """A state and its name in each language the bot speaks."""

    #: The one word it goes by ("russia").
    term: str
    english: str
    #: Its Russian and Belarusian names, the usual one first ("Расія", "Расея").
    russian: tuple[str, ...]
    belarusian: tuple[str, ...]
    #: The adjective a question uses for it ("российский"), when there is one to look for.
    adjectives: tuple[str, str] = ("", "")

    def names(self) -> tuple[str, ...]:
        """Every name of it, in lower case: English, Russian, Belarusian."""
        names = (self.english, *self.russian, *self.belarusian)
        return tuple(dict.fromkeys(n.casefold() for n in names))

    def stems(self) -> tuple[str, ...]:
        """Its names as beginnings that take any case ending ("росси" for России, Россией;
        "польшч" for Польшчы): a Cyrillic name loses its last vowel or soft sign."""
        return tuple(
            dict.fromkeys(
                n[:-1] if len(n) >= 4 and n[-1] in "аяыіиоеуюёйь" and not n.isascii() else n
                for n in self.names()
            )
        )


#: The states the domain names, in English, Russian and Belarusian. The claim check reads a
#: country in a claim or a fact with it (facts.claims.places), the sanctions filter and the
#: search read the states among the actors below with it, and a fact not yet translated is
#: found by a Russian or Belarusian question through it (facts.glossary).
STATES: tuple[State, ...] = (
    State("belarus", "Belarus", ("Беларусь",), ("Беларусь",), ("белорусский", "беларускі")),
    State("russia", "Russia", ("Россия",), ("Расія", "Расея"), ("российский", "расійскі")),
    State("ukraine", "Ukraine", ("Украина",), ("Украіна",)),
    State("china", "China", ("Китай",), ("Кітай",)),
    State("iran", "Iran", ("Иран",), ("Іран",)),
    State("india", "India", ("Индия",), ("Індыя",)),
    State("turkey", "Turkey", ("Турция",), ("Турцыя",)),
    State("serbia", "Serbia", ("Сербия",), ("Сербія",)),
    State("hungary", "Hungary", ("Венгрия",), ("Венгрыя", "Вугоршчына")),
    State("venezuela", "Venezuela", ("Венесуэла",), ("Венесуэла",)),
    State("cuba", "Cuba", ("Куба",), ("Куба",)),
    State("syria", "Syria", ("Сирия",), ("Сірыя",)),
    State("kazakhstan", "Kazakhstan", ("Казахстан",), ("Казахстан",)),
    State("armenia", "Armenia", ("Армения",), ("Арменія",)),
    State("azerbaijan", "Azerbaijan", ("Азербайджан",), ("Азербайджан",)),
    State("poland", "Poland", ("Польша",), ("Польшча",)),
    State("lithuania", "Lithuania", ("Литва",), ("Літва",)),
    State("latvia", "Latvia", ("Латвия",), ("Латвія",)),
    State("estonia", "Estonia", ("Эстония",), ("Эстонія",)),
    State("germany", "Germany", ("Германия",), ("Германія", "Нямеччына")),
    State("france", "France", ("Франция",), ("Францыя",)),
    State("canada", "Canada", ("Канада",), ("Канада",)),
    State("japan", "Japan", ("Япония",), ("Японія",)),
    State("israel", "Israel", ("Израиль",), ("Ізраіль",)),
    State("norway", "Norway", ("Норвегия",), ("Нарвегія",)),
    State("georgia", "Georgia", ("Грузия",), ("Грузія",)),
    State("moldova", "Moldova", ("Молдова",), ("Малдова",)),
)
_STATES = {s.term: s for s in STATES}


def state(term: str) -> State:
    """The state that goes by ``term``."""
    return _STATES[term]


def _names_in(*terms: str) -> tuple[str, ...]:
    """Every name, in lower case, of the states ``terms``."""
    return tuple(n for t in terms for n in state(t).names())


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
            "прибалтика",
            "страны балтии",
            "балтия",
            "прыбалтыка",
            "краіны балтыі",
            "балтыя",
            *_names_in("lithuania", "latvia", "estonia"),
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
        english=state("canada").english,
        cyrillic=state("canada").russian[0],
        spellings=(*_names_in("canada"), "canadian", "ottawa", "оттава", "атава"),
        imposer=True,
    ),
    Actor(
        term="russia",
        english=state("russia").english,
        cyrillic=state("russia").russian[0],
        search=r"(?i:\brussian\s+federation\b)",
        metonyms=("Kremlin", "Кремл"),
    ),
)


def search_rules() -> tuple[tuple[str, str], ...]:
    """(regex, replacement) for every actor the search rewrites to its one term."""
    return tuple((a.search, f" {a.term} ") for a in ACTORS if a.search)


def imposer_groups() -> dict[str, frozenset[str]]:
    """For each usual imposer (by its term), every folded spelling that names it (its
    metonyms too)."""
    return {
        a.term: frozenset(accentless(s) for s in (*a.spellings, *a.metonyms))
        for a in ACTORS
        if a.imposer
    }


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


_ACTOR_PATTERNS = tuple((a.term, _actor_pattern(a)) for a in ACTORS)
#: Every beginning of every state's names ("росси" for России) → the state's term.
STATE_STEMS: dict[str, str] = {stem: s.term for s in STATES for stem in s.stems()}
_STATE_KEYS = sorted(STATE_STEMS, key=len, reverse=True)
#: One pass over a text for every state: a stem takes a case ending of up to four letters.
_ENDING = r"\w{0,4}"
_STATE_PATTERN = re.compile(
    r"(?<!\w)(?:"
    + "|".join(
        f"(?P<k{i}>{re.escape(k)}{_ENDING if len(k) >= 3 and ' ' not in k else ''})"
        for i, k in enumerate(_STATE_KEYS)
    )
    + r")(?!\w)"
)


def states_named(text: str) -> frozenset[str]:
    """The states ``text`` names, under any of their names and case endings."""
    return frozenset(
        STATE_STEMS[_STATE_KEYS[int(m.lastgroup[1:])]]
        for m in _STATE_PATTERN.finditer(text.casefold())
        if m.lastgroup is not None
    )


def actors_named(text: str) -> frozenset[str]:
    """Every state or body ``text`` names, as their terms ("Расія ўвяла" → russia)."""
    bodies = frozenset(term for term, pattern in _ACTOR_PATTERNS if pattern.search(text))
    return bodies | states_named(text)


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
