"""The fact store: TinyDB behind a typed class that takes and returns models.

CONTRACT (signatures are fixed, other modules build against them):

- Only this module (and facts/storage.py, its TinyDB storage) imports ``tinydb``.
- Every write is durable before it returns, records a :class:`Revision` (who, when,
  why, the new full snapshot; the previous version is the revision before it) and
  never deletes anything.
- All methods are synchronous and never await: in asyncio they run atomically with
  respect to other handlers, so there is exactly one writer.
- Reads return current facts unless asked otherwise; superseded and retracted facts are
  reachable by id (``get``) and through history.

DESIGN: the whole base lives in memory (models plus in-memory indexes). A write is
validated, appended to the journal (one fsynced JSON line: the durability point) and
then applied in memory. Every ``compact_every`` entries, and on close, the state is
written as a TinyDB database (``facts.json``: tables ``revisions``, ``sources``,
``source_log``, ``meta``, ``store``) by atomic replace; it records the last journal
entry it contains, and the journal is emptied. Opening loads the snapshot and replays
newer journal entries.

The search index of the snapshot is cached beside it (``facts.index``, written on close
after the snapshot; not at every compaction, which it would make ~20 times slower). Its
key is the code that builds an index, the snapshot's last journal entry and a digest of
the snapshot's bytes, and it lists the revision of every fact it holds: opening uses it
only when all of these match, then indexes the facts the journal changed since. Anything
else (missing, stale, damaged) rebuilds the index from the facts, with a warning when the
file was damaged: it is a cache, never a source of truth, and never backed up.

TinyDB is the file format and its storage layer (:class:`facts.storage.AtomicJSONStorage`),
so ``TinyDB(path, storage=AtomicJSONStorage)`` can query a snapshot; its table API is not
on the write path because every TinyDB write rebuilds the whole table (O(N), see
shared/notes/tinydb.md) and its JSONStorage writes in place.
"""

from __future__ import annotations

import gc
import json
import logging
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from facts import model as fact_model
from facts.documents import DocumentStore, document_id
from facts.errors import (
    ConflictError,
    ErrorReason,
    FactsError,
    NotFoundError,
    StoreCorrupted,
    ValidationFailed,
    require,
)
from facts.fact_text import FactTexts
from facts.memo import VersionedMemo
from facts.model import (
    Action,
    Bundle,
    Fact,
    Revision,
    Source,
    Status,
)
from facts.rules import (
    RuleViolation,
    source_problems,
)
from facts.search import SearchIndex, code_fingerprint
from facts.storage import (
    INDEX_NAME,
    JOURNAL_NAME,
    LOCK_NAME,
    SNAPSHOT_NAME,
    AtomicJSONStorage,
    CacheMiss,
    DirectoryLock,
    Journal,
    JournaledStore,
    JSONObject,
    digest,
    dump_json,
    read_cache,
    remove_stray_temp_files,
    write_cache,
)

# SearchHit is what search() returns: the answer engine imports it from here.
from facts.store_indexes import IndexedFacts
from facts.store_indexes import SearchHit as SearchHit
from facts.store_rules import StoreRules

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
#: Layout of the cached search index (``facts.index``); a different one is rebuilt.
INDEX_FORMAT = 2
#: The classes a cache file may hold instances of: the fact models and their enums.
_CACHED_CLASSES = tuple(
    cls
    for cls in vars(fact_model).values()
    if isinstance(cls, type)
    and cls.__module__ == fact_model.__name__
    and issubclass(cls, BaseModel | Enum)
)
SEED_BY = "seed"
SEED_REASON = "initial seed: the fact base shipped with the bot"
_MAX_BY = 300
_MAX_REASON = 1000
_T = TypeVar("_T")


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


@dataclass(slots=True)
class _Rev:
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
                self._at = _aware(datetime.fromisoformat(self.raw["at"]))
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


def _aware(when: datetime) -> datetime:
    """Naive datetimes are taken to be UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _dump(model: Revision | Source) -> JSONObject:
    return model.model_dump(mode="json", exclude_none=True)


class FactStore(IndexedFacts, StoreRules, JournaledStore):
    """Sources, facts and their full history, on disk in ``data_dir``."""

    #: Compact (write a snapshot, empty the journal) after this many journal entries.
    compact_every: int = 1000
    #: …or once the journal grows past this many bytes.
    max_journal_bytes: int = 64 * 1024 * 1024

    def __init__(self, data_dir: Path, lock: DirectoryLock) -> None:
        """Use :meth:`open`; this only sets up an empty, unopened store."""
        self.data_dir = data_dir
        self.snapshot_path = data_dir / SNAPSHOT_NAME
        super().__init__(lock)
        # Digest of the bytes of facts.json as last read or written (the cache's key).
        self._snapshot_digest: str | None = None
        # The key of the index cache on disk when it is known to hold the current index.
        self._index_saved_for: JSONObject | None = None
        self._sources: dict[str, Source] = {}
        self._source_log: list[JSONObject] = []
        self._facts: dict[str, Fact] = {}
        self._history: dict[str, list[_Rev]] = {}
        self._meta: dict[str, Any] = {}
        self._init_indexes()
        # Every fact each fact was ever superseded by, and the reverse, over all revisions:
        # what the chain rule needs to know once the links of a revision are gone.
        self._ever_successors: dict[str, set[str]] = {}
        self._ever_predecessors: dict[str, set[str]] = {}
        self.documents = DocumentStore(data_dir)
        self._version = 0
        self._seeding = False
        self._per_version = VersionedMemo(512)
        self._fact_texts = FactTexts()

    # --- opening and closing ----------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, *, seed: Bundle | None = None) -> FactStore:
        """Open (creating if needed) the store; an empty directory is loaded from ``seed``."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        store = cls(data_dir, DirectoryLock(data_dir / LOCK_NAME))
        try:
            with _gc_paused():
                store._load(seed)
        except BaseException:
            store._release()
            raise
        return store

    def _load(self, seed: Bundle | None) -> None:
        remove_stray_temp_files(self.data_dir)
        journal_path = self.data_dir / JOURNAL_NAME
        if not self._read_snapshot():
            # The journal is only ever created after the first snapshot, so a journal
            # without one means the snapshot was lost: starting afresh would hide that.
            if journal_path.exists():
                raise StoreCorrupted(
                    f"{self.snapshot_path} is missing but {journal_path} exists; "
                    "restore the snapshot from the latest good backup"
                )
            if seed is not None:
                # Applied in memory only: the snapshot written next is the durable copy,
                # and a crash before it leaves the directory empty, to be seeded again.
                self._seeding = True
                try:
                    self._import(seed, action=Action.SEEDED, by=SEED_BY, reason=SEED_REASON)
                finally:
                    self._seeding = False
            self._snapshot_digest = self._write_snapshot(self.snapshot_path)
            self._snapshot_seq = self._seq
            cached = None
        else:
            cached = self._load_index_cache()
        self._journal, entries = Journal.open(journal_path)
        newer = [e for e in entries if e["seq"] > self._snapshot_seq]
        if newer and newer[0]["seq"] != self._snapshot_seq + 1:
            raise StoreCorrupted(
                f"{journal_path} starts at entry {newer[0]['seq']} but {self.snapshot_path} "
                f"ends at entry {self._snapshot_seq}; restore from the latest good backup"
            )
        changed: set[str] = set()
        for entry in newer:
            try:
                self._apply_entry(entry, None, indexed=False)
                changed.update(raw["fact_id"] for raw in entry.get("revisions", ()))
            except (ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
                raise StoreCorrupted(
                    f"{journal_path}: entry {entry.get('seq')} cannot be applied "
                    f"({exc}); restore from the latest good backup"
                ) from None
            self._seq = entry["seq"]
        self._rebuild_indexes(cached, changed)

    def _read_snapshot(self) -> bool:
        """Load ``facts.json`` if it exists; False when there is none yet."""
        storage = AtomicJSONStorage(self.snapshot_path)
        raw = storage.read_raw()
        if raw is None:
            return False
        self._snapshot_digest = digest(raw)
        tables = storage.parse(raw)
        where = f"{self.snapshot_path}"
        try:
            (info,) = tables["store"].values()
            if info["format"] != SNAPSHOT_FORMAT:
                raise StoreCorrupted(f"{where}: unknown snapshot format {info['format']!r}")
            self._snapshot_seq = self._seq = int(info["journal_seq"])
            for doc in tables.get("sources", {}).values():
                source = Source.model_validate(doc)
                self._sources[source.id] = source
            self._source_log = list(tables.get("source_log", {}).values())
            self._meta = {doc["key"]: doc["value"] for doc in tables.get("meta", {}).values()}
            for raw in tables.get("revisions", {}).values():
                history = self._history.setdefault(raw["fact_id"], [])
                if raw["revision"] != len(history) + 1:
                    raise StoreCorrupted(
                        f"{where}: fact {raw['fact_id']!r} has revision {raw['revision']} "
                        f"after {len(history)}"
                    )
                history.append(_Rev(raw))
                self._note_successor(raw["fact_id"], raw["fact"].get("superseded_by"))
        except StoreCorrupted as exc:
            raise StoreCorrupted(f"{exc}; restore from the latest good backup") from None
        except (ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorrupted(self._invalid_snapshot(exc)) from None
        return True

    def _invalid_snapshot(self, exc: Exception) -> str:
        return (
            f"{self.snapshot_path} is not a valid fact snapshot ({exc!r}); "
            "restore from the latest good backup"
        )

    def _validate_facts(self) -> None:
        """Build every fact of the snapshot just read from its last revision."""
        try:
            for fact_id, history in self._history.items():
                self._facts[fact_id] = Fact.model_validate(history[-1].raw["fact"])
        except (ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorrupted(self._invalid_snapshot(exc)) from None

    def _validated_without_cache(self) -> SearchIndex | None:
        """Validate the snapshot's facts (dropping any taken from a cache); None: the
        search index is to be built."""
        self._facts = {}
        self._validate_facts()
        return None

    def _take_cached_facts(self, cached: object) -> bool:
        """Use the facts of a cache written for the snapshot just read, if they are
        exactly its facts (id, order and revision of each): True when taken."""
        if not isinstance(cached, list) or len(cached) != len(self._history):
            return False
        for fact, (fact_id, history) in zip(cached, self._history.items(), strict=True):
            if type(fact) is not Fact or fact.id != fact_id or fact.revision != len(history):
                return False
        self._facts = {fact.id: fact for fact in cached}
        return True

    def _on_close(self) -> None:
        self._save_index_cache()

    # --- snapshots ----------------------------------------------------------------------
    def _write_snapshot(self, path: Path) -> str:
        """Write every table to ``path`` in one atomic replace; return the bytes' digest."""
        tables: dict[str, list[bytes]] = {
            "store": [dump_json({"format": SNAPSHOT_FORMAT, "journal_seq": self._seq})],
            "sources": [dump_json(_dump(s)) for s in self._sources.values()],
            "source_log": [dump_json(doc) for doc in self._source_log],
            "meta": [dump_json({"key": k, "value": v}) for k, v in self._meta.items()],
            "revisions": [rev.encoded() for revs in self._history.values() for rev in revs],
        }
        return AtomicJSONStorage(path).write_encoded(tables)

    def _write_state(self) -> None:
        self._snapshot_digest = self._write_snapshot(self.snapshot_path)

    # --- the cached search index ----------------------------------------------------------
    def _index_key(self) -> JSONObject:
        """What a cached index must have been written for to be used now."""
        return {
            "format": INDEX_FORMAT,
            "code": code_fingerprint(),
            "journal_seq": self._snapshot_seq,
            "snapshot": self._snapshot_digest,
        }

    def _indexed_revisions(self) -> dict[str, int]:
        """Fact id → revision of every fact the search index must hold (the current ones)."""
        return {f.id: f.revision for f in self._facts.values() if f.is_current}

    def _load_index_cache(self) -> SearchIndex | None:
        """The cached index of the snapshot just read, or None (logged) to rebuild it;
        the snapshot's facts are taken from the cache with it, or else validated."""
        path = self.data_dir / INDEX_NAME
        try:
            state = read_cache(path, self._index_key(), allowed=_CACHED_CLASSES)
            if state is None:
                log.info("%s: no cached search index; building it", self.data_dir)
                return self._validated_without_cache()
            index = SearchIndex.restore(state["index"])
            revisions = state["revisions"]
            cached_facts = state["facts"]
        except CacheMiss as miss:
            level = logging.WARNING if miss.damaged else logging.INFO
            log.log(level, "%s is not used (%s); rebuilding the search index", path, miss)
            return self._validated_without_cache()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("%s is not used (damaged: %r); rebuilding the search index", path, exc)
            return self._validated_without_cache()
        # The key ties the cache to these bytes (and the code): its facts are the ones the
        # store validated when it wrote or read the snapshot, so they are not validated
        # again (half of the start-up's CPU time). Checking them against the snapshot's
        # revisions, and the index against them, also catches a cache written from state
        # that had drifted from the snapshot (a bug, never to be served).
        if not self._take_cached_facts(cached_facts):
            log.warning("%s does not match the snapshot; rebuilding the search index", path)
            return self._validated_without_cache()
        if revisions != self._indexed_revisions() or len(index) != len(revisions):
            log.warning("%s does not match the facts; rebuilding the search index", path)
            return self._validated_without_cache()
        self._index_saved_for = self._index_key()
        log.info("%s: search index of %d facts loaded from the cache", self.data_dir, len(index))
        return index

    def _save_index_cache(self) -> None:
        """Cache the search index of the snapshot on disk, unless it is there already.

        Only when the snapshot holds everything in memory, so that the two match. The
        index is normalised first, so that the cache equals a fresh build of the facts.
        """
        key = self._index_key()
        if self._snapshot_digest is None or self._seq != self._snapshot_seq:
            return
        if key == self._index_saved_for:
            return
        self._search.normalise()
        state = {
            "index": self._search.export(),
            "revisions": self._indexed_revisions(),
            # Every fact of the snapshot, in its order (see _take_cached_facts).
            "facts": list(self._facts.values()),
        }
        try:
            write_cache(self.data_dir / INDEX_NAME, key, state)
        except OSError as exc:
            # Only the next start-up is slower: it rebuilds the index.
            log.warning("could not cache the search index in %s: %s", self.data_dir, exc)
            return
        self._index_saved_for = key

    def backup(self, dest: Path) -> Path:
        """Write a consistent snapshot of everything to ``dest`` and return its path.

        ``dest`` is a directory (the file is named like the store's snapshot, so
        ``FactStore.open(dest)`` reads it) or a ``.json`` file path.
        """
        dest = Path(dest)
        path = dest if dest.suffix == ".json" else dest / SNAPSHOT_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        self._write_snapshot(path)
        return path

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
        when = _aware(when)
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
        by, reason = _who_why(by, reason)
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
        by, reason = _who_why(by, reason)
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
        by, reason = _who_why(by, reason)
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
        by, reason = _who_why(by, reason)
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
        by, reason = _who_why(by, reason)
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
        by, reason = _who_why(by, reason)
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

    def import_bundle(
        self, bundle: Bundle, *, by: str, reason: str, dry_run: bool = False
    ) -> ImportReport:
        """Apply a bundle all or nothing (or only report, with ``dry_run``).

        Facts missing from the bundle are left as they are; a source that is already
        stored must be identical (sources are not edited by import), except that an import
        may give a stored source its document.
        """
        by, reason = _who_why(by, reason)
        with _gc_paused():
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

    # --- internals ------------------------------------------------------------------------
    def _closed_error(self) -> FactsError:
        return FactsError(f"the fact store in {self.data_dir} is closed")

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
            entry["revisions"] = [_dump(r) for r in revisions]
        if sources:
            entry["sources"] = [_dump(s) for s in sources]
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
            history.append(_Rev(raw, model))
            self._note_successor(model.fact_id, model.fact.superseded_by)
            old = self._facts.get(model.fact_id)
            if indexed and old is not None:
                self._unindex(old)
            self._facts[model.fact_id] = model.fact
            if indexed:
                self._index(model.fact)

    def _maybe_compact(self) -> None:
        journal = self._writable()
        due = self._seq - self._snapshot_seq >= self.compact_every
        if not due and journal.size < self.max_journal_bytes:
            return
        try:
            self.compact()
        except OSError as exc:
            # The write is already durable in the journal; compaction is retried later. A
            # full disk is no bug: one line, no traceback.
            log.error(
                "compaction of %s failed (%s); the journal keeps every write",
                self.data_dir,
                exc.strerror or exc,
            )


@contextmanager
def _gc_paused() -> Iterator[None]:
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


def _iso(when: datetime) -> str:
    return when.isoformat().replace("+00:00", "Z")


def _who_why(by: str, reason: str) -> tuple[str, str]:
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
