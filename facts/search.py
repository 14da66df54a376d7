"""In-memory text search over facts (claims, names, aliases, quotes), with ranking.

INTERFACE (fixed; the store builds against it): ``SearchIndex`` with ``add``,
``remove``, ``search`` and ``names``. This first version is a plain token-overlap
ranking; the search implementer replaces the internals.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from facts.model import Fact, Kind

_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Lower-case word tokens of ``text``."""
    return [t.casefold() for t in _TOKEN.findall(text)]


@dataclass(frozen=True, slots=True)
class Hit:
    """A fact id and its score (higher is better)."""

    fact_id: str
    score: float


class SearchIndex:
    """Token index of current facts; ``add`` replaces an entry with the same id."""

    def __init__(self) -> None:
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._terms: dict[str, set[str]] = {}
        self._kinds: dict[str, Kind] = {}
        self._names: dict[str, list[str]] = {}

    def add(self, fact: Fact) -> None:
        """Index ``fact`` (replacing any earlier entry for its id)."""
        self.remove(fact.id)
        text = " ".join([fact.text, *fact.names, *(c.quote for c in fact.citations)])
        terms = set(tokens(text))
        self._terms[fact.id] = terms
        self._kinds[fact.id] = fact.kind
        for term in terms:
            self._postings[term].add(fact.id)
        if fact.names:
            self._names[fact.id] = [n.casefold() for n in fact.names]

    def remove(self, fact_id: str) -> None:
        """Drop ``fact_id`` from the index (no error when absent)."""
        for term in self._terms.pop(fact_id, set()):
            self._postings[term].discard(fact_id)
        self._kinds.pop(fact_id, None)
        self._names.pop(fact_id, None)

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[Hit]:
        """Facts sharing words with ``query``, most shared words first."""
        scores: dict[str, float] = defaultdict(float)
        for term in set(tokens(query)):
            for fact_id in self._postings.get(term, ()):
                if kinds is None or self._kinds[fact_id] in kinds:
                    scores[fact_id] += 1.0
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [Hit(fact_id, score) for fact_id, score in ranked[:limit]]

    def names(self, query: str, *, limit: int = 10) -> list[Hit]:
        """People and organisations whose name or alias contains ``query``."""
        wanted = query.casefold().strip()
        hits = [
            Hit(fact_id, 1.0)
            for fact_id, names in self._names.items()
            if wanted and any(wanted in name for name in names)
        ]
        return sorted(hits, key=lambda h: h.fact_id)[:limit]
