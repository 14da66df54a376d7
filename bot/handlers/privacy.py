"""/forget (everything about the chat deleted at once, after a confirm button) and /privacy
(what the bot stores). Callback data: ``forget:yes`` / ``forget:no`` answer the /forget
question."""

from __future__ import annotations

import contextlib
from typing import Any, Final

from telegram import (
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers.subscriptions import private_chat
from bot.i18n import N_, language_of

_MESSAGE = filters.UpdateType.MESSAGE
FORGET_ASK: Final = N_(
    "Delete everything this bot keeps about this chat — your subscription and its delivery "
    "records, the language you chose with /language, and the last question kept for "
    "follow-ups — from memory and from the data files, now? This cannot be undone."
)
FORGET_YES: Final = N_("Yes, delete everything")
FORGET_NO: Final = N_("Cancel")
FORGET_DONE: Final = N_(
    "🗑 Done. The bot keeps nothing about this chat any more. Messages already in this "
    "chat are Telegram's: delete the chat to remove them."
)
FORGET_CANCELLED: Final = N_("Nothing was deleted.")
PRIVACY: Final = N_(
    "🔒 <b>Privacy</b>\n"
    "• Without a subscription, nothing about you is stored. Questions the bot cannot "
    "answer are counted by their text only, never with who asked. Recent questions and "
    "search words are also held in memory, never with who asked and never on disk, to "
    "answer repeats quickly and to turn the pages of a list; a restart clears them.\n"
    '• So that a follow-up ("and in 2020?", "source?") can be understood, this chat\'s '
    "last question is held in memory for 10 minutes — never on disk; /forget or a "
    "restart drops it.\n"
    "• With a subscription: this chat's id and the topics you chose, the delivery mode "
    "and whether delivery works. No name, username, phone number or message "
    "text; not even when you subscribed. While a notification is being sent, the outbox "
    "notes which chats already got it, so that nobody gets it twice.\n"
    "• A language, only if you chose one with /language or subscribed in Russian or "
    "Belarusian (so that notifications come in it): this chat's id and the language code. "
    "Otherwise replies follow your Telegram language, which is not stored.\n"
    "• /unsubscribe stops notifications; /forget deletes this chat's id from memory and "
    "from the data files at once, with its subscription and language.\n"
    "• Telegram itself sees every message sent to or by any bot. Messages in this chat "
    "stay until you delete them."
)
FORGET_PREFIX = "forget"


async def forget(update: Update, context: BotContext) -> None:
    """/forget: ask before deleting everything about this chat."""
    private = await private_chat(update, context)
    if private is None:
        return
    message, _ = private
    buttons = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    context.tr.gettext(FORGET_YES), callback_data=f"{FORGET_PREFIX}:yes"
                ),
                InlineKeyboardButton(
                    context.tr.gettext(FORGET_NO), callback_data=f"{FORGET_PREFIX}:no"
                ),
            ]
        ]
    )
    await message.reply_text(context.tr.gettext(FORGET_ASK), reply_markup=buttons)


async def forget_button(update: Update, context: BotContext) -> None:
    """The answer to /forget: delete everything now, or nothing."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    if query.data == f"{FORGET_PREFIX}:yes":
        # The confirmation is in the language the question was asked in, chosen or not.
        tr = context.tr
        context.notifier.forget(chat.id)
        context.memory.forget(chat.id)
        # PTB's in-memory per-chat and per-user dicts (never persisted here) go too.
        context.application.drop_chat_data(chat.id)
        if query.from_user is not None:
            context.application.drop_user_data(query.from_user.id)
        text = tr.gettext(FORGET_DONE)
        # The chosen language went too: what follows is in Telegram's language again.
        context.use_language(language_of(context.language_code))
        # A chat menu is Telegram's; the language choice is gone from our files anyway.
        with contextlib.suppress(TelegramError):
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat.id))
    else:
        text = context.tr.gettext(FORGET_CANCELLED)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(text)


async def privacy(update: Update, context: BotContext) -> None:
    """/privacy: what the bot stores, and how to delete it."""
    message = update.effective_message
    if message is not None:
        tr = context.tr
        await message.reply_text(f"{tr.gettext(PRIVACY)}\n{tr.gettext(texts.PRIVACY_CHECK)}")


def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """The handlers, in order."""
    return [
        CommandHandler("forget", forget, filters=_MESSAGE),
        CommandHandler("privacy", privacy, filters=_MESSAGE),
        CallbackQueryHandler(forget_button, pattern=rf"^{FORGET_PREFIX}:(?:yes|no)$"),
    ]
