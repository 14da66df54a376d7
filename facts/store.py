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
only when all of these match, then indexes the facts the journal changed since. With the
index it holds the fact models and the other indexes of that snapshot: its key vouches
that these are what the store validated and built of those bytes, so opening takes them
(the indexes only when the journal changed nothing) instead of validating every fact
again. Anything else (missing, stale, damaged, a class that is not a fact model) rebuilds
the index and validates the snapshot's facts, with a warning when the file was damaged: it
is a cache, never a source of truth, and never backed up.

TinyDB is the file format and its storage layer (:class:`facts.storage.AtomicJSONStorage`),
so ``TinyDB(path, storage=AtomicJSONStorage)`` can query a snapshot; its table API is not
on the write path because every TinyDB write rebuilds the whole table (O(N), see
shared/notes/tinydb.md) and its JSONStorage writes in place.

PARTS: this module opens, loads, snapshots and closes the store and keeps its search
index cache; the class is built of parts, each a base class in its own module:
facts/store_reads.py (the state in memory and its reads), store_writes.py (every write),
store_import.py (bundles and the seed), store_indexes.py (indexes and list queries),
store_rules.py (the rules checked against a write) and facts/journal.py (lock, journal,
compaction).
"""

from __future__ import annotations

import functools
import logging
from enum import Enum
from pathlib import Path
from typing import Any

import pydantic
from pydantic import BaseModel, ValidationError

from facts import fact_text, store_indexes
from facts import model as fact_model
from facts.documents import DocumentStore
from facts.errors import StoreCorrupted
from facts.fact_text import FactTexts
from facts.journal import DirectoryLock, Journal
from facts.memo import VersionedMemo
from facts.model import Action, Bundle, Fact, Source
from facts.search import SearchIndex, code_fingerprint, modules_digest
from facts.storage import (
    INDEX_NAME,
    JOURNAL_NAME,
    LOCK_NAME,
    SNAPSHOT_NAME,
    AtomicJSONStorage,
    CacheMiss,
    JSONObject,
    digest,
    dump_json,
    read_cache,
    remove_stray_temp_files,
    write_cache,
)
from facts.store_import import StoreImport, gc_paused

# SearchHit is what search() returns: the answer engine imports it from here.
from facts.store_indexes import SearchHit as SearchHit
from facts.store_reads import StoredRevision, dump_model

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
#: Layout of the cached search index (``facts.index``); a different one is rebuilt.
INDEX_FORMAT = 3
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


@functools.cache
def _tables_fingerprint() -> str:
    """A digest of the code the cached tables are built by, and of the pydantic version
    the cached models were pickled with."""
    return modules_digest(pydantic.VERSION, (store_indexes, fact_text))


class FactStore(StoreImport):
    """Sources, facts and their full history, on disk in ``data_dir``."""

    def __init__(self, data_dir: Path, lock: DirectoryLock) -> None:
        """Use :meth:`open`; this only sets up an empty, unopened store."""
        self.data_dir = data_dir
        self.snapshot_path = data_dir / SNAPSHOT_NAME
        super().__init__(lock)
        # Digest of the bytes of facts.json as last read or written (the cache's key).
        self._snapshot_digest: str | None = None
        # The key of the index cache on disk when it is known to hold the current index.
        self._index_saved_for: JSONObject | None = None
        # The indexes cached with the search index, until they are taken (on opening).
        self._cached_tables: dict[str, Any] | None = None
        self._sources: dict[str, Source] = {}
        self._source_log: list[JSONObject] = []
        self._facts: dict[str, Fact] = {}
        self._history: dict[str, list[StoredRevision]] = {}
        self._meta: dict[str, Any] = {}
        self._init_indexes()
        # Every fact each fact was ever superseded by, and the reverse, over all revisions:
        # what the chain rule needs to know once the links of a revision are gone.
        self._ever_successors: dict[str, set[str]] = {}
        self._ever_predecessors: dict[str, set[str]] = {}
        self.documents = DocumentStore(data_dir)
        self._version = 0
        self._seeding = False
        # Replies and what the claim check reads of facts, while the store is unchanged.
        self._per_version = VersionedMemo(8192)
        self._fact_texts = FactTexts()

    # --- opening and closing ----------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, *, seed: Bundle | None = None) -> FactStore:
        """Open (creating if needed) the store; an empty directory is loaded from ``seed``."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        store = cls(data_dir, DirectoryLock(data_dir / LOCK_NAME))
        try:
            with gc_paused():
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
        tables, self._cached_tables = self._cached_tables, None
        self._rebuild_indexes(cached, changed, tables)

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
                history.append(StoredRevision(raw))
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
            "sources": [dump_json(dump_model(s)) for s in self._sources.values()],
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
            # The other cached tables and the pickled models: the code that builds them and
            # the pydantic that reads them.
            "tables": _tables_fingerprint(),
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
            self._cached_tables = state["tables"]
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
            "tables": self._export_tables(),
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

    # --- internals ------------------------------------------------------------------------
    def _where(self) -> str:
        return f"the fact store in {self.data_dir}"
