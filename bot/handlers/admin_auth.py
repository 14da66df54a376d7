"""Who may run an admin command or press an admin button, checked on every update.

Authorisation is by ``effective_user.id`` only, in private chats only, on new messages only
(handlers use ``filters.UpdateType.MESSAGE``, so edits never reach them), never from a
forwarded or automatically forwarded message. Owners are the configured ``ADMIN_IDS``;
editors are granted by owners and kept in the admin store (``context.admin``). Every
refusal is logged with the user id and the command, nothing else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatType
from telegram.ext import (
    ConversationHandler,
)

from bot import admin_texts as at
from bot.admin_state import AdminState, Role
from bot.context import BotContext

log = logging.getLogger(__name__)


async def authorize(
    update: Update, context: BotContext, command: str, *, owners_only: bool = False
) -> tuple[AdminState, Role] | None:
    """The admin state and the sender's role when they may run ``command`` here; otherwise
    reply a plain refusal, log it (user id and command only) and return None."""
    message = update.message
    user = update.effective_user
    if message is None or user is None:
        # Edited messages, channel posts and the like: no one to answer, nothing to do.
        log.warning("admin: refused %s from a non-message update", command)
        return None
    state = context.admin
    refusal: str | None = None
    if message.chat.type != ChatType.PRIVATE:
        refusal = context.tr.gettext(at.REFUSED_NOT_PRIVATE)
    elif message.forward_origin is not None or message.is_automatic_forward:
        refusal = context.tr.gettext(at.REFUSED_FORWARDED)
    elif message.sender_chat is not None or user.is_bot:
        refusal = context.tr.gettext(at.REFUSED)
    role = None if refusal is not None else state.role(user.id)
    if refusal is None and role is None:
        refusal = context.tr.gettext(at.REFUSED)
    if refusal is None and owners_only and role is not Role.OWNER:
        refusal = context.tr.gettext(at.REFUSED_OWNERS_ONLY)
    if refusal is not None or role is None:
        log.warning("admin: refused %s from user %s", command, user.id)
        await message.reply_text(refusal or context.tr.gettext(at.REFUSED), do_quote=False)
        return None
    if not state.available:
        await message.reply_text(context.tr.gettext(at.UNAVAILABLE), do_quote=False)
        return None
    return state, role


async def authorize_press(
    update: Update, context: BotContext, *, owners_only: bool = False
) -> tuple[AdminState, Role, Message] | None:
    """Like :func:`authorize`, for a callback button: checks who pressed it and where."""
    query = update.callback_query
    if query is None:
        return None
    state = context.admin
    message = query.message if isinstance(query.message, Message) else None
    role = state.role(query.from_user.id)
    allowed = (
        message is not None
        and message.chat.type == ChatType.PRIVATE
        and role is not None
        and (role is Role.OWNER or not owners_only)
    )
    if not allowed or role is None or message is None:
        log.warning(
            "admin: refused button %s from user %s", _button_kind(query.data), query.from_user.id
        )
        await query.answer(context.tr.gettext(at.REFUSED_BUTTON), show_alert=True)
        return None
    if not state.available:
        await query.answer(context.tr.gettext(at.UNAVAILABLE_SHORT), show_alert=True)
        return None
    return state, role, message


def _button_kind(data: str | None) -> str:
    # The button's prefix only: tokens and ids are no business of the log.
    return ":".join((data or "").split(":")[:2])


@dataclass(frozen=True, slots=True)
class Press:
    """A button press :func:`authorize_press` let through."""

    state: AdminState
    role: Role
    #: The bot message the button is under.
    message: Message
    query: CallbackQuery
    #: The callback data before its last colon: which button.
    prefix: str
    #: The callback data after its last colon: a token, an id or a number.
    arg: str


async def pressed(update: Update, context: BotContext) -> Press | None:
    """The press when its presser may use it (see :func:`authorize_press`), else None."""
    allowed = await authorize_press(update, context)
    query = update.callback_query
    if allowed is None or query is None or query.data is None:
        return None
    state, role, message = allowed
    prefix, arg = query.data.rsplit(":", 1)
    return Press(state, role, message, query, prefix, arg)


AdminHandler = Callable[[Update, BotContext, AdminState, Role, Message], Coroutine[Any, Any, Any]]


def admin_command(
    command: str, *, owners_only: bool = False
) -> Callable[[AdminHandler], Callable[[Update, BotContext], Coroutine[Any, Any, Any]]]:
    """Wrap a handler so it runs only for authorised senders (see :func:`authorize`).

    A refused entry point of a conversation returns None: no conversation starts.
    """

    def wrap(
        handler: Callable[
            [Update, BotContext, AdminState, Role, Message], Coroutine[Any, Any, Any]
        ],
    ) -> Callable[[Update, BotContext], Coroutine[Any, Any, Any]]:
        async def run(update: Update, context: BotContext) -> Any:
            allowed = await authorize(update, context, command, owners_only=owners_only)
            if allowed is None:
                # No conversation starts; plain handlers ignore the value.
                return ConversationHandler.END
            state, role = allowed
            assert update.message is not None
            return await handler(update, context, state, role, update.message)

        run.__name__ = handler.__name__
        run.__doc__ = handler.__doc__
        return run

    return wrap
