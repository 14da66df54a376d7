"""Restoring a backup (see :mod:`facts.backup` for what one holds), with the bot stopped.

Restore validates the whole backup first, by opening each part as a store in a scratch
directory; only then are the files it replaces (facts.json, journal.jsonl, facts.index,
and from version 2 on admin.json, admin.journal.jsonl) moved, never deleted, to
DATA_DIR/replaced-<time>/, and the backup's put in place. It is all or nothing: a failure
while writing puts the moved files back.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from facts.admin_store import AdminStore
from facts.backup import (
    ADMIN_JOURNAL_NAME,
    ADMIN_LOCK_NAME,
    ADMIN_SNAPSHOT_NAME,
    BackupError,
    BackupInfo,
    BackupParts,
    put_documents,
    read_parts,
    verify_parts,
)
from facts.documents import DocumentStore
from facts.errors import StoreLocked
from facts.journal import DirectoryLock
from facts.storage import INDEX_NAME, JOURNAL_NAME, LOCK_NAME, SNAPSHOT_NAME, atomic_write
from facts.store import FactStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did."""

    restored: BackupInfo
    #: Where the replaced data now is (None when the directory held none of it).
    previous: Path | None


def _replaced_names(parts: BackupParts) -> list[str]:
    """The files in DATA_DIR a restore of ``parts`` replaces (and moves aside)."""
    # The index is derived from facts.json; moved along so that nothing stale stays.
    names = [SNAPSHOT_NAME, JOURNAL_NAME, INDEX_NAME]
    if parts.admin is not None:
        names += [ADMIN_SNAPSHOT_NAME, ADMIN_JOURNAL_NAME]
    return names


def _aside_dir(data_dir: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    path, n = data_dir / f"replaced-{stamp}", 1
    while path.exists():
        n += 1
        path = data_dir / f"replaced-{stamp}-{n}"
    return path


def _put_in_place(data_dir: Path, parts: BackupParts, aside: Path) -> Path | None:
    """Move the replaced files to ``aside``, write the backup's; undone on any failure."""
    movable = [data_dir / n for n in _replaced_names(parts) if (data_dir / n).exists()]
    moved: list[Path] = []
    written: list[Path] = []
    try:
        if movable:
            aside.mkdir()
        for path in movable:
            path.rename(aside / path.name)
            moved.append(path)
        news = [(SNAPSHOT_NAME, parts.facts)]
        if parts.admin is not None:
            news.append((ADMIN_SNAPSHOT_NAME, parts.admin))
        for name, data in news:
            atomic_write(data_dir / name, data)
            written.append(data_dir / name)
    except BaseException:
        # All or nothing: what was written goes, what was moved comes back.
        for path in written:
            with contextlib.suppress(OSError):
                path.unlink()
        for path in moved:
            with contextlib.suppress(OSError):
                (aside / path.name).rename(path)
        with contextlib.suppress(OSError):
            aside.rmdir()
        raise
    return aside if movable else None


def restore(data_dir: Path, source: Path, *, now: datetime | None = None) -> RestoreReport:
    """Replace the fact base and the admin data in ``data_dir`` by the backup ``source``
    (the bot must be stopped); all or nothing.

    The whole backup is verified first; the replaced files are moved (never deleted) to
    DATA_DIR/replaced-<time>/. Nothing else in DATA_DIR is touched: subscriptions.* and
    outbox.* stay in place, and a version-1 backup leaves the admin data as it is.
    """
    data_dir = Path(data_dir)
    source = Path(source)
    parts = read_parts(source)
    info = verify_parts(source, parts)
    data_dir.mkdir(parents=True, exist_ok=True)
    locks: list[DirectoryLock] = []
    try:
        try:
            locks.append(DirectoryLock(data_dir / LOCK_NAME))
            if parts.admin is not None:
                locks.append(DirectoryLock(data_dir / ADMIN_LOCK_NAME))
        except StoreLocked:
            raise BackupError(
                f"{data_dir} is in use: stop the bot before restoring (the backup is fine)"
            ) from None
        previous = _put_in_place(data_dir, parts, _aside_dir(data_dir, now or datetime.now(UTC)))
    finally:
        for lock in locks:
            lock.release()
    # Documents are content-addressed and never change: adding the backup's is safe, and
    # a document no source names is harmless.
    put_documents(DocumentStore(data_dir), parts.documents)
    # Prove the restored directory opens, exactly as the bot will open it.
    FactStore.open(data_dir).close()
    if parts.admin is not None:
        AdminStore.open(data_dir).close()
    log.info("restored %s into %s", source, data_dir)
    return RestoreReport(restored=info, previous=previous)
