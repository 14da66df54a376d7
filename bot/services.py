"""Every service one application runs on, in one typed container.

Built once in the wiring (:func:`bot.app.build_application` is handed a :class:`Services`)
and reached by handlers through the typed context only: ``context.facts``,
``context.admin``, ``context.notifier``, ``context.subscriptions``, ``context.memory``,
``context.page_keys``. The wiring opens them in the application's one post_init
(:meth:`Services.start`), stops delivery in its post_stop (:meth:`Services.stop`) and
closes them in its post_shutdown (:meth:`Services.close`); no handler opens anything.

The fact store is the exception that proves the rule: it is opened before the
application is built (a base that cannot be read stops start-up before anything talks to
Telegram) and closed by whoever opened it, after the application is gone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot

from bot.admin_state import AdminState
from bot.memory import ChatMemory, PageKeys
from bot.notify import Notifier
from bot.ops.settings import Settings
from facts.store import FactStore
from facts.subscriptions import SubscriptionStore

log = logging.getLogger(__name__)


@dataclass(slots=True)
class Services:
    """The fact store, the admin service, subscriptions with the outbox and its worker, and
    what the bot holds in memory only — one set per application."""

    settings: Settings
    #: The fact base (opened and closed by the caller; see the module docstring).
    facts: FactStore
    #: Owners, editors (the admin store), previews waiting for Confirm.
    admin: AdminState
    #: Subscriptions, the outbox, the delivery worker, chosen languages.
    notifier: Notifier
    #: Each chat's previous question, for follow-ups.
    memory: ChatMemory
    #: Page keys too long for a button.
    page_keys: PageKeys

    @classmethod
    def create(cls, settings: Settings, facts: FactStore) -> Services:
        """The services of one application on ``facts`` and ``settings.data_dir`` (the
        delivery worker paced by ``settings.notify``); nothing is opened yet (see
        :meth:`start`)."""
        return cls(
            settings=settings,
            facts=facts,
            admin=AdminState(
                owners=frozenset(settings.admin_ids),
                data_dir=Path(settings.data_dir),
                review_mode=settings.review_mode,
            ),
            notifier=Notifier(
                settings.data_dir,
                admin_ids=settings.admin_ids,
                settings=settings.notify,
            ),
            memory=ChatMemory(),
            page_keys=PageKeys(),
        )

    @property
    def subscriptions(self) -> SubscriptionStore:
        """The subscriber store (RuntimeError before :meth:`start`)."""
        return self.notifier.subscriptions

    async def start(self, bot: Bot) -> None:
        """post_init: open the subscriptions and the outbox, start delivering, open the
        admin store (a failure there disables admin commands only)."""
        self.notifier.start_worker(bot)
        self.admin.open()

    async def stop(self) -> None:
        """post_stop: let the worker finish its sends in flight (the bot is still connected)."""
        await self.notifier.stop_worker()

    async def close(self) -> None:
        """post_shutdown: stop the worker if still running, close every store opened in
        :meth:`start` (idempotent)."""
        try:
            await self.notifier.close()
        finally:
            self.admin.close()
