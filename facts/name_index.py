"""Names of people and organisations, matched by their name tokens: exact, prefix, the
phonetic key, and edit distance, with candidates drawn from a trigram index so a query
never scans every name. The search index keeps one (:class:`facts.search.SearchIndex`)."""

from __future__ import annotations

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

    # --- writes ---------------------------------------------------------------------------
    def add(self, fact_id: str, names: Iterable[str]) -> None:
        """Index the names of ``fact_id`` (which must not be indexed already)."""
        self._hits.clear()
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
        if not keys:
            return []
        best: dict[str, list[float]] = {}
        matched: dict[str, set[str]] = {}
        for i, key in enumerate(keys):
            for name_key, close in self.similar_keys(key):
                for fact_id in self._name_keys[name_key]:
                    row = best.setdefault(fact_id, [0.0] * len(keys))
                    row[i] = max(row[i], close)
                    matched.setdefault(fact_id, set()).add(name_key)
        hits: list[Hit] = []
        for fact_id, row in best.items():
            mean = sum(row) / len(keys)
            if mean < 0.5:
                continue  # the cover below can only lower the score
            # Prefer the entity one of whose names the query spells out in full.
            found = matched[fact_id]
            cover = 0.0
            for name in self._entity_names[fact_id]:
                distinct = set(name)
                share = len(distinct & found) / len(distinct)
                if share > cover:
                    cover = share
                    if cover == 1.0:
                        break  # fully spelled out: no name can cover more
            score = mean * (0.9 + 0.1 * cover)
            if score >= 0.5:
                hits.append(Hit(fact_id, round(score, 6)))
        hits.sort(key=lambda h: (-h.score, h.fact_id))
        return hits[:limit]

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
