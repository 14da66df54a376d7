"""``factbot backup`` as operations run it: a consistent snapshot whether or not the bot
is running (what a backup holds, and restoring one, is the domain's: :mod:`facts.backup`,
:mod:`facts.restore`).

The running bot holds exclusive locks on its stores, so another process cannot read a
consistent state behind its back: ``factbot backup`` asks the bot (SIGUSR1, pid from the
heartbeat) to write one, and only opens the stores itself when no bot is running.
"""

from __future__ import annotations

import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.ops.health import heartbeat_path, read_heartbeat
from facts.backup import (
    BackupError,
    copy_file,
    has_store,
    list_backups,
    make_backup,
    new_backup_path,
    write_backup,
)
from facts.errors import StoreLocked
from facts.store import FactStore

#: What `factbot backup` / `factbot restore` say in --help.
BACKUP_HELP = (
    "write a consistent snapshot of the fact base and the admin data (never subscribers), "
    "also while the bot runs (to FILE or DATA_DIR/backups)"
)
RESTORE_HELP = (
    "replace the fact base and the admin data by a backup, all or nothing (bot stopped); "
    "subscriptions and the outbox stay as they are"
)


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
        return dest / new_backup_path(data_dir, datetime.now(UTC)).name
    if dest.suffix != ".json":
        raise BackupError(f"{dest}: give a file name ending in .json, or a directory")
    return dest


def backup(data_dir: Path, dest: Path | None, *, keep: int, timeout: float = 60.0) -> Path:
    """A consistent backup of the fact base and the admin data, whether or not the bot is
    running; returns where it is. Without ``dest`` it goes to DATA_DIR/backups (pruned
    to ``keep``).
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
    with store:
        if target is None:
            return make_backup(store, data_dir, keep=keep)
        return write_backup(store, target)
