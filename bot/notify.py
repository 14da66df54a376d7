"""Change notifications: what admin code calls, the delivery worker, the daily digest.

For admin code (publishing a fact, a superseding value or a retraction)::

    count = context.notifier.count_recipients(fact_topics(fact))      # show it, confirm
    count = context.notifier.announce(context.facts, fact, "new")    # or "superseded",
                                                                     # "retracted"

``announce`` renders one short message with its citation, queues it durably in the
outbox (:mod:`facts.outbox`) — and in the pool of the next daily digest — and wakes the
worker; it returns how many subscribers will get it (now or in their digest). Pass the
*new* fact for ``"superseded"`` (the one it replaces is looked up) and the retracted fact
for ``"retracted"``.

The worker (:class:`DeliveryWorker`) delivers queued notifications one after the other,
walking subscribers in chat id order a page at a time (memory does not grow with the
number of subscribers), with

- a global pace of ``NOTIFY_RATE`` messages/s (default 30): sends start at least
  1/rate s apart, and Telegram never receives more than ``rate`` in any second whatever
  the network delays (see :class:`Pacer`),
- at most one message per chat per ``NOTIFY_PER_CHAT_INTERVAL`` seconds (default 1),
  counted from the previous message's answer for the same reason,
- at most ``NOTIFY_MAX_IN_FLIGHT`` sends in flight (default 8: 30/s at up to 250 ms a
  round trip; more only costs CPU, httpcore scans every pooled connection per request),
- ``RetryAfter`` → every send pauses for the time Telegram asked, then retries;
  ``Forbidden`` (blocked, deactivated) → the subscriber is deactivated; other refusals
  (``BadRequest``) → that chat is skipped for this message; ``NetworkError``/``TimedOut``
  → every send pauses with exponential back-off (1 s … 60 s), then retries; a message
  that fails 5 times while others go through is given up on. A send that timed out may
  have arrived all the same: retrying risks a repeat rather than a loss,
- progress marked in the outbox after every send (see :mod:`facts.outbox` for the exact
  once guarantee and its unavoidable window), so a restart resumes where it stopped.

The pace covers this worker's sends only: the bot's replies to users come on top, so on a
busy bot set NOTIFY_RATE a little under Telegram's 30.

Runs inside the bot (the :class:`Notifier` is one of the application's services,
``context.notifier``, started in its post_init, stopped in post_stop and closed in
post_shutdown; see :mod:`bot.services`) or on its own: ``python -m bot.notify
[--until-idle]`` with the bot's environment (it cannot run beside the bot: the stores
are locked).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import logging
import math
import signal
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict
from telegram import Bot, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
)

from bot.i18n import DEFAULT_LANGUAGE, LANGUAGES, N_, NP_, Translator, translator
from bot.ops.settings import ConfigError, Settings, describe
from bot.render import (
    EN,
    esc,
    fact_attribution,
    fact_compact,
    fact_text,
    shorten,
    visible_length,
)
from bot.transport import JsonRequest
from facts.admin_store import Draft, DraftAction
from facts.errors import FactsError
from facts.model import Fact, Source
from facts.notices import change_subject
from facts.outbox import Change, Item, ItemText, Notification, NotificationKind, Outbox, rebase
from facts.storage import SpaceReserve
from facts.store import FactStore
from facts.subscriptions import Subscriber, SubscriptionStore, SubTopic, fact_topics

log = logging.getLogger(__name__)

#: The space reserve kept beside the subscriber files (see Notifier.forget), and its size:
#: room for a snapshot of the subscribers and one of the outbox at ~100,000 subscribers.
RESERVE_NAME = "forget.reserve"
RESERVE_BYTES = 4 * 1024 * 1024

ChangeName = Literal["new", "superseded", "retracted"]

# --- texts (user-facing; HTML, placeholders take escaped data) ------------------------------
NEW_HEADER: Final = N_("🆕 <b>New in the fact base</b>")
UPDATED_HEADER: Final = N_("🔄 <b>Updated</b> — replaces an earlier fact")
RETRACTED_HEADER: Final = N_("⚠️ <b>Retracted</b> — no longer part of the fact base")
PREVIOUSLY: Final = N_("<i>Before:</i> {text}")
RETRACTION_REASON: Final = N_("Reason: {reason}")
FOOTER: Final = N_("Full fact and quotes: <code>/fact {fact_id}</code> · /subscriptions to change")
DIGEST_HEADER: Final = N_("📰 <b>Changes in the fact base</b> since the last digest ({count}):")
DIGEST_LINE_LABELS: Final = {
    Change.NEW: N_("New"),
    Change.SUPERSEDED: N_("Updated"),
    Change.RETRACTED: N_("Retracted"),
}
DIGEST_MORE: Final = N_("… and {count} more — /search or /timeline to read them.")
DIGEST_FOOTER: Final = N_("/fact &lt;id&gt; opens one in full · /subscriptions to change")
PREVIEW_NOTICE: Final = NP_(
    "🔔 Once published, {count} subscriber will be notified.",
    "🔔 Once published, {count} subscribers will be notified.",
)

#: The admin changes subscribers hear about (edits and reverts are corrections, not news).
_ANNOUNCED_ACTIONS: Final = frozenset({DraftAction.ADD, DraftAction.SUPERSEDE, DraftAction.RETRACT})

#: Longest pause after network errors, seconds.
_MAX_BACKOFF: Final = 60.0
#: A message failing this often while other sends succeed is given up on.
_MAX_SPECIFIC_FAILURES: Final = 5
#: After a failure the worker starts over after this long, doubling up to the maximum.
_RESTART_DELAY: Final = 30.0
_MAX_RESTART_DELAY: Final = 600.0
#: Subscribers read per page during a pass.
_PAGE: Final = 512
#: Leave room under Telegram's 4,096 characters for the digest's last lines.
_DIGEST_BUDGET: Final = 3800


class NotifySettings(BaseSettings):
    """Delivery settings: NOTIFY_RATE, NOTIFY_MAX_IN_FLIGHT, NOTIFY_PER_CHAT_INTERVAL,
    NOTIFY_DIGEST_TIME (HH:MM, UTC)."""

    model_config = SettingsConfigDict(env_prefix="NOTIFY_", case_sensitive=False, extra="ignore")

    rate: float = Field(default=30.0, gt=0, le=10_000)
    max_in_flight: int = Field(default=8, ge=1, le=1024)
    per_chat_interval: float = Field(default=1.0, ge=0, le=3600)
    digest_time: dt.time = dt.time(18, 0)


def load_notify_settings(**overrides: Any) -> NotifySettings:
    """NotifySettings from the environment; ConfigError names a bad variable in one line."""
    try:
        return NotifySettings(**overrides)
    except ValidationError as exc:
        raise ConfigError(describe(exc, prefix="NOTIFY_")) from None


# --- rendering ------------------------------------------------------------------------------
def change_item(store: FactStore, fact: Fact, change: Change | ChangeName) -> Item:
    """The outbox item for a change: whom it concerns and its rendered messages."""
    change = Change(change)
    sources = {s.id: s for s in store.sources()}
    subject = change_subject(store, fact, change)
    fact, previous, match = subject.fact, subject.previous, subject.topics
    # Rendered once per language now, so that a delivery resumed after a restart sends
    # every reader exactly what the first readers of their language got.
    translations = {
        lang: ItemText(
            text=change_text(fact, change, sources, previous=previous, tr=translator(lang)),
            line=digest_line(fact, change, translator(lang)),
        )
        for lang in LANGUAGES
        if lang != DEFAULT_LANGUAGE
    }
    return Item(
        fact_id=fact.id,
        change=change,
        match=match,
        text=change_text(fact, change, sources, previous=previous),
        line=digest_line(fact, change),
        translations=translations,
    )


def change_text(
    fact: Fact,
    change: Change,
    sources: Mapping[str, Source],
    *,
    previous: Fact | None = None,
    tr: Translator = EN,
) -> str:
    """One short message about a change, with its citation, in ``tr``'s language."""
    _ = tr.gettext
    if change is Change.RETRACTED:
        lines = [_(RETRACTED_HEADER), f"<s>{esc(shorten(fact_text(fact, tr), 600))}</s>"]
        if fact.retraction_reason:
            reason = esc(shorten(fact.retraction_reason, 600))
            lines.append(_(RETRACTION_REASON, reason=reason))
        lines.append(f"<i>{fact_attribution(fact, sources, tr)}</i>")
    else:
        header = UPDATED_HEADER if change is Change.SUPERSEDED else NEW_HEADER
        lines = [_(header), fact_compact(fact, sources, bullet="", tr=tr)]
        if previous is not None:
            lines.append(_(PREVIOUSLY, text=esc(shorten(fact_text(previous, tr), 300))))
    lines.append(_(FOOTER, fact_id=esc(fact.id)))
    return "\n".join(lines)


def digest_line(fact: Fact, change: Change, tr: Translator = EN) -> str:
    """A change as one digest line."""
    label = tr.gettext(DIGEST_LINE_LABELS[change])
    text = esc(shorten(fact_text(fact, tr), 200))
    return f"• <b>{label}:</b> {text} — <code>{esc(fact.id)}</code>"


def digest_text(items: Sequence[Item], tr: Translator = EN) -> str:
    """One digest message: as many lines as fit, then how many more there were."""
    language = tr.language
    footer = tr.gettext(DIGEST_FOOTER)
    lines = [tr.gettext(DIGEST_HEADER, count=len(items))]
    used = visible_length(lines[0]) + visible_length(footer) + 2
    shown = 0
    for item in items:
        line = item.line_in(language)
        size = visible_length(line) + 1
        if used + size > _DIGEST_BUDGET:
            break
        lines.append(line)
        used += size
        shown += 1
    if shown < len(items):
        lines.append(tr.gettext(DIGEST_MORE, count=len(items) - shown))
    lines.append(footer)
    return "\n".join(lines)


# --- pacing ---------------------------------------------------------------------------------
class Pacer:
    """The global send pace, and the pause every send obeys after 429s and outages.

    Two rules. Sends start at least ``1/rate`` apart (no bursts). And a send holds one of
    ``rate`` permits from its start until one second after its answer arrived: whatever
    the network delays, every request Telegram received within one second was answered
    after the first of them arrived, so all of them held permits at once — Telegram never
    sees more than ``rate`` in a second. No jitter margin to guess; the cost is that a
    permit is held for a round trip too, so at a latency L the pace is at most
    ``rate / (1 + L)``.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.interval = 1 / rate
        self.permits = max(1, math.floor(rate))
        # A small credit keeps high rates from losing a sleep's overshoot on every send,
        # but stays under one interval so that low rates are never bursty.
        self._slack = min(0.005, self.interval / 4)
        self._next = 0.0
        self._in_flight = 0
        #: When each answered send's permit comes back (answers arrive in time order).
        self._returns: deque[float] = deque()
        self._returned = asyncio.Event()
        self.paused_until = 0.0
        self._backoff = 0.0

    async def acquire(self) -> None:
        """Wait for a permit and the next send slot; call :meth:`release` after the send."""
        while True:
            now = self._clock()
            if self.paused_until > now:
                await asyncio.sleep(self.paused_until - now)
                continue
            while self._returns and self._returns[0] <= now:
                self._returns.popleft()
            if self._in_flight + len(self._returns) >= self.permits:
                if self._returns:
                    await asyncio.sleep(self._returns[0] - now)
                else:
                    self._returned.clear()
                    await self._returned.wait()
                continue
            slot = max(self._next, now - self._slack)
            if slot > now:
                await asyncio.sleep(slot - now)
                continue  # re-check the pause and the permits after sleeping
            self._next = slot + self.interval
            self._in_flight += 1
            return

    def release(self) -> None:
        """The send's answer (or failure) arrived: its permit returns in one second."""
        self._in_flight -= 1
        self._returns.append(self._clock() + 1.0)
        self._returned.set()

    def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds`` from now (Telegram's retry_after)."""
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    def outage(self) -> float:
        """A network error: pause every send with exponential back-off; returns the pause."""
        self._backoff = min(_MAX_BACKOFF, self._backoff * 2 if self._backoff else 1.0)
        self.pause(self._backoff)
        return self._backoff

    def success(self) -> None:
        """A send went through: the next outage starts from the shortest pause."""
        self._backoff = 0.0


def _seconds(value: int | float | dt.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


# --- the worker -----------------------------------------------------------------------------
@dataclass(slots=True)
class WorkerStats:
    """Counters since the worker started (in memory only; no chat ids)."""

    sent: int = 0
    deactivated: int = 0
    refused: int = 0
    given_up: int = 0
    rate_limited: int = 0
    network_errors: int = 0
    passes: int = 0
    current: int | None = None
    current_position: int = 0
    failures: int = 0
    last_failure: str | None = None


class WorkerFailed(Exception):
    """The worker cannot go on (progress cannot be recorded, the token was rejected)."""


class DeliveryWorker:
    """Delivers the outbox's notifications to subscribers, one notification at a time."""

    def __init__(
        self,
        bot: Bot,
        subscriptions: SubscriptionStore,
        outbox: Outbox,
        settings: NotifySettings,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.bot = bot
        self.subscriptions = subscriptions
        self.outbox = outbox
        self.settings = settings
        self.pacer = Pacer(settings.rate, clock=clock)
        self.stats = WorkerStats()
        self._clock = clock
        self._wake = asyncio.Event()
        self._stopping = False
        self._slots = asyncio.Semaphore(settings.max_in_flight)
        #: When each recently messaged chat may get the next message (pruned as it grows).
        self._chat_ready: dict[int, float] = {}
        self._prune_at = 4096
        self._successes = 0
        self._task: asyncio.Task[None] | None = None
        self._fatal: BaseException | None = None

    # --- lifecycle ------------------------------------------------------------------------
    def start(self) -> asyncio.Task[None]:
        """Run :meth:`run` in a task that restarts it after a failure (idempotent)."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self._supervise(), name="notify-worker")
        return self._task

    async def _supervise(self) -> None:
        # The outbox is consistent after any failure: starting over resumes where it stopped.
        delay: float | None = None
        while not self._stopping:
            try:
                await self.run()
                return
            except Exception as exc:
                self.stats.failures += 1
                self.stats.last_failure = f"{type(exc).__name__} at {time.strftime('%H:%M:%S')}"
            delay = _RESTART_DELAY if delay is None else min(delay * 2, _MAX_RESTART_DELAY)
            log.warning("notification delivery restarts in %.0f s", delay)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay):
                    while not self._stopping:
                        self._wake.clear()
                        await self._wake.wait()

    def wake(self) -> None:
        """Something was queued: look at the outbox now."""
        self._wake.set()

    @property
    def running(self) -> bool:
        """True while the worker task runs."""
        return self._task is not None and not self._task.done()

    async def stop(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - a drain deadline
        """Stop dispatching, let sends in flight finish (up to ``timeout``), checkpoint."""
        self._stopping = True
        self._wake.set()
        if self._task is None:
            return
        try:
            async with asyncio.timeout(timeout):
                await asyncio.shield(self._task)
        except TimeoutError:
            log.warning("the notification worker did not stop within %.0f s; cancelling", timeout)
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        except Exception:
            pass  # logged by run()
        self._task = None

    async def run(self, *, until_idle: bool = False) -> None:
        """Deliver pending notifications until stopped (or, ``until_idle``, none is left)."""
        try:
            while not self._stopping:
                pending = self.outbox.pending()
                if not pending:
                    if until_idle:
                        return
                    self._wake.clear()
                    await self._wake.wait()
                    continue
                await self.deliver(pending[0])
        except WorkerFailed as exc:
            log.critical("notification delivery stopped: %s", exc)
            raise
        except Exception:
            log.exception("notification delivery failed")
            raise

    # --- one notification -----------------------------------------------------------------
    async def deliver(self, notification: Notification) -> bool:
        """Deliver one notification to everyone it concerns; True when complete."""
        progress = self.outbox.progress(notification.id)
        in_flight: dict[int, asyncio.Task[None]] = {}
        frontier = progress.lower
        digests: dict[tuple[frozenset[SubTopic], str | None], str] = {}
        self.stats.current = notification.id
        log.info("delivering notification %d (%s)", notification.id, notification.kind.value)

        def lower_bound() -> int | None:
            # Every chat below this is handled: the oldest send in flight, or the next chat.
            lowest = min(in_flight, default=None)
            if lowest is None:
                return frontier
            return lowest if frontier is None else min(lowest, frontier)

        def dispatch(chat_id: int, text: str) -> None:
            task = asyncio.create_task(self._send(notification.id, chat_id, text))
            in_flight[chat_id] = task
            task.add_done_callback(lambda _: in_flight.pop(chat_id, None))

        page = self.subscriptions.page(progress.lower, _PAGE)
        while page and not self._halted:
            for subscriber in page:
                if self._halted:
                    break
                chat_id = frontier = subscriber.chat_id
                if not progress.handled(chat_id):
                    text = self._text_for(notification, subscriber, digests)
                    if text is not None:
                        await self._slots.acquire()
                        dispatch(chat_id, text)
                frontier = chat_id + 1
                if self.outbox.unsaved_marks >= self.outbox.checkpoint_every:
                    self._checkpoint(notification.id, lower_bound())
            self.stats.current_position = self.subscriptions.position(frontier)
            page = self.subscriptions.page(frontier, _PAGE)
        if in_flight:
            await asyncio.gather(*in_flight.values(), return_exceptions=True)
        if self._fatal is not None:
            fatal, self._fatal = self._fatal, None
            self._checkpoint(notification.id, lower_bound())
            raise WorkerFailed(str(fatal)) from fatal
        if self._stopping:
            self._checkpoint(notification.id, lower_bound())
            return False
        self.outbox.complete(notification.id)
        self.stats.passes += 1
        self.stats.current = None
        log.info("notification %d delivered", notification.id)
        return True

    @property
    def _halted(self) -> bool:
        return self._stopping or self._fatal is not None

    def _text_for(
        self,
        notification: Notification,
        subscriber: Subscriber,
        digests: dict[tuple[frozenset[SubTopic], str | None], str],
    ) -> str | None:
        items = notification.items_for(subscriber)
        if not items:
            return None
        # The chat's language (chosen, or the one it subscribed in); English otherwise.
        language = self.subscriptions.language(subscriber.chat_id)
        if notification.kind is NotificationKind.CHANGE:
            return items[0].text_in(language)
        key = (subscriber.topics, language)
        text = digests.get(key)
        if text is None:
            text = digests[key] = digest_text(items, translator(language or DEFAULT_LANGUAGE))
        return text

    def _checkpoint(self, notification_id: int, lower: int | None) -> None:
        # Saved as a subscribed chat id, never an id + 1 that /forget could not find.
        lower = rebase(lower, self.subscriptions.next_id)
        try:
            self.outbox.checkpoint({notification_id: lower})
        except (OSError, FactsError) as exc:
            raise WorkerFailed(f"cannot save delivery progress: {exc}") from exc

    # --- one message ------------------------------------------------------------------------
    async def _send(self, notification_id: int, chat_id: int, text: str) -> None:
        """Send one message, retrying as its failure requires; mark the chat handled."""
        specific_failures = 0
        try:
            while True:
                await self._chat_gate(chat_id)
                await self.pacer.acquire()
                successes_before = self._successes
                try:
                    await self.bot.send_message(
                        chat_id=chat_id,
                        text=text,
                        parse_mode=ParseMode.HTML,
                        link_preview_options=LinkPreviewOptions(is_disabled=True),
                    )
                except RetryAfter as exc:
                    self.stats.rate_limited += 1
                    seconds = _seconds(exc.retry_after)
                    log.warning("Telegram asked to wait %.0f s; pausing every send", seconds)
                    self.pacer.pause(seconds)
                    continue
                except Forbidden:
                    # Blocked by the user or the account is gone: stop writing to it.
                    self.subscriptions.deactivate(chat_id)
                    self.stats.deactivated += 1
                except (BadRequest, ChatMigrated) as exc:
                    if "chat not found" in str(exc).lower():
                        self.subscriptions.deactivate(chat_id)
                        self.stats.deactivated += 1
                    else:
                        # Not retried: the same request would be refused again.
                        self.stats.refused += 1
                        log.warning("notification %d: a send was refused: %s", notification_id, exc)
                except InvalidToken as exc:
                    self._fatal = exc
                    return
                except (NetworkError, TelegramError) as exc:
                    self.stats.network_errors += 1
                    if self._successes > successes_before:
                        specific_failures += 1
                    if specific_failures >= _MAX_SPECIFIC_FAILURES:
                        self.stats.given_up += 1
                        log.warning(
                            "notification %d: gave up on a message after %d failures (%s)",
                            notification_id,
                            specific_failures,
                            type(exc).__name__,
                        )
                    else:
                        pause = self.pacer.outage()
                        log.warning("%s while sending; pausing %.0f s", type(exc).__name__, pause)
                        continue
                else:
                    self._successes += 1
                    self.stats.sent += 1
                    self.pacer.success()
                finally:
                    # Counted from the answer, so that Telegram sees the gap whatever the
                    # network delays (see Pacer).
                    self.pacer.release()
                    self._chat_ready[chat_id] = self._clock() + self.settings.per_chat_interval
                self._mark(notification_id, chat_id)
                return
        finally:
            self._slots.release()

    def _mark(self, notification_id: int, chat_id: int) -> None:
        # A chat that unsubscribed (or was forgotten) meanwhile gets no durable mark: a
        # restart would not write to it anyway, and its id must not be written again.
        try:
            self.outbox.mark(notification_id, chat_id, durable=chat_id in self.subscriptions)
        except (OSError, FactsError) as exc:
            self._fatal = exc

    async def _chat_gate(self, chat_id: int) -> None:
        ready = self._chat_ready.get(chat_id)
        now = self._clock()
        if ready is not None and ready > now:
            await asyncio.sleep(ready - now)
        if len(self._chat_ready) > self._prune_at:
            # Only entries still in the future matter; the rest would only grow.
            now = self._clock()
            self._chat_ready = {c: t for c, t in self._chat_ready.items() if t > now}
            self._prune_at = max(4096, 2 * len(self._chat_ready))


# --- the service the bot holds --------------------------------------------------------------
class Notifier:
    """Subscriptions, the outbox and the worker of one application."""

    def __init__(
        self, data_dir: Path, *, admin_ids: Sequence[int], settings: NotifySettings
    ) -> None:
        self.data_dir = Path(data_dir)
        self.admin_ids = frozenset(admin_ids)
        self.settings = settings
        self._subscriptions: SubscriptionStore | None = None
        self._outbox: Outbox | None = None
        self.worker: DeliveryWorker | None = None
        #: Room kept on the disk so that /forget can rewrite the files when it is full.
        self.reserve = SpaceReserve(self.data_dir / RESERVE_NAME, RESERVE_BYTES)

    @property
    def subscriptions(self) -> SubscriptionStore:
        """The subscriber store (RuntimeError before :meth:`open`)."""
        if self._subscriptions is None:
            raise RuntimeError("subscriptions are not open (post_init has not run)")
        return self._subscriptions

    @property
    def outbox(self) -> Outbox:
        """The outbox (RuntimeError before :meth:`open`)."""
        if self._outbox is None:
            raise RuntimeError("the outbox is not open (post_init has not run)")
        return self._outbox

    def open(self) -> None:
        """Open the stores (idempotent)."""
        if self._subscriptions is None:
            self._subscriptions = SubscriptionStore.open(self.data_dir)
        if self._outbox is None:
            self._outbox = Outbox.open(self.data_dir)
        self.reserve.ensure()

    def start_worker(self, bot: Bot) -> DeliveryWorker:
        """Open the stores and start delivering (idempotent)."""
        self.open()
        if self.worker is None:
            self.worker = DeliveryWorker(bot, self.subscriptions, self.outbox, self.settings)
        self.worker.start()
        return self.worker

    async def stop_worker(self) -> None:
        """Let sends in flight finish and save the progress."""
        if self.worker is not None:
            await self.worker.stop()

    async def close(self) -> None:
        """Stop the worker and close the stores (idempotent)."""
        await self.stop_worker()
        self.worker = None
        if self._outbox is not None:
            self._outbox.close()
            self._outbox = None
        if self._subscriptions is not None:
            self._subscriptions.close()
            self._subscriptions = None

    def is_admin(self, user_id: int | None) -> bool:
        """True for users in ADMIN_IDS."""
        return user_id is not None and user_id in self.admin_ids

    def count_recipients(self, topics: frozenset[SubTopic]) -> int:
        """Active subscribers (immediate or digest) who would get a change with ``topics``."""
        return self.subscriptions.count(topics)

    def announce(self, store: FactStore, fact: Fact, change: Change | ChangeName) -> int:
        """Queue a change (durable) and wake the worker; how many subscribers will get it."""
        item = change_item(store, fact, change)
        self.outbox.enqueue(item)
        if self.worker is not None:
            self.worker.wake()
        return self.count_recipients(item.match)

    def build_digest(self) -> Notification | None:
        """Queue the digest of the changes since the last one (None on an empty day)."""
        notification = self.outbox.build_digest()
        if notification is not None and self.worker is not None:
            self.worker.wake()
        return notification

    def chosen_language(self, chat_id: int) -> str | None:
        """The language the chat chose with /language (None when none, or not open yet)."""
        subscriptions = self._subscriptions
        return None if subscriptions is None else subscriptions.language(chat_id)

    def forget(self, chat_id: int) -> bool:
        """Delete everything about a chat, in memory and in the data files, now.

        On a full disk the rewrite fails; then the space reserve is released and the
        erasure retried (each step can be repeated), and the reserve taken again.
        """
        was = chat_id in self.subscriptions
        try:
            self._erase(chat_id)
        except (FactsError, OSError):
            if not self.reserve.release():
                raise
            self._erase(chat_id)
            self.reserve.ensure()
        return was

    def _erase(self, chat_id: int) -> None:
        self.subscriptions.forget(chat_id)
        self.outbox.forget(chat_id, self.subscriptions.next_id)


# --- for admin previews ---------------------------------------------------------------------
def recipients_notice(
    service: Notifier, store: FactStore, change: Draft, tr: Translator = EN
) -> str:
    """For an admin's preview: how many subscribers will hear of ``change`` once it is
    published ("" for changes they do not hear about, or while the stores are closed)."""
    if change.action not in _ANNOUNCED_ACTIONS:
        return ""
    topics: frozenset[SubTopic] = frozenset()
    if change.fact is not None:
        topics |= fact_topics(change.fact)
    if change.action is not DraftAction.ADD and change.fact_id in store:
        topics |= fact_topics(store.get(change.fact_id))
    try:
        count = service.count_recipients(topics)
    except RuntimeError:  # the stores are not open (post_init has not run)
        return ""
    return tr.plural(PREVIEW_NOTICE, count, count=count)


# --- standalone worker ----------------------------------------------------------------------
async def run_worker(
    settings: Settings, notify_settings: NotifySettings, *, until_idle: bool = False
) -> int:
    """Deliver the outbox with a bare Bot, without the bot application; exit status."""
    bot = Bot(
        settings.bot_token.get_secret_value(),
        base_url=settings.bot_api_base_url or "https://api.telegram.org/bot",
        # A bare Bot has one connection: sends in flight need one each.
        request=JsonRequest(connection_pool_size=notify_settings.max_in_flight + 1),
    )
    service = Notifier(settings.data_dir, admin_ids=settings.admin_ids, settings=notify_settings)
    try:
        service.open()
    except FactsError as exc:  # e.g. the bot itself is running on this DATA_DIR
        log.critical("cannot open the subscriptions: %s", exc)
        await service.close()
        return 2
    worker = DeliveryWorker(bot, service.subscriptions, service.outbox, notify_settings)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, lambda: asyncio.ensure_future(worker.stop()))
    try:
        async with bot:
            await worker.run(until_idle=until_idle)
        return 0
    except WorkerFailed:
        return 1
    finally:
        await service.close()


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bot.notify [--until-idle]``: run the delivery worker on its own."""
    from bot.ops.logs import configure_logging
    from bot.ops.settings import load_settings

    parser = argparse.ArgumentParser(prog="python -m bot.notify", description=main.__doc__)
    parser.add_argument("--until-idle", action="store_true", help="exit when the outbox is empty")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        notify_settings = load_notify_settings()
    except ConfigError as exc:
        print(f"notify: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets=[settings.bot_token.get_secret_value()])
    return asyncio.run(run_worker(settings, notify_settings, until_idle=args.until_idle))


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: one set of classes.
    from bot import notify

    sys.exit(notify.main())
