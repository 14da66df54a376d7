"""Files under the stores: an atomic TinyDB snapshot storage, cache files and the space
reserve (the journal and the lock are in facts/journal.py).

Durability rests on two kinds of write that a ``kill -9`` cannot tear:

- the snapshot is written to a temporary file that is fsynced and then renamed over the
  old one (and the directory fsynced), so the file is always a whole old or whole new one;
- the journal is appended one JSON line per write and fsynced before the write is
  acknowledged; a torn last line is a write that was never acknowledged and is dropped.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import logging
import os
import pickle
import secrets
from collections.abc import Collection
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from facts.errors import StoreCorrupted

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


def write_all(fd: int, data: bytes) -> None:
    """Write all of ``data`` to ``fd`` (``os.write`` may write only part of it)."""
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
            write_all(fd, data)
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
                    write_all(fd, bytes(self.size))
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
