"""Yes/no questions: whether a question asks for a yes or a no, and what the facts say.

A yes/no question opens with an auxiliary ("Did…", "Is…"), holds "ли" / "ці" ("Ввёл ли…",
"Ці ўвёў…"), opens with "правда что", "это правда", "ці праўда"…, or — in Russian and
Belarusian, where word order alone may ask — ends in "?" with a verb and no question word
("ЕС вводил санкции?", "Британия ввела санкции?").

The verdict is read off the facts that answer the question, never guessed, in the
question's own language (a Russian question against the fact's Russian translation, by
stems): the first fact that speaks to what was asked (holds a word of the question other
than its names) decides — "no" when it states the opposite (a negation before a word the
question asks about, an opposite assessment: "rigged" for "fair", or a measure only
discussed, proposed, threatened or lifted when the question asks whether it was imposed),
"yes" otherwise; "the documents don't say" when no fact answers, or none speaks to it (a
fact only about the same people is no evidence either way).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from facts.aliases import actors_named, imposers_named
from facts.analysis import STOP_WORDS, stem
from facts.lang import SLAVIC_STOP_WORDS, Language, detect, has_cyrillic, slavic_stem
from facts.model import Fact, SanctionDetails, SanctionStatus
from facts.names import fold, phonetic
from facts.negation import is_negation, negated
from facts.phrases import CYRILLIC_QUESTION_WORD


class Polarity(StrEnum):
    """The opening of the reply to a yes/no question."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"  # the documents don't say


_YES_NO = re.compile(
    r"^\s*(?:did|does|do|is|was|were|are|has|have|had|can|could|will|would|should|may|might"
    r"|didn'?t|doesn'?t|isn'?t|wasn'?t|weren'?t|aren'?t|hasn'?t|haven'?t)\b"
    r"|(?:^|\s)(?:ли|ці)(?:\s|$|[?,])"
    r"|^\s*(?:правда ли|верно ли|правда,? что|верно,? что|это правда|неужели"
    r"|ці праўда|праўда,? што|гэта праўда)(?:\s|$|[?,])",
    re.IGNORECASE,
)
#: A Russian or Belarusian verb by its ending: the past ("вводил", "ввела", "были", "увёў",
#: "сустрэўся") and the third person of the present ("признаёт", "поддерживают",
#: "прызнаюць"), and "есть" / "ёсць".
_VERB = re.compile(
    r"\w{2,}(?:[аеёиоуыэюяі](?:л|ла|ло|ли|лі|лся|лась|лось|лись|лася|лося|ліся|ў|ўся)"
    r"|[еёиюяу]т(?:ся)?|(?<!с)[іюуая]ць|[еіюуя]цца)"
    r"|есть|ёсць",
)
#: Nouns with a verb's ending that a question may hold.
_NOT_VERBS_TEXT = """
    сила роли цели генерал канал материал совет бюджет ответ запрет комитет кабинет визит
    кредит лимит институт маршрут статут интернет пакет портрет предмет декрет секрет билет
    пикет авторитет суверенитет приоритет менталитет салют уют парламент савет бюджэт
    камітэт візіт крэдыт інстытут інтэрнэт пакет партрэт прадмет дэкрэт білет пікет
    аўтарытэт сувэрэнітэт прыярытэт"""
_NOT_VERBS = frozenset(_NOT_VERBS_TEXT.split())
#: Verbs of imposing (not the noun "sanctions": "did the EU consider sanctions?" asks
#: something else).
_IMPOSED = re.compile(
    r"impos|\bsanction(?:ed)?\b|\bslap|ввел|ввёл|ввела|ввели|увёў|ўвёў|увяла|ўвяла|увялі|ўвялі"
    r"|наложил|вводил|ўводзіў|уводзіў"
)
#: An assessment and its opposite: a question that asks whether something was free, fair
#: or legitimate is answered "no" by a fact that calls it rigged or falsified.
_POSITIVE = re.compile(
    r"\b(?:free|fair|honest|democratic|legitimate(?:ly)?|transparent)\b"
    r"|свободн|честн|демократичн|легитимн|законн|прозрачн"
    r"|свабодн|сумленн|дэмакратычн|легітымн|празрыст",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:rigged|fraudulent|fraud|falsif\w*|illegitimate|unfair|stolen|sham)\b"
    r"|фальсифи|сфальсифи|нелегитимн|незаконн|подтасов|фальсіфі|сфальсіфі|нелегітымн",
    re.IGNORECASE,
)
#: How close before a question word a negation must stand to deny it ("neither free nor
#: fair", "did not impose", "не были ни свободными").
_NEAR = 3
_NOT_IMPOSED = frozenset(
    {
        SanctionStatus.DISCUSSED,
        SanctionStatus.PROPOSED,
        SanctionStatus.THREATENED,
        SanctionStatus.LIFTED,
    }
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


def asks_yes_no(question: str) -> bool:
    """True when ``question`` asks for a yes or a no ("Did the EU…", "Ввёл ли…", "Ці…",
    "Правда что…", "Британия ввела санкции?")."""
    return _YES_NO.search(question) is not None or _slavic_yes_no(question)


def _slavic_yes_no(question: str) -> bool:
    """A Russian or Belarusian question asked by its mark alone: it ends in "?", has a verb
    and no question word ("ЕС вводил санкции против Лукашенко?"; not "санкции против
    Беларуси?", nor "когда ЕС ввёл санкции?")."""
    text = question.strip()
    if not text.endswith("?") or not has_cyrillic(text):
        return False
    words = _WORD.findall(text)
    folded = [w.casefold() for w in words]
    if any(CYRILLIC_QUESTION_WORD.fullmatch(w) for w in folded):
        return False
    # A capitalised word past the first is a name ("Павел"), never the verb.
    return any(
        (i == 0 or word[:1].islower())
        and _VERB.fullmatch(low) is not None
        and low not in _NOT_VERBS
        for i, (word, low) in enumerate(zip(words, folded, strict=True))
    )


def _key(word: str) -> str:
    """A word's stem, spelling variants folded (recognise / recognize, legitimate /
    legitimately; свободными / свободных)."""
    if has_cyrillic(word):
        return slavic_stem(word.casefold().replace("ё", "е"))[:7]
    folded = fold(word).replace("ise", "ize")
    return stem(folded)[:7]


#: The letters two Russian or Belarusian stems must share to count as one word
#: ("лояльны" / "лояльностью", "силовики" / "силовых").
_ROOT = 5


def _has(keys: set[str], key: str) -> bool:
    """True when ``keys`` hold ``key``, or (in Cyrillic) a word of its root."""
    if key in keys:
        return True
    return len(key) >= _ROOT and has_cyrillic(key) and any(k[:_ROOT] == key[:_ROOT] for k in keys)


def _stop(word: str) -> bool:
    low = word.casefold()
    return low in STOP_WORDS or low.replace("ё", "е") in SLAVIC_STOP_WORDS


@dataclass(frozen=True, slots=True)
class _Asked:
    """What a yes/no question asks about: the stems of its words, its names (people,
    states, bodies) and the stems of the rest (its predicate and topic: "признают" in
    "признают ли США Лукашенко?")."""

    keys: frozenset[str]
    names: tuple[str, ...]
    predicate: frozenset[str]


def _asked(body: str) -> _Asked:
    words = _WORD.findall(body)
    keys: set[str] = set()
    names: list[str] = []
    predicate: set[str] = set()
    for i, word in enumerate(words):
        low = word.casefold()
        if _stop(word) or _QUESTION_MARKER.fullmatch(low):
            continue
        # A capital names someone, except a verb opening the question ("Ввела Британия…").
        if word[:1].isupper() and (i > 0 or word.isupper() or not _VERB.fullmatch(low)):
            names.append(word)
        elif len(word) > 3:
            predicate.add(_key(word))
        if len(word) > 3:
            keys.add(_key(word))
    return _Asked(frozenset(keys), tuple(names), frozenset(predicate))


_QUESTION_MARKER = re.compile(r"правда|верно|праўда|неужели")


def _text_in(fact: Fact, language: Language) -> str:
    """The fact's claim in ``language`` (its translation), or in English."""
    if language == "en":
        return fact.text
    translation = fact.translations.get(language)
    return translation.text if translation is not None and translation.text else fact.text


def _names_all(fact: Fact, text: str, names: tuple[str, ...]) -> bool:
    """True when the fact names everyone the question names, under any spelling: a state
    or body by any of its names ("США" for "the United States"), a person by the sound of
    the name ("Тихановской" for "Tsikhanouskaya")."""
    if not names:
        return True
    both = f"{text} {fact.text} {' '.join(fact.names)}"
    actors = imposers_named(both)
    words = _WORD.findall(both)
    heard = {phonetic(fold(w)) for w in words}
    keys = {_key(w) for w in words}
    for name in names:
        named = imposers_named(name)
        if named:
            if not named <= actors:
                return False
            continue
        sound = phonetic(fold(name))[:_ROOT]
        if not _has(keys, _key(name)) and not any(h.startswith(sound) for h in heard):
            return False
    return True


def _denial(words: list[str], asked: frozenset[str]) -> int | None:
    """Where a negation stands within a few words before a word the question asks about
    ("called the election neither free nor fair" against "did Pompeo call the election
    free and fair?"): the index of that word; None when nothing denies it. A negation
    elsewhere in the claim says nothing about it."""
    for i, word in enumerate(words):
        if _has(set(asked), _key(word.casefold())) and any(
            is_negation(w.casefold()) for w in words[max(0, i - _NEAR) : i]
        ):
            return i
    return None


#: A state named as where something happened ("in Belarus", "в Беларуси", "у Беларусі").
_PLACE = re.compile(r"\b(?:in|в|во|у|ў)\s+\w+", re.IGNORECASE)
#: What a sanction is imposed on: the states named after it are targets, not imposers.
_TARGET = re.compile(r"\b(?:on|against|upon|против|супраць|на|в отношении)\b", re.IGNORECASE)
#: The state every fact of the base is about: a target of the measures, never their author.
_SUBJECT_STATE = "belarus"

#: How far before the denied word the state or body that denies it may be named ("whom
#: the United States does not recognise", "Соединённые Штаты не признают").
_DENIER = 6


def _stance_of_another(words: list[str], denied: int, body: str) -> bool:
    """True when the denial is a state's or body's stance ("the United States does not
    recognise him") and the question does not ask about that state or body ("Was
    Lukashenko recognised?", "Did Russia recognise him?"): one actor's no is not a no."""
    before = " ".join(words[max(0, denied - _DENIER) : denied])
    # A place is not a stance: "the election in Belarus was neither free nor fair".
    deniers = actors_named(_PLACE.sub(" ", before))
    return bool(deniers) and not deniers & actors_named(body)


def _opposite(question: str, text: str) -> bool:
    """True when the question asks whether something was free, fair or legitimate and the
    fact calls it rigged, falsified or illegitimate."""
    return _POSITIVE.search(question) is not None and _NEGATIVE.search(text) is not None


def verdict(question: str, best: Fact | None, others: Sequence[Fact] = ()) -> Polarity:
    """What the facts that answer a yes/no question say (best first; ``best`` None:
    nothing answers confidently): the first of them that names whom the question names
    and speaks to what it asks decides."""
    if best is None:
        return Polarity.UNKNOWN
    # The question without its opening auxiliary ("Didn't the EU…" asks the same as "Did").
    body = _YES_NO.sub(" ", question, count=1)
    if negated(body) and not _not_imposed(best, question):
        # A negated question ("Wasn't…") is not read for a verdict: the facts follow.
        return Polarity.UNKNOWN
    language = detect(question)
    asked = _asked(body)
    # "Did Russia impose sanctions?": only a measure Russia took can say yes or no; a fact
    # that merely mentions Russia beside sanctions does not.
    actors = (
        actors_named(_TARGET.split(body, maxsplit=1)[0]) - {_SUBJECT_STATE}
        if _IMPOSED.search(question.casefold())
        else frozenset()
    )
    if actors:
        return _imposed_verdict(question, language, asked, actors, (best, *others))
    for fact in (best, *others):
        text = _text_in(fact, language)
        raw = _WORD.findall(text)
        keys = {_key(w.casefold()) for w in raw}
        if not _names_all(fact, text, asked.names):
            continue  # about someone else than the question asks about
        if _not_imposed(fact, question):
            return Polarity.NO
        if _opposite(body, text) and any(_has(keys, k) for k in asked.keys):
            return Polarity.NO
        if asked.predicate and not any(_has(keys, k) for k in asked.predicate):
            continue  # about the same people, not about what was asked
        denied = _denial(raw, asked.keys)
        if denied is None:
            return Polarity.YES
        if _stance_of_another(raw, denied, body):
            continue  # one actor's stance: another fact may still say
        return Polarity.NO
    return Polarity.UNKNOWN


def _imposed_verdict(
    question: str, language: Language, asked: _Asked, actors: frozenset[str], facts: Sequence[Fact]
) -> Polarity:
    """Whether a state or body the question names imposed a measure: yes when one of the
    facts is a measure it took, no when its measures were only discussed, proposed or
    lifted; a fact that names it otherwise (a wary EU, a pretext for Russia) says neither."""
    measures = [
        f
        for f in facts
        if _imposed_by(f, actors) and _names_all(f, _text_in(f, language), asked.names)
    ]
    if any(not _not_imposed(f, question) for f in measures):
        return Polarity.YES
    return Polarity.NO if measures else Polarity.UNKNOWN


def _imposed_by(fact: Fact, actors: frozenset[str]) -> bool:
    """True when the fact is a measure one of ``actors`` took (or discussed, or lifted)."""
    d = fact.details
    return isinstance(d, SanctionDetails) and bool(actors & actors_named(" ".join(d.imposed_by)))


def _not_imposed(fact: Fact, question: str) -> bool:
    """True when the question asks whether a measure was imposed and the fact's measure
    was only discussed, proposed, threatened, or lifted."""
    d = fact.details
    return (
        isinstance(d, SanctionDetails)
        and d.status in _NOT_IMPOSED
        and _IMPOSED.search(question.casefold()) is not None
    )
