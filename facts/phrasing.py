"""How questions are phrased: the words that only frame one, the country every fact is
about, what a "how many" counts, the verb a "when did X …" or "how many were …ed" turns
on and its subject, and whose words a "what did X say" asks for (English; Russian and
Belarusian verbs are read in :mod:`facts.question`)."""

from __future__ import annotations

import re

from facts.analysis import STOP_WORDS, Token, analyze, stem
from facts.lang import slavic_stem

#: After "how many", the words up to one of these name what is counted.
_COUNTED = re.compile(r"\b(?:how (?:many|much)|number of|share of|percentage of|proportion of)\s+")


#: Words that frame a question but say nothing about what is asked.
_FILLER_TEXT = """
    many much number numbers figure figures count counted total exactly approximately
    roughly currently current today latest recent recently tell know information info give
    show find explain describe happen happened happens happening occur occurred take took
    taken place say said says saying mean means name named list kind type sort fact facts
    question answer data date day month year when who whom whose what which why how
    anything something someone anyone thing things according"""


FILLER = frozenset(_FILLER_TEXT.split())


#: The country every fact is about: it does not help tell facts apart.
DOMAIN_TERMS = frozenset(
    {"belarus", slavic_stem("беларусь"), slavic_stem("белоруссия"), slavic_stem("беларусі")}
)


_COUNTED_END_TEXT = """
    are is were was did do does have has had there in on at by from to for since after
    before during according that who which would will can could remain remained were got
    get against"""


_COUNTED_END = frozenset(_COUNTED_END_TEXT.split())


#: Counted nouns too general to insist on ("how many people are political prisoners").
_GENERIC_COUNTED = frozenset(
    stem(w) for w in ("people", "person", "persons", "individuals", "citizens", "times")
)


_WHEN_AUX = re.compile(
    r"^\s*when\s+(?P<aux>did|does|do|was|were|is|are|has|have|had|will)\s+", re.IGNORECASE
)


_DETERMINERS = frozenset({"the", "a", "an", "its", "his", "her", "their", "this", "that"})


_AUXILIARIES = frozenset({"were", "was", "are", "is", "have", "has", "had", "been", "be", "got"})


_PARTICIPLES = frozenset(
    [
        "held",
        "taken",
        "sent",
        "thrown",
        "given",
        "known",
        "written",
        "found",
        "left",
        "kept",
        "brought",
        "lost",
        "paid",
        "seen",
        "made",
        "led",
        "fallen",
        "broken",
        "hidden",
        "drawn",
        "told",
        "said",
        "met",
        "won",
        "fled",
        "put",
        "set",
        "cut",
        "hurt",
        "shut",
    ]
)


#: Verbs that say little of their own ("go to Minsk", "put sanctions on", "hold a
#: briefing"): a fact says the same with another verb, so they are not insisted on.
_LIGHT_VERBS = frozenset(
    stem(w)
    for w in (
        "go",
        "goes",
        "went",
        "gone",
        "put",
        "puts",
        "hold",
        "holds",
        "held",
        "get",
        "got",
        "make",
        "made",
        "take",
        "took",
        "taken",
        "do",
        "did",
        "done",
        "have",
        "give",
        "gave",
        "given",
        "come",
        "came",
        "keep",
        "kept",
        "bring",
        "brought",
        "set",
    )
)


_ADVERBS = frozenset({"first", "last", "ever", "actually", "really", "also", "already", "finally"})


_WHAT_SAID = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had)\s+(?P<who>.+?)\s+"
    r"(?:say|said|claim|claimed|tell|told|think|call|called|announce|state|write|mean)\b",
    re.IGNORECASE,
)


def counted_terms(question: str) -> set[str]:
    """The terms of what a "how many …" question counts ("political prisoners")."""
    match = _COUNTED.search(question.casefold())
    if match is None:
        return set()
    words: list[str] = []
    for word in question.casefold()[match.end() :].split()[:3]:
        word = word.strip("?!.,;:")
        # The counted noun phrase ends at the verb (often the only past form in it).
        if not word or word in _COUNTED_END or word in STOP_WORDS or word.endswith("ed"):
            break
        words.append(word)
    return {
        t.term
        for t in analyze(" ".join(words))
        if t.word not in FILLER and t.term not in _GENERIC_COUNTED
    }


def speakers_asked(question: str, entity_terms: dict[str, set[str]]) -> set[str]:
    """The entities named between "what did" and "say" (or tell, claim, call…)."""
    match = _WHAT_SAID.search(question)
    if match is None:
        return set()
    return {e for t in analyze(match.group("who")) for e in entity_terms.get(t.term, ())}


def _verb_after_subject(
    words: list[Token], entity_terms: dict[str, set[str]]
) -> tuple[Token | None, set[str]]:
    """In "<subject> <verb> …", skip the subject (a determiner, capitalised words and
    names, plural nouns) and adverbs; return the next word and the subject's terms."""
    index = 0
    if index < len(words) and words[index].word in _DETERMINERS:
        index += 1
    subject: set[str] = set()
    while index < len(words):
        token = words[index]
        if not (
            token.capital
            or token.term in entity_terms
            or token.word in {"and", "of"}
            or (token.word.endswith("s") and not token.word.endswith("ss"))
        ):
            break
        if token.word not in STOP_WORDS and token.term not in DOMAIN_TERMS:
            subject.add(token.term)
        index += 1
    while index < len(words) and words[index].word in _ADVERBS:
        index += 1
    return (words[index] if index < len(words) else None), subject


def _is_participle(word: str) -> bool:
    return word.endswith("ed") or word in _PARTICIPLES


def main_verb(
    question: str, content: list[Token], entity_terms: dict[str, set[str]]
) -> tuple[str | None, set[str]]:
    """The verb a "when did X <verb>" or "how many X were <verb>ed" question turns on,
    which the answer must contain ("when did the EU lift sanctions" is not answered by
    when the EU imposed them; "how many prisoners were freed" not by how many are held),
    and for active questions the subject's terms (see :func:`subject_after_verb`).

    The word taken for the verb is now and then a noun, which the answer then contains
    anyway."""
    verb: Token | None = None
    subject: set[str] = set()
    active = False
    when = _WHEN_AUX.match(question)
    counted = _COUNTED.search(question.casefold())
    if when is not None:
        words = analyze(question[when.end() :], keep_stop_words=True)
        verb, subject = _verb_after_subject(words, entity_terms)
        active = when.group("aux").casefold() in {"did", "does", "do", "will"}
    elif counted is not None:
        words = analyze(question[counted.end() :], keep_stop_words=True)
        index = 0
        # Past the counted noun phrase (as in :func:`counted_terms`).
        while index < min(len(words), 3) and not (
            words[index].word in _COUNTED_END
            or words[index].word in STOP_WORDS
            or _is_participle(words[index].word)
        ):
            subject.add(words[index].term)
            index += 1
        # The order of subject and verb is left unchecked here: a fact may count the
        # same thing under another name ("53 parties signed … 51 other countries").
        rest = words[index:]
        if rest and _is_participle(rest[0].word):
            verb = rest[0]
        elif rest and rest[0].word in {"did", "do", "does"}:
            verb, _ = _verb_after_subject(rest[1:], entity_terms)
        else:
            while rest and rest[0].word in _AUXILIARIES:
                rest = rest[1:]
            if rest and _is_participle(rest[0].word) and rest[0] is not words[index]:
                verb = rest[0]
    if (
        verb is None
        or verb.word in STOP_WORDS
        or verb.word in FILLER
        or verb.term in _LIGHT_VERBS
        or verb.term not in {t.term for t in content}
    ):
        return None, set()
    return verb.term, subject - DOMAIN_TERMS if active else set()
