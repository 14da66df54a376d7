"""/language: the chat's language, chosen with buttons (or ``/language ru``).

Until a chat chooses, replies follow the sender's Telegram ``language_code``. A choice is
the only thing stored (the chat id and a language code, beside the subscriptions, which
/forget wipes); "as in Telegram" removes it. Callback data: ``lang:<code>`` or
``lang:auto``.
"""

from __future__ import annotations

from typing import Any, Final

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot.commands import COMMANDS
from bot.context import BotContext
from bot.i18n import LANGUAGE_IN_TEXT, LANGUAGE_NAMES, LANGUAGES, N_, Translator, language_of
from bot.render import esc

PREFIX: Final = "lang"
AUTO: Final = "auto"

CHOOSE: Final = N_(
    "<b>Language</b>: I reply in {language}. Choose another, or follow your Telegram "
    "language (now {telegram}):\n<i>Only a choice is stored — this chat's id and the "
    "language; /forget deletes it.</i>"
)
FOLLOW_TELEGRAM: Final = N_("As in Telegram")
CHOSEN: Final = N_("✅ I will reply in English from now on. /language changes it.")
FOLLOWING: Final = N_(
    "✅ I follow your Telegram language again (English); nothing about it is stored."
)
UNKNOWN: Final = N_(
    "I don't speak <code>{value}</code>. Choose one: <code>/language en</code>, "
    "<code>/language ru</code>, <code>/language be</code>, or <code>/language auto</code> "
    "to follow Telegram."
)
UNAVAILABLE: Final = N_("The language cannot be changed right now; please try again later.")


def menu(tr: Translator) -> list[BotCommand]:
    """The command menu in ``tr``'s language."""
    return [BotCommand(command, tr.gettext(description)) for command, description in COMMANDS]


def keyboard(tr: Translator, chosen: str | None) -> InlineKeyboardMarkup:
    """A button per language (the chosen one marked) and "as in Telegram"."""
    rows = [
        [
            InlineKeyboardButton(
                f"{'🔘' if lang == chosen else '⚪'} {LANGUAGE_NAMES[lang]}",
                callback_data=f"{PREFIX}:{lang}",
            )
            for lang in LANGUAGES
        ],
        [
            InlineKeyboardButton(
                f"{'🔘' if chosen is None else '⚪'} {tr.gettext(FOLLOW_TELEGRAM)}",
                callback_data=f"{PREFIX}:{AUTO}",
            )
        ],
    ]
    return InlineKeyboardMarkup(rows)


def _menu_text(context: BotContext) -> str:
    tr = context.tr
    telegram = tr.gettext(LANGUAGE_IN_TEXT[language_of(context.language_code)])
    return tr.gettext(CHOOSE, language=esc(LANGUAGE_NAMES[tr.language]), telegram=esc(telegram))


async def _choose(context: BotContext, chat_id: int, value: str) -> str | None:
    """Store the choice (``auto`` removes it); the confirmation in the new language, or None
    when the store is unavailable."""
    language = None if value == AUTO else value
    try:
        context.subscriptions.set_language(chat_id, language)
    except RuntimeError:  # the stores are not open (post_init has not run)
        return None
    tr = context.use_language(language or language_of(context.language_code))
    # The chat's own menu in its language (or Telegram's, per language_code, again).
    try:
        if language is None:
            await context.bot.delete_my_commands(scope=BotCommandScopeChat(chat_id))
        else:
            await context.bot.set_my_commands(menu(tr), scope=BotCommandScopeChat(chat_id))
    except TelegramError:
        pass  # the menu is a convenience: the choice stands without it
    return tr.gettext(FOLLOWING if language is None else CHOSEN)


async def language_command(update: Update, context: BotContext) -> None:
    """/language: buttons to choose; ``/language ru`` (or ``auto``) chooses at once."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return
    value = (context.args or [""])[0].strip().lower()
    if not value:
        await message.reply_text(
            _menu_text(context), reply_markup=keyboard(context.tr, context.chosen_language())
        )
        return
    if value not in (*LANGUAGES, AUTO):
        await message.reply_text(context.tr.gettext(UNKNOWN, value=esc(value[:16])))
        return
    done = await _choose(context, chat.id, value)
    await message.reply_text(done or context.tr.gettext(UNAVAILABLE))


async def language_button(update: Update, context: BotContext) -> None:
    """A language button: store the choice and show it in the chosen language."""
    query = update.callback_query
    chat = update.effective_chat
    if query is None or chat is None or query.data is None:
        return
    done = await _choose(context, chat.id, query.data.partition(":")[2])
    if done is None:
        await query.answer(context.tr.gettext(UNAVAILABLE), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(
            f"{done}\n\n{_menu_text(context)}",
            reply_markup=keyboard(context.tr, context.chosen_language()),
        )


HANDLERS: list[BaseHandler[Update, BotContext, Any]] = [
    CommandHandler("language", language_command, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(
        language_button, pattern=rf"^{PREFIX}:(?:{'|'.join((*LANGUAGES, AUTO))})$"
    ),
]
