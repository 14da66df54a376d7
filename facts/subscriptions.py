"""Subscribers to change notifications: a chat id, topics, a mode and an active flag.

Nothing else is stored — no names, usernames, message texts or timestamps: subscribers
may live where reading this news is prosecuted, so the record is the least that delivery
needs. Beside them, the language a chat chose (with /language, or the one it subscribed
in) is kept in a second table, ``languages``, only for chats that have one. ``forget``
removes a chat from memory and rewrites the data files at once so that no copy of its id
stays in them.

Storage: a :class:`facts.records.RecordStore` named ``subscriptions`` (files
``subscriptions.json``, ``subscriptions.journal.jsonl``, ``subscriptions.lock``) with one
table, ``buckets``. Subscribers are packed into :data:`BUCKETS` records by ``chat_id %
BUCKETS``, each ``{"subs": {"<chat id>": <flags>}}``, because a snapshot of one record per
subscriber costs seconds at 100,000 subscribers (pydantic and JSON per record) while 1,024
buckets cost ~0.2 s; a write journals only its bucket (~100 subscribers, ~1.5 KB). Flags:
1 sanctions, 2 prisoners, 4 timeline, 8 all, 16 digest mode, 32 inactive. Languages are
bucketed the same way: ``{"langs": {"<chat id>": "ru"}}``.

Like every store here, methods are synchronous and durable before they return (one
fsynced journal line), so in asyncio each is atomic with respect to other handlers.
Imports neither ``telegram`` nor ``tinydb``.
"""

from __future__ import annotations

import bisect
import logging
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from facts.errors import ErrorReason, FactsError, NotFoundError
from facts.journal import ClosedOnExit
from facts.records import RecordStore, Table
from facts.salvage import Salvage, salvage
from facts.subscribers import (
    TOPIC_MASK,
    Mode,
    Subscriber,
    SubTopic,
    decode,
    encode,
    topic_bits,
    wants_flags,
)

log = logging.getLogger(__name__)

STORE_NAME = "subscriptions"
#: What to do when the files are damaged: backups hold no subscriber data (by design).
REPAIR_ADVICE = (
    "backups hold no subscriber data; with the bot stopped, run: factbot repair subscriptions "
    "(it keeps every subscriber it can read and says what was lost)"
)
#: Subscribers are packed into this many records (see the module docstring).
BUCKETS = 1024


class _Bucket(BaseModel):
    """Stored form: the subscribers whose ``chat_id % BUCKETS`` is this record's key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subs: dict[int, int]


class _Languages(BaseModel):
    """Stored form: the chosen languages of the chats whose ``chat_id % BUCKETS`` is the key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    langs: dict[int, Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")]]


class SubscriptionStore(ClosedOnExit):
    """Subscribers by chat id, durable in ``data_dir``; sorted ids for resumable passes."""

    #: Compact (snapshot, empty the journal) after this many writes.
    compact_every: int = 1000

    def __init__(self, records: RecordStore) -> None:
        """Use :meth:`open`."""
        self._records = records
        # Compaction is driven from here (every compact_every writes, and by forget()).
        records.compact_every = 1 << 62
        records.max_journal_bytes = 1 << 62
        self._table: Table[_Bucket] = records.table("buckets", _Bucket)
        self._flags: dict[int, int] = {}
        for bucket in self._table.values():
            self._flags.update(bucket.subs)
        self._ids: list[int] = sorted(self._flags)
        self._counts: Counter[int] = Counter(self._flags.values())
        self._language_table: Table[_Languages] = records.table("languages", _Languages)
        self._languages: dict[int, str] = {}
        for langs in self._language_table.values():
            self._languages.update(langs.langs)
        self._writes = 0

    @classmethod
    def open(cls, data_dir: Path) -> SubscriptionStore:
        """Open (creating if needed) the subscriber store in ``data_dir``."""
        records = RecordStore.open(data_dir, STORE_NAME, advice=REPAIR_ADVICE)
        try:
            return cls(records)
        except BaseException:
            records.close()
            raise

    def close(self) -> None:
        """Snapshot if needed and release the store."""
        self._records.close()

    @classmethod
    def repair(cls, data_dir: Path, *, now: datetime) -> tuple[Salvage, int]:
        """Rebuild damaged subscriber files from what can be read (the bot stopped): the
        report of what was kept and lost, and how many subscribers the store now holds."""
        report = salvage(
            data_dir, STORE_NAME, {"buckets": _Bucket, "languages": _Languages}, now=now
        )
        with cls.open(data_dir) as store:
            return report, len(store)

    # --- reads ------------------------------------------------------------------------------
    def get(self, chat_id: int) -> Subscriber | None:
        """The subscriber for ``chat_id``, or None."""
        flags = self._flags.get(chat_id)
        return None if flags is None else Subscriber(chat_id, *decode(flags))

    def __contains__(self, chat_id: object) -> bool:
        return chat_id in self._flags

    def __len__(self) -> int:
        return len(self._flags)

    def page(self, start: int | None, limit: int = 512) -> list[Subscriber]:
        """Up to ``limit`` subscribers with ``chat_id >= start`` (all if None), by chat id.

        A broadcast walks the subscribers a page at a time, so it never holds them all
        and tolerates subscribes and unsubscribes between pages.
        """
        lo = 0 if start is None else bisect.bisect_left(self._ids, start)
        return [Subscriber(c, *decode(self._flags[c])) for c in self._ids[lo : lo + limit]]

    def next_id(self, start: int) -> int | None:
        """The smallest subscribed chat id ``>= start``, or None when there is none."""
        i = bisect.bisect_left(self._ids, start)
        return self._ids[i] if i < len(self._ids) else None

    def position(self, chat_id: int | None) -> int:
        """How many subscribers have a chat id below ``chat_id`` (a pass's progress)."""
        return 0 if chat_id is None else bisect.bisect_left(self._ids, chat_id)

    def count(
        self,
        match: Collection[SubTopic] | None = None,
        *,
        mode: Mode | None = None,
        active: bool | None = True,
    ) -> int:
        """Subscribers who want a change matching ``match`` (any topic if None)."""
        bits = TOPIC_MASK if match is None else topic_bits(match)
        total = 0
        for flags, n in self._counts.items():
            topics_ok = match is None or wants_flags(flags, bits)
            mode_ok = mode is None or decode(flags)[1] is mode
            active_ok = active is None or decode(flags)[2] is active
            if topics_ok and mode_ok and active_ok:
                total += n
        return total

    def language(self, chat_id: int) -> str | None:
        """The language the chat chose (a code such as ``ru``), or None when it chose none."""
        return self._languages.get(chat_id)

    # --- writes -----------------------------------------------------------------------------
    def set_language(self, chat_id: int, language: str | None) -> None:
        """Keep the chat's chosen language (a two- or three-letter code); None removes it."""
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise TypeError("chat ids are integers")
        if language == self._languages.get(chat_id):
            return
        key = str(chat_id % BUCKETS)
        stored = self._language_table.get(key)
        langs = dict(stored.langs) if stored is not None else {}
        if language is None:
            del langs[chat_id]
        else:
            langs[chat_id] = language
        if langs:
            self._language_table.put(key, _Languages(langs=langs))
        else:
            self._language_table.delete(key)
        if language is None:
            del self._languages[chat_id]
        else:
            self._languages[chat_id] = language
        self._count_write()

    def subscribe(self, chat_id: int, topics: Iterable[SubTopic]) -> Subscriber:
        """Add ``topics`` to the chat's subscription (creating it, reactivating it)."""
        current = self.get(chat_id)
        wanted = frozenset(SubTopic(t) for t in topics)
        if not wanted:
            raise ValueError("subscribe to at least one topic")
        mode = current.mode if current else Mode.IMMEDIATE
        merged = wanted | (current.topics if current else frozenset())
        return self._set(chat_id, encode(merged, mode, True))

    def set_topics(self, chat_id: int, topics: Iterable[SubTopic]) -> Subscriber | None:
        """Replace the chat's topics; no topics left removes the subscriber (None)."""
        wanted = frozenset(SubTopic(t) for t in topics)
        if not wanted:
            self._remove(chat_id)
            return None
        current = self.get(chat_id)
        mode = current.mode if current else Mode.IMMEDIATE
        return self._set(chat_id, encode(wanted, mode, True))

    def unsubscribe(
        self, chat_id: int, topics: Iterable[SubTopic] | None = None
    ) -> Subscriber | None:
        """Drop ``topics`` (all when None); the subscriber that remains, or None."""
        current = self.get(chat_id)
        if current is None:
            return None
        if topics is None:
            self._remove(chat_id)
            return None
        return self.set_topics(chat_id, current.topics - {SubTopic(t) for t in topics})

    def set_mode(self, chat_id: int, mode: Mode) -> Subscriber:
        """Immediate or daily digest; NotFoundError when the chat is not subscribed."""
        current = self.get(chat_id)
        if current is None:
            raise NotFoundError(ErrorReason.NOT_SUBSCRIBED)
        return self._set(chat_id, encode(current.topics, Mode(mode), current.active))

    def deactivate(self, chat_id: int) -> bool:
        """Stop sending to a chat that blocked the bot (kept until it returns or forgets)."""
        current = self.get(chat_id)
        if current is None or not current.active:
            return False
        self._set(chat_id, encode(current.topics, current.mode, False))
        return True

    def forget(self, chat_id: int) -> bool:
        """Remove the chat and rewrite the data files so that none still names it.

        Returns True if the chat was subscribed; its chosen language goes too. The snapshot
        is rewritten (and the journal emptied) whenever the journal holds anything at all:
        any of its lines may name the chat, including lines replayed from before a restart
        (or left behind by a crash between a snapshot and emptying the journal). The
        snapshot itself can only name a chat that was subscribed (or had a language) when
        it was written, and then the removal is in the journal. A compaction costs ~0.2 s
        at 100,000 subscribers; /forget is rare.
        """
        was = chat_id in self._flags
        if was:
            self._remove(chat_id)
        if chat_id in self._languages:
            self.set_language(chat_id, None)
        if self._records.journal_bytes:
            self.compact()
        return was

    def load(self, subscribers: Iterable[Subscriber]) -> int:
        """Add or replace many subscribers in one durable write (an import or a benchmark's
        set-up); how many were written."""
        buckets: dict[int, dict[int, int]] = {}
        for sub in subscribers:
            index = sub.chat_id % BUCKETS
            if index not in buckets:
                buckets[index] = self._bucket(sub.chat_id)
            buckets[index][sub.chat_id] = encode(sub.topics, sub.mode, sub.active)
        if not buckets:
            return 0
        with self._records.batch() as batch:
            for index, subs in buckets.items():
                batch.put(self._table, str(index), _Bucket(subs=subs))
        written = 0
        for subs in buckets.values():
            for chat_id, flags in subs.items():
                old = self._flags.get(chat_id)
                if old == flags:
                    continue
                if old is None:
                    self._ids.append(chat_id)
                else:
                    self._uncount(old)
                self._flags[chat_id] = flags
                self._counts[flags] += 1
                written += 1
        self._ids.sort()
        self.compact()
        return written

    def compact(self) -> None:
        """Snapshot every subscriber and empty the journal."""
        self._records.compact()
        self._writes = 0

    # --- internals --------------------------------------------------------------------------
    def _set(self, chat_id: int, flags: int) -> Subscriber:
        if not isinstance(chat_id, int) or isinstance(chat_id, bool):
            raise TypeError("chat ids are integers")
        old = self._flags.get(chat_id)
        if old != flags:
            bucket = self._bucket(chat_id)
            self._write(chat_id, {**bucket, chat_id: flags})
            self._flags[chat_id] = flags
            self._counts[flags] += 1
            if old is None:
                bisect.insort(self._ids, chat_id)
            else:
                self._uncount(old)
        return Subscriber(chat_id, *decode(flags))

    def _remove(self, chat_id: int) -> None:
        old = self._flags.get(chat_id)
        if old is None:
            return
        bucket = self._bucket(chat_id)
        del bucket[chat_id]
        self._write(chat_id, bucket)
        del self._flags[chat_id]
        self._uncount(old)
        del self._ids[bisect.bisect_left(self._ids, chat_id)]

    def _uncount(self, flags: int) -> None:
        self._counts[flags] -= 1
        if not self._counts[flags]:
            del self._counts[flags]

    def _bucket(self, chat_id: int) -> dict[int, int]:
        stored = self._table.get(str(chat_id % BUCKETS))
        return dict(stored.subs) if stored is not None else {}

    def _write(self, chat_id: int, subs: dict[int, int]) -> None:
        key = str(chat_id % BUCKETS)
        if subs:
            self._table.put(key, _Bucket(subs=subs))
        else:
            self._table.delete(key)
        self._count_write()

    def _count_write(self) -> None:
        self._writes += 1
        if self._writes >= self.compact_every:
            try:
                self.compact()
            except (OSError, FactsError) as exc:
                # The write is durable in the journal already; compaction is retried later.
                log.error("compaction of the subscriber store failed (%s)", exc)
