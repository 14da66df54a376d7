"""The fact store: TinyDB behind a typed class that takes and returns models.

CONTRACT (skeleton — the store implementer fills the bodies in; signatures are fixed,
other modules build against them):

- Only this module (and facts/storage.py, its TinyDB storage) imports ``tinydb``.
- Every write is durable before it returns, records a :class:`Revision` (who, when,
  why, the new full snapshot; the previous version is the revision before it) and
  never deletes anything.
- All methods are synchronous and never await: in asyncio they run atomically with
  respect to other handlers, so there is exactly one writer.
- Reads return current facts unless asked otherwise; superseded and retracted facts are
  reachable by id (``get``) and through history.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from facts.model import Bundle, Fact, Kind, Revision, Source


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A fact that matched a query, with its score (higher is better)."""

    fact: Fact
    score: float


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import would do (dry run) or did."""

    added: list[str]
    changed: list[str]
    superseded: list[str]
    unchanged: list[str]
    sources_added: list[str]


class FactStore:
    """Sources, facts and their full history, on disk in ``data_dir``."""

    @classmethod
    def open(cls, data_dir: Path, *, seed: Bundle | None = None) -> FactStore:
        """Open (creating if needed) the store; an empty directory is loaded from ``seed``."""
        raise NotImplementedError

    def close(self) -> None:
        """Flush everything and release the directory."""
        raise NotImplementedError

    # --- reads -------------------------------------------------------------------------
    def get(self, fact_id: str) -> Fact:
        """The fact with this id, whatever its status; NotFoundError otherwise."""
        raise NotImplementedError

    def facts(
        self, *, kind: Kind | None = None, topic: str | None = None, include_inactive: bool = False
    ) -> list[Fact]:
        """Facts filtered by kind and/or topic, current only unless ``include_inactive``."""
        raise NotImplementedError

    def dated(self, start: str | None = None, end: str | None = None) -> list[Fact]:
        """Current facts with a date (events, sanctions, statements…) within [start, end]
        (partial ISO dates, inclusive), oldest first."""
        raise NotImplementedError

    def sources(self) -> list[Source]:
        """All source documents."""
        raise NotImplementedError

    def get_source(self, source_id: str) -> Source:
        """One source; NotFoundError otherwise."""
        raise NotImplementedError

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over claims, names, aliases and quotes of current facts."""
        raise NotImplementedError

    def find_people(self, name: str, *, limit: int = 10) -> list[SearchHit]:
        """People and organisations whose name or alias matches, tolerating spelling
        variants, transliterations and small typos."""
        raise NotImplementedError

    def history(self, fact_id: str) -> list[Revision]:
        """Every revision of a fact, oldest first; NotFoundError for an unknown id."""
        raise NotImplementedError

    def facts_as_of(self, when: datetime) -> list[Fact]:
        """The base as it stood at ``when``: each fact's newest revision at or before it."""
        raise NotImplementedError

    def export_bundle(self) -> Bundle:
        """The whole base (every fact, every status) as a bundle."""
        raise NotImplementedError

    # --- writes (each durable before it returns) ------------------------------------------
    def add_fact(self, fact: Fact, *, by: str, reason: str) -> Fact:
        """Add a new fact (revision 1); ConflictError if the id exists."""
        raise NotImplementedError

    def update_fact(self, fact: Fact, *, by: str, reason: str) -> Fact:
        """Replace a fact's content; the stored revision becomes previous + 1."""
        raise NotImplementedError

    def supersede(self, old_id: str, new_fact: Fact, *, by: str, reason: str) -> Fact:
        """Add ``new_fact`` and mark ``old_id`` superseded by it, in one durable write."""
        raise NotImplementedError

    def retract(self, fact_id: str, *, by: str, reason: str) -> Fact:
        """Mark a fact retracted with ``reason``; it stays in history."""
        raise NotImplementedError

    def revert(self, fact_id: str, revision: int, *, by: str, reason: str) -> Fact:
        """Restore an earlier revision's content as a new revision."""
        raise NotImplementedError

    def add_source(self, source: Source, *, by: str, reason: str) -> Source:
        """Add a source document; ConflictError if the id exists."""
        raise NotImplementedError

    def import_bundle(
        self, bundle: Bundle, *, by: str, reason: str, dry_run: bool = False
    ) -> ImportReport:
        """Apply a bundle all or nothing (or only report, with ``dry_run``)."""
        raise NotImplementedError
