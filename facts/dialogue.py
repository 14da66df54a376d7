"""Conversation around questions: small talk, and short follow-ups to the previous question.

Small talk (greetings, thanks, emoji, a bare number) is not a question: it gets a friendly
pointer, never "I could not find", and is never kept as an unanswered question.

A follow-up ("and in 2020?", "what about the US?", "who said that?", "source?", "more")
only makes sense against the chat's previous question. :func:`follow_up` reads it into a
:class:`FollowUp` that says what to do with the previous turn. The previous turn lives in
the bot's memory only (see ``bot``), never on disk.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from facts.lang import latin_russian, month_names, slavic_stem
from facts.phrases import CYRILLIC_QUESTION_WORD, QUESTION_WORD


class SmallTalk(StrEnum):
    """A message that is not a question."""

    GREETING = "greeting"
    THANKS = "thanks"
    FAREWELL = "farewell"
    EMOJI = "emoji"
    NUMBER = "number"
    ACK = "ack"


_SMALL_TALK: tuple[tuple[SmallTalk, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^(?:{words})(?:\s+(?:there|all|bot|everyone|again))?$", re.IGNORECASE))
    for kind, words in (
        (
            SmallTalk.GREETING,
            r"hi|hello|hey|hiya|yo|good (?:morning|afternoon|evening|day)|greetings|howdy"
            r"|привет|приветик|здравствуй|здравствуйте|здрасте|добрый (?:день|вечер|утро)"
            r"|доброе утро|хай|прывітанне|вітаю|дабрыдзень|добры дзень|добры вечар"
            r"|добрай раніцы|здароў|салют|privet|zdravstvuyte",
        ),
        (
            SmallTalk.THANKS,
            r"thanks?(?: you)?(?: (?:very|so) much)?|thx|ty|cheers|many thanks|great,? thanks"
            r"|спасибо(?: большое)?|благодарю|спс|дзякуй(?: вялікі)?|дзякую|spasibo",
        ),
        (
            SmallTalk.FAREWELL,
            r"bye|goodbye|see you|good night|пока|до свидания|всего доброго|бывай|да пабачэння"
            r"|дабранач|спокойной ночи",
        ),
        (
            SmallTalk.ACK,
            r"ok|okay|k|cool|nice|great|got it|i see|yes|no|yeah|yep|nope|sure|понятно|ясно"
            r"|ок|окей|хорошо|ладно|да|нет|зразумела|добра|так|не",
        ),
    )
)
_NUMBER = re.compile(r"^(?=.*\d)[\d\s.,:;+\-/%#№?!]+$")

#: A greeting, thanks or acknowledgement opening a message that goes on: "thanks, who is
#: Kent?", "Привет! сколько политзаключённых?". Cut off by punctuation, or followed
#: straight by a question word.
_OPENING_TALK = re.compile(
    r"^\s*(?:"
    + "|".join(p.pattern.removeprefix("^").removesuffix("$") for _, p in _SMALL_TALK)
    + r")(?P<end>\s*[,.!;:—–-]+\s*|\s+)",
    re.IGNORECASE,
)


def without_small_talk(text: str) -> str:
    """``text`` without the greeting or thanks it opens with, when a question follows."""
    opening = _OPENING_TALK.match(text)
    if opening is None:
        return text
    rest = text[opening.end() :].strip()
    if not rest or small_talk(rest) is not None:
        return text
    asked = _AND.sub("", rest)
    first = asked.split(maxsplit=1)[0].strip("?!.,").casefold()
    opens_a_question = QUESTION_WORD.fullmatch(first) or _is_question_word(first)
    if opens_a_question:
        # "thanks, and who is Kent?": the "and" joined the thanks, not a previous question.
        return asked
    return rest if opening["end"].strip() else text


_AND = re.compile(r"^(?:and|so|а|и|і|ну)\s+", re.IGNORECASE)


def _is_question_word(word: str) -> bool:
    return CYRILLIC_QUESTION_WORD.fullmatch(word) is not None


def small_talk(text: str) -> SmallTalk | None:
    """What kind of small talk ``text`` is, or None when it may be a question."""
    stripped = text.strip()
    if not stripped:
        return SmallTalk.EMOJI
    if _NUMBER.match(stripped):
        return SmallTalk.NUMBER
    if not any(unicodedata.category(ch)[0] in "LN" for ch in stripped):
        # Nothing but emoji, symbols and punctuation.
        return SmallTalk.EMOJI
    words = " ".join(re.findall(r"[^\W_]+(?:['’][^\W_]+)?", stripped.casefold()))
    for kind, pattern in _SMALL_TALK:
        if pattern.match(words):
            return kind
    return None


class FollowKind(StrEnum):
    """What a follow-up asks of the previous turn."""

    SOURCE = "source"  # "source?", "where is that from?"
    SPEAKER = "speaker"  # "who said that?"
    MORE = "more"  # "more", "anything else?"
    REFINE = "refine"  # "and in 2020?", "what about the US?": the question asked again


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up read against the previous question."""

    kind: FollowKind
    #: For REFINE: the previous question rewritten with the new detail.
    question: str = ""
    #: For REFINE: the detail says nothing alone — a year or a date ("and in 2020?"), no
    #: name or topic a question could be about.
    detail_is_bare: bool = False


#: What may close a follow-up without making it a question of its own.
_TAIL = r"(?:\s+(?:please|pls|again|for (?:that|this|it)|then))?\s*$"
_SOURCE = re.compile(
    r"^(?:and\s+)?(?:(?:the|your|what(?:'s| is| was) the|any)\s+)?(?:source|sources|citation"
    r"|proof|evidence|reference|link)s?"
    + _TAIL
    + r"|^where(?:'s| is| does| did)? (?:that|this|it) (?:from|come from|say so)"
    + _TAIL
    + r"|^how do (?:you|we) know(?: that| this| it)?"
    + _TAIL
    + r"|^(?:а\s+)?(?:источник|источники|откуда(?: это| информация| инфа)?|пруф|пруфы|ссылка"
    r"|крыніца|крыніцы|адкуль(?: гэта)?)$"
)
_SPEAKER = re.compile(
    r"^(?:and\s+)?who (?:said|says|stated|claimed|reported|wrote) (?:that|this|it|so)"
    + _TAIL
    + r"|^(?:а\s+)?кто (?:это |так )?(?:сказал|заявил|говорил|написал|сообщил)$"
    r"|^(?:а\s+)?хто (?:гэта |так )?(?:сказаў|заявіў|казаў|напісаў|паведаміў)$"
)
_MORE = re.compile(
    r"^(?:and\s+)?(?:more|tell me more|anything else|what else|other facts|next|go on)"
    + _TAIL
    + r"|^(?:а\s+)?(?:ещ[её]|больше|подробнее|что ещ[её]|дальше|яшчэ|больш|што яшчэ|далей)$"
)
#: Openers of a short refining follow-up: "and in 2020?", "what about the US?".
_REFINE = re.compile(
    r"^(?:and|what about|how about|and what about|but|also|same for|what of)\s+"
    r"|^(?:а|и|а как насч[её]т|как насч[её]т|а что насч[её]т|а про|а в|а у|а што наконт"
    r"|а як наконт|а пра|а ў|а для|і)\s+",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_LEADING_PREPOSITION = re.compile(r"^(?:in|for|on|of|в|во|у|ў|на|для|пра|про|о|об|аб)\s+", re.I)
#: Month names, which are capitalised in English but name no one: "in October 2020" stays
#: when "what about the US?" replaces the names of a question (Russian and Belarusian by
#: their stems, to take any case: "в октябре").
_MONTHS_EN = frozenset(
    m.casefold() for m in month_names("en") + [m[:3] for m in month_names("en")] + ["sept"]
)
_MONTH_STEMS = frozenset(slavic_stem(m) for m in month_names("ru") + month_names("be"))


def _is_month(word: str) -> bool:
    bare = word.strip(".,;:!?").casefold()
    return bare in _MONTHS_EN or slavic_stem(bare) in _MONTH_STEMS


#: The longest follow-up, in words: a longer text is a question of its own.
MAX_FOLLOW_UP_WORDS = 6


def _clean(text: str) -> str:
    return " ".join(text.strip().rstrip("?!.").split()).casefold()


def follow_up(text: str, previous_question: str) -> FollowUp | None:
    """``text`` read as a follow-up to ``previous_question``, or None when it is not one."""
    cleaned = _clean(latin_russian(text) or text)
    if not cleaned or len(cleaned.split()) > MAX_FOLLOW_UP_WORDS:
        return None
    if _SOURCE.match(cleaned):
        return FollowUp(FollowKind.SOURCE)
    if _SPEAKER.match(cleaned):
        return FollowUp(FollowKind.SPEAKER)
    if _MORE.match(cleaned):
        return FollowUp(FollowKind.MORE)
    opener = _REFINE.match(text.strip())
    if opener is None:
        return None
    detail = _LEADING_PREPOSITION.sub("", text.strip()[opener.end() :].strip().rstrip("?!."))
    # "and who is Babaryka?" is a question of its own, not a detail of the previous one.
    if not detail or len(detail.split()) > 3 or QUESTION_WORD.search(detail):
        return None
    bare = not any(w.isalpha() and not _is_month(w) for w in detail.split())
    return FollowUp(FollowKind.REFINE, refine(previous_question, detail), bare)


def _acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


def refine(previous: str, detail: str) -> str:
    """``previous`` asked again about ``detail``: a year replaces the question's year; a
    name replaces the names the question was about (its capitalised words after the first
    word, months aside); anything else is added. Every date of the question the detail does
    not replace is kept ("in October 2020" stays for "what about the US?")."""
    base = previous.strip().rstrip("?!.")
    years = _YEAR.findall(detail)
    if years:
        if _YEAR.search(base):
            return _YEAR.sub(years[0], base, count=1) + "?"
        return f"{base} {detail}?"
    words = base.split()
    # The first word is a name only when written as one in any place: "ЕС", "US" (a
    # capital opening a sentence says nothing).
    named = [
        i
        for i, w in enumerate(words)
        if ((i > 0 and w[:1].isupper()) or _acronym(w)) and not _is_month(w)
    ]
    if not named:
        return f"{base} {detail}?"
    first = named[0]
    # The name and the words of it that follow ("the European Union"), with its article:
    # the detail brings its own.
    span = {first}
    while max(span) + 1 < len(words) and max(span) + 1 in named:
        span.add(max(span) + 1)
    before = first - 1
    if _ARTICLE.match(detail) is None or before < 0 or not _ARTICLE.match(words[before] + " "):
        before = -1
    kept = [
        detail if i == first else w
        for i, w in enumerate(words)
        if (i not in span or i == first) and i != before
    ]
    return " ".join(kept) + "?"
