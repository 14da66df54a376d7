"""Question answering over the fact base: pick the facts that answer a question, or refuse.

Pure (no Telegram): :func:`answer` takes the question and anything shaped like the store
(:class:`FactSource`, :mod:`facts.source`) and returns an :class:`Answer`. The steps:

1. Read the question (:mod:`facts.question`, :mod:`facts.phrasing`): its intent from cue
   words ("how many" → a count, "when" → a date, "who is X" or a bare name → X's profile,
   "sanction" → sanctions, "say" → statements); its content words, each weighted by how
   rare it is in the base; the people and organisations it names (under any spelling); the
   words an answer must contain: those names, years, proper nouns, the thing a "how many"
   counts, the verb it turns on, "next".
2. Retrieve candidates with the ranked search (BM25F over names, claims and their
   translations, attached questions, details, quotes) and judge each (:mod:`facts.judge`,
   over what :mod:`facts.fact_text` computed once per fact): the weighted share of the
   question's words it contains, how well its kind suits the intent, its search rank, and
   whether its subject is who was asked about.
3. Decide the tier: answer with a candidate that passes every check; otherwise offer the
   closest one, clearly labelled, when it is close enough and about every entity the
   question names ("This may answer it"); otherwise refuse (``found=False``) with close
   matches. Facts that state the same thing are shown once (:mod:`facts.duplicates`).

No question texts or fact ids live here: every rule is about words, kinds and names.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from facts.articles import (
    Asked,
    article_answer,
    asks_about_article,
    reported_by,
    reporter_asked,
)
from facts.comparisons import sides
from facts.duplicates import merge_same
from facts.fact_text import fact_text_of, has_cyrillic_term, is_person
from facts.freshness import asks_now
from facts.judge import Candidate, about_asked, judge, mentions, proper_terms, tier
from facts.lang import cyrillic_lookalikes, latin_russian
from facts.model import Fact, Kind
from facts.phrasing import DOMAIN_TERMS
from facts.polarity import Polarity, asks_yes_no, verdict
from facts.question import Intent, Query, bare_name, profile_asked, read_question
from facts.source import FactSource, IndexedFacts
from facts.store import SearchHit

__all__ = ["Answer", "FactSource", "IndexedFacts", "Intent", "answer"]


@dataclass(frozen=True, slots=True)
class Answer:
    """The facts that answer a question (best first), or a refusal with suggestions."""

    question: str
    found: bool
    facts: list[Fact]
    confidence: float
    intents: frozenset[Intent] = frozenset()
    suggestions: list[Fact] = field(default_factory=list)
    #: When nothing answers confidently: the single closest fact, close enough to offer
    #: clearly labelled as "This may answer it" (never counted as an answer).
    maybe: Fact | None = None
    #: For a yes/no question: what the facts say (None for other questions).
    polarity: Polarity | None = None
    #: The question asks about the present ("now", "latest"): say how old the figure is.
    asks_now: bool = False
    #: Facts that state the same as one of ``facts``, by its id: shown once, with all
    #: their citations.
    same: dict[str, list[Fact]] = field(default_factory=dict)

    @property
    def best(self) -> Fact | None:
        """The best fact, when the question was answered."""
        return self.facts[0] if self.found and self.facts else None


_CANDIDATES = 30


#: Coverage of the closest non-passing fact for "This may answer it" (calibrated on the
#: development sets), and of a fact to be offered among the suggestions.
_HEDGE = 0.5


_SUGGEST = 0.3


def _prefer_group_fact(passing: list[Candidate]) -> list[Candidate]:
    """When several people's profiles tie for first place, a fact about all of them
    answers better ("who was charged" → the charges against the three, not one profile)."""
    best = passing[0]
    if not is_person(best.fact):
        return passing
    tied = {c.fact.id for c in passing if is_person(c.fact) and c.final >= best.final - 0.02}
    if len(tied) < 2:
        return passing
    for candidate in passing:
        if tied <= set(candidate.fact.related):
            return [candidate, *(c for c in passing if c is not candidate)]
    return passing


def normalised(question: str) -> str:
    """The question as answering reads it: Russian typed in Latin letters, or Latin
    look-alikes inside Cyrillic words, as the Cyrillic they stand for."""
    question = question.strip()
    return latin_russian(question) or cyrillic_lookalikes(question)


def answer(question: str, store: FactSource, *, limit: int = 3) -> Answer:
    """The facts that answer ``question`` (best first), or ``found=False`` with suggestions;
    a yes/no question also gets its verdict, a question about the present its flag."""
    question = normalised(question)
    with store.fact_texts().in_use():
        result = _answer(question, store, limit=limit)
    return replace(
        result,
        # "Did the US or the EU … more?" asks which, not whether.
        polarity=(
            verdict(question, result.best, result.facts[1:])
            if asks_yes_no(question) and not sides(question)
            else None
        ),
        asks_now=asks_now(question),
    )


def _hedge(
    question: str, pool: list[Candidate], query: Query, intents: frozenset[Intent]
) -> Answer:
    """No fact passes: the single closest one, clearly labelled, when it is close enough and
    about every entity the question names; otherwise a refusal with suggestions."""
    close = merge_same([c.fact for c in pool if c.coverage >= _SUGGEST][:6])[0][:3]
    best = pool[0] if pool else None
    if (
        best is not None
        # "What did the BBC say?": a profile says who someone is, not what they said.
        and not (_asks_what_said(query) and best.fact.kind is Kind.PERSON)
        and best.coverage >= _HEDGE
        and not best.lacks_required
        and all(mentions(best.fact, e, fact_text_of(best.fact)) for e in query.entities.values())
    ):
        return Answer(
            question,
            False,
            [],
            0.0,
            intents,
            suggestions=[f for f in close if f.id != best.fact.id],
            maybe=best.fact,
        )
    return Answer(question, False, [], 0.0, intents, suggestions=close)


def _asks_what_said(query: Query) -> bool:
    """True for "what did X say" ("что сказала Би-би-си?"), not "who said…": a profile
    says who someone is, never what they said."""
    return Intent.STATEMENT in query.intents and Intent.PERSON not in query.intents


def _about_article(
    question: str,
    store: FactSource,
    pool: list[Candidate],
    asked: Asked,
    intents: frozenset[Intent],
) -> Answer:
    """Who wrote the article, or which outlet published it: the author's or outlet's
    profile, from the record of the article the closest facts cite; a refusal when no fact
    is close enough to say which article is meant, or its record does not say."""
    close = [c for c in pool if c.coverage >= _SUGGEST]
    if not close:
        return Answer(question, False, [], 0.0, intents)
    found = article_answer(store, [(c.fact, c.coverage) for c in close], asked)
    if found is None:
        return Answer(question, False, [], 0.0, intents, suggestions=[close[0].fact])
    return Answer(question, True, [found], round(close[0].coverage, 3), intents)


def _compared(question: str, store: FactSource, limit: int) -> Answer | None:
    """A comparison answered side by side (the best fact of each side), when every side is
    answered; None otherwise (then it is read as one question)."""
    questions = sides(question)
    if not questions:
        return None
    answers = [_answer(side, store, limit=1) for side in questions]
    if not all(a.found for a in answers):
        return None
    shown = list({a.facts[0].id: a.facts[0] for a in answers}.values())
    intents = frozenset().union(*(a.intents for a in answers))
    confidence = min(a.confidence for a in answers)
    return Answer(question, True, shown[:limit], confidence, intents)


def _judged(query: Query, store: FactSource) -> list[Candidate]:
    """The question's candidates, each judged, best first by the engine's score."""
    # Russian and Belarusian words are searched as written (their folded form is Latin).
    words = " ".join(t.raw if has_cyrillic_term(t) else t.word for t in query.content)
    hits = store.search(words, limit=_CANDIDATES)
    for entity in query.entities.values():
        hits.append(SearchHit(entity, 0.0))
    top_score = max((h.score for h in hits), default=0.0) or 1.0
    candidates: dict[str, Candidate] = {}
    for hit in hits:
        if hit.fact.id not in candidates:
            candidates[hit.fact.id] = Candidate(hit.fact, hit.score / top_score)
    pool = list(candidates.values())
    proper = proper_terms(query, pool)
    for candidate in pool:
        judge(store, candidate, query, proper)
        candidate.final = (
            candidate.coverage
            + 0.12 * candidate.fit
            + 0.08 * candidate.rank_score
            + 0.05 * about_asked(store, candidate.fact, query)
        )
    pool.sort(key=lambda c: (-c.final, c.fact.id))
    return pool


def ranked(question: str, store: FactSource) -> list[Candidate] | None:
    """The judged candidates answering would choose from, best first by the engine's score;
    None for a question answered another way (a comparison, a profile, a question about an
    article) or without content words. For measuring where answers are lost."""
    question = normalised(question)
    if sides(question) or asks_about_article(question) is not None:
        return None
    query = read_question(question, store)
    if (profile_asked(question, store) or bare_name(query)) is not None or all(
        t.term in DOMAIN_TERMS for t in query.content
    ):
        return None
    return _judged(query, store)


def _answer(question: str, store: FactSource, *, limit: int) -> Answer:
    compared = _compared(question, store, limit)
    if compared is not None:
        return compared
    query = read_question(question, store)
    intents = frozenset(query.intents or {Intent.GENERAL})
    profile = profile_asked(question, store) or bare_name(query)
    if profile is not None:
        return Answer(question, True, [profile], 1.0, intents | {Intent.PERSON})
    if all(t.term in DOMAIN_TERMS for t in query.content):
        # Nothing asked but the country every fact is about ("tell me about Belarus"): no
        # fact answers it better than another, so none is picked as the answer.
        return Answer(question, False, [], 0.0, intents)

    pool = _judged(query, store)
    article = asks_about_article(question)
    if article is not None:
        return _about_article(question, store, pool, article, intents)
    reporter = reporter_asked(question)
    if reporter is not None:
        # "What did the BBC report?": only what that outlet or speaker reported answers
        # it, never a fact from elsewhere, nor a profile of it.
        pool = [c for c in pool if reported_by(store, c.fact, reporter)]
    passing = sorted(
        (
            c
            for c in pool
            if c.passes and not (_asks_what_said(query) and c.fact.kind is Kind.PERSON)
        ),
        key=lambda c: (-tier(c, query), -c.final, c.fact.id),
    )
    if not passing:
        return _hedge(question, pool, query, intents)
    passing = _prefer_group_fact(passing)
    best = passing[0]
    chosen = [
        c.fact
        for c in passing
        if c.final >= best.final - 0.08 and tier(c, query) == tier(best, query)
    ][: limit + 2]
    shown, same = merge_same(chosen)
    confidence = min(1.0, best.coverage * (0.85 + 0.15 * best.fit))
    return Answer(question, True, shown[:limit], round(confidence, 3), intents, same=same)
