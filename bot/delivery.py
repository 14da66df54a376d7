"""The delivery worker: queued notifications sent to subscribers at Telegram's pace.

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
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

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

from bot.i18n import DEFAULT_LANGUAGE, translator
from bot.notice_texts import digest_text
from bot.ops.settings import NotifySettings
from bot.pacer import Pacer
from facts.errors import FactsError
from facts.notifications import Notification, NotificationKind
from facts.outbox import Outbox, rebase
from facts.subscribers import Subscriber, SubTopic
from facts.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)


#: A message failing this often while other sends succeed is given up on.
_MAX_SPECIFIC_FAILURES: Final = 5
#: After a failure the worker starts over after this long, doubling up to the maximum.
_RESTART_DELAY: Final = 30.0
_MAX_RESTART_DELAY: Final = 600.0
#: Subscribers read per page during a pass.
_PAGE: Final = 512


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
