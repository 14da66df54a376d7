"""Changing the fact store: every write checks the rules, is journaled (durable) before
it returns, and is then applied in memory.

:class:`StoreWrites` is a part of :class:`facts.store.FactStore` (its base class); bulk
imports build on it in facts/store_import.py.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from facts.documents import document_id
from facts.errors import ConflictError, ErrorReason, NotFoundError, ValidationFailed
from facts.journal import JournaledStore
from facts.model import Action, Fact, Revision, Source, Status
from facts.rules import source_problems
from facts.storage import JSONObject
from facts.store_indexes import IndexedFacts
from facts.store_reads import StoredRevision, StoreReads, dump_model
from facts.store_rules import StoreRules
from facts.violations import RuleViolation

_MAX_BY = 300
_MAX_REASON = 1000


class StoreWrites(StoreReads, IndexedFacts, StoreRules, JournaledStore):
    """The writes of the store (see the module docstring)."""

    _seeding: bool
    _source_log: list[JSONObject]

    # --- writes (each durable before it returns) ------------------------------------------
    # Each write checks the rules (facts/rules.py) against the base as it would be after
    # it and writes nothing when one fails (RuleViolation). With ``dry_run`` it only checks
    # and returns what it would store: a preview runs exactly the checks of the write.
    def add_fact(
        self,
        fact: Fact,
        *,
        by: str,
        reason: str,
        new_sources: Sequence[Source] = (),
        documents: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> Fact:
        """Add a new fact (revision 1); ConflictError if the id exists.

        ``new_sources`` are added with it in the same durable write (all or nothing);
        ``documents`` are the texts of documents they name that are not stored yet
        (checked from memory, stored only by the write).
        """
        return self._write_fact(
            Action.CREATED,
            fact,
            by=by,
            reason=reason,
            new_sources=new_sources,
            documents=documents,
            dry_run=dry_run,
        )

    def update_fact(
        self,
        fact: Fact,
        *,
        by: str,
        reason: str,
        new_sources: Sequence[Source] = (),
        documents: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> Fact:
        """Replace a fact's content; the stored revision becomes previous + 1.

        ``new_sources`` (and ``documents``) as for :meth:`add_fact`.
        """
        return self._write_fact(
            Action.EDITED,
            fact,
            by=by,
            reason=reason,
            new_sources=new_sources,
            documents=documents,
            dry_run=dry_run,
        )

    def _write_fact(
        self,
        action: Action,
        fact: Fact,
        *,
        by: str,
        reason: str,
        new_sources: Sequence[Source],
        documents: Mapping[str, str] | None,
        dry_run: bool,
    ) -> Fact:
        """The write of :meth:`add_fact` (CREATED) and :meth:`update_fact` (EDITED)."""
        by, reason = who_why(by, reason)
        sources = self._new_sources(new_sources)
        if action is not Action.CREATED:
            self.get(fact.id)
        elif fact.id in self._facts:
            raise ConflictError(ErrorReason.FACT_EXISTS, id=repr(fact.id))
        elif not fact.is_current:
            raise ValidationFailed([f"fact {fact.id!r}: status: a new fact must be current"])
        return self._commit(
            [(action, fact)],
            by=by,
            reason=reason,
            sources=sources,
            documents=documents,
            dry_run=dry_run,
        )[0]

    def supersede(
        self,
        old_id: str,
        new_fact: Fact,
        *,
        by: str,
        reason: str,
        new_sources: Sequence[Source] = (),
        documents: Mapping[str, str] | None = None,
        dry_run: bool = False,
    ) -> Fact:
        """Add ``new_fact`` and mark ``old_id`` superseded by it, in one durable write
        (with ``new_sources`` and ``documents``, as for :meth:`add_fact`)."""
        by, reason = who_why(by, reason)
        sources = self._new_sources(new_sources)
        old = self.get(old_id)
        if new_fact.id == old_id:
            raise ConflictError(ErrorReason.SUPERSEDES_ITSELF, id=repr(old_id))
        if new_fact.id in self._facts:
            raise ConflictError(ErrorReason.FACT_EXISTS, id=repr(new_fact.id))
        if not old.is_current:
            raise ConflictError(ErrorReason.NOT_CURRENT, id=repr(old_id), status=old.status.value)
        if not new_fact.is_current:
            raise ValidationFailed([f"fact {new_fact.id!r}: status: a new fact must be current"])
        replaced = old.model_copy(
            update={
                "status": Status.SUPERSEDED,
                "superseded_by": new_fact.id,
                "retraction_reason": None,
            }
        )
        written = self._commit(
            [(Action.CREATED, new_fact), (Action.SUPERSEDED, replaced)],
            by=by,
            reason=reason,
            sources=sources,
            documents=documents,
            dry_run=dry_run,
        )
        return written[0]

    def retract(self, fact_id: str, *, by: str, reason: str, dry_run: bool = False) -> Fact:
        """Mark a fact retracted with ``reason``; it stays in history."""
        by, reason = who_why(by, reason)
        fact = self.get(fact_id)
        if fact.status is Status.RETRACTED:
            raise ConflictError(ErrorReason.ALREADY_RETRACTED, id=repr(fact_id))
        retracted = fact.model_copy(
            update={"status": Status.RETRACTED, "retraction_reason": reason, "superseded_by": None}
        )
        return self._commit([(Action.RETRACTED, retracted)], by=by, reason=reason, dry_run=dry_run)[
            0
        ]

    def revert(
        self, fact_id: str, revision: int, *, by: str, reason: str, dry_run: bool = False
    ) -> Fact:
        """Restore an earlier revision's content as a new revision.

        The rules decide as for any write: reverting a superseded fact to a revision where
        it was current is refused while its replacement is current (one current fact per
        chain); the refusal says how to bring the value back instead.
        """
        by, reason = who_why(by, reason)
        self.get(fact_id)
        revs = self._history[fact_id]
        if not 1 <= revision <= len(revs):
            raise NotFoundError(
                ErrorReason.NO_REVISION, id=repr(fact_id), revision=revision, count=len(revs)
            )
        restored = revs[revision - 1].revision().fact
        return self._commit([(Action.REVERTED, restored)], by=by, reason=reason, dry_run=dry_run)[0]

    def add_source(
        self, source: Source, *, by: str, reason: str, document: str | None = None
    ) -> Source:
        """Add a source document; ConflictError if the id exists.

        ``document`` is its text (stored content-addressed first; the source then names
        it), unless the source already names a stored document.
        """
        by, reason = who_why(by, reason)
        if source.id in self._sources:
            raise ConflictError(ErrorReason.SOURCE_EXISTS, id=repr(source.id))
        if document is not None:
            source = source.model_copy(update={"document": self.documents.put(document)})
        missing = source_problems(source, self.documents.has)
        if missing:
            raise RuleViolation(missing)
        self._commit([], by=by, reason=reason, sources=[source], source_action=Action.CREATED)
        return source

    def attach_document(
        self, source_id: str, text: str, *, by: str, reason: str, dry_run: bool = False
    ) -> Source:
        """Give a stored source its document (or replace it).

        Refused (RuleViolation, nothing written) when a quote of a fact citing the source is
        not in the text, or a fact's date is after the source's publication.
        """
        by, reason = who_why(by, reason)
        source = self.get_source(source_id)
        doc_id = document_id(text)
        attached = source.model_copy(update={"document": doc_id})
        if attached == source:
            return source
        self._enforce([], [attached], documents={doc_id: text})
        if dry_run:
            return attached
        self.documents.put(text)
        self._commit([], by=by, reason=reason, sources=[attached], source_action=Action.EDITED)
        return attached

    def set_meta(self, key: str, value: Any) -> None:
        """Durably set a JSON value in the key-value area (None removes the key)."""
        self._commit([], by="", reason="", meta={key: json.loads(json.dumps(value))})

    def _new_sources(self, sources: Sequence[Source]) -> list[Source]:
        """``sources`` to add with a fact: ConflictError if an id is stored or repeated."""
        seen: set[str] = set()
        for source in sources:
            if source.id in self._sources or source.id in seen:
                raise ConflictError(ErrorReason.SOURCE_EXISTS, id=repr(source.id))
            seen.add(source.id)
        return list(sources)

    def _note_successor(self, fact_id: str, successor: str | None) -> None:
        if successor is not None:
            self._ever_successors.setdefault(fact_id, set()).add(successor)
            self._ever_predecessors.setdefault(successor, set()).add(fact_id)

    def _commit(
        self,
        changes: list[tuple[Action, Fact]],
        *,
        by: str,
        reason: str,
        sources: list[Source] | None = None,
        source_action: Action = Action.CREATED,
        meta: dict[str, Any] | None = None,
        documents: Mapping[str, str] | None = None,
        dry_run: bool = False,
        checked: bool = False,
    ) -> list[Fact]:
        """Check the rules, journal one entry (the durability point), then apply it in
        memory; with ``dry_run`` only check and return the facts as they would be.
        ``documents``: texts the new sources name, not stored yet (stored by the write)."""
        if changes and not checked:
            self._enforce(changes, sources or (), documents=dict(documents or {}))
        journal = None if self._seeding or dry_run else self._writable()
        now = datetime.now(UTC)
        revisions: list[Revision] = []
        next_revision: dict[str, int] = {}
        for action, fact in changes:
            number = next_revision.get(fact.id) or len(self._history.get(fact.id, ())) + 1
            next_revision[fact.id] = number + 1
            numbered = (
                fact if fact.revision == number else fact.model_copy(update={"revision": number})
            )
            revisions.append(
                Revision(
                    fact_id=fact.id,
                    revision=number,
                    action=action,
                    at=now,
                    by=by,
                    reason=reason,
                    fact=numbered,
                )
            )
        if dry_run:
            return [r.fact for r in revisions]
        for text in (documents or {}).values():
            # Before the entry that names them: a crash in between leaves a harmless file.
            self.documents.put(text)
        entry: JSONObject = {"seq": self._seq + 1}
        if revisions:
            entry["revisions"] = [dump_model(r) for r in revisions]
        if sources:
            entry["sources"] = [dump_model(s) for s in sources]
            entry["source_log"] = [
                {
                    "source_id": s.id,
                    "action": source_action.value,
                    "at": _iso(now),
                    "by": by,
                    "reason": reason,
                }
                for s in sources
            ]
        if meta:
            entry["meta"] = meta
        if journal is not None:
            journal.append(entry)
        self._seq += 1
        # A seed is indexed in one bulk build once it is loaded.
        self._apply_entry(entry, revisions, indexed=not self._seeding)
        if journal is not None:
            self._maybe_compact()
        return [r.fact for r in revisions]

    def _apply_entry(
        self, entry: JSONObject, models: list[Revision] | None, *, indexed: bool
    ) -> None:
        """Apply a journal entry; ``models`` are its revisions when the caller has them."""
        for raw in entry.get("sources", ()):
            source = Source.model_validate(raw)
            self._sources[source.id] = source
        self._source_log.extend(entry.get("source_log", ()))
        for key, value in entry.get("meta", {}).items():
            if value is None:
                self._meta.pop(key, None)
            else:
                self._meta[key] = value
        self._version += 1
        raws = entry.get("revisions", ())
        for n, raw in enumerate(raws):
            model = models[n] if models is not None else Revision.model_validate(raw)
            history = self._history.setdefault(model.fact_id, [])
            if model.revision != len(history) + 1:
                raise ValueError(
                    f"fact {model.fact_id!r} has revision {model.revision} after {len(history)}"
                )
            history.append(StoredRevision(raw, model))
            self._note_successor(model.fact_id, model.fact.superseded_by)
            old = self._facts.get(model.fact_id)
            if indexed and old is not None:
                self._unindex(old)
            self._facts[model.fact_id] = model.fact
            if indexed:
                self._index(model.fact)


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def who_why(by: str, reason: str) -> tuple[str, str]:
    """Check the author and reason every change must carry; return them stripped."""
    by, reason = by.strip(), reason.strip()
    problems = []
    if not by:
        problems.append("by: who made the change is required")
    elif len(by) > _MAX_BY:
        problems.append(f"by: at most {_MAX_BY} characters")
    if not reason:
        problems.append("reason: why the change was made is required")
    elif len(reason) > _MAX_REASON:
        problems.append(f"reason: at most {_MAX_REASON} characters")
    if problems:
        raise ValidationFailed(problems)
    return by, reason
