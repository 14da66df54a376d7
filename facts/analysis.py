"""Text analysis for search: words, stop words, light English stems, search terms.

``analyze`` turns text into :class:`Token` s — each word's folded form, its search term
(an English stem, or a Russian/Belarusian stem from :func:`facts.lang.slavic_stem`), its
position and capitalisation — after spellings of the same country or body are rewritten
to one (:mod:`facts.aliases`) and the Slavic one-word "political prisoner" is read as two
words. The search index, the question reader and the claim check all read text through it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from facts.aliases import search_rules
from facts.lang import SLAVIC_STOP_WORDS, has_cyrillic, slavic_stem
from facts.names import fold

_TOKEN = re.compile(r"\w+", re.UNICODE)

#: Spellings of the same country or body, rewritten before tokenising so they share a term.
_ALIAS_RULES: tuple[tuple[str, str], ...] = (
    *search_rules(),
    # Domain names stay one word (Tut.by): the dot is dropped.
    (r"(?i:\b\w+\.(?:by|ru|com|org|net)\b)", ""),
)
#: One pass over the text for every rule (the first rule that matches at a place wins).
_ALIASES = re.compile("|".join(f"(?P<r{i}>{rule})" for i, (rule, _) in enumerate(_ALIAS_RULES)))


def _alias(match: re.Match[str]) -> str:
    rule = int(match.lastgroup[1:]) if match.lastgroup else 0
    replacement = _ALIAS_RULES[rule][1]
    if not replacement:
        return match.group().replace(".", "")
    # Keep the capital: "the EU" names something, and analysis notes that.
    if match.group()[:1].isupper():
        return replacement.replace(replacement.strip(), replacement.strip().capitalize())
    return replacement


_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)*|\w+", re.UNICODE)

#: Function words (and question words) that carry no topic.
_STOP_WORDS_TEXT = """
    a about above across after again against all almost also am among an and any are as
    at be because been before being below besides between both but by can could did do does doing
    done down during each either else even ever every except few for from further get gets got had
    has have having he her here hers herself him himself his how however i if in into is it
    its itself just least let like many may me might more most much must my myself neither
    no nor not now of off on once one only or other others our ours ourselves out over own
    per please quite rather really same shall she should since so some still such than that
    the their theirs them themselves then there these they this those though through thus
    to too under until up upon us very via was we were what whatever when whenever where
    whether which while who whom whose why will with within without would yet you your
    yours yourself yourselves s t"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())

#: Irregular forms and derivations the suffix rules cannot reach.
LEMMAS = {
    "died": "die",
    "dies": "die",
    "dying": "die",
    "dead": "die",
    "death": "die",
    "deaths": "die",
    "killed": "kill",
    "killing": "kill",
    "killings": "kill",
    "detention": "detain",
    "detentions": "detain",
    "detainee": "detain",
    "detainees": "detain",
    "imprisoned": "prison",
    "imprisonment": "prison",
    "jail": "prison",
    "jails": "prison",
    "jailed": "prison",
    "prisoner": "prison",
    "prisoners": "prison",
    "women": "woman",
    "men": "man",
    "children": "child",
    "people": "people",
    "met": "meet",
    "said": "say",
    "says": "say",
    "told": "tell",
    "spoke": "speak",
    "spoken": "speak",
    "fled": "flee",
    "won": "win",
    "sent": "send",
    "taken": "take",
    "took": "take",
    "thrown": "throw",
    "threw": "throw",
    "began": "begin",
    "begun": "begin",
    "held": "hold",
    "chose": "choose",
    "gave": "give",
    "given": "give",
    "went": "go",
    "gone": "go",
    "made": "make",
    "came": "come",
    "saw": "see",
    "seen": "see",
    "knew": "know",
    "known": "know",
    "wrote": "write",
    "written": "write",
    "got": "get",
    "gotten": "get",
    "found": "find",
    "left": "leave",
    "kept": "keep",
    "brought": "bring",
    "thought": "think",
    "fought": "fight",
    "led": "lead",
    "fell": "fall",
    "fallen": "fall",
    "became": "become",
    "ran": "run",
    "stood": "stand",
    "lost": "lose",
    "paid": "pay",
    "arose": "arise",
    "arisen": "arise",
    "drew": "draw",
    "drawn": "draw",
    "broke": "break",
    "broken": "break",
    "forbade": "forbid",
    "forbidden": "forbid",
    "hid": "hide",
    "hidden": "hide",
    "sought": "seek",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "news": "news",
    "belarusian": "belarus",
    "belarusians": "belarus",
    "russian": "russia",
    "russians": "russia",
    "ukrainian": "ukraine",
    "ukrainians": "ukraine",
    "european": "europe",
    "europeans": "europe",
    "lithuanian": "lithuania",
    "polish": "poland",
    "azerbaijani": "azerbaijan",
    "canadian": "canada",
    "baltics": "baltic",
    "government": "govern",
    "governments": "govern",
}

_SUFFIXES: tuple[tuple[str, str, int], ...] = (
    # (suffix, replacement, shortest stem left behind)
    ("ication", "y", 3),
    ("ational", "", 3),
    ("ations", "", 4),
    ("ation", "", 4),
    ("ators", "", 4),
    ("ator", "", 4),
    ("ibility", "", 3),
    ("ability", "", 3),
    ("ible", "", 4),
    ("able", "", 4),
    ("iveness", "", 3),
    ("ness", "", 4),
    ("ical", "ic", 3),
    ("ment", "ment", 99),
    ("ism", "", 4),
    ("ist", "", 4),
    ("ive", "", 4),
    ("ful", "", 4),
    ("ate", "", 4),
    ("tion", "t", 3),
    ("sion", "s", 3),
    ("er", "", 4),
    ("or", "", 4),
)


def _strip_inflection(word: str) -> str:
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith(("ches", "shes", "xes", "zes")):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ly") and len(word) >= 6:
        word = word[:-2]
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            stem = word[: -len(ending)]
            if not any(v in stem for v in "aeiouy"):
                return word
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
                stem = stem[:-1]
            elif stem.endswith(("at", "bl", "iz")):
                # Porter's rule: the "e" that "-ed" swallowed (violated → violate).
                stem += "e"
            return stem
    return word


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stem of a folded word: protesters → protest, sanctioned → sanction."""
    # Irregular forms become their base word, which then goes through the same rules as
    # every other word (taken → take → tak, like taking → tak).
    word = LEMMAS.get(word, word)
    if len(word) <= 3 or not word.isalpha():
        return word
    word = _strip_inflection(word)
    word = LEMMAS.get(word, word)
    for suffix, replacement, shortest in _SUFFIXES:
        if word.endswith(suffix):
            if len(word) - len(suffix) >= shortest:
                word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    if word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        word = word[:-1] + "i"
    return word


@dataclass(frozen=True, slots=True)
class Token:
    """One analysed word: its search term, folded surface form, position, capitalisation,
    and the word as written."""

    term: str
    word: str
    position: int
    capital: bool
    raw: str = ""


#: Russian and Belarusian shorten "political prisoner" into one word: both spellings read
#: as the two words, and so does a misspelt one ("политзаклченных", "политзеков": no other
#: word starts with "политз"). Applied only to text with Cyrillic in it (a second pass
#: costs English text nothing).
_SLAVIC_COMPOUNDS = (
    (re.compile(r"\bполитз[аэеa-z]\w*", re.IGNORECASE), " политических заключённых "),
    (re.compile(r"\bпа?л[іи]тв[яе]з\w*", re.IGNORECASE), " палітычных вязняў "),
)


def _rewrite(text: str) -> str:
    text = _ALIASES.sub(_alias, text)
    if has_cyrillic(text):
        for pattern, replacement in _SLAVIC_COMPOUNDS:
            text = pattern.sub(replacement, text)
    return text


@lru_cache(maxsize=131072)
def _analyse_word(raw: str) -> tuple[str, str, bool]:
    """A raw word's folded form, its search term, and whether it is a stop word."""
    if has_cyrillic(raw):
        lower = raw.casefold().replace("ё", "е")
        # The term stays Cyrillic: a Russian or Belarusian stem never coincides with an
        # English one (Беларусь is not "belarus"), so translations leave the ranking of
        # English questions as it was. The folded word still serves names and spellings.
        return fold(lower).replace("'", ""), slavic_stem(lower), lower in SLAVIC_STOP_WORDS
    word = fold(raw).replace("'s", "").replace("'", "")
    if word[:1].isdigit():
        word = word.replace(",", "")
        return word, word, False
    if not word:
        return word, word, True
    return word, stem(word), word in STOP_WORDS


def analyze(text: str, *, keep_stop_words: bool = False) -> list[Token]:
    """Tokens of ``text`` with their search terms (stop words dropped unless asked)."""
    out: list[Token] = []
    for position, match in enumerate(_WORD.finditer(_rewrite(text))):
        raw = match.group()
        word, term, stop = _analyse_word(raw)
        if stop and (not word or not keep_stop_words):
            continue
        out.append(Token(term, word, position, raw[:1].isupper(), raw))
    return out


def without_stop_words(tokens: Iterable[Token]) -> list[Token]:
    """``tokens`` analysed with their stop words kept, without them: what :func:`analyze`
    alone gives, with the same positions."""
    return [t for t in tokens if not _analyse_word(t.raw)[2]]


def terms(text: str) -> list[str]:
    """The search terms of ``text``, in order."""
    return [t.term for t in analyze(text)]


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of ``text``."""
    return [t.casefold() for t in _TOKEN.findall(text)]
