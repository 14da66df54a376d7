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

import bisect
import gc
import json
import logging
import time
from collections.abc import Callable, Collection, Hashable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError

from facts.documents import DocumentStore, document_id
from facts.errors import (
    ConflictError,
    FactsError,
    NotFoundError,
    StoreCorrupted,
    ValidationFailed,
)
from facts.fact_text import FactTexts
from facts.memo import VersionedMemo
from facts.model import (
    Action,
    Bundle,
    Fact,
    Kind,
    Revision,
    Source,
    StatementDetails,
    Status,
    When,
)
from facts.quotes import normalise_quote
from facts.rules import (
    RULE_CHAIN,
    Reason,
    RuleViolation,
    Violation,
    chain_problems,
    content_problems,
    date_problems,
    fact_violation,
    quote_problems,
    reference_problems,
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

log = logging.getLogger(__name__)

SNAPSHOT_FORMAT = 1
#: Layout of the cached search index (``facts.index``); a different one is rebuilt.
INDEX_FORMAT = 1
SEED_BY = "seed"
SEED_REASON = "initial seed: the fact base shipped with the bot"
_MAX_BY = 300
_MAX_REASON = 1000
# Sorts after every character of an ISO date, so "2020" + _END covers all of 2020.
_END = "~"
_K = TypeVar("_K")
_T = TypeVar("_T")


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


def _aware(when: datetime) -> datetime:
    """Naive datetimes are taken to be UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)


def _dump(model: Revision | Source) -> JSONObject:
    return model.model_dump(mode="json", exclude_none=True)


def _check_partial(label: str, value: str | None) -> None:
    if value is None:
        return
    try:
        When(date=value)
    except ValidationError as exc:
        raise ValidationFailed([f"{label}: {e['msg']}" for e in exc.errors()]) from None


class FactStore(JournaledStore):
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
        self._by_kind: dict[Kind, _Bucket] = {}
        self._by_topic: dict[str, _Bucket] = {}
        self._current = _Bucket()
        self._dated: list[tuple[str, str]] = []
        self._search = SearchIndex()
        self._related: dict[str, set[str]] = {}
        self._speakers: dict[str, set[str]] = {}
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
            for fact_id, history in self._history.items():
                self._facts[fact_id] = Fact.model_validate(history[-1].raw["fact"])
        except StoreCorrupted as exc:
            raise StoreCorrupted(f"{exc}; restore from the latest good backup") from None
        except (ValidationError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorrupted(
                f"{where} is not a valid fact snapshot ({exc!r}); "
                "restore from the latest good backup"
            ) from None
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
        """The cached index of the snapshot just read, or None (logged) to rebuild it."""
        path = self.data_dir / INDEX_NAME
        try:
            state = read_cache(path, self._index_key())
            if state is None:
                log.info("%s: no cached search index; building it", self.data_dir)
                return None
            index = SearchIndex.restore(state["index"])
            revisions = state["revisions"]
        except CacheMiss as miss:
            level = logging.WARNING if miss.damaged else logging.INFO
            log.log(level, "%s is not used (%s); rebuilding the search index", path, miss)
            return None
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("%s is not used (damaged: %r); rebuilding the search index", path, exc)
            return None
        # The key already ties it to these bytes; this also catches a cache written
        # from an index that had drifted from the facts (a bug, never to be served).
        if revisions != self._indexed_revisions() or len(index) != len(revisions):
            log.warning("%s does not match the facts; rebuilding the search index", path)
            return None
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
        state = {"index": self._search.export(), "revisions": self._indexed_revisions()}
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
        try:
            return self._facts[fact_id]
        except KeyError:
            raise NotFoundError(f"no fact with id {fact_id!r}") from None

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

    def sources(self) -> list[Source]:
        """All source documents."""
        return list(self._sources.values())

    def get_source(self, source_id: str) -> Source:
        """One source; NotFoundError otherwise."""
        try:
            return self._sources[source_id]
        except KeyError:
            raise NotFoundError(f"no source with id {source_id!r}") from None

    def search(
        self, query: str, *, limit: int = 10, kinds: Collection[Kind] | None = None
    ) -> list[SearchHit]:
        """Ranked text search over claims, names, aliases and quotes of current facts."""
        hits = self._search.search(query, limit=limit, kinds=kinds)
        return [SearchHit(self._facts[h.fact_id], h.score) for h in hits if h.fact_id in self]

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
        return [SearchHit(self._facts[h.fact_id], h.score) for h in hits if h.fact_id in self]

    def history(self, fact_id: str) -> list[Revision]:
        """Every revision of a fact, oldest first; NotFoundError for an unknown id."""
        try:
            revs = self._history[fact_id]
        except KeyError:
            raise NotFoundError(f"no fact with id {fact_id!r}") from None
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
        by, reason = _who_why(by, reason)
        sources = self._new_sources(new_sources)
        if fact.id in self._facts:
            raise ConflictError(f"fact {fact.id!r} already exists; choose another id")
        if not fact.is_current:
            raise ValidationFailed([f"fact {fact.id!r}: status: a new fact must be current"])
        return self._commit(
            [(Action.CREATED, fact)],
            by=by,
            reason=reason,
            sources=sources,
            documents=documents,
            dry_run=dry_run,
        )[0]

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
        by, reason = _who_why(by, reason)
        sources = self._new_sources(new_sources)
        self.get(fact.id)
        return self._commit(
            [(Action.EDITED, fact)],
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
            raise ConflictError(f"fact {old_id!r} cannot supersede itself")
        if new_fact.id in self._facts:
            raise ConflictError(f"fact {new_fact.id!r} already exists; choose another id")
        if not old.is_current:
            raise ConflictError(f"fact {old_id!r} is {old.status.value}, not current")
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
            raise ConflictError(f"fact {fact_id!r} is already retracted")
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
                f"fact {fact_id!r} has no revision {revision} (it has 1 to {len(revs)})"
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
            raise ConflictError(f"source {source.id!r} already exists")
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

    # --- the rules --------------------------------------------------------------------------
    def rule_problems(self) -> list[Violation]:
        """Every rule the whole base breaks (empty when it obeys them all)."""
        violations: list[Violation] = []
        for source in self._sources.values():
            violations += source_problems(source, self.documents.has)
        document_of = self._document_lookup({}, {})
        for fact in self._facts.values():
            violations += content_problems(fact, self._sources, document_of)
            violations += reference_problems(
                fact, self._sources.__contains__, self._facts.__contains__
            )
            violations += self._chain_violations(fact, self._facts.get, {})
        return violations

    def unchecked_sources(self) -> list[str]:
        """Ids of the sources without a document: their quotes cannot be checked."""
        return [s.id for s in self._sources.values() if s.document is None]

    def _document_lookup(
        self, sources: dict[str, Source], documents: dict[str, str]
    ) -> Callable[[str], str | None]:
        """Source id → its normalised document (``documents``: texts not yet stored)."""

        def document_of(source_id: str) -> str | None:
            source = sources.get(source_id) or self._sources.get(source_id)
            if source is None or source.document is None:
                return None
            if source.document in documents:
                return normalise_quote(documents[source.document])
            try:
                return self.documents.normalised(source.document)
            except NotFoundError:
                return None  # reported by the reference rule

        return document_of

    def _chain_violations(
        self,
        fact: Fact,
        get: Callable[[str], Fact | None],
        new_links: dict[str, set[str]],
    ) -> list[Violation]:
        """The chain rule for ``fact`` in the state ``get`` reads (``new_links``: successor
        links the write adds, by predecessor)."""
        successors = self._ever_successors.get(fact.id, set()) | new_links.get(fact.id, set())
        problems = chain_problems(fact, get, successors)
        if fact.is_current:
            # Brought back while a fact it once replaced is current again.
            seen = {fact.id}
            todo = list(self._predecessors(fact.id, new_links))
            while todo:
                earlier = todo.pop()
                if earlier in seen:
                    continue
                seen.add(earlier)
                found = get(earlier)
                if found is not None and found.is_current:
                    problems.append(
                        fact_violation(
                            fact.id,
                            RULE_CHAIN,
                            Reason.PREDECESSOR_CURRENT_AGAIN,
                            earlier=repr(earlier),
                            earlier_id=earlier,
                        )
                    )
                todo.extend(self._predecessors(earlier, new_links))
        return problems

    def predecessor(self, fact_id: str) -> Fact | None:
        """The fact ``fact_id`` now supersedes (the first by id, should several), or None."""
        ids = sorted(
            i
            for i in self._ever_predecessors.get(fact_id, ())
            if i in self._facts and self._facts[i].superseded_by == fact_id
        )
        return self._facts[ids[0]] if ids else None

    def _predecessors(self, fact_id: str, new_links: dict[str, set[str]]) -> set[str]:
        found = set(self._ever_predecessors.get(fact_id, ()))
        found.update(p for p, succ in new_links.items() if fact_id in succ)
        return found

    def _enforce(
        self,
        changes: Sequence[tuple[Action, Fact]],
        sources: Sequence[Source],
        *,
        documents: dict[str, str] | None = None,
    ) -> None:
        """RuleViolation unless every rule holds for what the write changes, against the
        base as it would be after it."""
        documents = documents or {}
        new_facts = {fact.id: fact for _, fact in changes}
        new_sources = {source.id: source for source in sources}

        def get(fact_id: str) -> Fact | None:
            return new_facts.get(fact_id) or self._facts.get(fact_id)

        def has_fact(fact_id: str) -> bool:
            return fact_id in new_facts or fact_id in self._facts

        def has_source(source_id: str) -> bool:
            return source_id in new_sources or source_id in self._sources

        all_sources = {**self._sources, **new_sources}
        document_of = self._document_lookup(new_sources, documents)
        violations: list[Violation] = []
        changed_sources: set[str] = set()
        for source in sources:
            stored_source = self._sources.get(source.id)
            if source.document is not None and source.document not in documents:
                violations += source_problems(source, self.documents.has)
            if stored_source is not None and stored_source != source:
                changed_sources.add(source.id)
        new_links = {
            f.id: {f.superseded_by} for f in new_facts.values() if f.superseded_by is not None
        }
        for fact in new_facts.values():
            stored = self._facts.get(fact.id)
            if stored is None or _content(stored) != _content(fact):
                violations += content_problems(fact, all_sources, document_of)
            violations += reference_problems(fact, has_source, has_fact)
            violations += self._chain_violations(fact, get, new_links)
        if changed_sources:
            # A source given a document: every fact citing it is checked against it.
            for fact in self._facts.values():
                if fact.id in new_facts or not any(
                    c.source in changed_sources for c in fact.citations
                ):
                    continue
                violations += date_problems(fact, all_sources)
                violations += quote_problems(fact, document_of)
        if violations:
            raise RuleViolation(violations)

    # --- internals ------------------------------------------------------------------------
    def _closed_error(self) -> FactsError:
        return FactsError(f"the fact store in {self.data_dir} is closed")

    def _new_sources(self, sources: Sequence[Source]) -> list[Source]:
        """``sources`` to add with a fact: ConflictError if an id is stored or repeated."""
        seen: set[str] = set()
        for source in sources:
            if source.id in self._sources or source.id in seen:
                raise ConflictError(f"source {source.id!r} already exists")
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

    def _rebuild_indexes(self, search: SearchIndex | None, changed: Collection[str]) -> None:
        """Build the indexes from the facts; ``search``, when given, is the cached search
        index of the snapshot, and ``changed`` the facts the journal changed since."""
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


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk load.

    Loading creates hundreds of thousands of objects, none in cycles; each collection
    walks the whole heap, which made loading 10k facts twice as slow.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
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


def _content(fact: Fact) -> tuple[object, ...]:
    """What the content rules read of a fact (its rank and revision aside)."""
    return (fact.text, fact.details, fact.citations, fact.related, fact.translations)
