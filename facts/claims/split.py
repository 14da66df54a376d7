"""Splitting a post into claims: sentences, clauses, and what is set aside (questions,
slogans, opinions); a clause without a subject borrows the names of the one before."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.claims.findings import Aside, AsideReason
from facts.dialogue import SmallTalk, small_talk
from facts.phrases import QUESTION_OPENING

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
    # "…, это признали даже западные партнёры", "…, this was confirmed by …": what is said
    # of the clause before is a claim of its own.
    r"|,\s+(?=(?:это|гэта|this|that)\s+(?:\w+\s+)?(?:\w+(?:ли|лі|ла|ло)|was|were|\w+ed)\b)"
    # A gerund's clause says a thing of its own: "…, набрав 80% голосов", "…, атрымаўшы …".
    r"|,\s+(?=[а-яёіў]\w*(?:[^оеё\W]в|вши|вшись|ўшы|ўшыся)\s)"
    r"|,\s+(?=[a-z]+ing\s+(?:(?:about|around|over|more than|nearly|almost|some)\s+)?\d)"
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
#: "… and several people died": a count and its verb after "and" are a clause of their own.
_AND_COUNT = (
    r"\s+and\s+(?=(?:several|hundreds|thousands|dozens|many|some|\d[\d,]*)\s+(?:[a-z]+\s+)?"
    r"(?:\w+ed|died|were|was|fled|left)\b)"
)
_AND_VERB = re.compile(
    rf"\s+and\s+(?={_VERB_EN})|{_AND_COUNT}|\s+(?:и|і)\s+(?={_VERB_CYRILLIC})", re.IGNORECASE
)
#: A clause whose subject is in the clause before: it opens with a verb or "he", "she".
SUBJECTLESS = re.compile(
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
    r"|should be|it is time|it's time|buy now|subscribe\b|share (?:this|it)|don'?t believe"
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
PRONOUN = re.compile(
    r"(?:^|(?<=\s))(?:he|she|they|it|his|her|him|them|their|its|он|она|они|оно|его|её|ее|их|ей|ему"
    r"|ён|яна|яны|яно|яго|яе|ёй|яму|іх)(?=[\s,.!?]|$)",
    re.IGNORECASE,
)
WORDS = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


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
    if _QUESTION.search(sentence) or QUESTION_OPENING.match(sentence):
        return AsideReason.QUESTION
    words = WORDS.findall(sentence)
    if words and not has_figure(sentence) and _small_talk(sentence):
        return AsideReason.SMALL_TALK
    if _SLOGAN.search(sentence) or (
        sentence.rstrip().endswith("!") and len(words) <= 6 and not has_figure(sentence)
    ):
        return AsideReason.SLOGAN
    if clause and (_OPINION.search(sentence) or _IMPERATIVE.search(sentence)):
        return AsideReason.OPINION
    if not words:
        return AsideReason.SLOGAN
    return None


#: What may follow a greeting or thanks in a post ("Thanks for sharing", "Hi all, friends").
_TALK_TAIL = re.compile(
    r"[\s,]+(?:for (?:sharing|reading|this)|friends|guys|everyone|all|folks|друзья|всем|за инфу"
    r"|сябры|усім|ўсім|за інфу)\W*$",
    re.IGNORECASE,
)
#: What may open it ("Всем привет", "Усім прывітанне").
_TALK_HEAD = re.compile(r"^(?:всем|усім|ўсім|друзья|сябры)[\s,]+", re.IGNORECASE)


def _small_talk(sentence: str) -> bool:
    """True for a greeting, thanks or farewell (the dialogue's table), as a post words it."""
    bare = _TALK_HEAD.sub("", _TALK_TAIL.sub("", sentence.strip().rstrip(".!…")))
    talk = small_talk(bare)
    return talk is not None and talk not in (SmallTalk.NUMBER, SmallTalk.EMOJI)


def has_figure(text: str) -> bool:
    return bool(re.search(r"\d", text))


def _clauses(sentence: str) -> list[str]:
    parts = [p for p in _CLAUSE_SPLIT.split(sentence) if p and p.strip()]
    out: list[str] = []
    for part in parts:
        pieces = _AND_VERB.split(part)
        for piece in pieces:
            if out and len(WORDS.findall(piece)) < 2:
                out[-1] = f"{out[-1]} {piece}"
            else:
                out.append(piece)
    # A fragment too short to say anything joins the clause before it.
    merged: list[str] = []
    for clause in out:
        clause = clause.strip(" ,;:—–-")
        if merged and len(WORDS.findall(clause)) < 2 and not has_figure(clause):
            merged[-1] = f"{merged[-1]}, {clause}"
        elif clause:
            merged.append(clause)
    return merged


@dataclass(frozen=True, slots=True)
class Piece:
    """A claim as written, and the words it is matched with (its own and borrowed names)."""

    text: str
    query: str


def split_post(text: str) -> tuple[list[Piece], list[Aside]]:
    """The post's checkable claims (each with the text it is matched by) and what was set
    aside (questions, slogans, opinions), in the post's order."""
    text = _HEADLINE.sub("", text[:MAX_POST])
    claims: list[Piece] = []
    aside: list[Aside] = []
    subject: Piece | None = None
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
                if subject is not None and (PRONOUN.search(part) or part[:1].islower()):
                    # "He", "toured …": the names of the last claim that had a subject of its
                    # own (not those a clause without one borrowed in turn).
                    query = f"{_names_of(subject.text)} {part}"
                else:
                    subject = Piece(part, query)
                claims.append(Piece(part, query))
    return claims, aside


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
        if own is None and len(WORDS.findall(part)) < 4:
            own = AsideReason.OPINION
        out.append((part, own))
    return out


def _names_of(text: str) -> str:
    """The capitalised words and figures of ``text`` (what a following clause refers to)."""
    words = WORDS.findall(text)
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


#: The fewest words of a sentence that counts as a statement of a post ("Short. Text." is not).
_STATEMENT_WORDS = 2


def looks_like_post(text: str) -> bool:
    """True for a text that reads as a post rather than a question: several sentences, at
    least two of them statements (not questions, greetings or slogans; two words or more:
    "Lukashenko won."). A question at its end does not make it a question ("… Why is nobody
    talking about this?"); a single question, or one statement and a question, stays a
    question."""
    statements = [
        s
        for s in _sentences(text.strip())
        if _aside(s) is None and len(WORDS.findall(s)) >= _STATEMENT_WORDS
    ]
    return len(statements) >= 2
