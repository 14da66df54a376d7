"""The typed callback context handlers receive: ``context.facts`` is the fact store."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from facts.store import FactStore


class BotData:
    """Application-wide state: the fact store, set once by ``build_application``."""

    __slots__ = ("store",)

    def __init__(self) -> None:
        self.store: FactStore | None = None


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """Callback context with typed access to the fact store."""

    @property
    def facts(self) -> FactStore:
        """The fact store the application was built with."""
        store = self.bot_data.store
        if store is None:  # pragma: no cover - build_application always sets it
            raise RuntimeError("the application was built without a fact store")
        return store


# PTB's builder types the job queue with the default context even after context_types().
BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Any]
]
