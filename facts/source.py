"""What answering reads from: the store's interface (:class:`FactSource`), and the same
over a list of facts in memory (:class:`IndexedFacts`, for tests, tools and previews)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable
from typing import Protocol, TypeVar

from facts.errors import NotFoundError
from facts.fact_text import FactTexts
from facts.memo import Memo
from facts.model import Fact, Kind, Source
from facts.search import SearchIndex
from facts.store import SearchHit

_T = TypeVar("_T")


class FactSource(Protocol):
    """What answering needs of the store (``FactStore`` satisfies it)."""

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over current facts."""
        ...

    def find_people(self, name: str, *, limit: int = 10) -> list[SearchHit]:
        """People and organisations whose name matches under any spelling."""
        ...

    def count_matching(self, query: str, *, cap: int) -> int:
        """How many facts ``search(query, limit=cap)`` would return."""
        ...

    def document_frequency(self, term: str) -> int:
        """How many facts contain the analysed search term ``term``."""
        ...

    def get(self, fact_id: str) -> Fact:
        """The fact with this id; NotFoundError otherwise."""
        ...

    def fact_texts(self) -> FactTexts:
        """What answering computed of these facts, kept by their owner."""
        ...

    def per_version(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, kept by the owner while its facts are unchanged."""
        ...

    def get_source(self, source_id: str) -> Source:
        """The source document with this id; NotFoundError otherwise."""
        ...

    def facts(
        self, *, kind: Kind | None = None, topic: str | None = None, include_inactive: bool = False
    ) -> list[Fact]:
        """Current facts, filtered by kind and/or topic."""
        ...


class IndexedFacts:
    """A :class:`FactSource` over a list of facts in memory (tests, tools, previews)."""

    def __init__(self, facts: Iterable[Fact], sources: Iterable[Source] = ()) -> None:
        self._facts = {f.id: f for f in facts}
        self._sources = {s.id: s for s in sources}
        self._index = SearchIndex()
        self._fact_texts = FactTexts()
        # These facts never change: what is computed of them holds for good.
        self._memo = Memo(50_000)
        for f in self._facts.values():
            if f.is_current:
                self._index.add(f)

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over current facts."""
        hits = self._index.search(query, limit=limit, kinds=kinds)
        return [SearchHit(self._facts[h.fact_id], h.score) for h in hits]

    def count_matching(self, query: str, *, cap: int) -> int:
        """How many facts ``search(query, limit=cap)`` would return."""
        return self._index.count(query, cap=cap)

    def document_frequency(self, term: str) -> int:
        """How many facts contain the analysed search term ``term``."""
        return self._index.document_frequency(term)

    def find_people(self, name: str, *, limit: int = 10) -> list[SearchHit]:
        """People and organisations whose name matches under any spelling."""
        hits = self._index.names(name, limit=limit)
        return [SearchHit(self._facts[h.fact_id], h.score) for h in hits]

    def get(self, fact_id: str) -> Fact:
        """The fact with this id; NotFoundError otherwise."""
        try:
            return self._facts[fact_id]
        except KeyError:
            raise NotFoundError(f"no fact {fact_id!r}") from None

    def fact_texts(self) -> FactTexts:
        """What answering computed of these facts."""
        return self._fact_texts

    def per_version(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, kept (these facts never change)."""
        return self._memo.get(key, compute)

    def get_source(self, source_id: str) -> Source:
        """The source document with this id; NotFoundError otherwise."""
        try:
            return self._sources[source_id]
        except KeyError:
            raise NotFoundError(f"no source {source_id!r}") from None

    def facts(
        self, *, kind: Kind | None = None, topic: str | None = None, include_inactive: bool = False
    ) -> list[Fact]:
        """Current facts (all with ``include_inactive``), filtered by kind and/or topic."""
        return [
            f
            for f in self._facts.values()
            if (include_inactive or f.is_current)
            and (kind is None or f.kind is kind)
            and (topic is None or topic in f.topics)
        ]
