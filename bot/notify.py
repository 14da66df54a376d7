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

Delivery is :mod:`bot.delivery` (the worker, at Telegram's pace); what subscribers read,
:mod:`bot.notice_texts`.

Runs inside the bot (the :class:`Notifier` is one of the application's services,
``context.notifier``, started in its post_init, stopped in post_stop and closed in
post_shutdown; see :mod:`bot.services`) or on its own: ``python -m bot.notify
[--until-idle]`` with the bot's environment (it cannot run beside the bot: the stores
are locked).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Final

from telegram import Bot

from bot.delivery import DeliveryWorker, WorkerFailed
from bot.i18n import NP_, Translator
from bot.notice_texts import ChangeName, change_item
from bot.ops.settings import ConfigError, NotifySettings, Settings
from bot.render import (
    EN,
)
from bot.transport import JsonRequest
from facts.admin_store import Draft, DraftAction
from facts.errors import FactsError
from facts.model import Fact
from facts.notifications import Change, Notification
from facts.outbox import Outbox
from facts.storage import SpaceReserve
from facts.store import FactStore
from facts.subscribers import SubTopic, fact_topics
from facts.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)

#: The space reserve kept beside the subscriber files (see Notifier.forget), and its size:
#: room for a snapshot of the subscribers and one of the outbox at ~100,000 subscribers.
RESERVE_NAME = "forget.reserve"
RESERVE_BYTES = 4 * 1024 * 1024

PREVIEW_NOTICE: Final = NP_(
    "🔔 Once published, {count} subscriber will be notified.",
    "🔔 Once published, {count} subscribers will be notified.",
)


#: The admin changes subscribers hear about (edits and reverts are corrections, not news).
_ANNOUNCED_ACTIONS: Final = frozenset({DraftAction.ADD, DraftAction.SUPERSEDE, DraftAction.RETRACT})


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
            try:
                released = self.reserve.release()
            except OSError:  # a read-only disk: no room to make, the erasure cannot be written
                released = False
            if not released:
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
async def run_worker(settings: Settings, *, until_idle: bool = False) -> int:
    """Deliver the outbox with a bare Bot, without the bot application; exit status."""
    notify_settings = settings.notify
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
    except ConfigError as exc:
        print(f"notify: {exc}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, secrets=[settings.bot_token.get_secret_value()])
    return asyncio.run(run_worker(settings, until_idle=args.until_idle))


if __name__ == "__main__":
    # Run the imported module's main, not this __main__ copy: one set of classes.
    from bot import notify

    sys.exit(notify.main())
