"""What answering computes once per fact: its claim, quote and name terms, the phonetic
keys of its names, the Russian and Belarusian terms (and roots) of its translations, and
where its claim leaves someone out ("other than Mr. Lukashenko"). Kept per fact object by
the store that owns the fact (:class:`FactTexts`): a fact is immutable, so the same object
always says the same; the store may compute it all ahead (:meth:`FactTexts.prepare`), so
that a question asked for the first time finds its candidates analysed."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

from facts.analysis import Token, analyze, without_stop_words
from facts.index_fields import details_text, fact_fields, translation_fields
from facts.lang import has_cyrillic
from facts.model import EntityType, Fact, PersonDetails
from facts.names import distance, name_tokens, phonetic, similarity

_NAME_MATCH = 0.8


@dataclass(frozen=True, slots=True)
class FactText:
    """A fact analysed once: the terms of its claim (names, text, details) and of its
    quotes, phonetic word keys, and the tokens of the claim text."""

    claim: frozenset[str]
    quotes: frozenset[str]
    keys: frozenset[str]
    words: frozenset[str]
    text_tokens: tuple[Token, ...]
    lowercase: frozenset[str]
    capitalised: frozenset[str]
    pronouns: tuple[int, ...]
    #: Positions of names the claim excludes ("candidates other than Mr. Lukashenko").
    excluded: frozenset[int]
    #: Positions of words right after a form of "be" (passive verbs, mostly).
    passive: frozenset[int]
    #: The position and phonetic key of each claim text token (as ``text_tokens``), and
    #: of the capitalised ones: where the claim names someone.
    token_keys: tuple[tuple[int, str], ...]
    capital_keys: tuple[tuple[int, str], ...]
    #: ``words`` by their length (see :func:`has_word_near`).
    words_by_length: dict[int, tuple[str, ...]]
    #: The positions of ``token_keys`` by their key: where the claim names someone.
    key_positions: dict[str, tuple[int, ...]]


_T = TypeVar("_T")


class PerFact(Generic[_T]):
    """Something answering computes from a fact (``compute``), kept by the store that owns
    the fact (:class:`FactTexts`) while an answer is being worked out over it
    (:meth:`FactTexts.in_use`); computed afresh outside one."""

    def __init__(self, compute: Callable[[Fact], _T]) -> None:
        self.compute = compute
        _KINDS.append(self)

    def __call__(self, fact: Fact) -> _T:
        texts = _in_use.get()
        return self.compute(fact) if texts is None else texts.get(self, fact)


_KINDS: list[PerFact[Any]] = []


class FactTexts:
    """What answering computed of each fact (:class:`PerFact`), owned by one store: each
    store (and each :class:`~facts.source.IndexedFacts`) has its own, so two stores never
    share an entry. An entry is kept under the fact's id with the fact object it was
    computed from and serves only that object: a fact is immutable, and an edit makes a
    new object, which is analysed afresh on first use and replaces the entry. So the
    entries never outnumber the facts, and none is ever stale."""

    def __init__(self) -> None:
        self._tables: dict[PerFact[Any], dict[str, tuple[Fact, Any]]] = {}

    def get(self, kind: PerFact[_T], fact: Fact) -> _T:
        """``kind`` computed of ``fact``, computed now only the first time for this object."""
        table = self._tables.get(kind)
        if table is None:
            table = self._tables[kind] = {}
        entry = table.get(fact.id)
        if entry is not None and entry[0] is fact:
            value: _T = entry[1]
            return value
        value = kind.compute(fact)
        table[fact.id] = (fact, value)
        return value

    def prepare(self, facts: Iterable[Fact]) -> int:
        """Compute everything answering reads of ``facts`` now (before a first question
        needs it); returns how many facts were new to this cache."""
        done = 0
        with self.in_use():  # what one kind reads of another comes from here too
            done = self._prepare(facts)
        return done

    def _prepare(self, facts: Iterable[Fact]) -> int:
        done = 0
        for fact in facts:
            fresh = False
            for kind in _KINDS:
                table = self._tables.setdefault(kind, {})
                entry = table.get(fact.id)
                if entry is None or entry[0] is not fact:
                    table[fact.id] = (fact, kind.compute(fact))
                    fresh = True
            done += fresh
        return done

    def __len__(self) -> int:
        """How many facts have something kept."""
        return len({fact_id for table in self._tables.values() for fact_id in table})

    @contextmanager
    def in_use(self) -> Iterator[None]:
        """While inside, :class:`PerFact` values are read from and kept in this cache."""
        token = _in_use.set(self)
        try:
            yield
        finally:
            _in_use.reset(token)


#: The cache of the store an answer is being worked out over (see :meth:`FactTexts.in_use`).
_in_use: ContextVar[FactTexts | None] = ContextVar("fact_texts", default=None)


_SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})


_BE = frozenset({"was", "were", "been", "be", "being", "is", "are"})


_EXCLUDING = frozenset({"other than", "rather than", "except", "excluding", "apart from", "not"})


def _excluded_positions(words: list[Token]) -> frozenset[int]:
    """Positions of the capitalised words right after "other than", "except", "not"…"""
    excluded: set[int] = set()
    for i, token in enumerate(words):
        pair = f"{words[i - 1].word} {token.word}" if i else ""
        if token.word in _EXCLUDING or pair in _EXCLUDING:
            for following in words[i + 1 : i + 4]:
                if not following.capital:
                    break
                excluded.add(following.position)
    return frozenset(excluded)


def _about_others(surnames: set[str], words: list[Token]) -> bool:
    """True when a profile's quote (its ``words``, stop words kept) names its person (by
    the phonetic keys of their ``surnames``) only to leave them out ("candidates other than
    Mr. Lukashenko"): the rest of that quote is about others."""
    named = [t.position for t in words if phonetic(t.word) in surnames]
    return bool(named) and set(named) <= _excluded_positions(words)


def _analyse(fact: Fact) -> FactText:
    # Each text is analysed once, stop words kept; the claim and quote terms leave them out.
    # Topics are too coarse to count as matching a question's words.
    names, _, _, _ = fact_fields(fact)
    every_word = analyze(fact.text, keep_stop_words=True)
    text_tokens = tuple(without_stop_words(every_word))
    claim = [
        *analyze(names),
        *text_tokens,
        *analyze(" ".join(fact.questions)),
        *analyze(details_text(fact, topics=False)),
    ]
    surnames = {phonetic(words[-1]) for words in map(name_tokens, fact.names) if words}
    quoted: list[Token] = []
    for citation in fact.citations:
        words = analyze(citation.quote, keep_stop_words=True)
        if not (surnames and _about_others(surnames, words)):
            quoted += without_stop_words(words)
    every = [*claim, *quoted]
    spelled = frozenset(t.word for t in every if t.word.isalpha() and len(t.word) >= 4)
    by_length: dict[int, list[str]] = {}
    for word in sorted(spelled):
        by_length.setdefault(len(word), []).append(word)
    token_keys = tuple((t.position, phonetic(t.word)) for t in text_tokens)
    key_positions: dict[str, list[int]] = {}
    for position, key in token_keys:
        key_positions.setdefault(key, []).append(position)
    return FactText(
        claim=frozenset(t.term for t in claim),
        quotes=frozenset(t.term for t in quoted),
        keys=frozenset(phonetic(t.word) for t in every if t.word.isalpha()),
        words=spelled,
        text_tokens=text_tokens,
        lowercase=frozenset(t.word for t in text_tokens if not t.capital),
        capitalised=frozenset(t.word for t in text_tokens if t.capital and t.position > 0),
        pronouns=tuple(t.position for t in every_word if t.word in _SUBJECT_PRONOUNS),
        excluded=_excluded_positions(every_word),
        passive=frozenset(
            t.position for before, t in itertools.pairwise(every_word) if before.word in _BE
        ),
        token_keys=token_keys,
        capital_keys=tuple((t.position, phonetic(t.word)) for t in text_tokens if t.capital),
        words_by_length={length: tuple(group) for length, group in by_length.items()},
        key_positions={key: tuple(at) for key, at in key_positions.items()},
    )


def has_word_near(text: FactText, word: str) -> bool:
    """True when the fact holds a word (of its ``words``) at most one typo from ``word``:
    only words one letter shorter, as long or one longer can be."""
    n = len(word)
    return any(
        _near(word, other)
        for length in (n - 1, n, n + 1)
        for other in text.words_by_length.get(length, ())
    )


@lru_cache(maxsize=65536)
def _near(word: str, other: str) -> bool:
    """At most one typo apart. Cached: an unknown word meets the same words in many facts."""
    return distance(word, other, 1) <= 1


fact_text_of = PerFact(_analyse)


def has_cyrillic_term(token: Token) -> bool:
    """True for a Russian or Belarusian word (its term is a Cyrillic stem)."""
    return has_cyrillic(token.term)


def _name_keys(fact: Fact) -> list[list[str]]:
    """The phonetic keys of each name of a person or organisation."""
    return [k for k in ([phonetic(t) for t in name_tokens(n)] for n in fact.names) if k]


alias_keys = PerFact(_name_keys)


def _alias_key_sets(fact: Fact) -> tuple[frozenset[str], ...]:
    """The keys of each name as a set: a text names it when it holds them all."""
    return tuple(frozenset(alias) for alias in alias_keys(fact))


alias_key_sets = PerFact(_alias_key_sets)


def _surname_keys(fact: Fact) -> frozenset[str]:
    """The phonetic key of the last word of each name (what a claim names someone by)."""
    return frozenset(alias[-1] for alias in alias_keys(fact))


surname_keys = PerFact(_surname_keys)


@lru_cache(maxsize=65536)
def close(key: str, name_key: str) -> bool:
    """True when a question word spells a name word (a prefix only when it is long).
    Cached: the same question words meet the same names again and again."""
    return similarity(key, name_key, prefixes=len(key) >= 5) >= _NAME_MATCH


def covered(alias: list[str], keys: Collection[str]) -> bool:
    return all(a in keys or any(close(k, a) for k in keys) for a in alias)


def _translation_terms(fact: Fact) -> frozenset[str]:
    """The Russian and Belarusian terms of the fact's translations (analysed only for a
    question in those languages: they never match an English word)."""
    return frozenset(
        t.term for part in translation_fields(fact) for t in analyze(part) if has_cyrillic_term(t)
    )


translated_terms = PerFact(_translation_terms)


#: Russian and Belarusian words of one root that the stemmer keeps apart (приезжал /
#: приезд, разговаривал / разговор): stems alike in all but their last letter, and in at
#: least ``ROOT`` letters, match at ``SAME_ROOT``.
ROOT = 5


SAME_ROOT = 0.75


def _translation_roots(fact: Fact) -> dict[str, tuple[str, ...]]:
    """The fact's Russian and Belarusian terms by their first ``ROOT`` letters."""
    roots: dict[str, list[str]] = {}
    for term in translated_terms(fact):
        if len(term) >= ROOT:
            roots.setdefault(term[:ROOT], []).append(term)
    return {root: tuple(terms) for root, terms in roots.items()}


_translated_roots = PerFact(_translation_roots)


def roots_alike(term: str, other: str) -> bool:
    """True when two Russian or Belarusian terms share a root: alike but for at most their
    last letter, and in ``ROOT`` letters at least (погибл / погибш, встреча / встречал)."""
    shared = next(
        (i for i, (a, b) in enumerate(zip(term, other, strict=False)) if a != b),
        min(len(term), len(other)),
    )
    return shared >= max(ROOT, min(len(term), len(other)) - 1)


def same_root(term: str, fact: Fact) -> bool:
    """True when the fact's translation holds a term of the same root as ``term``."""
    return any(roots_alike(term, other) for other in _translated_roots(fact).get(term[:ROOT], ()))


def is_person(fact: Fact | None) -> bool:
    return (
        fact is not None
        and isinstance(fact.details, PersonDetails)
        and fact.details.entity is EntityType.PERSON
    )


def flat(entity: Fact) -> set[str]:
    return {k for alias in alias_keys(entity) for k in alias}
