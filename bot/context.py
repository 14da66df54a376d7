"""The typed callback context handlers receive: ``context.facts`` is the fact store and
``context.tr`` the translator of the chat's language."""

from __future__ import annotations

from typing import Any, Protocol

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.i18n import Translator, language_of, translator
from bot.memory import ChatMemory
from facts.store import FactStore


class LanguageChoices(Protocol):
    """Where a chat's chosen language is kept (the subscription store, via the notifier)."""

    def chosen_language(self, chat_id: int) -> str | None:
        """The language the chat chose with /language, or None."""


class BotData:
    """Application-wide state: the fact store and where chosen languages are kept, set once
    by ``build_application``."""

    __slots__ = ("languages", "memory", "store")

    def __init__(self) -> None:
        self.store: FactStore | None = None
        self.languages: LanguageChoices | None = None
        #: Each chat's previous question, in memory only (follow-ups).
        self.memory = ChatMemory()


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with typed access to the fact store and the chat's translator."""

    #: The sender's Telegram language_code (None for jobs and updates without a user).
    language_code: str | None = None
    _translator: Translator | None = None

    @classmethod
    def from_update(
        cls, update: object, application: Application[Any, BotContext, Any, Any, Any, Any]
    ) -> BotContext:
        context = super().from_update(update, application)
        if isinstance(update, Update) and update.effective_user is not None:
            context.language_code = update.effective_user.language_code
        return context

    @property
    def facts(self) -> FactStore:
        """The fact store the application was built with."""
        store = self.bot_data.store
        if store is None:  # pragma: no cover - build_application always sets it
            raise RuntimeError("the application was built without a fact store")
        return store

    @property
    def memory(self) -> ChatMemory:
        """Each chat's previous question, for follow-ups (memory only)."""
        return self.bot_data.memory

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
        """The language this chat chose with /language (None when it chose none)."""
        languages = self.bot_data.languages
        if languages is None or self._chat_id is None:
            return None
        return languages.chosen_language(self._chat_id)

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
