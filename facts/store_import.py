"""Importing a bundle into the fact store, all or nothing (the seed is imported so too).

:class:`StoreImport` is a part of :class:`facts.store.FactStore` (its base class).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from facts.errors import ValidationFailed
from facts.model import Action, Bundle, Fact, Source, Status
from facts.store_writes import StoreWrites, who_why


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import would do (dry run) or did."""

    added: list[str]
    changed: list[str]
    superseded: list[str]
    unchanged: list[str]
    sources_added: list[str]
    #: Stored sources the import gives a document (sources are otherwise never changed).
    documents_attached: list[str] = field(default_factory=list)


class StoreImport(StoreWrites):
    """Bulk writes of the store (see the module docstring)."""

    def import_bundle(
        self, bundle: Bundle, *, by: str, reason: str, dry_run: bool = False
    ) -> ImportReport:
        """Apply a bundle all or nothing (or only report, with ``dry_run``).

        Facts missing from the bundle are left as they are; a source that is already
        stored must be identical (sources are not edited by import), except that an import
        may give a stored source its document.
        """
        by, reason = who_why(by, reason)
        with gc_paused():
            return self._import(
                bundle, action=Action.IMPORTED, by=by, reason=reason, dry_run=dry_run
            )

    def _import(
        self, bundle: Bundle, *, action: Action, by: str, reason: str, dry_run: bool = False
    ) -> ImportReport:
        problems: list[str] = []
        new_sources: list[Source] = []
        attached: list[Source] = []
        for source in bundle.sources:
            stored = self._sources.get(source.id)
            if stored is None:
                new_sources.append(source)
            elif stored != source:
                if stored.document is None and stored == source.model_copy(
                    update={"document": None}
                ):
                    attached.append(source)
                    continue
                problems.append(
                    f"source {source.id!r}: differs from the stored source "
                    "(sources cannot be changed by an import)"
                )
        for source in (*new_sources, *attached):
            if (
                source.document is not None
                and source.document not in bundle.documents
                and not self.documents.has(source.document)
            ):
                problems.append(
                    f"source {source.id!r}: its document {source.document[:12]}… is neither "
                    "in the file's documents nor stored here"
                )
        report = ImportReport([], [], [], [], [s.id for s in new_sources], [s.id for s in attached])
        changes: list[tuple[Action, Fact]] = []
        for fact in bundle.facts:
            stored_fact = self._facts.get(fact.id)
            if stored_fact is None:
                report.added.append(fact.id)
                changes.append((action, fact))
            elif stored_fact == fact.model_copy(update={"revision": stored_fact.revision}):
                report.unchanged.append(fact.id)
            elif fact.status is Status.SUPERSEDED and stored_fact.is_current:
                report.superseded.append(fact.id)
                changes.append((Action.SUPERSEDED, fact))
            else:
                report.changed.append(fact.id)
                changes.append((action, fact))
        if problems:
            raise ValidationFailed(problems)
        sources = [*new_sources, *attached]
        documents = {
            s.document: bundle.documents[s.document]
            for s in sources
            if s.document is not None and s.document in bundle.documents
        }
        if changes or sources:
            self._enforce(changes, sources, documents=documents)
        if not dry_run and (changes or sources):
            for text in documents.values():
                self.documents.put(text)
            self._commit(
                changes,
                by=by,
                reason=reason,
                sources=sources,
                source_action=action,
                checked=True,
            )
        return report


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk load.

    Loading creates hundreds of thousands of objects, none in cycles; each collection
    walks the whole heap, which made loading 10k facts twice as slow. They outlive the
    load, so they are then moved straight to the oldest generation (``gc.freeze()`` and
    ``gc.unfreeze()``; nothing stays frozen): otherwise the first young collection after
    the load walked them all again (0.3-0.4 s at 10,000 facts), and a second one later.
    Not while the process keeps objects frozen: unfreezing would release them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
