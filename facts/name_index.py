"""Names of people and organisations, matched by their name tokens: exact, prefix, the
phonetic key, and edit distance, with candidates drawn from a trigram index so a query
never scans every name. The search index keeps one (:class:`facts.search.SearchIndex`)."""

from __future__ import annotations

import heapq
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from facts.names import allowed_typos, name_tokens, phonetic, similarity, skeleton, trigrams


@dataclass(frozen=True, slots=True)
class Hit:
    """A fact id and its score (higher is better)."""

    fact_id: str
    score: float


class NameIndex:
    """The names of indexed people and organisations, by fact id."""

    def __init__(self) -> None:
        self._entity_names: dict[str, list[list[str]]] = {}
        self._name_keys: dict[str, Counter[str]] = {}
        self._name_skeletons: dict[str, set[str]] = {}
        self._name_trigrams: dict[str, set[str]] = {}
        self._sorted_keys: list[str] = []
        # (query, limit) → what ``names`` found; emptied by every write.
        self._hits: dict[tuple[str, int], list[Hit]] = {}
        # Fact id → name key → the fewest distinct keys of a name of it holding that key.
        self._shortest: dict[str, dict[str, int]] = {}

    # --- writes ---------------------------------------------------------------------------
    def add(self, fact_id: str, names: Iterable[str]) -> None:
        """Index the names of ``fact_id`` (which must not be indexed already)."""
        self._hits.clear()
        self._shortest.pop(fact_id, None)
        keyed = [[phonetic(t) for t in name_tokens(name)] for name in names]
        self._entity_names[fact_id] = [k for k in keyed if k]
        for key in {k for keys in keyed for k in keys}:
            holders = self._name_keys.get(key)
            if holders is None:
                holders = self._name_keys[key] = Counter()
                self._name_skeletons.setdefault(skeleton(key), set()).add(key)
                for gram in trigrams(key):
                    self._name_trigrams.setdefault(gram, set()).add(key)
                insort(self._sorted_keys, key)
            holders[fact_id] += 1

    def remove(self, fact_id: str) -> None:
        """Drop the names of ``fact_id`` (no error when it has none)."""
        self._hits.clear()
        self._shortest.pop(fact_id, None)
        keyed = self._entity_names.pop(fact_id, None)
        if keyed is None:
            return
        for key in {k for keys in keyed for k in keys}:
            holders = self._name_keys[key]
            del holders[fact_id]
            if holders:
                continue
            del self._name_keys[key]
            skel = skeleton(key)
            self._name_skeletons[skel].discard(key)
            if not self._name_skeletons[skel]:
                del self._name_skeletons[skel]
            for gram in trigrams(key):
                self._name_trigrams[gram].discard(key)
                if not self._name_trigrams[gram]:
                    del self._name_trigrams[gram]
            del self._sorted_keys[bisect_left(self._sorted_keys, key)]

    # --- persistence ----------------------------------------------------------------------
    def export(self) -> dict[str, object]:
        """The names as plain built-in containers (for a cache file); see :meth:`restore`."""
        return {
            "entity_names": self._entity_names,
            "name_keys": {key: dict(holders) for key, holders in self._name_keys.items()},
            "name_skeletons": self._name_skeletons,
            "name_trigrams": self._name_trigrams,
            "sorted_keys": self._sorted_keys,
        }

    @classmethod
    def restore(cls, state: dict[str, Any]) -> NameIndex:
        """Names from :meth:`export`'s output (taken over, not copied).

        Raises ``KeyError``/``TypeError``/``ValueError`` when ``state`` is not one.
        """
        index = cls()
        index._entity_names = state["entity_names"]
        index._name_keys = {key: Counter(h) for key, h in state["name_keys"].items()}
        index._name_skeletons = state["name_skeletons"]
        index._name_trigrams = state["name_trigrams"]
        index._sorted_keys = state["sorted_keys"]
        return index

    # --- queries --------------------------------------------------------------------------
    def names(self, query: str, *, limit: int = 10) -> list[Hit]:
        """People and organisations whose name or alias matches ``query``, tolerating
        transliterations, small typos and partial names; scores are in (0, 1]."""
        # Every word of a question is looked up here, and the same words come up again
        # and again: kept until the index changes.
        key = (query, limit)
        hits = self._hits.get(key)
        if hits is None:
            hits = self._names(query, limit)
            if len(self._hits) >= 4096:
                self._hits.clear()
            self._hits[key] = hits
        return list(hits)

    def _names(self, query: str, limit: int) -> list[Hit]:
        keys = [phonetic(t) for t in name_tokens(query)]
        if not keys or limit < 1:
            return []
        # For each query key, each fact holding a close name key, with the closest: taken
        # in rising closeness, so that the closest is the one left.
        similar = [self.similar_keys(key) for key in keys]
        columns: list[dict[str, float]] = []
        for close_keys in similar:
            column: dict[str, float] = {}
            for name_key, close in sorted(close_keys, key=lambda item: item[1]):
                column.update(dict.fromkeys(self._name_keys[name_key], close))
            columns.append(column)
        # A fact's score is its mean closeness lowered by how little of its names the
        # query spells out (the cover): never above the mean. So facts are scored in order
        # of their mean (rounded as scores are), and once a fact's mean cannot reach the
        # ``limit``-th best (score, fact id) found, neither can any after it. Common words
        # name hundreds of facts; only the few that can rank are scored.
        means: list[tuple[float, str, float]] = []
        if len(columns) == 1:
            means = [(-round(c, 6), f, c) for f, c in columns[0].items() if c >= 0.5]
        else:
            for fact_id in dict.fromkeys(f for column in columns for f in column):
                mean = sum([column.get(fact_id, 0.0) for column in columns]) / len(keys)
                if mean >= 0.5:  # below, the cover can only lower the score further
                    means.append((-round(mean, 6), fact_id, mean))
        matched_keys = {name_key for close_keys in similar for name_key, _ in close_keys}
        # One name key matched (a one-word query, mostly): every fact holds just that one.
        only = matched_keys if len(matched_keys) == 1 else None
        heapq.heapify(means)
        top: list[tuple[float, str]] = []  # (-score, fact id) of the best, in order
        while means:
            bound, fact_id, mean = heapq.heappop(means)
            if len(top) >= limit and (bound, fact_id) > top[-1]:
                break
            # Prefer the entity one of whose names the query spells out in full.
            found = only or {k for k in matched_keys if fact_id in self._name_keys[k]}
            score = mean * (0.9 + 0.1 * self._cover(fact_id, found))
            if score >= 0.5:
                insort(top, (-round(score, 6), fact_id))
                del top[limit:]
        return [Hit(fact_id, -negative) for negative, fact_id in top]

    def _cover(self, fact_id: str, found: set[str]) -> float:
        """The largest share of the distinct keys of one of the fact's names that are
        ``found`` (name keys the fact holds)."""
        if len(found) == 1:
            # The share of the shortest name holding the key: kept per fact.
            (key,) = found
            shortest = self._shortest.get(fact_id)
            if shortest is None:
                shortest = self._shortest[fact_id] = {}
                for name in self._entity_names[fact_id]:
                    distinct = set(name)
                    for name_key in distinct:
                        if len(distinct) < shortest.get(name_key, len(distinct) + 1):
                            shortest[name_key] = len(distinct)
            return 1 / shortest[key] if key in shortest else 0.0
        cover = 0.0
        for name in self._entity_names[fact_id]:
            distinct = set(name)
            share = len(distinct & found) / len(distinct)
            if share > cover:
                cover = share
                if cover == 1.0:
                    break  # fully spelled out: no name can cover more
        return cover

    def similar_keys(self, key: str, *, prefixes: bool = True) -> list[tuple[str, float]]:
        """Indexed name keys close to the phonetic key ``key``, with how close (0, 1]."""
        out: dict[str, float] = {}
        if key in self._name_keys:
            out[key] = 1.0
        if prefixes and len(key) >= 3:
            start = bisect_left(self._sorted_keys, key)
            for other in self._sorted_keys[start : start + 50]:
                if not other.startswith(key):
                    break
                if other != key:
                    out[other] = 0.7 + 0.25 * len(key) / len(other)
        limit = allowed_typos(len(key))
        # A name spelled exactly as some entity spells it is not a typo for another.
        if limit and key.isalpha() and key not in self._name_keys:
            grams = trigrams(key)
            counts: Counter[str] = Counter()
            for gram in grams:
                counts.update(self._name_trigrams.get(gram, ()))
            need = max(1, len(grams) - 3 * limit)
            candidates = {k for k, c in counts.items() if c >= need}
            candidates.update(self._name_skeletons.get(skeleton(key), ()))
            for other in candidates:
                if out.get(other, 0.0) >= 0.95:
                    continue
                value = similarity(key, other, prefixes=False)
                if value > out.get(other, 0.0):
                    out[other] = value
        return list(out.items())
