"""The typed callback context handlers receive: the application's services
(``context.facts``, ``context.admin``, ``context.notifier``, ``context.subscriptions``,
``context.memory``, ``context.page_keys``) and ``context.tr``, the translator of the chat's
language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, Job, JobQueue

from bot.i18n import Translator, language_of, translator

if TYPE_CHECKING:
    from bot.admin_state import AdminState
    from bot.memory import ChatMemory, PageKeys
    from bot.notify import Notifier
    from bot.services import Services
    from facts.store import FactStore
    from facts.subscriptions import SubscriptionStore


class BotData:
    """Application-wide data: the services, set once by ``build_application``."""

    __slots__ = ("services",)

    def __init__(self) -> None:
        self.services: Services | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with typed access to the services and the chat's translator."""

    #: The sender's Telegram language_code (None for jobs and updates without a user).
    language_code: str | None = None
    #: The chat of the update, or the job's chat (None when there is none); recorded here
    #: because PTB keeps its own copy private.
    chat_id: int | None = None
    #: For an update without a chat (an inline query): the sender's id, which is the id of
    #: their private chat with the bot, whose chosen language is theirs.
    sender_chat_id: int | None = None
    _translator: Translator | None = None

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, BotContext, Any, Any, Any, Any]
    ) -> BotContext:
        context = super().from_update(update, application)
        if isinstance(update, Update):
            if update.effective_user is not None:
                context.language_code = update.effective_user.language_code
            if update.effective_chat is not None:
                context.chat_id = update.effective_chat.id
            elif update.effective_user is not None:
                context.sender_chat_id = update.effective_user.id
        return context

    @classmethod
    def from_job(
        cls, job: Job[BotContext], application: Application[Any, BotContext, Any, Any, Any, Any]
    ) -> BotContext:
        context = super().from_job(job, application)
        context.chat_id = job.chat_id
        return context

    @property
    def services(self) -> Services:
        """Every service of the application (see :mod:`bot.services`)."""
        services = self.bot_data.services
        if services is None:  # pragma: no cover - build_application always sets them
            raise RuntimeError("the application was built without its services")
        return services

    @property
    def facts(self) -> FactStore:
        """The fact store."""
        return self.services.facts

    @property
    def admin(self) -> AdminState:
        """Owners, editors and previews waiting (the admin service)."""
        return self.services.admin

    @property
    def notifier(self) -> Notifier:
        """Subscriptions, the outbox and the delivery worker."""
        return self.services.notifier

    @property
    def subscriptions(self) -> SubscriptionStore:
        """The subscriber store (RuntimeError before post_init opened it)."""
        return self.services.notifier.subscriptions

    @property
    def memory(self) -> ChatMemory:
        """Each chat's previous question, for follow-ups (memory only)."""
        return self.services.memory

    @property
    def page_keys(self) -> PageKeys:
        """Page keys too long for a button (memory only)."""
        return self.services.page_keys

    @property
    def language(self) -> str:
        """The chat's language: chosen with /language, else the sender's Telegram language
        (be → Belarusian, ru → Russian, anything else → English)."""
        return self.tr.language

    @property
    def tr(self) -> Translator:
        """The translator every reply to this update is written with."""
        if self._translator is None:
            self._translator = translator(self.chosen_language() or language_of(self.language_code))
        return self._translator

    def chosen_language(self) -> str | None:
        """The language this chat chose with /language (None when it chose none); for an
        update without a chat, the one the sender chose in their private chat."""
        services = self.bot_data.services
        chat_id = self.chat_id if self.chat_id is not None else self.sender_chat_id
        if services is None or chat_id is None:
            return None
        # Chosen languages live beside the subscriptions (/forget wipes both).
        return services.notifier.chosen_language(chat_id)

    def use_language(self, language: str) -> Translator:
        """Reply in ``language`` from now on in this update (after /language)."""
        self._translator = translator(language)
        return self._translator


#: Any application (the fake Bot API's echo bot, benchmarks, hooks that work on any bot).
AnyApplication = Application[Any, Any, Any, Any, Any, Any]

# PTB's builder types the job queue with the default context even after context_types().
BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]
]


def services_of(application: AnyApplication) -> Services:
    """The services ``application`` was built with (for tools and tests)."""
    services: Services | None = application.bot_data.services
    if services is None:
        raise RuntimeError("the application was built without its services")
    return services
