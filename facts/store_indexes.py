"""The store's indexes of the current facts — by kind, topic, date, related fact and
speaker, and the search index — and the reads that go through them.

:class:`IndexedFacts` is a part of :class:`facts.store.FactStore` (its base class): it keeps
the indexes as the store's writes add and remove facts, and answers the queries that use
them. The facts themselves, their history and the writes are the store's.
"""

from __future__ import annotations

import bisect
import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from facts.errors import ValidationFailed
from facts.model import Fact, Kind, StatementDetails, When
from facts.search import SearchIndex

log = logging.getLogger("facts.store")

# Sorts after every character of an ISO date, so "2020" + _END covers all of 2020.
_END = "~"
_K = TypeVar("_K")


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A fact that matched a query, with its score (higher is better)."""

    fact: Fact
    score: float


class _Bucket:
    """Ids of current facts sharing a kind or a topic, kept sorted, with a cached listing."""

    __slots__ = ("ids", "listing", "order")

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.order: list[str] = []
        self.listing: list[Fact] | None = None

    def add(self, fact_id: str) -> None:
        """Add a fact id, or note that the fact behind it changed."""
        self.listing = None
        if fact_id not in self.ids:
            self.ids.add(fact_id)
            bisect.insort(self.order, fact_id)

    def discard(self, fact_id: str) -> None:
        """Remove a fact id (no error when absent)."""
        self.listing = None
        if fact_id in self.ids:
            self.ids.remove(fact_id)
            del self.order[bisect.bisect_left(self.order, fact_id)]

    def facts(self, facts: dict[str, Fact]) -> list[Fact]:
        """The bucket's facts in id order (a fresh list the caller may keep)."""
        if self.listing is None:
            self.listing = [facts[i] for i in self.order]
        return list(self.listing)


def _check_partial(label: str, value: str | None) -> None:
    if value is None:
        return
    try:
        When(date=value)
    except ValidationError as exc:
        raise ValidationFailed([f"{label}: {e['msg']}" for e in exc.errors()]) from None


class IndexedFacts:
    """The indexes of the current facts (see the module docstring)."""

    data_dir: Path
    _facts: dict[str, Fact]
    _version: int
    _by_kind: dict[Kind, _Bucket]
    _by_topic: dict[str, _Bucket]
    _current: _Bucket
    _dated: list[tuple[str, str]]
    _search: SearchIndex
    _related: dict[str, set[str]]
    _speakers: dict[str, set[str]]

    def _init_indexes(self) -> None:
        self._by_kind = {}
        self._by_topic = {}
        self._current = _Bucket()
        self._dated = []
        self._search = SearchIndex()
        self._related = {}
        self._speakers = {}

    # --- reads through the indexes --------------------------------------------------------
    def related_to(self, fact_id: str) -> list[Fact]:
        """Current facts that list ``fact_id`` among their related facts, in id order."""
        return [self._facts[i] for i in sorted(self._related.get(fact_id, ()))]

    def speakers(self) -> list[str]:
        """Every speaker of a current statement, as the statements spell them."""
        return [speaker for speaker, ids in self._speakers.items() if ids]

    def statements_by(self, speaker: str) -> list[Fact]:
        """Current statements whose speaker is spelled exactly ``speaker``, in id order."""
        return [self._facts[i] for i in sorted(self._speakers.get(speaker, ()))]

    def facts(
        self, *, kind: Kind | None = None, topic: str | None = None, include_inactive: bool = False
    ) -> list[Fact]:
        """Facts filtered by kind and/or topic, current only unless ``include_inactive``."""
        if include_inactive:
            return sorted(
                (
                    f
                    for f in self._facts.values()
                    if (kind is None or f.kind == kind) and (topic is None or topic in f.topics)
                ),
                key=lambda f: f.id,
            )
        empty = _Bucket()
        by_kind = self._current if kind is None else self._by_kind.get(Kind(kind), empty)
        if topic is None:
            return by_kind.facts(self._facts)
        by_topic = self._by_topic.get(topic, empty)
        if kind is None:
            return by_topic.facts(self._facts)
        small, large = sorted((by_kind, by_topic), key=lambda b: len(b.ids))
        return [self._facts[i] for i in small.order if i in large.ids]

    def topics(self) -> dict[str, int]:
        """Each topic of the current facts with how many current facts carry it."""
        return {t: len(b.ids) for t, b in sorted(self._by_topic.items()) if b.ids}

    def dated(self, start: str | None = None, end: str | None = None) -> list[Fact]:
        """Current facts with a date (events, sanctions, statements…) within [start, end]
        (partial ISO dates, inclusive), oldest first.

        A missing bound is open: ``dated("2020")`` is everything from 2020 on,
        ``dated("2020", "2020")`` all of 2020 and ``dated("2020-10", "2020-11")`` October
        and November. A fact dated only "2020" sorts at the start of 2020, so it is inside
        ``dated("2020", …)`` but not ``dated("2020-10", …)``.
        """
        _check_partial("start", start)
        _check_partial("end", end)
        lo = 0 if start is None else bisect.bisect_left(self._dated, (start, ""))
        hi = len(self._dated) if end is None else bisect.bisect_left(self._dated, (end + _END,))
        return [self._facts[fact_id] for _, fact_id in self._dated[lo:hi]]

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over claims, names, aliases and quotes of current facts."""
        hits = self._search.search(query, limit=limit, kinds=kinds)
        return [
            SearchHit(self._facts[h.fact_id], h.score) for h in hits if h.fact_id in self._facts
        ]

    def count_matching(self, query: str, *, cap: int) -> int:
        """How many facts ``search(query, limit=cap)`` would return (a document frequency
        for one word), without ranking or building them."""
        return self._search.count(query, cap=cap)

    def document_frequency(self, term: str) -> int:
        """How many current facts contain the analysed search term ``term``."""
        return self._search.document_frequency(term)

    def find_people(self, name: str, *, limit: int = 10) -> list[SearchHit]:
        """People and organisations whose name or alias matches, tolerating spelling
        variants, transliterations and small typos."""
        hits = self._search.names(name, limit=limit)
        return [
            SearchHit(self._facts[h.fact_id], h.score) for h in hits if h.fact_id in self._facts
        ]

    # --- indexes --------------------------------------------------------------------------
    def _index(self, fact: Fact) -> None:
        if not fact.is_current:
            return
        self._current.add(fact.id)
        self._bucket(self._by_kind, fact.kind).add(fact.id)
        for topic in fact.topics:
            self._bucket(self._by_topic, topic).add(fact.id)
        if fact.date is not None:
            bisect.insort(self._dated, (fact.date.sort_key, fact.id))
        self._index_links(fact)
        self._search.add(fact)

    def _index_links(self, fact: Fact) -> None:
        for other in fact.related:
            self._related.setdefault(other, set()).add(fact.id)
        if isinstance(fact.details, StatementDetails):
            self._speakers.setdefault(fact.details.speaker, set()).add(fact.id)

    def _unindex(self, fact: Fact) -> None:
        if not fact.is_current:
            return
        self._current.discard(fact.id)
        for bucket in (self._by_kind.get(fact.kind), *map(self._by_topic.get, fact.topics)):
            if bucket is not None:
                bucket.discard(fact.id)
        if fact.date is not None:
            key = (fact.date.sort_key, fact.id)
            index = bisect.bisect_left(self._dated, key)
            if index < len(self._dated) and self._dated[index] == key:
                del self._dated[index]
        for other in fact.related:
            self._related.get(other, set()).discard(fact.id)
        if isinstance(fact.details, StatementDetails):
            self._speakers.get(fact.details.speaker, set()).discard(fact.id)
        self._search.remove(fact.id)

    @staticmethod
    def _bucket(buckets: dict[_K, _Bucket], key: _K) -> _Bucket:
        bucket = buckets.get(key)
        if bucket is None:
            bucket = buckets[key] = _Bucket()
        return bucket

    def _export_tables(self) -> dict[str, Any]:
        """The indexes but the search index, as plain containers (for the index cache):
        what :meth:`_rebuild_indexes` builds of the same facts."""
        return {
            "current": self._current.order,
            "kinds": {kind: b.order for kind, b in self._by_kind.items() if b.ids},
            "topics": {topic: b.order for topic, b in self._by_topic.items() if b.ids},
            "dated": self._dated,
            "related": {fact_id: ids for fact_id, ids in self._related.items() if ids},
            "speakers": {speaker: ids for speaker, ids in self._speakers.items() if ids},
        }

    def _restore_tables(self, tables: dict[str, Any]) -> bool:
        """Take the tables of :meth:`_export_tables` (of the facts held now): False, with
        nothing changed, when they are not such tables."""

        def bucket(order: list[str]) -> _Bucket:
            restored = _Bucket()
            restored.order, restored.ids = order, set(order)
            return restored

        try:
            current = bucket(tables["current"])
            by_kind = {Kind(kind): bucket(order) for kind, order in tables["kinds"].items()}
            by_topic = {str(topic): bucket(order) for topic, order in tables["topics"].items()}
            dated, related, speakers = tables["dated"], tables["related"], tables["speakers"]
        except (KeyError, TypeError, ValueError, AttributeError):
            return False
        if current.ids != {f.id for f in self._facts.values() if f.is_current}:
            return False
        self._current, self._by_kind, self._by_topic = current, by_kind, by_topic
        self._dated, self._related, self._speakers = dated, related, speakers
        return True

    def _rebuild_indexes(
        self,
        search: SearchIndex | None,
        changed: Collection[str],
        tables: dict[str, Any] | None = None,
    ) -> None:
        """Build the indexes from the facts; ``search``, when given, is the cached search
        index of the snapshot, ``changed`` the facts the journal changed since, and
        ``tables`` the other indexes cached with it (taken when nothing changed)."""
        if search is not None and not changed and tables is not None:
            if self._restore_tables(tables):
                self._version += 1
                self._search = search
                return
            log.warning("%s: the cached indexes do not match the facts; rebuilt", self.data_dir)
        self._by_kind, self._by_topic = {}, {}
        self._current = _Bucket()
        self._related, self._speakers = {}, {}
        self._version += 1
        dated: list[tuple[str, str]] = []
        current: list[Fact] = []
        for fact in self._facts.values():
            if not fact.is_current:
                continue
            current.append(fact)
            # Filled unsorted, then sorted once: inserting in order would be quadratic.
            self._current.ids.add(fact.id)
            self._bucket(self._by_kind, fact.kind).ids.add(fact.id)
            for topic in fact.topics:
                self._bucket(self._by_topic, topic).ids.add(fact.id)
            if fact.date is not None:
                dated.append((fact.date.sort_key, fact.id))
            self._index_links(fact)
        if search is None:
            started = time.process_time()
            search = SearchIndex()
            search.add_many(current)
            log.info(
                "%s: search index of %d facts built in %.2f s of CPU",
                self.data_dir,
                len(current),
                time.process_time() - started,
            )
        elif changed:
            for fact_id in changed:
                search.remove(fact_id)
            # Normalised as a whole, as a fresh build of the same facts would be.
            search.add_many(self._facts[i] for i in changed if self._facts[i].is_current)
        self._search = search
        for bucket in (self._current, *self._by_kind.values(), *self._by_topic.values()):
            bucket.order = sorted(bucket.ids)
        dated.sort()
        self._dated = dated
