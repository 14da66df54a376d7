"""The admin dialogues (/add, /edit and /supersede, /import) as one conversation per
admin: where each keeps its session, /cancel, the timeout, and a check on every step that
the sender is still an admin."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any, Generic, TypeVar

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import admin_texts as at
from bot.context import BotContext
from bot.handlers.admin_auth import Press, pressed
from bot.handlers.admin_core import drop_keyboard
from bot.i18n import Translator

log = logging.getLogger(__name__)


AnyHandler = BaseHandler[Update, BotContext, Any]
#: An unfinished conversation is dropped after this long without an answer.
CONVERSATION_TIMEOUT = timedelta(minutes=15)
#: user_data keys of the conversations' sessions (one module each).
SESSION_KEYS = ("admin_add", "admin_edit", "admin_import")
#: The commands that start each dialogue again (said when its session is gone).
_RESTART = {"admin_add": "/add", "admin_edit": "/edit or /supersede", "admin_import": "/import"}


def end_sessions(context: BotContext) -> int:
    """Forget every conversation session of this admin; ConversationHandler.END."""
    if context.user_data is not None:
        for key in SESSION_KEYS:
            context.user_data.pop(key, None)
    return ConversationHandler.END


_Session = TypeVar("_Session")


class SessionSlot(Generic[_Session]):
    """Where one dialogue keeps its session in ``user_data`` (a key of SESSION_KEYS)."""

    def __init__(self, key: str, kind: type[_Session]) -> None:
        """``kind`` is the session's class; anything else under ``key`` is no session."""
        assert key in SESSION_KEYS
        self.key = key
        self.kind = kind

    def get(self, context: BotContext) -> _Session | None:
        """This dialogue's session, None when it is not running."""
        session = (context.user_data or {}).get(self.key)
        return session if isinstance(session, self.kind) else None

    def start(self, context: BotContext, session: _Session) -> None:
        """End every dialogue of this admin, then keep ``session``."""
        end_sessions(context)
        assert context.user_data is not None
        context.user_data[self.key] = session

    async def typed(
        self, update: Update, context: BotContext
    ) -> tuple[Message, str, _Session] | None:
        """A text message (answer or command) inside this running dialogue, else None.

        When the session is gone while the conversation still waits (user_data cleared, as
        by /forget), the admin is told the dialogue has ended; the caller ends it.
        """
        message = update.message
        if message is None or message.text is None:
            return None
        session = self.get(context)
        if session is None:
            await message.reply_text(self._ended(tr=context.tr), do_quote=False)
            return None
        return message, message.text, session

    async def press(self, update: Update, context: BotContext) -> tuple[Press, _Session] | None:
        """An allowed press inside this running dialogue, answered; None when either is
        missing (a press whose session is gone is answered, and the admin told so)."""
        press = await pressed(update, context)
        if press is None:
            return None
        session = self.get(context)
        if session is None:
            await press.query.answer(context.tr.gettext(at.DIALOGUE_ENDED_SHORT))
            await drop_keyboard(press.message)
            await press.message.reply_text(self._ended(tr=context.tr), do_quote=False)
            return None
        await press.query.answer()
        return press, session

    def _ended(self, *, tr: Translator) -> str:
        return tr.gettext(at.DIALOGUE_ENDED, command=_RESTART[self.key])


async def cancel_conversation(update: Update, context: BotContext) -> int:
    """/cancel inside a conversation: nothing is saved."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr.gettext(at.CANCELLED), do_quote=False)
    return end_sessions(context)


async def conversation_timed_out(update: object, context: BotContext) -> None:
    """The TIMEOUT state: tell the admin that nothing was saved."""
    end_sessions(context)
    if isinstance(update, Update) and update.effective_chat is not None:
        minutes = max(1, round(CONVERSATION_TIMEOUT.total_seconds() / 60))
        await context.bot.send_message(
            update.effective_chat.id, context.tr.gettext(at.TIMED_OUT, minutes=minutes)
        )


def _while_admin(
    callback: Callable[[Update, BotContext], Coroutine[Any, Any, Any]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, Any]]:
    """``callback``, run only while the sender still has a role; else the dialogue ends."""
    if getattr(callback, "checks_role", False):
        return callback

    async def run(update: Update, context: BotContext) -> Any:
        user = update.effective_user
        if user is None or context.admin.role(user.id) is not None:
            return await callback(update, context)
        log.warning("admin: user %s is no longer an admin; their dialogue ended", user.id)
        end_sessions(context)
        refusal = context.tr.gettext(at.REFUSED)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(refusal)
        return ConversationHandler.END

    run.checks_role = True  # type: ignore[attr-defined]
    run.__name__ = getattr(callback, "__name__", "step")
    return run


def conversation(
    *,
    name: str,
    entry_points: list[AnyHandler],
    states: dict[object, list[AnyHandler]],
) -> ConversationHandler[BotContext]:
    """One conversation for all admin dialogues (so that starting one ends any other), per
    admin (chat and user), re-enterable, with /cancel and a timeout.

    Every step checks again that the sender is still an admin: one revoked mid-dialogue
    has the dialogue ended there, with a refusal, instead of getting another preview.
    """
    for handlers in states.values():
        for handler in handlers:
            handler.callback = _while_admin(handler.callback)
    states = {
        **states,
        ConversationHandler.TIMEOUT: [TypeHandler(Update, conversation_timed_out)],
    }
    fallbacks: list[AnyHandler] = [
        CommandHandler("cancel", cancel_conversation, filters=filters.UpdateType.MESSAGE)
    ]
    with warnings.catch_warnings():
        # PTB warns that callback buttons are tracked per chat and user, not per message:
        # that is the intent (one conversation per admin); stale buttons are caught by a
        # catch-all handler that says they expired.
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            allow_reentry=True,
            conversation_timeout=CONVERSATION_TIMEOUT,
            name=name,
        )
