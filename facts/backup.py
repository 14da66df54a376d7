"""Backups of the fact base and the admin data: snapshots in DATA_DIR/backups, with
retention and verification (restoring one is :mod:`facts.restore`; taking one while the
bot runs is an operation: ``factbot backup`` asks the bot).

What a backup holds (the lead's decision):

- The fact base (facts.json, with every revision) and the admin data (editors and the role
  log, unanswered questions, drafts and the draft log), snapshotted in the same moment:
  both stores are synchronous, and nothing awaits between the two snapshots.
- Never subscriber data (subscriptions.*, outbox.*): subscribers may live where reading
  this is prosecuted, and /forget must remove every trace of a chat id, which a retained
  backup would keep. Restore leaves those files in DATA_DIR exactly as they are.

Format, version 3: one JSON file, ``{"factbot_backup": 3, "facts": <facts.json>, "admin":
<admin.json>, "documents": {<sha256>: <text>}}`` — each part is that store's own snapshot,
so restoring is writing the two files, plus the source documents the facts name (stored
content-addressed in DATA_DIR/documents; a version-2 backup has none). A file without
the ``factbot_backup`` key is a version-1 backup (facts.json alone,
as written before); it still restores, and then leaves the admin data as it is.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from facts.admin_store import STORE_NAME as ADMIN_STORE_NAME
from facts.admin_store import AdminStore
from facts.documents import DocumentStore, document_id
from facts.errors import FactsError, StoreCorrupted, StoreLocked, ValidationFailed
from facts.storage import (
    JOURNAL_NAME,
    SNAPSHOT_NAME,
    atomic_write,
    dump_json,
)
from facts.store import FactStore
from facts.violations import RuleViolation

log = logging.getLogger(__name__)

BACKUP_DIR_NAME = "backups"
#: factbot-20250102T030405.678Z.json: sorts by time, and only such names are ever pruned.
_BACKUP_NAME = re.compile(r"^factbot-\d{8}T\d{6}\.\d{3}Z\.json$")
#: The key that marks a versioned backup, and the version written now.
FORMAT_KEY = "factbot_backup"
FORMAT_VERSION = 3
#: Versions this factbot restores (2: before source documents).
READABLE_VERSIONS = (2, 3)
#: The admin store's files (facts/records.py names them after the store).
ADMIN_SNAPSHOT_NAME = f"{ADMIN_STORE_NAME}.json"
ADMIN_JOURNAL_NAME = f"{ADMIN_STORE_NAME}.journal.jsonl"
ADMIN_LOCK_NAME = f"{ADMIN_STORE_NAME}.lock"


class BackupError(FactsError):
    """A backup or restore that could not be done; the message says why and what to do."""


@dataclass(frozen=True)
class AdminSummary:
    """What the admin part of a backup holds."""

    editors: int
    role_changes: int
    unanswered: int
    drafts: int


@dataclass(frozen=True)
class BackupInfo:
    """A backup that opened cleanly."""

    path: Path
    facts: int
    written: datetime
    #: None for a version-1 backup, which holds the fact base only.
    admin: AdminSummary | None = None


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


def new_backup_path(data_dir: Path, now: datetime) -> Path:
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


def has_admin_store(data_dir: Path) -> bool:
    """Whether ``data_dir`` holds an admin store (so opening it will not create one)."""
    data_dir = Path(data_dir)
    return (data_dir / ADMIN_SNAPSHOT_NAME).exists() or (data_dir / ADMIN_JOURNAL_NAME).exists()


@contextlib.contextmanager
def _admin_store(data_dir: Path, given: AdminStore | None) -> Iterator[AdminStore | None]:
    """The admin store to snapshot: ``given`` (the one the caller holds open), or opened
    here; None when ``data_dir`` has none (its admin data is empty)."""
    if given is not None:
        yield given
        return
    if not has_admin_store(data_dir):
        yield None
        return
    try:
        opened = AdminStore.open(data_dir)
    except StoreLocked:
        raise BackupError(
            f"the admin data in {data_dir} is in use by another process; stop it and retry"
        ) from None
    except StoreCorrupted as exc:
        raise BackupError(f"cannot back up the admin data: {exc}") from None
    with opened:
        yield opened


def write_backup(store: FactStore, dest: Path, *, admin: AdminStore | None = None) -> Path:
    """Write a backup of ``store`` and its admin data to the file ``dest``; returns it.

    ``admin`` is the admin store of the fact store's directory when the caller holds it
    open (the running bot does); without it that store is opened here.
    """
    dest = Path(dest)
    with tempfile.TemporaryDirectory(prefix="factbot-backup-") as scratch:
        facts_path = Path(scratch) / SNAPSHOT_NAME
        admin_path = Path(scratch) / ADMIN_SNAPSHOT_NAME
        with _admin_store(store.data_dir, admin) as held:
            # Both snapshots are synchronous and nothing awaits between them: on the bot's
            # event loop no handler can change either store in between.
            store.backup(facts_path)
            documents = store.export_bundle().documents
            if held is not None:
                held.backup(admin_path)
        if held is None:
            with AdminStore.open(Path(scratch) / "empty") as empty:
                empty.backup(admin_path)
        data = b"".join(
            [
                b"{",
                dump_json(FORMAT_KEY),
                b":%d," % FORMAT_VERSION,
                b'"facts":',
                facts_path.read_bytes(),
                b',"admin":',
                admin_path.read_bytes(),
                b',"documents":',
                dump_json(documents),
                b"}",
            ]
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(dest, data)
    return dest


def make_backup(
    store: FactStore,
    data_dir: Path,
    *,
    keep: int,
    now: datetime | None = None,
    admin: AdminStore | None = None,
) -> Path:
    """Write a backup into DATA_DIR/backups and prune to ``keep``."""
    path = write_backup(store, new_backup_path(data_dir, now or datetime.now(UTC)), admin=admin)
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


@dataclass(frozen=True)
class BackupParts:
    """The stores' snapshots in a backup file."""

    facts: bytes
    #: None in a version-1 backup.
    admin: bytes | None
    #: The source documents, by content address (none before version 3).
    documents: dict[str, str] = field(default_factory=dict)


def read_parts(path: Path) -> BackupParts:
    """Split a backup file into its snapshots (not yet validated as stores)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError(f"{path} is not a usable backup: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise BackupError(f"{path} is not a usable backup: not a JSON object")
    if FORMAT_KEY not in data:
        return BackupParts(facts=raw, admin=None)  # version 1: facts.json itself
    version = data[FORMAT_KEY]
    if version not in READABLE_VERSIONS:
        raise BackupError(
            f"{path} is a backup of format {version!r}, which this factbot cannot read "
            "(written by a newer version?)"
        )
    facts, admin = data.get("facts"), data.get("admin")
    if not isinstance(facts, dict) or not isinstance(admin, dict):
        raise BackupError(f"{path} is not a usable backup: its fact base or admin data is missing")
    documents = data.get("documents", {})
    if not isinstance(documents, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in documents.items()
    ):
        raise BackupError(f"{path} is not a usable backup: its documents are not texts by id")
    return BackupParts(facts=dump_json(facts), admin=dump_json(admin), documents=documents)


def verify_parts(path: Path, parts: BackupParts) -> BackupInfo:
    """Open each part as a store in a scratch directory: what opens there will open here."""
    try:
        written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as exc:
        raise BackupError(f"cannot read {path}: {exc.strerror}") from None
    with tempfile.TemporaryDirectory(prefix="factbot-verify-") as scratch:
        directory = Path(scratch)
        atomic_write(directory / SNAPSHOT_NAME, parts.facts)
        try:
            with FactStore.open(directory) as store:
                count = len(store)
                put_documents(store.documents, parts.documents)
                # A restore is a write like any other: the base must obey the rules.
                broken = store.rule_problems()
        except (StoreCorrupted, ValidationFailed) as exc:
            raise BackupError(f"{path} is not a usable backup: {exc}") from None
        if broken:
            raise BackupError(
                f"{path} is not restored: its fact base breaks the rules; "
                + str(RuleViolation(broken))
            )
        summary = None
        if parts.admin is not None:
            atomic_write(directory / ADMIN_SNAPSHOT_NAME, parts.admin)
            try:
                with AdminStore.open(directory) as admin:
                    summary = AdminSummary(
                        editors=len(admin.editors()),
                        role_changes=len(admin.role_log()),
                        unanswered=len(admin.unanswered()),
                        drafts=len(admin.drafts()),
                    )
            except StoreCorrupted as exc:
                raise BackupError(f"{path} is not a usable backup: admin data: {exc}") from None
    if count == 0:
        raise BackupError(f"{path} holds no facts")
    return BackupInfo(path=path, facts=count, written=written, admin=summary)


def put_documents(documents: DocumentStore, texts: dict[str, str]) -> None:
    """Store a backup's documents; ValidationFailed when one does not match its id."""
    for doc_id, text in texts.items():
        if document_id(text) != doc_id:
            raise ValidationFailed([f"document {doc_id[:12]}…: the text does not match its id"])
        documents.put(text)


def verify_backup(path: Path) -> BackupInfo:
    """Open every part of the backup as a store (in a scratch directory) to prove it is whole."""
    path = Path(path)
    return verify_parts(path, read_parts(path))


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
