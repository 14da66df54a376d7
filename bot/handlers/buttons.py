"""Buttons nobody offered: callback data that is empty, carries control characters, or
matches no handler (a forged press, or a button from an older version of the bot).

Telegram clients send whatever callback data they like (up to 64 bytes) and keep spinning
until the query is answered, so each of these gets a short alert and nothing else.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler

from bot import texts
from bot.context import BotContext

log = logging.getLogger(__name__)


def unusable(data: object) -> bool:
    """True for callback data no button of this bot carries (control characters)."""
    return not isinstance(data, str) or any(ch < " " or ch == "\x7f" for ch in data)


async def refuse_button(update: Update, context: BotContext) -> None:
    """Answer a press that no handler may see, and stop it there."""
    query = update.callback_query
    if query is not None:
        await query.answer(context.tr.gettext(texts.PAGE_EXPIRED), show_alert=True)
    raise ApplicationHandlerStop


async def unknown_button(update: Update, context: BotContext) -> None:
    """Answer a press that no handler took, so that the client stops waiting."""
    query = update.callback_query
    if query is not None:
        log.info("update %s: a button no handler takes", update.update_id)
        await query.answer(context.tr.gettext(texts.PAGE_EXPIRED), show_alert=True)


#: Before every other handler (group -1). PTB's CallbackQueryHandler hands empty data to
#: every handler with a pattern, so this one takes it (and control characters) first.
GUARD_HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CallbackQueryHandler(refuse_button, pattern=unusable),
]

#: After every other handler of the default group: whatever none of them took.
FALLBACK_HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CallbackQueryHandler(unknown_button),
]
