"""Questions about the articles themselves: who wrote one, which outlet published it.

The answer is in a source's own record (its author, its outlet), not in any claim: the
article is the source of the fact that best matches the rest of the question, and the
answer is the profile of its author or outlet. A source that does not name them makes the
answer a refusal — never a guess from a neighbouring fact.
"""

from __future__ import annotations

import re
from enum import StrEnum

from facts.errors import NotFoundError
from facts.fact_text import alias_keys, covered
from facts.model import Fact, Kind, Source, StatementDetails
from facts.names import name_tokens, phonetic
from facts.source import FactSource


class Asked(StrEnum):
    """What a question about an article asks for."""

    AUTHOR = "author"
    OUTLET = "outlet"


#: A word for the article itself ("the VOA piece", "статья", "артыкул"); "report" is left
#: out: a report is usually one of the documents the articles are about.
_ARTICLE = (
    r"(?:article|piece|story|stories|interview|стать[яиюей]|артыкул\w*|публікацы\w*|публикаци\w*)"
)
_AUTHOR = re.compile(
    r"\b(?:who\s+(?:wrote|authored)|author|journalist|reporter)\b|\bавтор|\bаўтар"
    r"|кто\s+написал|хто\s+напісаў",
    re.IGNORECASE,
)
_OUTLET = re.compile(
    r"\b(?:which|what)\s+(?:news\s+)?(?:outlet|agency|newspaper|publication|media|site)\b"
    r"|\bwho\s+published\b|\bкако[ей]\s+(?:издание|агентство|сми)|\bякое\s+(?:выданне|агенцтва)",
    re.IGNORECASE,
)
#: Verbs of reporting: "which outlet reported…", "which agency put questions to…".
_REPORTING = re.compile(
    r"\b(?:report|publish|wrote|write|cover|interview|ask|question)\w*"
    r"|опубликова|написа|надрукава|напісa|спрос|пыта",
    re.IGNORECASE,
)
_ARTICLE_WORD = re.compile(rf"\b{_ARTICLE}\b", re.IGNORECASE)


def asks_about_article(question: str) -> Asked | None:
    """AUTHOR for "who wrote the VOA piece…", OUTLET for "which outlet reported…", None
    for any other question (a "who wrote the report" asks about a document, not an
    article)."""
    if _AUTHOR.search(question) and _ARTICLE_WORD.search(question):
        return Asked.AUTHOR
    if _OUTLET.search(question) and (_ARTICLE_WORD.search(question) or _REPORTING.search(question)):
        return Asked.OUTLET
    return None


#: How many of the closest facts vote for the article meant.
_VOTERS = 3


def article_answer(
    store: FactSource, closest: list[tuple[Fact, float]], asked: Asked
) -> Fact | None:
    """The profile of the author or outlet of the article meant, when its record names them
    and the base has their profile; None otherwise. The article meant is the source the
    closest facts (with how much of the question each covers) cite most: a fact cited from
    two articles does not decide alone which one the question is about."""
    votes: dict[str, float] = {}
    for fact, coverage in closest[:_VOTERS]:
        for source_id in dict.fromkeys(c.source for c in fact.citations):
            votes[source_id] = votes.get(source_id, 0.0) + coverage
    if not votes:
        return None
    try:
        source: Source = store.get_source(max(votes, key=lambda i: (votes[i], i)))
    except NotFoundError:
        return None
    name = source.author if asked is Asked.AUTHOR else source.outlet
    if not name:
        return None
    # "Voice of America, Russian Service (English translation)": the outlet's name is the
    # part before any comma or bracket.
    name = re.split(r"[,(]", name)[0].strip()
    hits = store.find_people(name, limit=1)
    return hits[0].fact if hits and hits[0].score >= 0.8 else None


#: An outlet or speaker as the subject of a verb of reporting: "what did the BBC report
#: (about …)?", "what did Galperovich write?", "что сообщило Би-би-си?", "что Госдеп
#: написал о…?". "Report" followed by another verb is a noun ("what did the OSCE report
#: find?"), and "say" is left to the statement intent.
_REPORTED_BY = re.compile(
    r"\bwhat\s+(?:did|does|do|has|have|had)\s+(?P<en>.+?)\s+"
    r"(?:report|reported|publish|published|write|wrote|written|cover|covered|broadcast)"
    r"(?=\s*[?!.]*\s*$|\s+(?:about|on|regarding|concerning|in|when|that)\b)"
    r"|\b(?:что|што)\s+(?P<ru>[^\s?!.]+(?:\s+[^\s?!.]+)?)\s+"
    r"(?:сообщ|опубликова|написа|писал|паведам|апублікава|напіса|пісал)\w*"
    r"|\b(?:что|што)\s+(?:сообщ|опубликова|написа|писал|паведам|апублікава|напіса|пісал)\w*\s+"
    r"(?P<after>.+?)(?:\s+(?:о|об|про|пра|аб|в|у|на|по|за)\s.*)?\s*[?!.]*\s*$",
    re.IGNORECASE,
)


_NOT_A_REPORTER = re.compile(
    r"\d|'s$|\b(?:say|says|said|tell|told|think|about|find|found|want|ask|asked)\b",
    re.IGNORECASE,
)


def reporter_asked(question: str) -> str | None:
    """The outlet or speaker a "what did X report / write / publish" question asks about,
    as written; None for any other question."""
    match = _REPORTED_BY.search(question)
    if match is None:
        return None
    who = match.group("en") or match.group("ru") or match.group("after")
    who = re.sub(r"^(?:the|a|an)\s+", "", who.strip(), flags=re.IGNORECASE)
    # "What did Gilmore say about the OSCE report?", "What did Ascensio's 2020 report
    # find?": "report" is the noun there, and no one is asked what they reported.
    if not who or _NOT_A_REPORTER.search(who):
        return None
    return who


def reported_by(store: FactSource, fact: Fact, who: str) -> bool:
    """True when ``who`` (or the profile it names, under any of its spellings) is the
    speaker of the fact, or the outlet or author of an article it is cited from. A profile
    is never a report, whoever it is about."""
    if fact.kind is Kind.PERSON:
        return False
    spellings = [[phonetic(t) for t in name_tokens(who)]]
    hits = store.find_people(who, limit=1)
    if hits and hits[0].score >= 0.8:
        spellings += alias_keys(hits[0].fact)
    spellings = [s for s in spellings if s]
    names: list[str] = []
    if isinstance(fact.details, StatementDetails):
        names.append(fact.details.speaker)
    for source_id in dict.fromkeys(c.source for c in fact.citations):
        try:
            source = store.get_source(source_id)
        except NotFoundError:
            continue
        names += [n for n in (source.outlet, source.author) if n]
    keys = [[phonetic(t) for t in name_tokens(n)] for n in names]
    # A fact of another kind may report what was said ("…where Gilmore told reporters…").
    keys.append([phonetic(t) for t in name_tokens(fact.text)])
    return any(covered(s, k) for s in spellings for k in keys)
