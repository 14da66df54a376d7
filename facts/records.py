"""A small durable keyed-record store: named tables of pydantic models in the data directory.

For state that is not facts (editors, drafts, counters, subscriptions…) and is small enough
to live in memory. Built on the fact store's durability primitives (facts/storage.py):
every write is one fsynced journal line before it returns, snapshots replace their file
atomically, and a lock file of its own keeps a second process out.

API::

    from facts.records import RecordStore

    store = RecordStore.open(data_dir, "admin")  # admin.json, admin.journal.jsonl, admin.lock
    editors = store.table("editors", Editor)      # a typed Table[Editor] (declare right after
                                                  # open; stored records are validated now)
    editors.put("123", Editor(...))               # durable before it returns
    editors.get("123")                            # -> Editor | None
    editors.require("123")                        # -> Editor, or NotFoundError
    editors.delete("123")                         # -> True if it was there (durable)
    "123" in editors; len(editors); editors.keys(); editors.values(); editors.items()
    with store.batch() as batch:                  # several writes as ONE journal line:
        batch.put(editors, "123", editor)         # all of them or none survive a crash,
        batch.delete(log, "7")                    # nothing is applied if the block raises
    store.compact()                               # snapshot now (also every compact_every)
    store.backup(path)                            # a snapshot to another file, for backups
    store.close()                                 # snapshot and release (context manager too)

Keys are non-empty strings (at most 200 characters); records are models of the table's
class (put refuses anything else). Records come back as the stored model instances: use
frozen models (``ConfigDict(frozen=True)``) so that nobody edits one behind the store's back.

Files, for a store named ``<name>`` (lower-case letters, digits, ``_`` or ``-``; not
``facts`` or ``journal``, which the fact store uses):

- ``<name>.json`` — the snapshot, in TinyDB's layout: one table per record table, each
  document ``{"key": …, "value": …}``, plus a ``_store`` table with the format and the
  last journal entry it holds; ``TinyDB(path, storage=AtomicJSONStorage)`` can read it.
- ``<name>.journal.jsonl`` — entries after the snapshot: ``{"seq": n, "ops": [["put",
  table, key, value] | ["del", table, key], …]}``; replayed on open.
- ``<name>.lock`` — an exclusive flock while the store is open (StoreLocked otherwise).

Like the fact store, every method is synchronous and never awaits: in asyncio a write is
atomic with respect to other handlers. Not for large, high-churn data: a snapshot rewrites
every record (see shared/notes/tinydb.md). This module does not import tinydb itself (only
facts/storage.py does, for the snapshot storage class).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from facts.errors import ErrorReason, StoreCorrupted, require
from facts.journal import DirectoryLock, Journal, JournaledStore
from facts.storage import TEMP_MARK, AtomicJSONStorage, JSONObject

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)

SNAPSHOT_FORMAT = 1
MAX_KEY_LENGTH = 200
TABLE_NAME = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
#: Names whose files would collide with the fact store's (facts.json, journal.jsonl).
_RESERVED = frozenset({"facts", "journal"})
INFO_TABLE = "_store"

Op = list[Any]


class Table(Generic[M]):
    """One table of a :class:`RecordStore`: records of model ``M`` by string key."""

    def __init__(self, store: RecordStore, name: str, model: type[M]) -> None:
        """Use :meth:`RecordStore.table`."""
        self.store = store
        self.name = name
        self.model = model
        self._records: dict[str, M] = {}

    # --- reads ------------------------------------------------------------------------------
    def get(self, key: str) -> M | None:
        """The record stored under ``key``, or None."""
        return self._records.get(key)

    def require(self, key: str) -> M:
        """The record stored under ``key``; NotFoundError otherwise."""
        return require(self._records, key, ErrorReason.NO_RECORD, table=self.name, key=repr(key))

    def __contains__(self, key: object) -> bool:
        return key in self._records

    def __len__(self) -> int:
        return len(self._records)

    def keys(self) -> list[str]:
        """Every key, in insertion order."""
        return list(self._records)

    def values(self) -> list[M]:
        """Every record, in insertion order."""
        return list(self._records.values())

    def items(self) -> list[tuple[str, M]]:
        """(key, record) pairs, in insertion order."""
        return list(self._records.items())

    # --- writes (each durable before it returns) ---------------------------------------------
    def put(self, key: str, record: M) -> M:
        """Store ``record`` under ``key`` (replacing any record there); returns it."""
        self.store._commit([self._put_op(key, record)])
        return record

    def delete(self, key: str) -> bool:
        """Remove the record under ``key``; False (and nothing written) when there is none."""
        if key not in self._records:
            return False
        self.store._commit([["del", self.name, key]])
        return True

    # --- internals ----------------------------------------------------------------------------
    def _put_op(self, key: str, record: M) -> Op:
        _check_key(key)
        if not isinstance(record, self.model):
            raise TypeError(
                f"{self.name}: expected a {self.model.__name__}, got {type(record).__name__}"
            )
        return ["put", self.name, key, record.model_dump(mode="json")]

    def _load(self, raw: dict[str, JSONObject]) -> None:
        """Validate the stored records of this table (at declaration)."""
        for key, value in raw.items():
            try:
                self._records[key] = self.model.model_validate(value)
            except ValidationError as exc:
                raise StoreCorrupted(
                    f"{self.store.snapshot_path}: {self.name} record {key!r} does not fit "
                    f"{self.model.__name__} ({exc.error_count()} problem(s): "
                    f"{exc.errors()[0]['msg']}); restore from the latest good backup"
                ) from None

    def _apply(self, op: Op, record: M | None = None) -> None:
        if op[0] == "put":
            if record is None:
                record = self.model.model_validate(op[3])
            self._records[op[2]] = record
        else:
            self._records.pop(op[2], None)

    def _dump(self) -> dict[str, JSONObject]:
        return {key: record.model_dump(mode="json") for key, record in self._records.items()}


class Batch:
    """Writes collected by :meth:`RecordStore.batch`, committed together at the end."""

    def __init__(self, store: RecordStore) -> None:
        """Use :meth:`RecordStore.batch`."""
        self._store = store
        self.ops: list[Op] = []

    def put(self, table: Table[M], key: str, record: M) -> None:
        """Store ``record`` under ``key`` when the batch commits."""
        self._own(table)
        self.ops.append(table._put_op(key, record))

    def delete(self, table: Table[Any], key: str) -> None:
        """Remove the record under ``key`` when the batch commits (no-op if absent)."""
        self._own(table)
        _check_key(key)
        self.ops.append(["del", table.name, key])

    def _own(self, table: Table[Any]) -> None:
        if table.store is not self._store:
            raise ValueError(f"table {table.name!r} belongs to another store")


class RecordStore(JournaledStore):
    """Named tables of typed records, durable in ``data_dir`` under files named ``name``."""

    #: Compact (write a snapshot, empty the journal) after this many journal entries…
    compact_every: int = 1000
    #: …or once the journal grows past this many bytes.
    max_journal_bytes: int = 16 * 1024 * 1024

    def __init__(self, data_dir: Path, name: str, lock: DirectoryLock) -> None:
        """Use :meth:`open`."""
        self.data_dir = data_dir
        self.name = name
        self.snapshot_path = data_dir / f"{name}.json"
        self.journal_path = data_dir / f"{name}.journal.jsonl"
        super().__init__(lock)
        #: Records of tables nobody has declared yet, as stored (JSON).
        self._raw: dict[str, dict[str, JSONObject]] = {}
        self._tables: dict[str, Table[Any]] = {}

    # --- opening and closing --------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path, name: str, *, advice: str | None = None) -> RecordStore:
        """Open (creating if needed) the store ``name`` in ``data_dir``.

        ``advice`` replaces "restore from the latest good backup" in the StoreCorrupted
        raised for damaged files, for stores whose data backups do not hold.
        """
        if not TABLE_NAME.match(name) or name in _RESERVED:
            raise ValueError(
                f"store name {name!r}: use 1-40 lower-case letters, digits, '_' or '-' "
                f"(not {', '.join(sorted(_RESERVED))})"
            )
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        store = cls(data_dir, name, DirectoryLock(data_dir / f"{name}.lock"))
        try:
            store._load()
        except StoreCorrupted as exc:
            store._release()
            if advice is None:
                raise
            raise StoreCorrupted(_with_advice(str(exc), advice)) from None
        except BaseException:
            store._release()
            raise
        return store

    def _load(self) -> None:
        self._remove_own_temp_files()
        self._read_snapshot()
        self._journal, entries = Journal.open(self.journal_path)
        newer = [e for e in entries if e["seq"] > self._snapshot_seq]
        if newer and newer[0]["seq"] != self._snapshot_seq + 1:
            raise StoreCorrupted(
                f"{self.journal_path} starts at entry {newer[0]['seq']} but "
                f"{self.snapshot_path} ends at entry {self._snapshot_seq}; "
                "restore from the latest good backup"
            )
        for entry in newer:
            ops = entry.get("ops")
            if not isinstance(ops, list) or not all(valid_op(op) for op in ops):
                raise StoreCorrupted(
                    f"{self.journal_path}: entry {entry['seq']} is malformed; "
                    "restore from the latest good backup"
                )
            self._apply(ops)
            self._seq = entry["seq"]

    def _remove_own_temp_files(self) -> None:
        # Only this store's: another store sharing the directory may be mid-write.
        prefix = f".{self.snapshot_path.name}{TEMP_MARK}"
        for path in self.data_dir.iterdir():
            if path.name.startswith(prefix) and path.is_file():
                path.unlink()
                log.warning("removed a stray temporary file %s", path)

    def _read_snapshot(self) -> None:
        tables = AtomicJSONStorage(self.snapshot_path).read()
        if tables is None:
            return
        where = str(self.snapshot_path)
        try:
            (info,) = tables[INFO_TABLE].values()
            if info["format"] != SNAPSHOT_FORMAT:
                raise StoreCorrupted(
                    f"{where}: unknown snapshot format {info['format']!r}; "
                    "restore from the latest good backup"
                )
            self._snapshot_seq = self._seq = int(info["journal_seq"])
            for table, docs in tables.items():
                if table == INFO_TABLE:
                    continue
                self._raw[table] = {str(doc["key"]): doc["value"] for doc in docs.values()}
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise StoreCorrupted(
                f"{where} is not a record snapshot ({exc!r}); restore from the latest good backup"
            ) from None

    # --- tables -----------------------------------------------------------------------------
    def table(self, name: str, model: type[M]) -> Table[M]:
        """The table ``name`` holding ``model`` records (declared once per open store)."""
        if name in self._tables:
            table = self._tables[name]
            if table.model is not model:
                raise ValueError(f"table {name!r} is already declared for {table.model.__name__}")
            return table
        if not TABLE_NAME.match(name):
            raise ValueError(f"table name {name!r}: use lower-case letters, digits, '_' or '-'")
        table = Table(self, name, model)
        table._load(self._raw.pop(name, {}))
        self._tables[name] = table
        return table

    @contextmanager
    def batch(self) -> Iterator[Batch]:
        """Collect writes and commit them as one durable entry when the block ends."""
        batch = Batch(self)
        yield batch
        if batch.ops:
            self._commit(batch.ops)

    @property
    def journal_bytes(self) -> int:
        """Bytes in the journal: 0 when the snapshot holds everything (or once closed)."""
        return 0 if self._journal is None else self._journal.size

    # --- writing ----------------------------------------------------------------------------
    def _write_state(self) -> None:
        AtomicJSONStorage(self.snapshot_path).write(self._snapshot())

    def backup(self, dest: Path) -> Path:
        """Write a snapshot of every table to the file ``dest`` (atomically) and return it;
        the store's own files are left alone. Opened as ``<name>.json``, it is the store."""
        self._writable()
        dest = Path(dest)
        dest.parent.mkdir(parents=True, exist_ok=True)
        AtomicJSONStorage(dest).write(self._snapshot())
        return dest

    def _snapshot(self) -> dict[str, dict[str, Any]]:
        """Every record in the snapshot layout, up to the last journal entry."""
        tables: dict[str, dict[str, Any]] = {
            INFO_TABLE: {"1": {"format": SNAPSHOT_FORMAT, "journal_seq": self._seq}}
        }
        contents = {name: t._dump() for name, t in self._tables.items()} | self._raw
        for name, records in contents.items():
            tables[name] = {
                str(n): {"key": key, "value": value}
                for n, (key, value) in enumerate(records.items(), start=1)
            }
        return tables

    def _where(self) -> str:
        return f"the record store {self.name!r} in {self.data_dir}"

    def _commit(self, ops: list[Op]) -> None:
        """Journal one entry (the durability point), then apply it in memory."""
        journal = self._writable()
        entry: JSONObject = {"seq": self._seq + 1, "ops": ops}
        # Read each record back before writing: one that cannot be must never be journaled.
        records = [
            self._tables[op[1]].model.model_validate(op[3]) if op[0] == "put" else None
            for op in ops
        ]
        journal.append(entry)
        self._seq += 1
        self._apply(ops, records)
        self._maybe_compact()

    def _apply(self, ops: list[Op], records: list[Any] | None = None) -> None:
        for n, op in enumerate(ops):
            table = self._tables.get(op[1])
            if table is not None:
                table._apply(op, records[n] if records is not None else None)
            elif op[0] == "put":
                self._raw.setdefault(op[1], {})[op[2]] = op[3]
            else:
                self._raw.get(op[1], {}).pop(op[2], None)


_BACKUP_ADVICE = re.compile(r"[;.]?\s*restore (it )?from the latest good backup\.?$")


def _with_advice(message: str, advice: str) -> str:
    """``message`` with its closing advice (restore a backup) replaced by ``advice``."""
    return f"{_BACKUP_ADVICE.sub('', message)}; {advice}"


def _check_key(key: object) -> None:
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError(f"record keys are non-empty strings of ≤ {MAX_KEY_LENGTH} characters")


def valid_op(op: Any) -> bool:
    if not isinstance(op, list) or len(op) < 3:
        return False
    if op[0] == "put":
        return len(op) == 4 and isinstance(op[1], str) and isinstance(op[2], str)
    return op[0] == "del" and len(op) == 3 and isinstance(op[1], str) and isinstance(op[2], str)
