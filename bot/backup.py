"""Backups of the fact store: snapshots in DATA_DIR/backups with retention, verification,
restore, and asking a running bot for a snapshot.

A backup is the store's own snapshot file (:meth:`FactStore.backup`), so a good backup is
one that :meth:`FactStore.open` reads. The running bot holds an exclusive lock on the data
directory, so another process cannot read a consistent state behind its back: ``factbot
backup`` asks the bot (SIGUSR1, pid from the heartbeat) to write one, and only opens the
store itself when no bot is running.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.health import heartbeat_path, read_heartbeat
from facts.errors import FactsError, StoreCorrupted, StoreLocked
from facts.storage import JOURNAL_NAME, LOCK_NAME, SNAPSHOT_NAME, DirectoryLock, atomic_write
from facts.store import FactStore

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
#: factbot-20250102T030405.678Z.json: sorts by time, and only such names are ever pruned.
_BACKUP_NAME = re.compile(r"^factbot-\d{8}T\d{6}\.\d{3}Z\.json$")


class BackupError(FactsError):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    """A backup that opened cleanly."""

    path: Path
    facts: int
    written: datetime


def backup_dir(data_dir: Path) -> Path:
    """Where the bot keeps its snapshots."""
    return Path(data_dir) / BACKUP_DIR_NAME


def list_backups(data_dir: Path) -> list[Path]:
    """The bot's snapshots in DATA_DIR/backups, newest first."""
    directory = backup_dir(data_dir)
    if not directory.is_dir():
        return []
    names = sorted(
        (p.name for p in directory.iterdir() if _BACKUP_NAME.match(p.name)), reverse=True
    )
    return [directory / name for name in names]


def _new_backup_path(data_dir: Path, now: datetime) -> Path:
    directory = backup_dir(data_dir)
    directory.mkdir(parents=True, exist_ok=True)
    while True:
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S.%f")[:-3]
        path = directory / f"factbot-{stamp}Z.json"
        if not path.exists():
            return path
        now += timedelta(milliseconds=1)


def prune_backups(data_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest snapshots; return what was deleted."""
    removed = list_backups(data_dir)[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def make_backup(
    store: FactStore, data_dir: Path, *, keep: int, now: datetime | None = None
) -> Path:
    """Write a snapshot of ``store`` into DATA_DIR/backups and prune to ``keep``."""
    path = store.backup(_new_backup_path(data_dir, now or datetime.now(UTC)))
    removed = prune_backups(data_dir, keep)
    log.info("backup written to %s (%d old one(s) pruned)", path, len(removed))
    return path


def backup_due(data_dir: Path, *, interval_hours: float, now: float | None = None) -> bool:
    """True when the newest snapshot is older than ``interval_hours`` (or there is none)."""
    backups = list_backups(data_dir)
    if not backups:
        return True
    now = time.time() if now is None else now
    try:
        age = now - backups[0].stat().st_mtime
    except FileNotFoundError:
        return True
    return age >= interval_hours * 3600


def verify_backup(path: Path) -> BackupInfo:
    """Open the backup as a store (in a scratch directory) to prove it is whole."""
    path = Path(path)
    try:
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    with tempfile.TemporaryDirectory(prefix="factbot-verify-") as scratch:
        try:
            shutil.copyfile(path, Path(scratch) / SNAPSHOT_NAME)
        except OSError as exc:
            raise BackupError(f"cannot read {path}: {exc.strerror}") from None
        try:
            store = FactStore.open(Path(scratch))
        except StoreCorrupted as exc:
            raise BackupError(f"{path} is not a usable backup: {exc}") from None
        try:
            count = len(store)
        finally:
            store.close()
    if count == 0:
        raise BackupError(f"{path} holds no facts")
    return BackupInfo(path=path, facts=count, written=written)


def latest_good_backup(data_dir: Path) -> BackupInfo | None:
    """The newest snapshot in DATA_DIR/backups that opens cleanly."""
    for path in list_backups(data_dir):
        try:
            return verify_backup(path)
        except BackupError as exc:
            log.warning("skipping backup: %s", exc)
    return None


def corruption_advice(data_dir: Path) -> str:
    """What to tell the operator when the store cannot be read at start-up."""
    good = latest_good_backup(data_dir)
    if good is None:
        return (
            f"No good backup in {backup_dir(data_dir)}. The bot will not start with an "
            "empty base; restore a backup you keep elsewhere with: factbot restore FILE"
        )
    return (
        f"Latest good backup: {good.path} ({good.facts} facts, written "
        f"{good.written:%Y-%m-%d %H:%M} UTC). Stop the bot, then run: "
        f"factbot restore {good.path}"
    )


def has_store(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds a fact store (so opening it will not create one)."""
    return (Path(data_dir) / SNAPSHOT_NAME).exists() or (Path(data_dir) / JOURNAL_NAME).exists()


def copy_file(src: Path, dest: Path) -> Path:
    """Copy a backup to the file ``dest`` atomically."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, src.read_bytes())
    return dest


def request_backup_from_bot(data_dir: Path, *, timeout: float = 60.0) -> Path:
    """Ask the bot running on ``data_dir`` for a snapshot (SIGUSR1) and wait for it."""
    try:
        beat = read_heartbeat(heartbeat_path(data_dir))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{data_dir} is in use, and its heartbeat is unreadable: {exc}") from None
    if beat is None:
        raise BackupError(
            f"{data_dir} is in use by another process but there is no heartbeat to find it by"
        )
    before = set(list_backups(data_dir))
    try:
        os.kill(beat.pid, signal.SIGUSR1)
    except ProcessLookupError:
        raise BackupError(
            f"{data_dir} is in use, but the bot's pid {beat.pid} is not running here; "
            "run this command where the bot runs (e.g. docker exec <container> factbot backup)"
        ) from None
    except PermissionError:
        raise BackupError(
            f"not allowed to signal the bot (pid {beat.pid}); run as its user"
        ) from None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = [p for p in list_backups(data_dir) if p not in before]
        if fresh:
            return fresh[0]
        time.sleep(0.1)
    raise BackupError(f"the running bot (pid {beat.pid}) wrote no backup within {timeout:.0f} s")


def _destination(data_dir: Path, dest: Path) -> Path:
    """The file a backup to ``dest`` (a ``.json`` file or an existing directory) goes to."""
    if dest.is_dir():
        return dest / _new_backup_path(data_dir, datetime.now(UTC)).name
    if dest.suffix != ".json":
        raise BackupError(f"{dest}: give a file name ending in .json, or a directory")
    return dest


def backup(data_dir: Path, dest: Path | None, *, keep: int, timeout: float = 60.0) -> Path:
    """A consistent snapshot, whether or not the bot is running; returns where it is.

    Without ``dest`` it goes to DATA_DIR/backups (pruned to ``keep``).
    """
    data_dir = Path(data_dir)
    if not has_store(data_dir):
        raise BackupError(f"there is no fact store in {data_dir}")
    target = None if dest is None else _destination(data_dir, Path(dest))
    try:
        store = FactStore.open(data_dir)
    except StoreLocked:
        made = request_backup_from_bot(data_dir, timeout=timeout)
        return made if target is None else copy_file(made, target)
    try:
        return make_backup(store, data_dir, keep=keep) if target is None else store.backup(target)
    finally:
        store.close()


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did."""

    restored: BackupInfo
    #: Where the replaced data now is (None when the directory held no store).
    previous: Path | None


def restore(data_dir: Path, source: Path, *, now: datetime | None = None) -> RestoreReport:
    """Replace the store in ``data_dir`` by the backup ``source`` (the bot must be stopped).

    The backup is verified first; the fact store's replaced files are moved (never deleted)
    to DATA_DIR/replaced-<time>/. Nothing else in DATA_DIR is touched.
    """
    data_dir = Path(data_dir)
    info = verify_backup(source)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        lock = DirectoryLock(data_dir / LOCK_NAME)
    except StoreLocked:
        raise BackupError(
            f"{data_dir} is in use: stop the bot before restoring (the backup is fine)"
        ) from None
    previous: Path | None = None
    try:
        stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        # Only the fact store's own files: other stores in DATA_DIR (subscribers, outbox,
        # admin state) are not in this backup and must stay as they are.
        movable = [data_dir / n for n in (SNAPSHOT_NAME, JOURNAL_NAME) if (data_dir / n).exists()]
        if movable:
            previous = data_dir / f"replaced-{stamp}"
            previous.mkdir()
            for path in movable:
                path.rename(previous / path.name)
        atomic_write(data_dir / SNAPSHOT_NAME, Path(source).read_bytes())
    finally:
        lock.release()
    # Prove the restored directory opens, exactly as the bot will open it.
    FactStore.open(data_dir).close()
    log.info("restored %s into %s", source, data_dir)
    return RestoreReport(restored=info, previous=previous)
