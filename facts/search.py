"""In-memory text search over facts (claims, names, aliases, quotes), with ranking.

INTERFACE (fixed; the store builds against it): ``SearchIndex`` with ``add``,
``remove``, ``search`` and ``names``.

``search`` is BM25F over four fields of a fact (:mod:`facts.index_fields`) — names and
aliases (weighted highest), the claim, the structured details and topics, and the citation
quotes (lowest) — after the text analysis of :mod:`facts.analysis` (case and diacritics
folding, stop-word removal, light English and Slavic stemming). Query words that
the base does not know are matched to known words within one typo, and proper names are
also matched under their transliterations (see :mod:`facts.names`). Each posting holds
the term's precomputed impact in the fact, so a query only multiplies by idf and adds;
terms are taken rarest first and, once the rest cannot lift an unseen fact into the top
results, they only rescore the facts found (MaxScore). A term most facts contain offers
only its best facts as candidates (a champion list).

``names`` matches people and organisations by their name tokens (:mod:`facts.name_index`).

Both keep per-term posting lists, so ``add`` and ``remove`` cost O(terms of the fact).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from facts import aliases, analysis, glossary, index_fields, lang, model, name_index, names
from facts.analysis import Token, analyze, stem
from facts.fact_text import ROOT, SAME_ROOT, roots_alike
from facts.index_fields import fact_fields, translation_fields
from facts.lang import has_cyrillic
from facts.model import Fact, Kind
from facts.name_index import Hit, NameIndex
from facts.names import distance, phonetic


def code_fingerprint() -> str:
    """A digest of the code an index is built by (analysis, fields, weights, the model).

    A cached index carries it, so one built by other code is never served.
    """
    modules = (
        sys.modules[__name__],
        analysis,
        index_fields,
        name_index,
        aliases,
        glossary,
        lang,
        names,
        model,
    )
    return modules_digest(sys.version, modules)


def modules_digest(salt: str, modules: Iterable[ModuleType]) -> str:
    """A digest of ``salt`` (a version) and the source files of ``modules``."""
    digest = hashlib.blake2b(salt.encode(), digest_size=16)
    for module in modules:
        digest.update(Path(str(module.__file__)).read_bytes())
    return digest.hexdigest()


# --- the index ----------------------------------------------------------------------------

NAME, TEXT, META, QUOTE = range(4)
_WEIGHTS = (3.0, 1.0, 0.7, 0.4)
_B = (0.3, 0.75, 0.5, 0.75)
_K1 = 1.2
#: How many of its best facts a very common term contributes as candidates.
_CHAMPIONS = 1000
#: Field lengths assumed until the index has facts to measure (names, claim, details, quotes).
_TYPICAL_LENGTHS = (6.0, 20.0, 12.0, 20.0)
_PHONETIC_WEIGHT = 0.9
_TYPO_WEIGHT = 0.7


def _impact_function(
    lengths: tuple[int, int, int, int], avg_lens: tuple[float, float, float, float]
) -> Callable[[tuple[int, int, int, int]], float]:
    """The BM25F impact of a term in a fact with these field lengths, as a function of
    the term's occurrences per field (field norms computed once per fact)."""
    norms = [1.0 - _B[f] + _B[f] * lengths[f] / avg_lens[f] for f in range(4)]
    w0, w1, w2, w3 = (_WEIGHTS[f] / norms[f] for f in range(4))

    def impact(tf: tuple[int, int, int, int]) -> float:
        weighted = tf[0] * w0 + tf[1] * w1 + tf[2] * w2 + tf[3] * w3
        return weighted * (_K1 + 1.0) / (weighted + _K1)

    return impact


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _discard(buckets: dict[str, set[str]], key: str, value: str) -> None:
    bucket = buckets[key]
    bucket.discard(value)
    if not bucket:
        del buckets[key]


class SearchIndex:
    """Ranked index of current facts; ``add`` replaces an entry with the same id."""

    def __init__(self) -> None:
        # term → {fact id → impact}: the term's BM25F weight in the fact before idf
        # (field weights, length normalisation and saturation folded in at add time).
        self._postings: dict[str, dict[str, float]] = {}
        # fact id → {term → occurrences per field}, to drop or re-weigh the postings.
        self._doc_tfs: dict[str, dict[str, tuple[int, int, int, int]]] = {}
        # term → an upper bound of its impacts (kept on removal: still a bound).
        self._max_impacts: dict[str, float] = {}
        # term → its facts, highest impact first; built when a one-word query needs it and
        # dropped whenever the term's postings change.
        self._ranked: dict[str, list[tuple[float, str]]] = {}
        self._doc_words: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._doc_lens: dict[str, tuple[int, int, int, int]] = {}
        self._len_sums = [0, 0, 0, 0]
        # The average field lengths the impacts were computed with, and the size of the
        # index then; impacts are recomputed whenever the index doubles or halves.
        self._avg_lens = _TYPICAL_LENGTHS
        self._normalised_at = 0
        self._kinds: dict[str, Kind] = {}
        # Each distinct tf tuple once (see ``_add``).
        self._tf_tuples: dict[tuple[int, int, int, int], tuple[int, int, int, int]] = {}
        # Surface words (folded, before stemming) for typo matching: how many facts use
        # each, and each single-letter deletion of a word → the words.
        self._words: Counter[str] = Counter()
        self._deletes: dict[str, set[str]] = {}
        # Words written as proper names, by phonetic key (Lukashenka ~ Lukashenko).
        self._proper: Counter[str] = Counter()
        self._phonetic: dict[str, set[str]] = {}
        # Names of people and organisations.
        self._names = NameIndex()
        # (term, word) → what ``expand`` made of a query token; emptied by every write,
        # since the vocabulary it was read from may have changed.
        self._expansions: dict[tuple[str, str], dict[str, float]] = {}
        # Russian and Belarusian terms by their first ``ROOT`` letters; built when a query
        # needs it and dropped with ``_expansions``.
        self._roots: dict[str, list[str]] | None = None

    def __len__(self) -> int:
        return len(self._doc_tfs)

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._doc_tfs

    # --- writes ---------------------------------------------------------------------------
    def add(self, fact: Fact) -> None:
        """Index ``fact`` (replacing any earlier entry for its id)."""
        self._add(fact, weigh=True)
        self._renormalise_if_grown()

    def add_many(self, facts: Iterable[Fact]) -> None:
        """Index many facts (a bulk build), then weigh every posting once (:meth:`normalise`).

        Cheaper than :meth:`add` one by one, which re-weighs the whole index each time it
        doubles; the result is the state :meth:`normalise` defines, whatever came before.
        """
        for fact in facts:
            self._add(fact, weigh=False)
        self.normalise()

    def _add(self, fact: Fact, *, weigh: bool) -> None:
        """Index ``fact``; without ``weigh`` its impacts are left for :meth:`normalise`."""
        self.remove(fact.id)
        if self._expansions:
            self._expansions.clear()
        self._roots = None
        counts: dict[str, list[int]] = {}
        lens = [0, 0, 0, 0]
        words: set[str] = set()
        proper: set[str] = set()
        for field, text in enumerate(fact_fields(fact)):
            for token in analyze(text):
                counts.setdefault(token.term, [0, 0, 0, 0])[field] += 1
                # Russian and Belarusian words (stemmed otherwise than by the English stem)
                # neither lengthen the field, so that translations leave the ranking of
                # English questions as it was, nor are offered to typo and spelling
                # matching, which maps a word back to its term by the English stem.
                if stem(token.word) != token.term:
                    continue
                lens[field] += 1
                if token.word.isalpha() and len(token.word) >= 4:
                    words.add(token.word)
                if (field == NAME or token.capital) and token.word.isalpha():
                    proper.add(token.word)
        # Translations add their Russian and Belarusian words only: their numbers and Latin
        # names would count twice what the English already says.
        for field, text in zip((NAME, TEXT), translation_fields(fact), strict=True):
            for token in analyze(text):
                if stem(token.word) != token.term:
                    counts.setdefault(token.term, [0, 0, 0, 0])[field] += 1
        lengths = (lens[0], lens[1], lens[2], lens[3])
        # Equal tuples shared: fewer objects to keep, and to write and read in the cache.
        shared = self._tf_tuples
        tfs = {
            term: shared.setdefault((tf[0], tf[1], tf[2], tf[3]), (tf[0], tf[1], tf[2], tf[3]))
            for term, tf in counts.items()
        }
        impact_of = _impact_function(lengths, self._avg_lens) if weigh else None
        for term, tf in tfs.items():
            impact = impact_of(tf) if impact_of is not None else 0.0
            self._postings.setdefault(term, {})[fact.id] = impact
            self._ranked.pop(term, None)
            if impact > self._max_impacts.get(term, 0.0) or term not in self._max_impacts:
                self._max_impacts[term] = impact
        for word in words:
            if self._words[word] == 0:
                for variant in _deletions(word):
                    self._deletes.setdefault(variant, set()).add(word)
            self._words[word] += 1
        for word in proper:
            if self._proper[word] == 0:
                self._phonetic.setdefault(phonetic(word), set()).add(word)
            self._proper[word] += 1
        self._doc_tfs[fact.id] = tfs
        self._doc_words[fact.id] = (tuple(words), tuple(proper))
        self._doc_lens[fact.id] = lengths
        for field in range(4):
            self._len_sums[field] += lens[field]
        self._kinds[fact.id] = fact.kind
        if fact.names:
            self._names.add(fact.id, fact.names)

    def remove(self, fact_id: str) -> None:
        """Drop ``fact_id`` from the index (no error when absent)."""
        doc_tfs = self._doc_tfs.pop(fact_id, None)
        if doc_tfs is None:
            return
        self._expansions.clear()
        self._roots = None
        for term in doc_tfs:
            posting = self._postings[term]
            del posting[fact_id]
            self._ranked.pop(term, None)
            if not posting:
                del self._postings[term]
                del self._max_impacts[term]
        words, proper = self._doc_words.pop(fact_id)
        for word in words:
            self._words[word] -= 1
            if self._words[word] == 0:
                del self._words[word]
                for variant in _deletions(word):
                    _discard(self._deletes, variant, word)
        for word in proper:
            self._proper[word] -= 1
            if self._proper[word] == 0:
                del self._proper[word]
                _discard(self._phonetic, phonetic(word), word)
        lens = self._doc_lens.pop(fact_id)
        for field in range(4):
            self._len_sums[field] -= lens[field]
        del self._kinds[fact_id]
        self._names.remove(fact_id)
        self._renormalise_if_grown()

    def _renormalise_if_grown(self) -> None:
        """Recompute every impact with the current average lengths when the index has
        doubled or halved since they were last computed (amortised O(1) per write)."""
        n = len(self._doc_tfs)
        if n < 2 * self._normalised_at and 2 * n > self._normalised_at:
            return
        self.normalise()

    def normalise(self) -> None:
        """Weigh every posting with the average field lengths of all indexed facts.

        The state this leaves depends only on which facts are indexed, not on the order
        they came in: a bulk build, a cached index brought up to date and an index
        normalised before it is cached all rank alike.
        """
        n = len(self._doc_tfs)
        self._ranked.clear()
        if n == 0:
            self._avg_lens, self._normalised_at = _TYPICAL_LENGTHS, 0
            self._max_impacts = {}
            return
        self._normalised_at = n
        a, b, c, d = (max(total / n, 1.0) for total in self._len_sums)
        self._avg_lens = (a, b, c, d)
        postings = self._postings
        best = dict.fromkeys(postings, 0.0)
        for fact_id, tfs in self._doc_tfs.items():
            impact_of = _impact_function(self._doc_lens[fact_id], self._avg_lens)
            # Facts share few distinct tf tuples: each is weighed once per fact.
            seen: dict[tuple[int, int, int, int], float] = {}
            for term, tf in tfs.items():
                impact = seen.get(tf)
                if impact is None:
                    impact = seen[tf] = impact_of(tf)
                postings[term][fact_id] = impact
                if impact > best[term]:
                    best[term] = impact
        self._max_impacts = best

    # --- persistence ----------------------------------------------------------------------
    def export(self) -> dict[str, object]:
        """The index as plain built-in containers (for a cache file); see :meth:`restore`.

        Query caches are left out; the caller normalises first if the state must equal
        a fresh build of the same facts.
        """
        return {
            "postings": self._postings,
            "doc_tfs": self._doc_tfs,
            "max_impacts": self._max_impacts,
            "doc_words": self._doc_words,
            "doc_lens": self._doc_lens,
            "len_sums": self._len_sums,
            "avg_lens": self._avg_lens,
            "normalised_at": self._normalised_at,
            "kinds": {fact_id: kind.value for fact_id, kind in self._kinds.items()},
            "words": dict(self._words),
            "deletes": self._deletes,
            "proper": dict(self._proper),
            "phonetic": self._phonetic,
            **self._names.export(),
        }

    @classmethod
    def restore(cls, state: dict[str, Any]) -> SearchIndex:
        """An index from :meth:`export`'s output (taken over, not copied).

        Raises ``KeyError``/``TypeError``/``ValueError`` when ``state`` is not one.
        """
        index = cls()
        kinds = {kind.value: kind for kind in Kind}
        index._postings = state["postings"]
        index._doc_tfs = state["doc_tfs"]
        index._max_impacts = state["max_impacts"]
        index._doc_words = state["doc_words"]
        index._doc_lens = state["doc_lens"]
        index._len_sums = list(state["len_sums"])
        a, b, c, d = state["avg_lens"]
        index._avg_lens = (float(a), float(b), float(c), float(d))
        index._normalised_at = int(state["normalised_at"])
        index._kinds = {fact_id: kinds[value] for fact_id, value in state["kinds"].items()}
        index._words = Counter(state["words"])
        index._deletes = state["deletes"]
        index._proper = Counter(state["proper"])
        index._phonetic = state["phonetic"]
        index._names = NameIndex.restore(state)
        if not (
            index._doc_tfs.keys() == index._doc_lens.keys() == index._kinds.keys()
            and index._doc_tfs.keys() == index._doc_words.keys()
        ):
            raise ValueError("the per-fact tables of the index disagree")
        return index

    # --- vocabulary -----------------------------------------------------------------------
    def document_frequency(self, term: str) -> int:
        """How many indexed facts contain the search term ``term``."""
        return len(self._postings.get(term, ()))

    def count(self, query: str, *, cap: int) -> int:
        """How many facts ``search(query, limit=cap)`` returns, without ranking them."""
        unique = {t.term: t for t in analyze(query)}
        groups = [g for g in (self.expand(token) for token in unique.values()) if g]
        if len(groups) != 1:
            return len(self.search(query, limit=cap))
        # One word: the facts holding any of the terms it stands for, up to ``cap``.
        postings = [self._postings[term] for term in groups[0]]
        largest = max(len(p) for p in postings)
        if largest >= cap or len(postings) == 1:
            return min(cap, largest)
        return min(cap, len(set().union(*postings)))

    def expand(self, token: Token) -> dict[str, float]:
        """Indexed terms a query token stands for, with weights: its own term, other
        spellings of the same proper name, and (for unknown words) words one typo away."""
        key = (token.term, token.word)
        cached = self._expansions.get(key)
        if cached is None:
            cached = self._expansions[key] = self._expand(token)
            if len(self._expansions) > 4096:
                self._expansions.clear()
                self._expansions[key] = cached
        return cached

    def _expand(self, token: Token) -> dict[str, float]:
        out: dict[str, float] = {}
        if token.term in self._postings:
            out[token.term] = 1.0
        elif has_cyrillic(token.term) and len(token.term) >= ROOT:
            # A Russian or Belarusian word the base does not hold as such: its words of the
            # same root ("погибло" finds "погибших"), as the judge reads them.
            for other in self._root_terms().get(token.term[:ROOT], ()):
                if roots_alike(token.term, other):
                    out[other] = SAME_ROOT
            if out:
                return out
        word = token.word
        if not word.isalpha():
            return out
        key = phonetic(word)
        for other in self._phonetic.get(key, ()):
            out.setdefault(stem(other), _PHONETIC_WEIGHT)
        if out or len(word) < 4:
            return out
        # A Russian or Belarusian word is read in Latin letters already, a guess at its
        # sound: one more letter changed would make it any English word ("паста" → "past").
        # Its typos are matched as names (below) and by root (above), never as English words.
        typos = () if has_cyrillic(token.term) else self._typo_candidates(word)
        for candidate in typos:
            out.setdefault(stem(candidate), _TYPO_WEIGHT)
        for name_key, close in self._names.similar_keys(key, prefixes=False):
            for other in self._phonetic.get(name_key, ()):
                weight = _PHONETIC_WEIGHT * close
                if weight > out.get(stem(other), 0.0):
                    out[stem(other)] = weight
        return {t: w for t, w in out.items() if t in self._postings}

    def _root_terms(self) -> dict[str, list[str]]:
        if self._roots is None:
            roots: dict[str, list[str]] = {}
            for term in self._postings:
                if len(term) >= ROOT and has_cyrillic(term):
                    roots.setdefault(term[:ROOT], []).append(term)
            self._roots = roots
        return self._roots

    def _typo_candidates(self, word: str) -> set[str]:
        found: set[str] = set(self._deletes.get(word, ()))
        for variant in _deletions(word):
            if variant in self._words:
                found.add(variant)
            found.update(self._deletes.get(variant, ()))
        return {c for c in found if distance(word, c, 1) <= 1}

    # --- queries --------------------------------------------------------------------------
    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[Hit]:
        """Facts matching ``query``, best first (BM25F over names, claim, details, quotes)."""
        unique = {t.term: t for t in analyze(query)}
        groups = [g for g in (self.expand(token) for token in unique.values()) if g]
        if len(groups) == 1 and len(groups[0]) == 1:
            return self._search_one(*next(iter(groups[0].items())), limit=limit, kinds=kinds)
        scores = self._score(groups, kinds, limit)
        if len(scores) > limit:
            floor = heapq.nlargest(limit, scores.values())[-1]
            scores = {d: v for d, v in scores.items() if v >= floor}
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return [Hit(fact_id, round(score, 6)) for fact_id, score in best]

    def _ranking(self, term: str) -> list[tuple[float, str]]:
        """The term's facts, highest impact first (as negated impacts, for sorting)."""
        ranked = self._ranked.get(term)
        if ranked is None:
            ranked = sorted((-v, d) for d, v in self._postings[term].items())
            self._ranked[term] = ranked
        return ranked

    def _champions(self, term: str) -> Iterator[tuple[str, float]]:
        for negative, doc in self._ranking(term)[:_CHAMPIONS]:
            yield doc, -negative

    def _search_one(
        self, term: str, weight: float, *, limit: int, kinds: Collection[Kind] | None
    ) -> list[Hit]:
        """A one-term query: the term's facts in impact order, no scoring pass needed."""
        ranked = self._ranking(term)
        n = len(self._doc_tfs)
        freq = len(ranked)
        factor = math.log(1.0 + (n - freq + 0.5) / (freq + 0.5)) * weight
        hits: list[Hit] = []
        for negative, doc in ranked:
            if kinds is None or self._kinds[doc] in kinds:
                hits.append(Hit(doc, round(-negative * factor, 6)))
                if len(hits) == limit:
                    break
        return hits

    def _score(
        self, groups: list[dict[str, float]], kinds: Collection[Kind] | None, limit: int
    ) -> dict[str, float]:
        """Term-at-a-time BM25F with MaxScore pruning: rare terms first; once the terms
        left cannot lift an unseen fact into the top ``limit``, they only rescore the
        facts already found, and facts that can no longer make it are dropped."""
        n = len(self._doc_tfs)
        if n == 0 or not groups:
            return {}
        prepared: list[tuple[float, list[tuple[dict[str, float], float]]]] = []
        terms_of: dict[int, str] = {}
        for group in groups:
            entries = []
            bound = 0.0
            for term, weight in group.items():
                posting = self._postings[term]
                terms_of[id(posting)] = term
                freq = len(posting)
                factor = math.log(1.0 + (n - freq + 0.5) / (freq + 0.5)) * weight
                entries.append((posting, factor))
                bound = max(bound, factor * self._max_impacts[term])
            prepared.append((bound, entries))
        prepared.sort(key=lambda item: -item[0])
        kinds_of = self._kinds
        scores: dict[str, float] = {}
        remaining = sum(bound for bound, _ in prepared)
        threshold = 0.0
        for bound, entries in prepared:
            remaining -= bound
            if len(scores) >= limit:
                threshold = heapq.nlargest(limit, scores.values())[-1]
            if scores and bound + remaining < threshold:
                # Nothing unseen can reach the top any more: rescore the survivors only.
                floor = threshold - bound - remaining
                scores = {d: v for d, v in scores.items() if v >= floor}
                if len(entries) == 1:
                    posting, factor = entries[0]
                    for doc in scores.keys() & posting.keys():
                        scores[doc] += posting[doc] * factor
                else:
                    for doc in scores:
                        scores[doc] += max(posting.get(doc, 0.0) * f for posting, f in entries)
                continue
            if len(entries) == 1:
                posting, factor = entries[0]
                items: Iterable[tuple[str, float]] = posting.items()
                if len(posting) > _CHAMPIONS:
                    # A term most facts contain adds only its best facts as candidates
                    # (a champion list); it still rescores any fact another term found.
                    items = self._champions(terms_of[id(posting)])
                for doc, impact in items:
                    if kinds is None or kinds_of[doc] in kinds:
                        scores[doc] = scores.get(doc, 0.0) + impact * factor
                continue
            best: dict[str, float] = {}
            for posting, factor in entries:
                for doc, impact in posting.items():
                    value = impact * factor
                    if value > best.get(doc, 0.0):
                        best[doc] = value
            for doc, value in best.items():
                if kinds is None or kinds_of[doc] in kinds:
                    scores[doc] = scores.get(doc, 0.0) + value
        return scores

    def names(self, query: str, *, limit: int = 10) -> list[Hit]:
        """People and organisations whose name or alias matches ``query``, tolerating
        transliterations, small typos and partial names; scores are in (0, 1]."""
        return self._names.names(query, limit=limit)
