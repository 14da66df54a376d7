"""The durable outbox: notifications waiting to be delivered, and how far each delivery got.

A notification is one change to the fact base (or one day's digest of them) with its
message already rendered, so that a delivery resumed after a restart sends exactly the
text the first subscribers got. Delivery walks the subscribers in ascending chat id (see
:meth:`facts.subscriptions.SubscriptionStore.page`); its progress is

- a **lower bound**: every chat id below it has been handled, and
- a **done set**: chat ids at or above the bound that have been handled too (sends
  finish out of order because several are in flight).

Exactly once: after each successful send the deliverer calls :meth:`Outbox.mark`, which
appends ``"<notification id> <chat id>"`` to ``outbox.marks`` straight away (a write
that survives the process being killed) and wakes a background thread that fsyncs the
file (survives power loss). Marks written while an fsync runs share the next one (group
commit): that is the only batching, and it is safe because nothing waits on it. A resumed
delivery skips every chat below the bound and in the done set, so nobody is skipped and
nobody is messaged twice — except in the unavoidable window between Telegram accepting a
message and its mark reaching the file (one HTTP response and a ``write``, ~1 ms; plus the
fsync, a few ms, for power loss): a chat whose send was in that window when the process
died gets the message again. At most one per message in flight at the time.

Every :attr:`Outbox.checkpoint_every` marks, the deliverer checkpoints: the bound and the
done set are written to the record store (one fsynced journal line) and ``outbox.marks``
is emptied, so neither file grows with the number of subscribers.

Saved lower bounds name subscribers, never a number derived from a chat id: the bound
the deliverer computes (the oldest send in flight, or the chat after the last one visited,
i.e. its id + 1) is moved up to the next subscribed chat id, or :data:`PAST_END` when there
is none (see :func:`rebase`) — equivalent, since no subscriber lies in between. So once a
chat is forgotten, no bound on disk is its id or its id + 1; :meth:`Outbox.forget` rebases
the bounds again without it. :meth:`Outbox.complete` compacts, so a finished delivery's
progress (which chats were served) leaves the files at once.

Files: a :class:`facts.records.RecordStore` named ``outbox`` (``outbox.json``,
``outbox.journal.jsonl``, ``outbox.lock``: notifications, progress checkpoints, the
digest pool, the id counter) and ``outbox.marks``. Notifications hold no chat ids; the
progress does, so :meth:`Outbox.forget` rewrites both files without the chat.
Imports neither ``telegram`` nor ``tinydb``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from facts.errors import ErrorReason, FactsError, NotFoundError
from facts.group_sync import GroupSync
from facts.journal import ClosedOnExit
from facts.notifications import Item, Notification, NotificationKind
from facts.records import Batch, RecordStore, Table
from facts.salvage import Salvage, salvage
from facts.storage import fsync_dir

log = logging.getLogger(__name__)

STORE_NAME = "outbox"
#: What to do when the files are damaged: backups hold no outbox (it names chats served).
REPAIR_ADVICE = (
    "backups hold no outbox; with the bot stopped, run: factbot repair outbox "
    "(it keeps every queued notification it can read and says what was lost)"
)
MARKS_NAME = "outbox.marks"


#: A lower bound above every chat id (Telegram's are far below): every subscriber visited.
PAST_END = 1 << 62


def rebase(lower: int | None, next_chat: Callable[[int], int | None]) -> int | None:
    """An equivalent lower bound that is a subscribed chat id (or :data:`PAST_END`).

    ``next_chat(n)`` is the smallest subscribed chat id ``>= n`` (None if none): no
    subscriber lies between ``lower`` and it, so nobody is skipped or repeated. Someone
    who subscribes in that gap while the delivery is stopped does not get this message,
    as if they had subscribed after it went out.
    """
    if lower is None:
        return None
    found = next_chat(lower)
    return PAST_END if found is None else found


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class _Cursor(_Record):
    """A progress checkpoint (see the module docstring)."""

    lower: int | None
    done: tuple[int, ...] = ()


class _Counter(_Record):
    value: int = Field(ge=1)


class _Pooled(_Record):
    """A change waiting for the next digest."""

    item: Item


@dataclass(slots=True)
class Progress:
    """How far the delivery of one notification got."""

    lower: int | None = None
    done: set[int] = field(default_factory=set)

    def handled(self, chat_id: int) -> bool:
        """True when ``chat_id`` needs nothing more for this notification."""
        return (self.lower is not None and chat_id < self.lower) or chat_id in self.done


def _key(notification_id: int) -> str:
    return f"{notification_id:012d}"


class Outbox(ClosedOnExit):
    """Queued notifications and delivery progress, durable in ``data_dir``."""

    #: Checkpoint (and empty the marks file) after this many marks.
    checkpoint_every: int = 4096

    def __init__(self, records: RecordStore, marks_path: Path) -> None:
        """Use :meth:`open`."""
        self._records = records
        self._notifications: Table[Notification] = records.table("notifications", Notification)
        self._cursors: Table[_Cursor] = records.table("progress", _Cursor)
        self._pool: Table[_Pooled] = records.table("digest_pool", _Pooled)
        self._meta: Table[_Counter] = records.table("meta", _Counter)
        self._progress: dict[int, Progress] = {}
        for key, cursor in self._cursors.items():
            self._progress[int(key)] = Progress(cursor.lower, set(cursor.done))
        self.marks_path = marks_path
        self._marks_fd: int | None = None
        self._sync: GroupSync | None = None
        #: Marks written since the last checkpoint.
        self.unsaved_marks = 0

    @classmethod
    def open(cls, data_dir: Path) -> Outbox:
        """Open (creating if needed) the outbox in ``data_dir``; replays ``outbox.marks``."""
        data_dir = Path(data_dir)
        records = RecordStore.open(data_dir, STORE_NAME, advice=REPAIR_ADVICE)
        try:
            outbox = cls(records, data_dir / MARKS_NAME)
            outbox._open_marks()
        except BaseException:
            records.close()
            raise
        return outbox

    def _open_marks(self) -> None:
        created = not self.marks_path.exists()
        fd = os.open(self.marks_path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            if created:
                fsync_dir(self.marks_path.parent)
            bad = 0
            for line in self.marks_path.read_bytes().split(b"\n"):
                try:
                    notification_id, chat_id = (int(part) for part in line.split())
                except ValueError:
                    bad += bool(line)
                    continue
                progress = self._progress_if_pending(notification_id)
                if progress is not None and not progress.handled(chat_id):
                    progress.done.add(chat_id)
                    self.unsaved_marks += 1
            if bad:
                # Only a torn last line is expected (power loss); either way a lost mark can
                # only cause a repeated message, never a skipped one.
                log.warning("%s: ignored %d unreadable line(s)", self.marks_path, bad)
        except BaseException:
            os.close(fd)
            raise
        self._marks_fd = fd
        self._sync = GroupSync(fd, "outbox-marks-fsync", MARKS_NAME)

    def close(self) -> None:
        """Checkpoint, then release the files (idempotent)."""
        if self._marks_fd is None:
            self._records.close()
            return
        try:
            if self.unsaved_marks and not self._records.closed:
                self.checkpoint()
        finally:
            if self._sync is not None:
                self._sync.close()
            os.close(self._marks_fd)
            self._marks_fd = None
            self._records.close()

    @classmethod
    def repair(cls, data_dir: Path, *, now: datetime) -> tuple[Salvage, int]:
        """Rebuild damaged outbox files from what can be read (the bot stopped): the report
        of what was kept and lost, and how many notifications are still queued."""
        models: dict[str, type[BaseModel]] = {
            "notifications": Notification,
            "progress": _Cursor,
            "digest_pool": _Pooled,
            "meta": _Counter,
        }
        report = salvage(data_dir, STORE_NAME, models, now=now)
        with cls.open(data_dir) as outbox:
            return report, len(outbox.pending())

    # --- queue ------------------------------------------------------------------------------
    def pending(self) -> list[Notification]:
        """Notifications not yet delivered to everyone, oldest first."""
        return sorted(self._notifications.values(), key=lambda n: n.id)

    def get(self, notification_id: int) -> Notification:
        """One pending notification; NotFoundError once it is complete."""
        found = self._notifications.get(_key(notification_id))
        if found is None:
            raise NotFoundError(ErrorReason.NO_NOTIFICATION, id=notification_id)
        return found

    def enqueue(
        self, item: Item, *, digest: bool = True, now: datetime | None = None
    ) -> Notification:
        """Queue one change for immediate subscribers (and the next digest); durable."""
        with self._records.batch() as batch:
            notification = self._new(batch, NotificationKind.CHANGE, (item,), now)
            if digest:
                batch.put(self._pool, _key(notification.id), _Pooled(item=item))
        return notification

    def digest_pool(self) -> list[Item]:
        """Changes waiting for the next digest, oldest first."""
        return [pooled.item for _, pooled in sorted(self._pool.items())]

    def build_digest(self, now: datetime | None = None) -> Notification | None:
        """Turn the pooled changes into one digest notification; None when there were none."""
        pooled = sorted(self._pool.items())
        if not pooled:
            return None
        with self._records.batch() as batch:
            items = tuple(p.item for _, p in pooled)
            notification = self._new(batch, NotificationKind.DIGEST, items, now)
            for key, _ in pooled:
                batch.delete(self._pool, key)
        return notification

    def _new(
        self,
        batch: Batch,
        kind: NotificationKind,
        items: tuple[Item, ...],
        now: datetime | None,
    ) -> Notification:
        counter = self._meta.get("next_id")
        # Ids are never reused: a stale mark of a finished notification must not count
        # for a new one.
        notification_id = counter.value if counter is not None else 1
        notification = Notification(
            id=notification_id, kind=kind, created=now or datetime.now(UTC), items=items
        )
        batch.put(self._notifications, _key(notification_id), notification)
        batch.put(self._meta, "next_id", _Counter(value=notification_id + 1))
        return notification

    # --- progress ---------------------------------------------------------------------------
    def progress(self, notification_id: int) -> Progress:
        """The live progress of a pending notification (created empty when it starts)."""
        progress = self._progress_if_pending(notification_id)
        if progress is None:
            raise NotFoundError(ErrorReason.NO_NOTIFICATION, id=notification_id)
        return progress

    def _progress_if_pending(self, notification_id: int) -> Progress | None:
        if _key(notification_id) not in self._notifications:
            return None
        return self._progress.setdefault(notification_id, Progress())

    def mark(self, notification_id: int, chat_id: int, *, durable: bool = True) -> None:
        """Record that ``chat_id`` is handled for this notification (sent, or given up on).

        The line is written at once and fsynced by the background thread. ``durable=False``
        records nothing: for a chat that unsubscribed or was forgotten while its message was
        in flight — a restart will not send to it anyway, and its id must not be written
        again (a delivery never comes back to a chat it passed).
        """
        progress = self.progress(notification_id)
        if not durable:
            return
        progress.done.add(chat_id)
        fd = self._writable()
        data = b"%d %d\n" % (notification_id, chat_id)
        written = os.write(fd, data)
        if written != len(data):  # pragma: no cover - a short write of 20 bytes to a file
            raise FactsError(f"{self.marks_path}: short write")
        self.unsaved_marks += 1
        assert self._sync is not None
        self._sync.written()

    def checkpoint(self, lowers: Mapping[int, int | None] | None = None) -> None:
        """Save every delivery's progress (with new lower bounds from ``lowers``), then
        empty ``outbox.marks``."""
        fd = self._writable()
        lowers = lowers or {}
        with self._records.batch() as batch:
            for notification_id, progress in self._progress.items():
                if notification_id in lowers:
                    progress.lower = lowers[notification_id]
                if progress.lower is not None:
                    lower = progress.lower
                    progress.done = {c for c in progress.done if c >= lower}
                cursor = _Cursor(lower=progress.lower, done=tuple(sorted(progress.done)))
                if self._cursors.get(_key(notification_id)) != cursor:
                    batch.put(self._cursors, _key(notification_id), cursor)
        # The checkpoint is durable: the marks it holds may go.
        self._truncate_marks(fd)

    def complete(self, notification_id: int) -> None:
        """Drop a notification that reached every subscriber, with its progress; the files
        are compacted, so its earlier checkpoints (which chats were served) go too."""
        self.get(notification_id)
        self._progress.pop(notification_id, None)
        with self._records.batch() as batch:
            batch.delete(self._notifications, _key(notification_id))
            batch.delete(self._cursors, _key(notification_id))
        self.checkpoint()
        self._records.compact()

    def forget(self, chat_id: int, next_chat: Callable[[int], int | None]) -> None:
        """Remove every trace of ``chat_id`` from the progress, in memory and on disk.

        ``next_chat`` is :meth:`facts.subscriptions.SubscriptionStore.next_id` *after* the
        chat was removed there: every lower bound is rebased on it (see :func:`rebase`), so
        none stays equal to the chat id or to the id + 1.
        """
        for progress in self._progress.values():
            progress.done.discard(chat_id)
            progress.lower = rebase(progress.lower, next_chat)
        self.checkpoint()
        # Older checkpoints in the journal may still list the chat: rewrite the snapshot.
        self._records.compact()

    def status(self) -> list[tuple[Notification, Progress]]:
        """Pending notifications with their progress, oldest first."""
        return [(n, self.progress(n.id)) for n in self.pending()]

    # --- internals --------------------------------------------------------------------------
    def _writable(self) -> int:
        if self._marks_fd is None:
            raise FactsError(f"the outbox in {self.marks_path.parent} is closed")
        if self._sync is not None and self._sync.failure is not None:
            raise FactsError(f"{self.marks_path}: fsync failed ({self._sync.failure})")
        return self._marks_fd

    def _truncate_marks(self, fd: int) -> None:
        assert self._sync is not None
        self._sync.wait_idle()
        os.ftruncate(fd, 0)
        os.fsync(fd)
        self.unsaved_marks = 0
