"""Judging a candidate fact against a read question: how much of the question it covers
(a quote counts a little less than the claim, a same-root or misspelt word less than the
word itself), how its kind suits the intent, and the checks an answer must pass — every
required word and named entity, a count or a date when asked for one, said of the person
asked about rather than of someone it mentions, not another person's profile, a place
when asked where, the speaker asked about."""

from __future__ import annotations

import re
from dataclasses import dataclass

from facts.analysis import Token, analyze, stem
from facts.errors import NotFoundError
from facts.fact_text import (
    ROOT,
    SAME_ROOT,
    FactText,
    alias_key_sets,
    alias_keys,
    covered,
    fact_text_of,
    flat,
    has_cyrillic_term,
    has_word_near,
    is_person,
    same_root,
    surname_keys,
    translated_terms,
)
from facts.model import EventDetails, Fact, Kind, SanctionDetails, StatementDetails
from facts.names import name_tokens, phonetic
from facts.phrasing import DOMAIN_TERMS
from facts.question import WEAK, Intent, Query
from facts.source import FactSource

_MIN_COVERAGE = 0.56


_MIN_PREDICATE_COVERAGE = 0.4


#: The same for a Russian or Belarusian question, whose verbs often differ from the
#: translation's in aspect or stem (встречался / встретился): calibrated on the
#: development sets.
_MIN_COVERAGE_SLAVIC = 0.53


_MIN_PREDICATE_SLAVIC = 0.2


_QUOTE_ONLY = 0.8


_TYPO = 0.8


@dataclass(slots=True)
class Candidate:
    fact: Fact
    rank_score: float
    coverage: float = 0.0
    predicate_coverage: float = 1.0
    fit: float = 0.0
    passes: bool = False
    final: float = 0.0
    #: The fact lacks a year, name or place the question insists on: never offered.
    lacks_required: bool = False


_PLACE = re.compile(r"\b(?:in|near|at)\s+(?:the\s+)?[A-Z][a-z]")


_SPEECH = frozenset(
    stem(w) for w in ("say", "tell", "claim", "call", "announce", "write", "warn", "urge")
)


def subject_after_verb(fact: Fact, query: Query) -> bool:
    """True when the claim has the asked verb only before the asked subject ("…start a
    dialogue with the protesters" does not say when the protests started)."""
    if query.verb is None or not query.subject:
        return False
    keys = {
        k
        for term in query.subject
        for entity in query.entity_terms.get(term, ())
        for k in flat(query.entities[entity])
    }
    subject_at = [
        t.position
        for t in fact_text_of(fact).text_tokens
        if t.term in query.subject or phonetic(t.word) in keys
    ]
    text = fact_text_of(fact)
    verb_at = [t.position for t in text.text_tokens if t.term == query.verb]
    # A passive verb ("were reported by the UN") has its subject after it.
    if any(p in text.passive for p in verb_at):
        return False
    return bool(subject_at and verb_at) and min(subject_at) > max(verb_at)


def mentions(fact: Fact, entity: Fact, text: FactText) -> bool:
    """True when the fact is about ``entity``: its own profile, linked to it, or naming it
    — unless its claim names it only to leave it out ("other than Mr. Lukashenko")."""
    if fact.id == entity.id:
        return True
    aliases = alias_key_sets(entity)
    surnames = surname_keys(entity)
    named_at = [p for key in surnames for p in text.key_positions.get(key, ())]
    if named_at and all(p in text.excluded for p in named_at):
        return False
    if entity.id in fact.related:
        return True
    return any(alias <= text.keys for alias in aliases)


def _in_claim(token: Token, fact: Fact, text: FactText) -> bool:
    """True when the claim (or, for a Russian or Belarusian word, its translation) holds
    the question word's term."""
    if has_cyrillic_term(token):
        return token.term in translated_terms(fact)
    return token.term in text.claim


def _matches(token: Token, fact: Fact, text: FactText, query: Query) -> float:
    """How well a fact matches a question word: 1 in its claim, less in a quote only."""
    if _in_claim(token, fact, text):
        return 1.0
    if token.term in text.quotes:
        return _QUOTE_ONLY
    if has_cyrillic_term(token) and len(token.term) >= ROOT and same_root(token.term, fact):
        return SAME_ROOT
    if not token.word.isalpha():
        return 0.0
    if phonetic(token.word) in text.keys and (
        token.term in query.entity_terms or token.term in query.required
    ):
        return 1.0
    # Only a word the base does not know can be a misspelling of one in the fact.
    if token.term in query.unknown and has_word_near(text, token.word):
        return _TYPO
    return 0.0


def _get(store: FactSource, fact_id: str) -> Fact | None:
    try:
        return store.get(fact_id)
    except NotFoundError:
        return None


def _people_named(store: FactSource, fact: Fact, query: Query) -> list[tuple[int, str]]:
    """Where the claim names a person (by surname), and who, in order (shared: kept on the
    query for the fact, which is judged by several rules; don't change it)."""
    kept = query.people_named.get(fact.id)
    if kept is not None and kept[0] is fact:
        return kept[1]
    # Who each surname may name, in the order the people come: the question's entities
    # (the same for every fact, worked out once), then the fact and its related facts.
    asked = query.entity_owners
    if asked is None:
        asked = query.entity_owners = {}
        for fact_id, person in query.entities.items():
            if is_person(person):
                for key in surname_keys(person):
                    asked.setdefault(key, []).append(fact_id)
    own: dict[str, list[str]] = {}
    for fact_id in dict.fromkeys([fact.id, *fact.related]):
        if fact_id in query.entities:
            continue
        other = fact if fact_id == fact.id else _get(store, fact_id)
        if other is not None and is_person(other):
            for key in surname_keys(other):
                own.setdefault(key, []).append(fact_id)
    named: list[tuple[int, str]] = []
    for position, key in fact_text_of(fact).capital_keys:
        if key in asked:
            named.extend((position, i) for i in asked[key])
        if key in own:
            named.extend((position, i) for i in own[key])
    query.people_named[fact.id] = (fact, named)
    return named


def _first_person(store: FactSource, fact: Fact, query: Query) -> str | None:
    """The person the claim names first — its subject, as claims are written "X did Y"."""
    named = _people_named(store, fact, query)
    return named[0][1] if named else None


def _asked_people(query: Query) -> set[str]:
    return {i for i, e in query.entities.items() if is_person(e)}


def _said_of_others(store: FactSource, fact: Fact, query: Query) -> set[str]:
    """Question terms that the claim uses only right beside another person's name, as that
    person's title ("President Vladimir Putin" does not make Lukashenko a president)."""
    asked = _asked_people(query)
    if query.asks_who or not asked:
        return set()
    others = [p for p, i in _people_named(store, fact, query) if i not in asked]
    if not others:
        return set()
    beside: set[str] = set()
    elsewhere: set[str] = set()
    for token in fact_text_of(fact).text_tokens:
        # Titles are written capitalised ("President", "Ambassador"); a lower-case word
        # before a name is more likely a verb with that person as its object ("warned").
        near = token.capital and any(0 < p - token.position <= 2 for p in others)
        (beside if near else elsewhere).add(token.term)
    return beside - elsewhere


def _misattributed(store: FactSource, fact: Fact, query: Query) -> bool:
    """True when the claim is about someone other than the person the question asks about
    ("when did Lukashenko die" against "Klimovich, accused of a cartoon of Lukashenka,
    died…"). Questions that ask who did something are exempt: there the person named is
    the object."""
    if query.asks_who:
        return False
    asked = _asked_people(query)
    if not asked or fact.id in asked:
        return False
    named = _people_named(store, fact, query)
    if not named or named[0][1] in asked:
        return False
    # "…met Tikhanovskaya in Vienna, where she told…": a subject pronoun after the person
    # asked about may make them the subject of the clause that answers.
    mentioned = [p for p, i in named if i in asked]
    pronouns = fact_text_of(fact).pronouns
    return not (mentioned and any(p > mentioned[0] for p in pronouns))


def _has_place(fact: Fact) -> bool:
    """True when the fact says where: an event's place, or "in/near/at <Name>"."""
    # An event's place counts unless it is "Belarus", which every fact is about.
    if (
        isinstance(fact.details, EventDetails)
        and fact.details.place
        and {t.term for t in analyze(fact.details.place)} - DOMAIN_TERMS
    ):
        return True
    return bool(_PLACE.search(fact.text))


def _profile_of_another(fact: Fact, query: Query) -> bool:
    """True for the profile of someone the question does not name: a question about
    Galperovich is not answered by Radio Liberty's profile, which mentions him, nor "did
    Britain impose sanctions" by the EU's. ("Who …" questions may be answered by anyone's
    profile.)"""
    return (
        fact.kind is Kind.PERSON
        and fact.id not in query.entities
        and Intent.PERSON not in query.intents
    )


def _said_by_another(fact: Fact, query: Query) -> bool:
    """True when a "what did X say" question meets a statement by someone else, or a fact
    of another kind that reports no speech at all (a sanction on X is not what X said)."""
    if not query.speakers_asked:
        return False
    if not isinstance(fact.details, StatementDetails):
        # Another kind of fact may report speech ("…where she told ambassadors…"), if it
        # names the speaker asked about in its claim.
        text = fact_text_of(fact)
        claim_keys = {phonetic(t.word) for t in text.text_tokens}
        named = any(
            all(k in claim_keys for k in alias)
            for e in query.speakers_asked
            for alias in alias_keys(query.entities[e])
        )
        return not (text.claim & _SPEECH and named)
    speaker = [phonetic(t) for t in name_tokens(fact.details.speaker)]
    return not any(
        covered(alias, speaker)
        for entity_id in query.speakers_asked
        for alias in alias_keys(query.entities[entity_id])
    )


def _fit(fact: Fact, query: Query) -> float:
    """How well the kind of fact suits the kind of question, in [-1, 1]."""
    scores: list[float] = []
    for intent in query.intents:
        if intent is Intent.COUNT:
            if fact.kind is Kind.STATISTIC:
                scores.append(1.0)
            elif isinstance(fact.details, SanctionDetails) and fact.details.persons_count:
                scores.append(0.7)
            else:
                scores.append(0.3 if re.search(r"\d", fact.text) else 0.0)
        elif intent is Intent.DATE:
            scores.append(0.0 if fact.date is None else 1.0 if fact.kind is Kind.EVENT else 0.8)
        elif intent is Intent.SANCTION:
            scores.append(1.0 if fact.kind is Kind.SANCTION else 0.0)
        elif intent is Intent.STATEMENT:
            scores.append(1.0 if fact.kind is Kind.STATEMENT else 0.0)
        elif intent is Intent.PERSON:
            # "Who wrote the Moscow Mechanism report" is not answered by the mechanism.
            if fact.id in query.entities:
                scores.append(0.0)
            elif is_person(fact):
                scores.append(1.0)
            else:
                scores.append(0.5 if fact.related else 0.0)
    if Intent.PERSON not in query.intents and fact.kind is Kind.PERSON:
        # A profile sums a person up; a question about what happened wants the event.
        scores.append(-0.5)
    return sum(scores) / len(scores) if scores else 0.0


def about_asked(store: FactSource, fact: Fact, query: Query) -> bool:
    """True when the fact's subject (its speaker, or the person it names first) is an
    entity the question names: "what did the EU say" prefers the EU's own statements."""
    if not query.entities:
        return False
    if isinstance(fact.details, StatementDetails):
        said = query.speakers.get(fact.details.speaker)
        if said is None:
            speaker = [phonetic(t) for t in name_tokens(fact.details.speaker)]
            said = any(
                covered(alias, speaker)
                for entity in query.entities.values()
                for alias in alias_keys(entity)
            )
            query.speakers[fact.details.speaker] = said
        if said:
            return True
    return _first_person(store, fact, query) in query.entities


def tier(candidate: Candidate, query: Query) -> int:
    """1 when the fact is of the kind a "how many" or "when" question needs: a count, a date."""
    fact = candidate.fact
    if not query.intents & {Intent.COUNT, Intent.DATE}:
        return 0
    if Intent.COUNT in query.intents and not (
        fact.kind is Kind.STATISTIC
        or (isinstance(fact.details, SanctionDetails) and fact.details.persons_count)
    ):
        return 0
    if Intent.DATE in query.intents and fact.date is None:
        return 0
    return 1


def judge(store: FactSource, candidate: Candidate, query: Query, proper: set[str]) -> None:
    fact = candidate.fact
    text = fact_text_of(fact)
    total = matched = 0.0
    predicate_total = predicate_matched = 0.0
    hits = needed = 0
    others = _said_of_others(store, fact, query)
    # Whether the fact mentions each entity the question names (asked again below).
    mentioned: dict[str, bool] = {}

    def mentions_entity(entity_id: str) -> bool:
        said = mentioned.get(entity_id)
        if said is None:
            said = mentioned[entity_id] = mentions(fact, query.entities[entity_id], text)
        return said

    for token in query.content:
        weight = query.weights[token.term]
        if token.term in query.entity_terms:
            named = query.entity_terms[token.term]
            hit = float(any(mentions_entity(e) for e in named))
        elif token.term in others:
            hit = 0.0
        elif token.term == query.verb:
            # What the question turns on must be said in the claim, not only quoted.
            hit = float(_in_claim(token, fact, text))
        else:
            hit = _matches(token, fact, text, query)
        total += weight
        matched += weight * hit
        if weight > WEAK:
            needed += 1
            hits += hit > 0
        if token in query.predicates:
            predicate_total += weight
            predicate_matched += weight * hit
        # A year, name or verb the question turns on must be in the fact as written: a
        # same-root match (``SAME_ROOT``) is not enough.
        if hit in (0.0, SAME_ROOT) and (token.term in query.required or token.term in proper):
            candidate.passes = False
            candidate.coverage = matched / total
            candidate.lacks_required = True
            return
    candidate.coverage = matched / total if total else 0.0
    candidate.predicate_coverage = predicate_matched / predicate_total if predicate_total else 1.0
    candidate.fit = _fit(fact, query)
    candidate.passes = (
        # "How many" wants a count and "when" a date: a fact without one does not answer.
        (not query.intents & {Intent.COUNT, Intent.DATE} or tier(candidate, query) == 1)
        and candidate.coverage >= (_MIN_COVERAGE_SLAVIC if query.slavic else _MIN_COVERAGE)
        # One word of two in common is chance ("when did the protests end" / "an end to
        # violence"): a question of several words needs at least two of them.
        and hits >= min(2, needed)
        and candidate.predicate_coverage
        >= (_MIN_PREDICATE_SLAVIC if query.slavic else _MIN_PREDICATE_COVERAGE)
        and all(mentions_entity(e) for e in query.entities)
        and not _misattributed(store, fact, query)
        and not _profile_of_another(fact, query)
        and (Intent.PLACE not in query.intents or _has_place(fact))
        and not _said_by_another(fact, query)
        and not subject_after_verb(fact, query)
    )


def proper_terms(query: Query, candidates: list[Candidate]) -> set[str]:
    """Question terms the candidates only ever write capitalised (Russia, Minsk, Vitebsk):
    names of places and things, which an answer must contain to be about them."""
    lowercase: set[str] = set()
    capitalised: set[str] = set()
    for candidate in candidates:
        text = fact_text_of(candidate.fact)
        lowercase |= text.lowercase
        capitalised |= text.capitalised
    return {
        t.term
        for t in query.content
        if t.word in capitalised
        and t.word not in lowercase
        and t.term not in DOMAIN_TERMS
        and t.term not in query.entity_terms
    }
