"""Claim check: split a post into claims and say what the base says about each one.

Pure (no Telegram, nothing stored): :func:`check_post` takes a post's text and anything
shaped like the store (:class:`facts.answer.FactSource`) and returns a :class:`PostCheck`.
The steps:

1. Split the post into sentences and clauses ("…, and …", "; ", "… and met …"); set aside
   questions, slogans and opinions (they are not checkable); a clause that starts with a
   pronoun or a verb borrows the names of the clause before it to be matched.
2. Match each claim against the base: the ranked search gives candidates, each scored by
   the share of the claim's words it contains, weighted by how rare each word is; a name
   the base has never heard of means the base says nothing.
3. For every fact that covers the claim well enough, decide: *contradict* only on
   conflicting content (a negation the other lacks, a number whose range does not overlap
   once qualifiers are read — "at least 1,486" against "about a hundred" —, another year
   or month of a dated event, another city, a country missing from a list the fact names
   in full, an opposite assessment: "free and fair" against "rigged"); *context* when the
   fact records the claim only as someone's claim or allegation and the post states it
   as plain fact; otherwise *support*. Similarity alone never contradicts.
4. A claim's finding: contradict if a close fact contradicts it, else support, else
   context, else nothing. There is no verdict on the whole post.

No post texts or fact ids live here: every rule is about words, numbers, dates and kinds.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sized
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache

from facts.aliases import imposers_named, metonym_rules
from facts.answer import FactSource
from facts.errors import NotFoundError
from facts.lang import Language, detect, has_cyrillic
from facts.model import (
    EntityType,
    Fact,
    Kind,
    PersonDetails,
    Qualifier,
    SanctionDetails,
    StatementDetails,
    StatisticDetails,
)
from facts.search import Token, analyze, details_text, translation_fields


class Finding(StrEnum):
    """What the base says about one claim."""

    SUPPORT = "support"
    CONTRADICT = "contradict"
    CONTEXT = "context"
    NOTHING = "nothing"


class Conflict(StrEnum):
    """Why a fact contradicts a claim."""

    NEGATION = "negation"
    NUMBER = "number"
    DATE = "date"
    PLACE = "place"
    LIST = "list"
    ASSESSMENT = "assessment"


class AsideReason(StrEnum):
    """Why a piece of a post is not checked."""

    QUESTION = "question"
    SLOGAN = "slogan"
    OPINION = "opinion"


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """One claim of a post, what the base says about it, and the facts it rests on."""

    text: str
    finding: Finding
    facts: list[Fact] = field(default_factory=list)
    conflict: Conflict | None = None


@dataclass(frozen=True, slots=True)
class Aside:
    """A piece of a post set aside, and why."""

    text: str
    reason: AsideReason


@dataclass(frozen=True, slots=True)
class PostCheck:
    """Every claim of a post checked, and what was set aside."""

    language: Language
    claims: list[ClaimCheck]
    set_aside: list[Aside]


# --- splitting ------------------------------------------------------------------------------

#: A post longer than this is cut here (a forwarded post can be 4,096 characters).
MAX_POST = 4096
#: Claims checked at most in one post; the rest are reported as not checked.
MAX_CLAIMS = 20

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "vs",
        "etc",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "gen",
        "col",
        "lt",
        "sgt",
        "jr",
        "sr",
        "inc",
        "ltd",
        "approx",
        "г",
        "гг",
        "т.е",
        "т.д",
        "им",
        "ул",
        "проф",
        "д-р",
    ]
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"»”')]*\s+|\n+")
_HEADLINE = re.compile(
    r"^\s*(?:breaking|urgent|update|срочно|молния|важно|тэрмінова|тэрмінова|увага)\s*[:!—-]+\s*",
    re.IGNORECASE,
)
_CLAUSE_SPLIT = re.compile(
    r"\s*;\s+|,\s+(?:and|but|while|whereas|и|а|но|однако|і|ды|але)\s+"
    r"|,\s+(?=(?:including|long after|long before|although|though|despite|yet)\b)"
    r"|,\s+(?=(?:в том числе|включая|хотя|несмотря|у тым ліку|уключна|хоць|нягледзячы)\b)"
    # An assessment tacked onto a claim is a claim of its own: "… in a free and fair election".
    r"|\s+(?=in an? (?:free|fair|honest|democratic|transparent|rigged|fraudulent)\b)"
    r"|\s+(?=на (?:честн|свободн|демократичн|прозрачн|сумленн|свабодн|дэмакратычн)\w*)",
    re.IGNORECASE,
)
#: "… and met Lukashenko": a second verb after "and" starts a clause of its own.
_VERB_EN = (
    r"(?:also\s+)?(?:\w+ed|met|said|told|won|lost|got|gave|held|made|took|saw|"
    r"went|came|fled|left|put|sent|wrote|became|began|ran|called|imposed|visited)\b"
)
_VERB_CYRILLIC = r"(?:также\s+|тоже\s+|таксама\s+)?\w+(?:л|ла|ло|ли|лі|лся|лась|лись|ліся|ўся|ў)\b"
_AND_VERB = re.compile(rf"\s+and\s+(?={_VERB_EN})|\s+(?:и|і)\s+(?={_VERB_CYRILLIC})", re.IGNORECASE)
#: A clause whose subject is in the clause before: it opens with a verb or "he", "she".
_SUBJECTLESS = re.compile(
    rf"^\s*(?:{_VERB_EN}|{_VERB_CYRILLIC}"
    r"|(?:he|she|they|он|она|они|ён|яна|яны)\b)",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?\s*[\"»”')]*\s*$")
_SLOGAN = re.compile(
    r"^\s*(?:long live|glory to|free\b|freedom (?:to|for)\b|shame\b|down with|stop the\b"
    r"|жыве|слава|свободу|свабоду|позор|ганьба|долой|прэч|геть|верым|мы можам|мы победим)",
    re.IGNORECASE,
)
_OPINION = re.compile(
    r"\b(?:i think|i believe|i feel|i hope|in my (?:opinion|view)|we must|we should|must be"
    r"|should be|it is time|it's time|buy now|subscribe|share (?:this|it)|don'?t believe"
    r"|lies\b|propaganda\b|fake news|criminals\b|traitors\b|heroes\b|disgrace|shameful"
    r"|я думаю|я считаю|я верю|по-моему|на мой взгляд|мне кажется|надеюсь|мы должны|надо|нужно"
    r"|ложь|вран|пропаганд|преступник|предател|герои|позор|подписывайтесь|репост"
    r"|я лічу|я думаю|па-мойму|на маю думку|мне здаецца|спадзяюся|мы павінны|трэба|хлусня"
    r"|прапаганд|злачынц|здраднік|героі|ганьба|падпісвайцеся)",
    re.IGNORECASE,
)
#: Words an imperative sentence (an instruction, not a claim) opens with.
_IMPERATIVE = re.compile(
    r"^\s*(?:fry|add|mix|stir|bake|boil|cook|buy|sell|invest|join|read|watch|share|follow"
    r"|subscribe|send|click|tell|remember|imagine|look|let'?s|please|don'?t|do not"
    r"|жарьте|добавьте|купите|подпишитесь|читайте|смотрите|присоединяйтесь|помните"
    r"|смажце|дадайце|купіце|падпісвайцеся|чытайце|глядзіце|далучайцеся|памятайце)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(
    r"(?:^|(?<=\s))(?:he|she|they|it|his|her|him|them|their|its|он|она|они|оно|его|её|ее|их|ей|ему"
    r"|ён|яна|яны|яно|яго|яе|ёй|яму|іх)(?=[\s,.!?]|$)",
    re.IGNORECASE,
)
_WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def _sentences(text: str) -> list[str]:
    """Sentences of ``text``: cut after . ! ? … unless the word before is an abbreviation."""
    out: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        piece = text[start : match.start()]
        last = piece.rsplit(None, 1)[-1].rstrip(".").casefold() if piece.split() else ""
        if match.group().strip() == "" and "\n" not in match.group():
            following = text[match.end() : match.end() + 1]
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
            if following.islower():
                continue
        out.append(piece)
        start = match.end()
    out.append(text[start:])
    return [s.strip() for s in out if s.strip()]


def _aside(sentence: str, *, clause: bool = False) -> AsideReason | None:
    if _QUESTION.search(sentence):
        return AsideReason.QUESTION
    words = _WORDS.findall(sentence)
    if _SLOGAN.search(sentence) or (
        sentence.rstrip().endswith("!") and len(words) <= 6 and not _has_figure(sentence)
    ):
        return AsideReason.SLOGAN
    if clause and (_OPINION.search(sentence) or _IMPERATIVE.search(sentence)):
        return AsideReason.OPINION
    if not words:
        return AsideReason.SLOGAN
    return None


def _has_figure(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _clauses(sentence: str) -> list[str]:
    parts = [p for p in _CLAUSE_SPLIT.split(sentence) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = _AND_VERB.split(part)
        for piece in pieces:
            if out and len(_WORDS.findall(piece)) < 2:
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
    # A fragment too short to say anything joins the clause before it.
    merged: list[str] = []
    for clause in out:
        clause = clause.strip(" ,;:—–-")
        if merged and len(_WORDS.findall(clause)) < 2 and not _has_figure(clause):
            merged[-1] = f"{merged[-1]}, {clause}"
        elif clause:
            merged.append(clause)
    return merged


@dataclass(frozen=True, slots=True)
class _Piece:
    """A claim as written, and the words it is matched with (its own and borrowed names)."""

    text: str
    query: str


def split_post(text: str) -> tuple[list[_Piece], list[Aside]]:
    """The post's checkable claims (each with the text it is matched by) and what was set
    aside (questions, slogans, opinions), in the post's order."""
    text = _HEADLINE.sub("", text[:MAX_POST])
    claims: list[_Piece] = []
    aside: list[Aside] = []
    previous: _Piece | None = None
    for sentence in _sentences(text):
        sentence = _HEADLINE.sub("", sentence)
        reason = _aside(sentence)
        if reason is not None:
            aside.append(Aside(sentence, reason))
            continue
        for clause in _clauses(sentence):
            for part, reason in _opinions_apart(clause):
                if reason is not None:
                    aside.append(Aside(part, reason))
                    continue
                part = part.rstrip(".!…").strip()
                query = part
                if previous is not None and _INCLUDING.match(part):
                    query = f"{previous.text} {part}"
                elif previous is not None and (_PRONOUN.search(part) or part[:1].islower()):
                    query = f"{_names_of(previous.query)} {part}"
                previous = _Piece(part, query)
                claims.append(previous)
    return claims, aside


_INCLUDING = re.compile(
    r"\s*(?:including|among them|в том числе|включая|среди них|у тым ліку|уключна|сярод іх)\b",
    re.IGNORECASE,
)


def _opinions_apart(clause: str) -> list[tuple[str, AsideReason | None]]:
    """The clause as a claim, or set aside as an opinion; when only a part of it after a
    comma is opinion ("…, all of them criminals"), the rest is still a claim."""
    reason = _aside(clause, clause=True)
    if reason is None:
        return [(clause, None)]
    parts = [p.strip() for p in re.split(r",\s+", clause) if p.strip()]
    if reason is not AsideReason.OPINION or len(parts) < 2:
        return [(clause, reason)]
    out: list[tuple[str, AsideReason | None]] = []
    for part in parts:
        own = _aside(part, clause=True)
        if own is None and len(_WORDS.findall(part)) < 4:
            own = AsideReason.OPINION
        out.append((part, own))
    return out


def _names_of(text: str) -> str:
    """The capitalised words and figures of ``text`` (what a following clause refers to)."""
    words = _WORDS.findall(text)
    kept = [w for i, w in enumerate(words) if (w[:1].isupper() and i > 0) or w[:1].isdigit()]
    if words and words[0][:1].isupper() and words[0].casefold() not in _OPENERS:
        kept.insert(0, words[0])
    return " ".join(kept)


_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "after",
        "before",
        "since",
        "during",
        "this",
        "that",
        "these",
        "those",
        "there",
        "it",
        "he",
        "she",
        "they",
        "we",
        "i",
    ]
)


def looks_like_post(text: str) -> bool:
    """True for a text that reads as a post rather than a question: two or more sentences,
    at least 120 characters, and not ending in a question mark."""
    text = text.strip()
    if len(text) < 120 or _QUESTION.search(text):
        return False
    return len(_sentences(text)) >= 2


# --- numbers ----------------------------------------------------------------------------------

_INF = math.inf
_MONTHS_EN = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
_MONTH_STEMS: dict[str, int] = {
    **{m[:3]: i for i, m in enumerate(_MONTHS_EN, 1) if m != "may"},
    "may": 5,
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
    "студзен": 1, "лют": 2, "сакавік": 3, "красавік": 4, "травен": 5,
    "травн": 5, "чэрвен": 6, "ліпен": 7, "жнівен": 8, "жніўн": 8,
    "верас": 9, "кастрычнік": 10, "лістапад": 11, "снежан": 12, "снежн": 12,
}  # fmt: skip
_MONTH_WORD = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
    r"|январ\w*|феврал\w*|март\w*|апрел\w*|ма[яйе]|мае|июн\w*|июл\w*|август\w*|сентябр\w*"
    r"|октябр\w*|ноябр\w*|декабр\w*|студзен\w*|студзен\w*|лют\w*|сакавік\w*|красавік\w*"
    r"|травен\w*|травн\w*|чэрвен\w*|чэрвен\w*|ліпен\w*|ліпен\w*|жнівен\w*|жніўн\w*|верас\w*"
    r"|кастрычнік\w*|лістапад\w*|снежан\w*|снежн\w*)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\d.,])(19[5-9]\d|20[0-4]\d)(?![\d.,]*\d)")
_MONTH_ALTERNATION = _MONTH_WORD.pattern[5:-3]
_DAY_BEFORE_MONTH = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?=(?:{_MONTH_ALTERNATION})\b)", re.IGNORECASE
)
_DAY_AFTER_MONTH = re.compile(
    rf"\b((?:{_MONTH_ALTERNATION}))\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?!\s*(?:%|per|проц|прац))",
    re.IGNORECASE,
)


def _month_number(word: str) -> int | None:
    w = word.casefold()
    if w in ("may", "мая", "мае", "май"):
        return 5
    for stem_, number in sorted(_MONTH_STEMS.items(), key=lambda kv: -len(kv[0])):
        if len(stem_) >= 3 and w.startswith(stem_):
            return number
    return None


@dataclass(frozen=True, slots=True)
class _When:
    years: frozenset[int]
    months: frozenset[tuple[int, int]]  # (year or 0, month)


def _dates(text: str) -> _When:
    years = {int(y) for y in _YEAR.findall(text)}
    months: set[tuple[int, int]] = set()
    for match in _MONTH_WORD.finditer(text):
        word = match.group()
        if (
            word.casefold() == "may"
            and not re.search(
                r"\d|\b(?:of|in|since|until|early|late|mid)\s*$", text[: match.start()][-12:]
            )
            and not re.match(r"\s+\d", text[match.end() :])
        ):
            continue  # "may" the verb
        number = _month_number(word)
        if number is None:
            continue
        after = _YEAR.search(text[match.end() : match.end() + 12])
        months.add((int(after.group()) if after else 0, number))
    return _When(frozenset(years), frozenset(months))


_QUALIFIERS: tuple[tuple[re.Pattern[str], Qualifier], ...] = (
    (
        re.compile(
            r"(?:at least|no fewer than|no less than|не менее|не меньше|как минимум|минимум"
            r"|не менш|прынамсі|як мінімум|мінімум)\s*$",
            re.IGNORECASE,
        ),
        Qualifier.AT_LEAST,
    ),
    (
        re.compile(
            r"(?:more than|over|above|in excess of|более|больше|свыше|больш|звыш|больш за)\s*$",
            re.IGNORECASE,
        ),
        Qualifier.MORE_THAN,
    ),
    (
        re.compile(
            r"(?:up to|fewer than|less than|under|at most|до|менее|меньше|не более|менш|не больш)"
            r"\s*$",
            re.IGNORECASE,
        ),
        Qualifier.UP_TO,
    ),
    (
        re.compile(
            r"(?:about|around|some|roughly|approximately|nearly|almost|close to|only about"
            r"|около|примерно|почти|приблизительно|порядка|каля|прыкладна|амаль|блізу)\s*$",
            re.IGNORECASE,
        ),
        Qualifier.ABOUT,
    ),
)
_NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "thousand": 1000, "million": 1_000_000,
    "один": 1, "одна": 1, "два": 2, "две": 2, "двух": 2, "три": 3, "трёх": 3, "трех": 3,
    "четыре": 4, "пять": 5, "пяти": 5, "шесть": 6, "семь": 7, "восемь": 8, "восьми": 8,
    "девять": 9, "десять": 10, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
    "сто": 100, "сотни": 100, "сотню": 100, "тысяча": 1000, "тысячу": 1000,
    "адзін": 1, "адна": 1, "дзве": 2, "тры": 3, "чатыры": 4, "пяць": 5,
    "восем": 8, "васьмі": 8, "дзесяць": 10, "дваццаць": 20, "сорак": 40, "пяцьдзясят": 50,
}  # fmt: skip
#: Vague plural amounts: "hundreds", "thousands", "dozens", "several".
_VAGUE: tuple[tuple[re.Pattern[str], float, float], ...] = (
    (
        re.compile(
            r"\b(?:a few|several) thousand\b|нескольк\w* тысяч\w*|некальк\w* тысяч\w*", re.I
        ),
        2000,
        9999,
    ),
    (
        re.compile(r"\b(?:a few|several) hundred\b|нескольк\w* сот\w*|некальк\w* сот\w*", re.I),
        200,
        999,
    ),
    (
        re.compile(
            r"\bhundreds of thousands\b|сотни тысяч|сотен тысяч|сотні тысяч|соцень тысяч",
            re.IGNORECASE,
        ),
        100_000,
        999_999,
    ),
    (re.compile(r"\bthousands\b|\bтысяч[иа]?\b(?!\s*\d)|\bтысячы\b", re.IGNORECASE), 1000, 9999),
    (
        re.compile(r"\bhundreds\b|\bсот(?:ни|ен|ням|нями)\b|\bсотні\b|\bсоцень\b", re.IGNORECASE),
        100,
        999,
    ),
    (
        re.compile(r"\b(?:a few )?dozens?\b|\bдесятк\w*|\bдзясятк\w*|\bдзесятк\w*", re.IGNORECASE),
        12,
        99,
    ),
    (
        re.compile(r"\bseveral\b|\ba few\b|\bнескольк\w*|\bнекальк\w*", re.IGNORECASE),
        2,
        9,
    ),
)
_TWO_THIRDS = re.compile(
    r"\btwo[- ]thirds\b|две трети|двух третей|дзве трэці|дзвюх трэціх", re.IGNORECASE
)
_HALF = re.compile(r"\b(?:a |one )?half\b|половин\w*|палов\w*", re.IGNORECASE)
_DIGITS = re.compile(r"(?<![\d:])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+|\d+(?:[.,]\d+)?)(?![\d:])")
_NUMBER_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class _Amount:
    low: float
    high: float
    #: The first words after the figure ("political prisoners", "officials"): what it counts.
    unit: frozenset[str] = frozenset()

    def comparable(self, other: _Amount) -> bool:
        """True when both count the same thing (or either does not say what it counts)."""
        return not self.unit or not other.unit or bool(self.unit & other.unit)


def _range(value: float, qualifier: Qualifier) -> _Amount:
    if qualifier in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        return _Amount(value, _INF)
    if qualifier is Qualifier.UP_TO:
        return _Amount(0, value)
    if qualifier is Qualifier.ABOUT:
        return _Amount(value * 0.85, value * 1.15)
    if qualifier is Qualifier.SEVERAL:
        return _Amount(2, 9)
    return _Amount(value * 0.99, value * 1.01)


def _qualifier(before: str) -> Qualifier:
    before = re.sub(r"\s+(?:a|an)\s*$", " ", before, flags=re.IGNORECASE)
    for pattern, qualifier in _QUALIFIERS:
        if pattern.search(before):
            return qualifier
    return Qualifier.EXACTLY


def _without_dates(text: str) -> str:
    text = _DAY_BEFORE_MONTH.sub(" ", text)
    text = _DAY_AFTER_MONTH.sub(r"\1 ", text)
    return _YEAR.sub(" ", text)


_PERCENT = re.compile(r"%|\bпроцент\w*|\bпрацэнт\w*", re.IGNORECASE)
_UNIT_END = re.compile(r"[,.;:()!?]")


def _unit(after: str) -> frozenset[str]:
    words = _UNIT_END.split(after[:60], maxsplit=1)[0]
    terms = [t.term for t in analyze(words) if not t.term[:1].isdigit()]
    return frozenset(terms[:2])


def amounts(text: str) -> list[_Amount]:
    """The quantities ``text`` states (dates left out), each as the range its qualifier
    allows — "at least 1,486" → [1486, ∞), "about a hundred" → [70, 130], "thousands" →
    [1000, 9999] — with the words that say what it counts."""
    text = _PERCENT.sub(" percent ", _without_dates(text))
    found: list[_Amount] = []
    spans: list[tuple[int, int]] = []

    def add(amount: _Amount, end: int) -> None:
        found.append(replace(amount, unit=_unit(text[end:])))

    for pattern, low, high in _VAGUE:
        for match in pattern.finditer(text):
            if any(s <= match.start() < e for s, e in spans):
                continue
            spans.append(match.span())
            qualifier = _qualifier(text[: match.start()])
            top = _INF if qualifier in (Qualifier.MORE_THAN, Qualifier.AT_LEAST) else high
            add(_Amount(low, top), match.end())
    for match in _TWO_THIRDS.finditer(text):
        spans.append(match.span())
        add(_Amount(60, 70), match.end())
    for match in _HALF.finditer(text):
        spans.append(match.span())
        add(_Amount(45, 55), match.end())
    for match in _DIGITS.finditer(text):
        raw = match.group(1)
        if re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+", raw):
            value = float(re.sub(r"\D", "", raw))
        else:
            value = float(raw.replace(",", "."))
        add(_range(value, _qualifier(text[: match.start()])), match.end())
    for match in _NUMBER_WORD.finditer(text):
        if any(s <= match.start() < e for s, e in spans):
            continue
        word = match.group().casefold()
        worded = _NUMBER_WORDS.get(word)
        if worded is None or (worded == 1 and word in ("one", "один", "одна", "адзін", "адна")):
            continue  # "one of", "one onion": rarely a count worth comparing
        add(_range(worded, _qualifier(text[: match.start()])), match.end())
    return found


def _overlap(a: _Amount, b: _Amount) -> bool:
    return a.low <= b.high and b.low <= a.high


def _fact_amounts(fact: Fact) -> list[_Amount]:
    texts = [fact.text, *(t.text for t in fact.translations.values())]
    stated = [a for t in texts for a in amounts(t)]
    d = fact.details
    if isinstance(d, StatisticDetails):
        value = _range(float(d.value), d.qualifier)
        unit = set(_unit(d.unit))
        for a in stated:
            if _overlap(a, value):
                unit |= a.unit
        return [replace(value, unit=frozenset(unit))]
    return stated


def _comparable(claim: list[_Amount], fact: Fact, view: _FactView) -> list[tuple[_Amount, _Amount]]:
    """Pairs of a claim's figure and a fact's that count the same thing. A statistic's one
    figure is what it is about: a claim with one figure is compared with it whatever words
    either uses for what is counted."""
    if len(claim) == 1 and fact.kind is Kind.STATISTIC:
        return [(claim[0], b) for b in view.amounts]
    return [(a, b) for a in claim for b in view.amounts if a.comparable(b)]


# --- words ------------------------------------------------------------------------------------

_NEGATION = re.compile(
    r"\b(?:not(?! to\b)|no|never|nobody|none|nothing|neither|nor|no one|absence|absent"
    r"|lack(?:ed|s)?"
    r"|denied|den(?:y|ies)|refused|n't)\b|n't\b"
    r"|(?:^|(?<=[\s,.(«\"]))(?:не|нет|ни|никто|никого|никому|никогда|ничего|нигде|отсутств\w*"
    r"|ніхто|нікога|нікому|ніколі|нічога|нідзе|няма|ні|адсутн\w*"
    # "denied", "refused" in Russian and Belarusian
    r"|отказ\w*|отказыв\w*|отрица\w*|адмаўл\w*|адмов\w*)(?=[\s,.!?)»\"]|$)",
    re.IGNORECASE,
)
_POSITIVE = re.compile(
    r"\b(?:free|fair|democratic|legitimate(?:ly)?|honest|transparent|recogni[sz]\w*)\b"
    r"|свободн\w*|честн\w*|демократичн\w*|легитимн\w*|прозрачн\w*|призна\w*"
    r"|свабодн\w*|сумленн\w*|дэмакратычн\w*|легітымн\w*|празрыст\w*|прызна\w*",
    re.IGNORECASE,
)
_NEGATIVE = re.compile(
    r"\b(?:rigged|fraudulent|fraud|falsif\w*|falsified|illegitimate|unfair|stolen|sham)\b"
    r"|фальсифи\w*|сфальсифи\w*|нелегитимн\w*|подтасов\w*|украден\w*"
    r"|фальсіфі\w*|сфальсіфі\w*|нелегітымн\w*|скрадзен\w*",
    re.IGNORECASE,
)
_ATTRIBUTED = re.compile(
    r"\b(?:said|says|say|told|stated|claim\w*|call(?:ed|s)|according to|describ\w*|named"
    r"|announc\w*|declar\w*|report(?:ed|s)|offer(?:ed|s)|promis\w*|warn\w*|urg\w*|demand\w*"
    r"|accus\w*|insist\w*|spoke|recall\w*|alleg\w*|welcom\w*|condemn\w*|prais\w*"
    r"|criticis\w*|criticiz\w*)\b"
    r"|заяв\w*|сказал\w*|назвал\w*|по словам|по данным|по мнению|сообщ\w*|утвержда\w*"
    r"|обеща\w*|пообеща\w*|предлож\w*|предупред\w*|призва\w*|потребова\w*|обвин\w*"
    r"|сказаў\w*|назва\w*|паводле|са слоў|паведам\w*|сцвярдж\w*|абяца\w*|паабяца\w*"
    r"|прапан\w*|папяр\w*|заклік\w*|патрабава\w*|абвінав\w*"
    r"|приветств\w*|осуди\w*|осужда\w*|раскритик\w*|вітал\w*|вітаў\w*|асудзі\w*|асуджа\w*"
    r"|(?<!\w)(?:казаў|казала|казалі|кажа|гаварыў|гаварыла)(?!\w)",
    re.IGNORECASE,
)
#: In a fact: the words that make what follows someone's claim rather than established.
_HEDGE = re.compile(
    r"\b(?:claim(?:ed|s|ing)?|reportedly|anecdotal|alleg(?:ed|edly|ing|es)|purported(?:ly)?"
    r"|accused of|appeared|appears)\b",
    re.IGNORECASE,
)
_SAID = re.compile(
    r"\b(?:said|says|told|spoke about|called|urged|described|view(?:s|ed)?)\b"
    r"|(?:^|(?<=\s))(?:сказал\w*|заявил\w*|назвал\w*|призвал\w*|говорил\w*|рассказал\w*"
    r"|считают|сказаў\w*|сказала|заявіў|заявіла|назваў|назвала|заклікаў|казаў|расказаў|лічаць)",
    re.IGNORECASE,
)
#: Hedges whose scope ends at a comma ("accused of X, died in prison"); "claimed" runs on.
_SHORT_HEDGE = re.compile(r"accus|alleg|appear|purport|обвин|абвінав", re.IGNORECASE)
_QUOTED = re.compile(r"\"[^\"]*\"|«[^»]*»|“[^”]*”")

_CITIES: dict[str, str] = {
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
_COUNTRIES: dict[str, str] = {
    "russia": "russia", "росси": "russia", "расі": "russia", "расеі": "russia",
    "china": "china", "кита": "china", "кітa": "china", "кіта": "china",
    "iran": "iran", "иран": "iran", "іран": "iran",
    "india": "india", "инди": "india", "індыі": "india", "інды": "india",
    "turkey": "turkey", "турци": "turkey", "турцы": "turkey",
    "serbia": "serbia", "серби": "serbia", "сербі": "serbia",
    "hungary": "hungary", "венгри": "hungary", "венгры": "hungary", "вугоршчын": "hungary",
    "venezuela": "venezuela", "венесуэл": "venezuela",
    "cuba": "cuba", "куб": "cuba",
    "syria": "syria", "сири": "syria", "сірыі": "syria",
    "kazakhstan": "kazakhstan", "казахстан": "kazakhstan",
    "armenia": "armenia", "армени": "armenia", "армені": "armenia",
    "azerbaijan": "azerbaijan", "азербайджан": "azerbaijan",
    "ukraine": "ukraine", "украин": "ukraine", "украін": "ukraine",
    "poland": "poland", "польш": "poland", "польшч": "poland",
    "lithuania": "lithuania", "литв": "lithuania", "літв": "lithuania",
    "latvia": "latvia", "латви": "latvia", "латвіі": "latvia",
    "estonia": "estonia", "эстони": "estonia", "эстоні": "estonia",
    "germany": "germany", "германи": "germany", "германі": "germany", "нямеччын": "germany",
    "france": "france", "франци": "france", "францы": "france",
    "canada": "canada", "канад": "canada",
    "japan": "japan", "япони": "japan", "японі": "japan",
    "israel": "israel", "израил": "israel", "ізраіл": "israel",
    "norway": "norway", "норвеги": "norway", "нарвегі": "norway",
    "georgia": "georgia", "грузи": "georgia", "грузі": "georgia",
    "moldova": "moldova", "молдов": "moldova", "малдов": "moldova",
}  # fmt: skip


def _compile(table: dict[str, str]) -> tuple[re.Pattern[str], list[str]]:
    keys = sorted(table, key=len, reverse=True)
    alternatives = [
        re.escape(k) + (r"\w{0,4}" if len(k) >= 3 and " " not in k else "") for k in keys
    ]
    named = "|".join(f"(?P<k{i}>{a})" for i, a in enumerate(alternatives))
    return re.compile(rf"(?<!\w)(?:{named})(?!\w)"), keys


_CITY_PATTERN = _compile(_CITIES)
_COUNTRY_PATTERN = _compile(_COUNTRIES)


def _gazetteer_hits(text: str, table: dict[str, str]) -> set[str]:
    """The cities (or countries) ``text`` names, under any spelling and case ending."""
    pattern, keys = _CITY_PATTERN if table is _CITIES else _COUNTRY_PATTERN
    return {
        table[keys[int(m.lastgroup[1:])]]
        for m in pattern.finditer(text.casefold())
        if m.lastgroup is not None
    }


# --- facts, analysed once ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _FactView:
    terms: frozenset[str]
    prefixes: frozenset[str]
    quote_terms: frozenset[str]
    when: _When
    #: When the thing happened: the fact's own date when it has one, else every date in
    #: its text ("sanctioned in 2006, as Kent recalled in 2020" happened in 2006).
    happened: _When
    #: The usual imposers it names (for a sanction: who imposed it).
    imposers: frozenset[str]
    amounts: tuple[_Amount, ...]
    cities: frozenset[str]
    countries: frozenset[str]
    hedged_terms: frozenset[str]
    said_terms: frozenset[str]
    hedged_share: float
    said_share: float
    negated_terms: frozenset[str]
    assessment: int
    texts: tuple[str, ...]


_views: dict[tuple[str, int], _FactView] = {}
_PREFIX = 5


def _prefix(term: str) -> str:
    return term[:_PREFIX] if len(term) >= _PREFIX + 1 else ""


def _scoped_terms(text: str, cue: re.Pattern[str]) -> set[str]:
    """Terms of ``text`` that follow ``cue`` within its clause (until , ; . or "and")."""
    out: set[str] = set()
    for match in cue.finditer(text):
        end = r"[;.,]" if _SHORT_HEDGE.match(match.group()) else r"[;.]"
        rest = re.split(rf"{end}|\band (?:was|is|has|had|were)\b", text[match.end() :], maxsplit=1)[
            0
        ]
        out.update(t.term for t in analyze(rest))
    return out


_NEGATION_END = re.compile(
    r"[;.,]|\b(?:and|but|when|who|which|while|и|а|но|і|ды|але|калі|когда)\b", re.IGNORECASE
)


def _negated_terms(text: str) -> set[str]:
    """Terms of ``text`` within four words after a negation (what is negated)."""
    out: set[str] = set()
    for match in _NEGATION.finditer(text):
        rest = text[match.end() : match.end() + 60]
        rest = _NEGATION_END.split(rest, maxsplit=1)[0]
        out.update(t.term for t in analyze(rest)[:3])
    return out


def _assessment(text: str) -> int:
    """+1: the text calls something free, fair or legitimate; -1: rigged, falsified, or
    "neither free nor fair"; 0: no assessment."""
    negative = _NEGATIVE.search(text) is not None
    positive = False
    for match in _POSITIVE.finditer(text):
        window = text[max(0, match.start() - 40) : match.start()]
        if _NEGATION.search(window) or re.search(r"\b(?:un|il|in)\w*$", window):
            negative = True
        else:
            positive = True
    if negative:
        return -1
    return 1 if positive else 0


def _view(fact: Fact, store: FactSource) -> _FactView:
    key = (fact.id, fact.revision)
    cached = _views.get(key)
    if cached is not None:
        return cached
    # The people and bodies a fact is related to go by other spellings in their profiles
    # ("Tsikhanouskaya", "Лукашэнка"): a claim that names them that way still matches.
    names = " ".join([*fact.names, *_related_names(fact, store)])
    translated_names, translated_text = translation_fields(fact)
    own = [fact.text, names, details_text(fact, topics=False), translated_names, translated_text]
    terms = {t.term for part in own for t in analyze(part)}
    quotes = {t.term for c in fact.citations for t in analyze(c.quote)}
    quotes |= {
        t.term for tr in fact.translations.values() for q in tr.quotes if q for t in analyze(q)
    }
    texts = (fact.text, *(t.text for t in fact.translations.values()))
    plain = [_QUOTED.sub(" ", t) for t in texts]
    hedged: set[str] = set()
    said: set[str] = set()
    negated: set[str] = set()
    for t in plain:
        negated |= _negated_terms(t)
    hedged |= _scoped_terms(plain[0], _HEDGE)
    d = fact.details
    if isinstance(d, StatementDetails) or (
        isinstance(d, PersonDetails) and d.entity is EntityType.PERSON
    ):
        said |= _scoped_terms(plain[0], _SAID)
    # A Russian or Belarusian claim is weighed against the English text's share in scope:
    # the translations word a hedge in many ways ("заявило" is both "claimed" and "said").
    english = {t.term for t in analyze(plain[0])} or {""}
    when_parts = [fact.text]
    happened = None
    if fact.date is not None:
        when_parts.append(_iso_words(fact.date.date))
        happened = _dates(_iso_words(fact.date.date))
    view = _FactView(
        terms=frozenset(terms),
        prefixes=frozenset(p for p in map(_prefix, terms | quotes) if p),
        quote_terms=frozenset(quotes),
        when=_dates(" ".join(when_parts)),
        happened=happened or _dates(" ".join(when_parts)),
        imposers=imposers_named(
            " ".join(d.imposed_by) if isinstance(d, SanctionDetails) else fact.text
        ),
        amounts=tuple(_fact_amounts(fact)),
        cities=frozenset(_gazetteer_hits(" ".join(texts), _CITIES)),
        countries=frozenset(_gazetteer_hits(" ".join(texts), _COUNTRIES)),
        hedged_terms=frozenset(hedged),
        said_terms=frozenset(said),
        hedged_share=len(hedged & english) / len(english),
        said_share=len(said & english) / len(english),
        negated_terms=frozenset(negated),
        assessment=_assessment(fact.text),
        texts=texts,
    )
    if len(_views) > 50_000:
        _views.clear()
    _views[key] = view
    return view


def _related_names(fact: Fact, store: FactSource) -> list[str]:
    out: list[str] = []
    for related in fact.related:
        try:
            other = store.get(related)
        except NotFoundError:
            continue
        out += other.names
    return out


def _iso_words(iso: str) -> str:
    parts = iso.split("-")
    if len(parts) >= 2:
        return f"{_MONTHS_EN[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


# --- matching ---------------------------------------------------------------------------------

#: The share of a claim's weighted words a fact must contain to speak about it.
_RELEVANT = 0.55
#: Russian and Belarusian words often differ from the translation's in aspect or form.
_RELEVANT_CYRILLIC = 0.45
#: A contradiction needs a fact about the very thing claimed: this share of its words.
_CONTRADICT_RELEVANT = 0.7
#: The share (by weight) of a claim's own capitalised words a fact may lack ("US
#: Ambassador Michael Carpenter" is "Michael Carpenter" in the fact).
_NAMES_MISSING = 0.4
#: A fact naming this many countries lists them in full (the signatories of a statement).
_FULL_LIST = 5
#: The share (by weight) of a claim's own lower-case words a fact must hold.
_PREDICATE_SHARE = 0.25
#: A fact this much less relevant than the best one is not shown beside it.
_CLOSE = 0.2
_CANDIDATES = 15
_SEARCH_WORDS = 6
_PREFIX_CREDIT = 0.7
_QUOTE_CREDIT = 0.8
#: A fact dated to a year the claim names is that much more likely to be about it.
_YEAR_BONUS = 0.1


@dataclass(slots=True)
class _Claim:
    text: str
    tokens: list[Token]
    weights: dict[str, float]
    #: Capitalised words of the claim itself: a fact that lacks one is about something else.
    required: set[str]
    #: The claim's own words (not those borrowed from the clause before).
    own: set[str]
    #: The claim's own lower-case words: what it says about the names it holds.
    predicate: set[str]
    places: set[str]
    #: The words of it that name countries.
    country_terms: set[str]
    #: The names it borrowed from the clause before (its subject, when it names none).
    borrowed: set[str]
    #: The states and bodies that impose sanctions it names ("usa", "eu").
    imposers: frozenset[str]
    proper_unknown: bool
    when: _When
    amounts: list[_Amount]
    cities: set[str]
    countries: set[str]
    negated: bool
    assessment: int
    attributed: bool
    cyrillic: bool


#: Words that say nothing a fact could hold: time fillers, emphasis, scare quotes.
_FILLERS = re.compile(
    r"\b(?:an?|one|two|three|several|few|some)\s+(?:days?|weeks?|months?|years?)\s+"
    r"(?:later|earlier|ago|before|after)\b"
    r"|\b(?:anyone|anybody|anything|everyone|everybody|someone|somebody|himself|herself"
    r"|itself|themselves|later|earlier|tonight|today|yesterday|so-called|actually|indeed"
    r"|simply|merely|just|even|ever|once|(?:first|last)(?=\s+\w+ed\b))\b"
    # Verbs that only say a thing happened or exists, not what it is.
    r"|\b(?:dat(?:es|ed|ing) back(?: to)?|took place|takes? place|came out|comes out)\b"
    r"|(?<=\bnot a )single\b"
    r"|^\s*(?:including|among them)\b"
    r"|(?:^|(?<=\s))(?:так называем\w*|так званы\w*|сегодня|вчера|сёння|учора|вчора"
    r"|потом|затым|позже|пазней|в том числе|включая|среди них|у тым ліку|уключна|сярод іх)(?=\s|$)",
    re.IGNORECASE,
)
_SAYS = re.compile(
    r",\s+(?:the\s+)?[\w .'’-]{2,40}?\s+(?:says?|said|claims?|claimed|reports?|reported"
    r"|writes|wrote|announced)\s*$"
    r"|,\s+(?:заявил\w*|сообщил\w*|сказал\w*|пишет|пишут|заявіў|заявіла|паведаміў\w*"
    r"|сказаў|піша|пішуць)\s+[\w .-]{2,40}$",
    re.IGNORECASE,
)
#: "State TV tonight: …", "Пропаганда: …": who says it, not what is said (a few words,
#: not a sentence: "He offered American oil: 100 % of …" keeps its words).
_LABEL = re.compile(
    r"^\s*(?!(?:he|she|they|it|we|i|он|она|они|ён|яна|яны)\b)[^\W_]+(?:[ -][^\W_]+){0,3}:\s+(?=\S)",
    re.IGNORECASE,
)
_WEEKDAY = re.compile(
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)", re.IGNORECASE
)
_METONYMS = metonym_rules()
_COUNTING_WORDS = frozenset(
    ["third", "thirds", "half", "трети", "трэці", "треть", "трэць", "половина", "палова"]
)


@lru_cache(maxsize=8192)
def _counting(word: str) -> bool:
    """A number word ("eight", "hundreds", "две"): compared as a figure, not matched as a word."""
    return word.casefold() in _COUNTING_WORDS or bool(amounts(word))


#: A word the base never uses weighs this much (it cannot tell one fact from another, and
#: it is often a paraphrase: "dates back", "набрал").
_UNSEEN_WEIGHT = 1.0
#: Names borrowed from the clause before weigh this share of their own weight.
_BORROWED = 0.5


def _claim(piece: _Piece, store: FactSource, total: int) -> _Claim:
    text = _FILLERS.sub(" ", _LABEL.sub("", piece.text))
    # "…, the Interior Ministry says": who says it is not part of what is claimed.
    attributed = _SAYS.search(text) is not None
    text = _SAYS.sub("", text)
    query = _SAYS.sub("", _FILLERS.sub(" ", _LABEL.sub("", piece.query)))
    for pattern, replacement in _METONYMS:
        text = pattern.sub(replacement, text)
        query = pattern.sub(replacement, query)
    tokens = [
        t
        for t in analyze(query)
        if not t.term[:1].isdigit() and not _NEGATION.fullmatch(t.raw) and not _counting(t.raw)
    ]
    weights: dict[str, float] = {}
    unknown = False
    own_tokens = analyze(text)
    own = {t.term for t in own_tokens}
    # Russian and Belarusian capitalise only names (and a sentence's first word).
    cyrillic = has_cyrillic(text)
    named_places = _gazetteer_hits(text, _CITIES) | _gazetteer_hits(text, _COUNTRIES)
    country_terms = {
        t.term for t in own_tokens if named_places and _gazetteer_hits(t.raw, _COUNTRIES)
    }
    places = country_terms | {
        t.term for t in own_tokens if named_places and _gazetteer_hits(t.raw, _CITIES)
    }
    required = {
        t.term
        for t in own_tokens
        if t.capital
        and (t.position > 0 or cyrillic)
        and t.word.isalpha()
        and t.term not in places
        and not _MONTH_WORD.fullmatch(t.raw)
        and not _WEEKDAY.fullmatch(t.raw)
    }
    # Names borrowed from the clause before ("He also met …"): who the clause is about.
    borrowed = (
        set()
        if not _SUBJECTLESS.match(text)
        else {
            t.term
            for t in tokens
            if t.capital
            and t.term not in own
            and t.word.isalpha()
            and not _MONTH_WORD.fullmatch(t.raw)
            and not _gazetteer_hits(t.raw, _CITIES)
            and not _gazetteer_hits(t.raw, _COUNTRIES)
        }
    )
    for t in tokens:
        if t.term in weights or len(t.word) < 2:
            continue
        df = store.document_frequency(t.term)
        if df == 0 and t.capital and t.position > 0 and t.term in own and t.word.isalpha():
            unknown = unknown or t.term not in places
        weight = _UNSEEN_WEIGHT if df == 0 else math.log(1 + (total + 1) / (df + 0.5))
        if t.term not in own:
            weight *= _BORROWED
        weights[t.term] = weight
    return _Claim(
        text=piece.text,
        tokens=tokens,
        weights=weights,
        required=required & set(weights),
        own=own & set(weights),
        predicate={t.term for t in own_tokens if not t.capital} & set(weights) - places,
        places=places,
        country_terms=country_terms,
        borrowed=borrowed & set(weights),
        imposers=imposers_named(piece.text),
        proper_unknown=unknown,
        when=_dates(text),
        amounts=amounts(text),
        cities=_gazetteer_hits(text, _CITIES),
        countries=_gazetteer_hits(text, _COUNTRIES),
        negated=_NEGATION.search(text) is not None,
        assessment=_assessment(text),
        attributed=attributed or _ATTRIBUTED.search(text) is not None,
        cyrillic=cyrillic,
    )


def _coverage(claim: _Claim, view: _FactView) -> tuple[float, int, set[str]]:
    total = sum(claim.weights.values()) or 1.0
    got = 0.0
    matched: set[str] = set()
    for term, weight in claim.weights.items():
        if term in view.terms:
            got += weight
        elif term in view.quote_terms:
            got += weight * _QUOTE_CREDIT
        elif _prefix(term) and _prefix(term) in view.prefixes:
            got += weight * _PREFIX_CREDIT
        elif term in claim.country_terms and len(view.countries) >= _FULL_LIST:
            # A list of countries named in full is about every country: one it leaves out
            # is what the fact says about it.
            got += weight
        else:
            continue
        matched.add(term)
    share = got / total
    if claim.when.years & view.when.years:
        share += _YEAR_BONUS
    return min(1.0, share), len(matched), matched


#: Kinds whose date is when the thing happened (a statement's date is when it was said).
_DATED_HAPPENINGS = frozenset({Kind.EVENT, Kind.SANCTION})


def _conflict(claim: _Claim, fact: Fact, view: _FactView, matched: set[str]) -> Conflict | None:
    """What in ``fact`` conflicts with ``claim`` (None: nothing does)."""
    if claim.assessment and view.assessment and claim.assessment != view.assessment:
        return Conflict.ASSESSMENT
    pairs = _comparable(claim.amounts, fact, view)
    if pairs and not any(_overlap(a, b) for a, b in pairs):
        return Conflict.NUMBER
    if fact.kind in _DATED_HAPPENINGS:
        happened = view.happened
        if claim.when.years and happened.years and not claim.when.years & happened.years:
            return Conflict.DATE
        fact_months = {m for _, m in happened.months}
        claim_months = {m for _, m in claim.when.months}
        if (
            claim_months
            and fact_months
            and not claim_months & fact_months
            and (not claim.when.years or claim.when.years & happened.years)
        ):
            return Conflict.DATE
    if claim.cities and view.cities and not claim.cities & view.cities:
        return Conflict.PLACE
    if (
        claim.countries
        and len(view.countries) >= _FULL_LIST
        and not claim.countries <= view.countries
    ):
        return Conflict.LIST
    if not claim.assessment:
        fact_negated = bool(matched & view.negated_terms)
        if claim.negated != fact_negated:
            return Conflict.NEGATION
    return None


#: A fact's English text this much inside a hedge's (or a person's "said") scope records
#: the whole fact as someone's claim.
_SHARE_IN_SCOPE = 0.4


def _attributed_only(
    claim: _Claim, store: FactSource, fact: Fact, view: _FactView, matched: set[str]
) -> bool:
    """True when ``fact`` records what the claim says only as someone's claim, allegation or
    (a person's) statement, and the claim states it as plain fact."""
    if claim.attributed:
        return False
    if claim.cyrillic:
        if view.hedged_share >= _SHARE_IN_SCOPE:
            return True
        return view.said_share >= _SHARE_IN_SCOPE and _person_speaker(store, fact)
    weights = {t: claim.weights[t] for t in matched if not _is_name(t, claim)}
    total = sum(weights.values())
    if not total:
        return False
    hedged = sum(w for t, w in weights.items() if t in view.hedged_terms)
    if hedged / total >= 0.5:
        return True
    if view.said_terms and _person_speaker(store, fact):
        said = sum(w for t, w in weights.items() if t in view.said_terms)
        return said / total >= 0.5
    return False


def _is_name(term: str, claim: _Claim) -> bool:
    return any(t.term == term and t.capital for t in claim.tokens)


_speakers: dict[str, bool] = {}


def _person_speaker(store: FactSource, fact: Fact) -> bool:
    """True when the fact is a person's own statement (or a person's profile)."""
    d = fact.details
    if isinstance(d, PersonDetails):
        return d.entity is EntityType.PERSON
    if not isinstance(d, StatementDetails):
        return False
    known = _speakers.get(d.speaker)
    if known is None:
        hits = store.find_people(d.speaker, limit=1)
        found = hits[0].fact.details if hits else None
        known = isinstance(found, PersonDetails) and found.entity is EntityType.PERSON
        if len(_speakers) > 10_000:
            _speakers.clear()
        _speakers[d.speaker] = known
    return known


def check_claim(piece: _Piece | str, store: FactSource, *, total: int | None = None) -> ClaimCheck:
    """What the base says about one claim."""
    if isinstance(piece, str):
        piece = _Piece(piece, piece)
    if total is None:
        total = _size(store)
    claim = _claim(piece, store, total)
    if claim.proper_unknown or not claim.weights:
        return ClaimCheck(piece.text, Finding.NOTHING)
    # The rarest words find the facts about the claim; the common ones only cost time.
    first: dict[str, str] = {}
    for t in claim.tokens:
        first.setdefault(t.term, t.raw if has_cyrillic(t.raw) else t.word)
    rarest = sorted(claim.weights, key=lambda term: -claim.weights[term])[:_SEARCH_WORDS]
    hits = store.search(" ".join(first[term] for term in rarest), limit=_CANDIDATES)
    if claim.country_terms:
        # A country left out of a list is not in the list's text: look for the rest too.
        rest = [t for t in rarest if t not in claim.country_terms]
        seen = {h.fact.id for h in hits}
        if rest:
            more = store.search(" ".join(first[term] for term in rest), limit=3 * _CANDIDATES)
            hits = [*hits, *(h for h in more if h.fact.id not in seen)]
    scored: list[tuple[float, Fact, _FactView, set[str]]] = []
    needed = min(2, len(claim.weights))
    relevant = _RELEVANT_CYRILLIC if claim.cyrillic else _RELEVANT
    for hit in hits:
        view = _view(hit.fact, store)
        coverage, count, matched = _coverage(claim, view)
        if (
            coverage >= relevant
            and count >= needed
            and not _other_imposer(claim, view)
            and _names_present(claim, matched)
            and (_says_the_same(claim, matched) or coverage >= _CONTRADICT_RELEVANT)
        ):
            scored.append((coverage, hit.fact, view, matched))
    if not scored:
        return ClaimCheck(piece.text, Finding.NOTHING)
    scored.sort(key=lambda s: (-s[0], s[1].id))
    best = scored[0][0]
    close = [s for s in scored if s[0] >= best - _CLOSE]
    conflicts = {s[1].id: _conflict(claim, s[1], s[2], s[3]) for s in close}
    # A figure, date or place that some close fact agrees with: the facts that differ are
    # about something else (another count, another event), not a denial.
    agreed = {
        kind
        for kind in (Conflict.NUMBER, Conflict.DATE, Conflict.PLACE)
        if any(_agrees(claim, s[1], s[2], kind) for s in close)
    }
    contradicting: list[tuple[Fact, Conflict]] = []
    supporting: list[Fact] = []
    context: list[Fact] = []
    for coverage, fact, view, matched in close:
        conflict = conflicts[fact.id]
        if conflict is not None:
            if conflict in agreed:
                continue
            if (
                coverage < _CONTRADICT_RELEVANT
                or len(matched) < min(2, len(claim.weights))
                or not _own_words_matched(claim, matched)
                or not _says_the_same(claim, matched)
            ):
                continue  # not surely about the same thing: neither backs nor denies it
            if conflict is Conflict.NUMBER and _other_period(claim, view):
                continue  # another year's figure is a different count, not a denial
            contradicting.append((fact, conflict))
            continue
        if claim.amounts and not _comparable(claim.amounts, fact, view):
            continue  # a figure needs a fact with a figure to back it
        if _other_period(claim, view):
            continue  # a fact about another year does not back a dated claim
        if not claim.countries <= view.countries:
            continue  # a fact that does not name the claim's country does not back it
        if _attributed_only(claim, store, fact, view, matched):
            context.append(fact)
        else:
            supporting.append(fact)
    if contradicting:
        return ClaimCheck(
            piece.text,
            Finding.CONTRADICT,
            [f for f, _ in contradicting][:3],
            contradicting[0][1],
        )
    # A profile sums up facts held in full elsewhere: it decides only when nothing else does.
    if any(f.kind is not Kind.PERSON for f in [*supporting, *context]):
        supporting = [f for f in supporting if f.kind is not Kind.PERSON]
        context = [f for f in context if f.kind is not Kind.PERSON]
    if supporting:
        return ClaimCheck(piece.text, Finding.SUPPORT, supporting[:3])
    if context:
        return ClaimCheck(piece.text, Finding.CONTEXT, context[:3])
    return ClaimCheck(piece.text, Finding.NOTHING)


def _own_words_matched(claim: _Claim, matched: set[str]) -> bool:
    """True when the fact holds at least half (by weight) of the claim's own words that are
    not places: a clause that borrowed its subject must still be about what the fact says."""
    own = {t for t in claim.own if t not in claim.places}
    total = sum(claim.weights[t] for t in own)
    return not total or sum(claim.weights[t] for t in own & matched) >= 0.5 * total


def _other_imposer(claim: _Claim, view: _FactView) -> bool:
    """True when the fact is about another state or body than the one the claim names
    (for a sanction: another imposer): the EU's sanctions neither back nor deny what "the
    Americans" did."""
    named = view.imposers
    return bool(claim.imposers and named) and not claim.imposers & named


def _says_the_same(claim: _Claim, matched: set[str]) -> bool:
    """True when the fact holds some of what the claim says about its names (its own
    lower-case words), not only the names: "Russian troops entered Minsk" is not about a
    fact that merely names Minsk and Russia. A fact without them may still back a claim
    whose names it holds nearly all of ("toured the Hi-Tech Park"), never deny it."""
    total = sum(claim.weights[t] for t in claim.predicate)
    got = sum(claim.weights[t] for t in claim.predicate & matched)
    return not total or got >= _PREDICATE_SHARE * total


def _names_present(claim: _Claim, matched: set[str]) -> bool:
    """True when the fact holds the claim's names (all but a few titles), and half of
    those it borrowed from the clause before: "met Tikhanovskaya there", after "Pompeo
    came back to Minsk", is not about another man who met her."""
    if claim.borrowed:
        total = sum(claim.weights[t] for t in claim.borrowed)
        if sum(claim.weights[t] for t in claim.borrowed & matched) < 0.5 * total:
            return False
    if not claim.required:
        return True
    total = sum(claim.weights[t] for t in claim.required)
    missing = sum(claim.weights[t] for t in claim.required - matched)
    return missing <= _NAMES_MISSING * total


def _agrees(claim: _Claim, fact: Fact, view: _FactView, kind: Conflict) -> bool:
    """True when the fact states the claim's figure, year or city."""
    if kind is Conflict.NUMBER:
        return any(_overlap(a, b) for a, b in _comparable(claim.amounts, fact, view))
    if kind is Conflict.DATE:
        return bool(claim.when.years & view.happened.years)
    return bool(claim.cities & view.cities)


def _size(store: FactSource) -> int:
    """How many facts the base holds (weights words by how rare they are)."""
    return max(1, len(store) if isinstance(store, Sized) else len(store.facts()))


def _other_period(claim: _Claim, view: _FactView) -> bool:
    """True when the claim dates its figure to another year than the fact's."""
    return bool(claim.when.years and view.when.years and not claim.when.years & view.when.years)


def check_post(text: str, store: FactSource) -> PostCheck:
    """Every claim of ``text`` checked against the base, and what was set aside."""
    pieces, aside = split_post(text)
    total = _size(store)
    checks = [check_claim(p, store, total=total) for p in pieces[:MAX_CLAIMS]]
    return PostCheck(detect(text), checks, aside)


def claim_texts(checks: Iterable[ClaimCheck]) -> list[str]:
    """The claims' texts (for tests and the bench)."""
    return [c.text for c in checks]


__all__ = [
    "Aside",
    "AsideReason",
    "ClaimCheck",
    "Conflict",
    "Finding",
    "PostCheck",
    "amounts",
    "check_claim",
    "check_post",
    "looks_like_post",
    "split_post",
]
