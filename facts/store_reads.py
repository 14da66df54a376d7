"""Reading the fact store: a fact, its sources, its history, the base as of a date.

:class:`StoreReads` is the innermost part of :class:`facts.store.FactStore`: it holds
the store's state in memory (facts, sources, every revision of every fact, the meta
area) and answers from it; :class:`StoredRevision` is one revision as stored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import ValidationError

from facts.documents import DocumentStore
from facts.errors import ErrorReason, StoreCorrupted, require
from facts.fact_text import FactTexts
from facts.memo import VersionedMemo
from facts.model import Bundle, Fact, Revision, Source
from facts.rules import chain_head
from facts.storage import JSONObject, dump_json

_T = TypeVar("_T")


@dataclass(slots=True)
class StoredRevision:
    """One stored revision: its JSON form always, its model once someone asks for it."""

    raw: JSONObject
    model: Revision | None = None
    _at: datetime | None = None
    _encoded: bytes | None = None

    def encoded(self) -> bytes:
        """The revision as JSON, encoded once: revisions never change."""
        if self._encoded is None:
            self._encoded = dump_json(self.raw)
        return self._encoded

    @property
    def at(self) -> datetime:
        """When the revision was made (UTC)."""
        if self._at is None:
            try:
                self._at = as_utc(datetime.fromisoformat(self.raw["at"]))
            except (KeyError, TypeError, ValueError) as exc:
                raise self._damaged(exc) from None
        return self._at

    def revision(self) -> Revision:
        """The revision as a model, validated the first time it is asked for."""
        if self.model is None:
            try:
                self.model = Revision.model_validate(self.raw)
            except ValidationError as exc:
                raise self._damaged(exc) from None
        return self.model

    def _damaged(self, exc: Exception) -> StoreCorrupted:
        where = f"revision {self.raw.get('revision')} of fact {self.raw.get('fact_id')!r}"
        return StoreCorrupted(f"{where} is damaged ({exc}); restore from the latest good backup")


def as_utc(when: datetime) -> datetime:
    """Naive datetimes are taken to be UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def dump_model(model: Revision | Source) -> JSONObject:
    """A revision or a source as the JSON the store keeps."""
    return model.model_dump(mode="json", exclude_none=True)


class StoreReads:
    """The store's state in memory and the reads of it (see the module docstring)."""

    documents: DocumentStore
    _sources: dict[str, Source]
    _facts: dict[str, Fact]
    _history: dict[str, list[StoredRevision]]
    _meta: dict[str, Any]
    _version: int
    _per_version: VersionedMemo
    _fact_texts: FactTexts

    # --- reads -------------------------------------------------------------------------
    def get(self, fact_id: str) -> Fact:
        """The fact with this id, whatever its status; NotFoundError otherwise."""
        return require(self._facts, fact_id, ErrorReason.NO_FACT, id=repr(fact_id))

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self._facts

    def __len__(self) -> int:
        return len(self._facts)

    @property
    def version(self) -> int:
        """A number that grows with every change applied in memory (a cache key: results
        computed from the store stay valid while it is unchanged)."""
        return self._version

    def per_version(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, reused while the store is unchanged (:attr:`version`): replies
        built from the facts depend on nothing else. Results are shared: don't change them."""
        return self._per_version.at(self._version, key, compute)

    def fact_texts(self) -> FactTexts:
        """What answering computed of this store's facts (kept across versions: an entry
        serves only the fact object it was computed from)."""
        return self._fact_texts

    def current_version(self, fact_id: str) -> tuple[Fact | None, Fact | None]:
        """(the fact ``fact_id`` as asked, its current version): the supersession chain
        followed to its end. The current version is None when the fact is retracted or
        its chain is broken (a missing fact, a loop); both are None for an unknown id."""
        asked = self._facts.get(fact_id)
        if asked is None:
            return None, None
        head, ends = chain_head(fact_id, self._facts.get)
        newest = self._facts.get(head) if ends else None
        return asked, newest if newest is not None and newest.is_current else None

    def sources(self) -> list[Source]:
        """All source documents."""
        return list(self._sources.values())

    def get_source(self, source_id: str) -> Source:
        """One source; NotFoundError otherwise."""
        return require(self._sources, source_id, ErrorReason.NO_SOURCE, id=repr(source_id))

    def history(self, fact_id: str) -> list[Revision]:
        """Every revision of a fact, oldest first; NotFoundError for an unknown id."""
        revs = require(self._history, fact_id, ErrorReason.NO_FACT, id=repr(fact_id))
        return [rev.revision() for rev in revs]

    def facts_as_of(self, when: datetime) -> list[Fact]:
        """The base as it stood at ``when``: each fact's newest revision at or before it.

        Facts of every status are returned (a fact retracted by then shows as retracted),
        in the order they were added; a naive ``when`` is taken as UTC.
        """
        when = as_utc(when)
        found: list[Fact] = []
        for fact_id, revs in self._history.items():
            for index in range(len(revs) - 1, -1, -1):
                rev = revs[index]
                if rev.at <= when:
                    latest = index == len(revs) - 1
                    found.append(self._facts[fact_id] if latest else rev.revision().fact)
                    break
        return found

    def export_bundle(self) -> Bundle:
        """The whole base (every fact, every status) as a bundle, with the sources'
        documents."""
        documents = {
            s.document: self.documents.get(s.document)
            for s in self._sources.values()
            if s.document is not None
        }
        return Bundle(
            sources=list(self._sources.values()),
            facts=list(self._facts.values()),
            documents=documents,
        )

    def get_meta(self, key: str, default: Any = None) -> Any:
        """A value from the small durable key-value area (``default`` when unset)."""
        if key not in self._meta:
            return default
        # A copy, so that editing the result cannot change the store behind its back.
        return json.loads(json.dumps(self._meta[key]))
