"""Files under the fact store: an atomic TinyDB snapshot storage, a journal and a lock.

Durability rests on two kinds of write that a ``kill -9`` cannot tear:

- the snapshot is written to a temporary file that is fsynced and then renamed over the
  old one (and the directory fsynced), so the file is always a whole old or whole new one;
- the journal is appended one JSON line per write and fsynced before the write is
  acknowledged; a torn last line is a write that was never acknowledged and is dropped.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import io
import json
import logging
import os
import pickle
import secrets
from collections.abc import Collection
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from tinydb.storages import Storage

from facts.errors import FactsError, NotSaved, StoreCorrupted, StoreLocked

log = logging.getLogger(__name__)

SNAPSHOT_NAME = "facts.json"
JOURNAL_NAME = "journal.jsonl"
LOCK_NAME = "facts.lock"
#: The search index of the snapshot, cached (never backed up: it is rebuilt from facts.json).
INDEX_NAME = "facts.index"
#: Temporary files carry this mark; any left at start-up come from an interrupted write.
TEMP_MARK = ".tmp-"

JSONObject = dict[str, Any]


def fsync_dir(directory: Path) -> None:
    """Make a rename or a file creation in ``directory`` durable."""
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that it is never seen half-written."""
    tmp = path.with_name(f".{path.name}{TEMP_MARK}{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        try:
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def remove_stray_temp_files(directory: Path) -> list[Path]:
    """Delete temporary files an interrupted write left behind; return what was removed."""
    removed = []
    for path in directory.iterdir():
        if path.name.startswith(".") and TEMP_MARK in path.name and path.is_file():
            path.unlink()
            removed.append(path)
    if removed:
        log.warning("removed %d stray temporary file(s) in %s", len(removed), directory)
    return removed


def dump_json(data: Any) -> bytes:
    """Compact UTF-8 JSON, the encoding of both the snapshot and the journal."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(data: bytes | memoryview) -> str:
    """A short hex digest of ``data`` (identifies a snapshot's exact bytes)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class AtomicJSONStorage(Storage):
    """A TinyDB storage that replaces its file atomically instead of writing in place."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The whole database, None when the file does not exist yet."""
        raw = self.read_raw()
        return None if raw is None else self.parse(raw)

    def read_raw(self) -> bytes | None:
        """The file's bytes, None when it does not exist yet."""
        try:
            return self.path.read_bytes()
        except FileNotFoundError:
            return None

    def parse(self, raw: bytes) -> dict[str, dict[str, Any]]:
        """The database in ``raw`` (the file's bytes); StoreCorrupted when it is not one."""
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreCorrupted(
                f"{self.path} is not valid JSON ({exc}); restore it from the latest good backup"
            ) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise StoreCorrupted(
                f"{self.path} is not a TinyDB database (expected an object of tables); "
                "restore it from the latest good backup"
            )
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Write the whole database to a temporary file, then rename it into place."""
        atomic_write(self.path, dump_json(data))

    def write_encoded(self, tables: dict[str, list[bytes]]) -> str:
        """Write tables of already-encoded documents (numbered from 1) in TinyDB's layout;
        return the :func:`digest` of the bytes written.

        Encoding each document once and reusing it makes a snapshot a join, not a dump.
        """
        parts = [b"{"]
        for n, (name, docs) in enumerate(tables.items()):
            parts += [b"," if n else b"", dump_json(name), b":{"]
            parts.append(b",".join(b'"%d":%s' % (i, doc) for i, doc in enumerate(docs, 1)))
            parts.append(b"}")
        parts.append(b"}")
        data = b"".join(parts)
        atomic_write(self.path, data)
        return digest(data)


_INDEX_MAGIC = b"factbot search index\n"


class CacheMiss(Exception):
    """A cache file that cannot be used; ``damaged`` tells a broken file from a stale one."""

    def __init__(self, reason: str, *, damaged: bool) -> None:
        super().__init__(reason)
        self.damaged = damaged


class _PlainUnpickler(pickle.Unpickler):
    """Loads built-in containers, numbers and strings, and instances of the classes it is
    given (data classes of this package: pydantic models, enums), nothing else: no
    function, no other class, so a tampered file cannot make loading run code."""

    def __init__(self, file: io.BytesIO, allowed: Collection[type]) -> None:
        super().__init__(file)
        self._allowed = {(cls.__module__, cls.__qualname__): cls for cls in allowed}

    def find_class(self, module: str, name: str) -> Any:
        """The allowed class of that name; refuse every other global."""
        cls = self._allowed.get((module, name))
        if cls is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache file")
        return cls


def write_cache(path: Path, key: JSONObject, state: Any) -> None:
    """Atomically write ``state`` (built-in containers, and instances of classes the
    reader will allow) under ``key`` to ``path``.

    The file is a magic line, a JSON header line (the key and a digest of the payload)
    and the payload, pickled: of the formats measured (JSON, marshal, pickle) the
    fastest to read, and the header is checked before any byte of it is unpickled.
    """
    payload = pickle.dumps(state, protocol=5)
    header = dump_json({"key": key, "payload": digest(payload)})
    atomic_write(path, b"".join([_INDEX_MAGIC, header, b"\n", payload]))


def read_cache(path: Path, key: JSONObject, *, allowed: Collection[type] = ()) -> Any:
    """The state written to ``path`` under ``key``: None when there is no file,
    :class:`CacheMiss` when it was written under another key or is damaged, or holds
    an object of a class not ``allowed``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CacheMiss(f"cannot read it ({exc.strerror})", damaged=True) from None
    end = data.find(b"\n", len(_INDEX_MAGIC))
    try:
        if not data.startswith(_INDEX_MAGIC) or end < 0:
            raise ValueError("no header")
        header = json.loads(data[len(_INDEX_MAGIC) : end])
        stored_key, payload_digest = header["key"], header["payload"]
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise CacheMiss("its header is damaged", damaged=True) from None
    if stored_key != key:
        raise CacheMiss("it was written for another snapshot or by other code", damaged=False)
    payload = memoryview(data)[end + 1 :]
    if digest(payload) != payload_digest:
        raise CacheMiss("its contents do not match their digest", damaged=True)
    try:
        return _PlainUnpickler(io.BytesIO(payload), allowed).load()
    except Exception as exc:
        # Whatever unpickling raises, the answer is the same: rebuild.
        raise CacheMiss(f"it cannot be loaded ({exc!r})", damaged=True) from None


class Journal:
    """An append-only JSON-lines file; an entry is durable once :meth:`append` returns.

    Each line is an object with a ``seq`` number, one more than the line before.
    """

    def __init__(self, path: Path, fd: int, size: int) -> None:
        self.path = path
        self._fd: int | None = fd
        self._size = size
        self._broken: str | None = None

    @classmethod
    def open(cls, path: Path) -> tuple[Journal, list[JSONObject]]:
        """Open (creating if needed) the journal; return it and the entries it holds."""
        created = not path.exists()
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o644)
        try:
            if created:
                fsync_dir(path.parent)
            data = path.read_bytes()
            entries, good_end = cls._parse(path, data)
            if good_end < len(data):
                # The tail was never acknowledged (its fsync never returned): cut it off so
                # the next entry does not land after a partial line.
                log.warning(
                    "%s: dropped a torn last entry of %d byte(s) (never acknowledged)",
                    path,
                    len(data) - good_end,
                )
                os.ftruncate(fd, good_end)
                os.fsync(fd)
        except BaseException:
            os.close(fd)
            raise
        return cls(path, fd, good_end), entries

    @staticmethod
    def _parse(path: Path, data: bytes) -> tuple[list[JSONObject], int]:
        """Entries of the journal and the byte offset where the intact part ends."""
        entries: list[JSONObject] = []
        pieces = data.split(b"\n")
        pieces.pop()  # b"" after a final newline, else a line whose write never finished
        offset = 0
        bad_at: int | None = None
        bad_line = 0
        for number, line in enumerate(pieces, start=1):
            try:
                entry: Any = json.loads(line)
            except (ValueError, UnicodeDecodeError):
                entry = None
            if isinstance(entry, dict) and isinstance(entry.get("seq"), int):
                if bad_at is not None:
                    raise StoreCorrupted(
                        f"{path}: line {bad_line} is damaged but later lines are intact; "
                        "restore from the latest good backup"
                    )
                if entries and entry["seq"] != entries[-1]["seq"] + 1:
                    raise StoreCorrupted(
                        f"{path}: line {number} has entry {entry['seq']} after "
                        f"{entries[-1]['seq']}; entries are missing"
                    )
                entries.append(entry)
            elif bad_at is None:
                bad_at, bad_line = offset, number
            offset += len(line) + 1
        good_end = bad_at if bad_at is not None else offset
        return entries, good_end

    @property
    def size(self) -> int:
        """Bytes in the journal."""
        return self._size

    def _fileno(self) -> int:
        if self._broken is not None:
            raise FactsError(f"{self.path}: the journal cannot be written ({self._broken})")
        if self._fd is None:
            raise FactsError(f"{self.path}: the journal is closed")
        return self._fd

    def append(self, entry: JSONObject) -> None:
        """Append one entry and fsync it; on failure the journal is left as it was."""
        line = dump_json(entry) + b"\n"
        fd = self._fileno()
        try:
            _write_all(fd, line)
            os.fsync(fd)
        except OSError as exc:
            try:
                # A disk that refused the write whole (read-only, say) usually refuses the
                # truncation too: then there is nothing to undo, and the journal stays usable.
                if os.fstat(fd).st_size != self._size:
                    os.ftruncate(fd, self._size)
                    os.fsync(fd)
            except OSError as undo:
                # A partial line may stay on disk; writing after it would hide it mid-file.
                self._broken = f"could not undo a failed write: {undo}"
            raise NotSaved(f"{self.path}: the write was not saved ({exc})") from exc
        self._size += len(line)

    def reset(self) -> None:
        """Empty the journal once a snapshot holds everything it recorded."""
        fd = self._fileno()
        os.ftruncate(fd, 0)
        os.fsync(fd)
        self._size = 0

    def close(self) -> None:
        """Close the file (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class DirectoryLock:
    """An exclusive ``flock`` on a file in the data directory, held while the store is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise StoreLocked(
                f"{path.parent} is in use by another process (it holds {path.name})"
            ) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd: int | None = fd
        # The pid is only a hint for whoever investigates a held lock.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())

    def release(self) -> None:
        """Release the lock (idempotent)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class ClosedOnExit:
    """``with store:`` closes the store on leaving the block."""

    def close(self) -> None:
        """Release what the store holds (each store says what)."""
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class JournaledStore(ClosedOnExit):
    """The life cycle every journaled store shares: a lock on its files, a journal that is
    the durability point, and snapshots that let the journal be emptied.

    A subclass writes its whole state in :meth:`_write_state`; ``compact`` and ``close``
    take care of the order (snapshot durable first, only then the journal emptied).
    """

    def __init__(self, lock: DirectoryLock) -> None:
        self._lock: DirectoryLock | None = lock
        self._journal: Journal | None = None
        #: The last journal entry applied, and the last one the snapshot on disk holds.
        self._seq = 0
        self._snapshot_seq = 0

    def _write_state(self) -> None:
        """Write the whole state as the snapshot, atomically (up to ``self._seq``)."""
        raise NotImplementedError

    def _closed_error(self) -> FactsError:
        """The error for a write to a closed store."""
        return FactsError("the store is closed")

    def _on_close(self) -> None:
        """Work to do on a clean close, after the last snapshot (nothing by default)."""

    def compact(self) -> None:
        """Write a snapshot of everything, then empty the journal."""
        journal = self._writable()
        self._write_state()
        # Only now that the snapshot is durable may the entries it holds go.
        self._snapshot_seq = self._seq
        journal.reset()

    def close(self) -> None:
        """Write a snapshot if anything changed since the last one, then release the files
        (idempotent)."""
        if self._journal is None:
            self._release()
            return
        try:
            if self._seq > self._snapshot_seq:
                try:
                    self.compact()
                except OSError as exc:
                    # A full disk: the journal already holds every write (the next start
                    # replays it), so this costs only a longer start, never data.
                    log.warning(
                        "no snapshot written on close (%s); the journal %s keeps every write",
                        exc.strerror or exc,
                        self._journal.path,
                    )
            self._on_close()
        finally:
            self._release()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran."""
        return self._journal is None

    def _release(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def _writable(self) -> Journal:
        if self._journal is None:
            raise self._closed_error()
        return self._journal


class SpaceReserve:
    """A file of real (allocated) zeros that keeps room on the disk for the one write that
    must succeed when the disk has filled up: erasing a chat (/forget). Released just
    before that write is retried, taken again afterwards."""

    def __init__(self, path: Path, size: int) -> None:
        self.path = Path(path)
        self.size = size

    def ensure(self) -> bool:
        """Have the reserve in place; False (logged) when the disk has no room for it."""
        try:
            if self.path.exists() and self.path.stat().st_size >= self.size:
                return True
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT, 0o600)
            try:
                try:
                    os.posix_fallocate(fd, 0, self.size)
                except OSError as exc:
                    if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL):
                        raise
                    # A file system without fallocate: write the zeros.
                    _write_all(fd, bytes(self.size))
                os.fsync(fd)
            finally:
                os.close(fd)
            return True
        except OSError as exc:
            log.warning("cannot keep %s (%d bytes) in reserve: %s", self.path, self.size, exc)
            with contextlib.suppress(OSError):
                os.unlink(self.path)
            return False

    def release(self) -> bool:
        """Give the reserved room back to the disk; False when there was no reserve."""
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            return False
        fsync_dir(self.path.parent)
        log.warning("the disk is full: released the space reserve %s", self.path)
        return True
