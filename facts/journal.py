"""The journal, the lock and the life cycle every journaled store shares.

A journaled store (the fact store, the record stores) holds an exclusive lock on its
directory while open, makes each write durable by appending one fsynced line to its
journal, and now and then writes a snapshot of everything (atomically, see
facts/storage.py) so that the journal can be emptied.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from facts.errors import FactsError, NotSaved, StoreCorrupted, StoreLocked
from facts.storage import JSONObject, dump_json, fsync_dir, write_all

log = logging.getLogger(__name__)


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
            write_all(fd, line)
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

    #: Compact (write a snapshot, empty the journal) after this many journal entries.
    compact_every: int = 1000
    #: …or once the journal grows past this many bytes.
    max_journal_bytes: int = 64 * 1024 * 1024

    def __init__(self, lock: DirectoryLock) -> None:
        self._lock: DirectoryLock | None = lock
        self._journal: Journal | None = None
        #: The last journal entry applied, and the last one the snapshot on disk holds.
        self._seq = 0
        self._snapshot_seq = 0

    def _write_state(self) -> None:
        """Write the whole state as the snapshot, atomically (up to ``self._seq``)."""
        raise NotImplementedError

    def _where(self) -> str:
        """The store as log lines name it."""
        return "the store"

    def _closed_error(self) -> FactsError:
        """The error for a write to a closed store."""
        return FactsError(f"{self._where()} is closed")

    def _on_close(self) -> None:
        """Work to do on a clean close, after the last snapshot (nothing by default)."""

    def compact(self) -> None:
        """Write a snapshot of everything, then empty the journal."""
        journal = self._writable()
        self._write_state()
        # Only now that the snapshot is durable may the entries it holds go.
        self._snapshot_seq = self._seq
        journal.reset()

    def _maybe_compact(self) -> None:
        """Compact once the journal holds ``compact_every`` entries or ``max_journal_bytes``
        bytes; a failure is logged and retried at a later write."""
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
                self._where(),
                exc.strerror or exc,
            )

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
