"""/start (with the fact_<id> deep link), /help and the reply to unknown commands."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from telegram import MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import admin_texts as at
from bot import texts
from bot.admin_state import Role
from bot.commands import COMMANDS, EXAMPLES
from bot.context import BotContext
from bot.handlers.common import send_blocks
from bot.handlers.fact import show_fact
from bot.i18n import Translator
from bot.render import esc, source_compact

DEEP_LINK_PREFIX = "fact_"


async def start(update: Update, context: BotContext) -> None:
    """/start: what the bot is, its sources and its privacy; /start fact_<id> opens a fact."""
    message = update.effective_message
    if message is None:
        return
    payload = context.args[0] if context.args else ""
    if payload.startswith(DEEP_LINK_PREFIX):
        await show_fact(message, context, payload.removeprefix(DEEP_LINK_PREFIX))
        return
    tr = context.tr
    sources = context.facts.sources()
    lines = [tr.plural(texts.START_SOURCES_HEADER, len(sources), count=len(sources))]
    lines += [f"• {source_compact(s, tr)}" for s in sources]
    lines.append(tr.gettext("/sources gives titles, authors and how each date is known."))
    # The privacy line must stay true: unanswered questions are kept (their text only).
    blocks = [tr.gettext(texts.START), "\n".join(lines), tr.gettext(texts.START_NEXT)]
    await send_blocks(message, [*blocks, tr.gettext(texts.PRIVACY_UNANSWERED_KEPT)])


def _command_lines(entries: Sequence[tuple[str, Sequence[str], str]], tr: Translator) -> list[str]:
    """ "/command — description" with its examples in italics on the next line."""
    lines = []
    for command, examples, description in entries:
        shown = ", ".join(f"<i>{esc(tr.gettext(e))}</i>" for e in examples)
        lines.append(f"/{command} — {esc(tr.gettext(description))}\n    {shown}")
    return lines


def admin_help(context: BotContext, user_id: int | None) -> str | None:
    """The admin commands the user may use (owner-only ones for owners), None for readers."""
    role = context.admin.role(user_id) if user_id is not None else None
    if role is None:
        return None
    entries = [
        (command, [example], description)
        for command, example, description in at.ADMIN_COMMANDS
        if role is Role.OWNER or command not in at.OWNER_COMMANDS
    ]
    tr = context.tr
    role_name = tr.gettext(at.ROLE_NAMES[role.value])
    lines = [tr.gettext(at.ADMIN_HELP_HEADER, role=esc(role_name)), *_command_lines(entries, tr)]
    lines += [tr.gettext(texts.HELP_ADMIN_EXTRA), tr.gettext(at.ADMIN_HELP_FOOTER)]
    return "\n".join(lines)


async def help_command(update: Update, context: BotContext) -> None:
    """/help: every command with an example; admins also see the admin commands."""
    message = update.effective_message
    if message is None:
        return
    tr = context.tr
    menu = [(c, EXAMPLES.get(c, []), d) for c, d in COMMANDS]
    blocks = ["\n".join([tr.gettext(texts.HELP_HEADER), *_command_lines(menu, tr)])]
    in_menu = {c for c, _ in COMMANDS}
    more = [(c, [e], d) for c, e, d in texts.HELP_MORE if c not in in_menu]
    if more:
        blocks.append("\n".join([tr.gettext(texts.HELP_MORE_HEADER), *_command_lines(more, tr)]))
    user = update.effective_user
    # Admin commands are nobody else's business: listed in the admin's private chat only.
    private = message.chat.type == ChatType.PRIVATE
    admin = admin_help(context, user.id if user is not None and private else None)
    if admin is not None:
        blocks.append(admin)
    username = esc(context.bot.username or "factbot")
    blocks.append(tr.gettext(texts.HELP_FOOTER, username=username))
    await send_blocks(message, blocks)


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command no handler took: point to /help (in groups only when addressed to us; in a
    private chat always, even one addressed to another bot: only we can answer there)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    entity = next((e for e in message.entities if e.type == MessageEntity.BOT_COMMAND), None)
    if entity is None or entity.offset != 0:
        return
    command = message.text[: entity.length]
    _, _, addressee = command.partition("@")
    ours = bool(addressee) and addressee.lower() == (context.bot.username or "").lower()
    if message.chat.type != ChatType.PRIVATE and not ours:
        return  # in a group it may be for another bot
    name = command.partition("@")[0].lstrip("/").lower()
    close = difflib.get_close_matches(name, [c for c, _ in COMMANDS], n=1, cutoff=0.7)
    tr = context.tr
    text = tr.gettext(texts.UNKNOWN_COMMAND, command=esc(command[:64]))
    if close:
        text += "\n" + tr.gettext(texts.DID_YOU_MEAN_COMMAND, command=close[0])
    await message.reply_text(text)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("start", start, filters=filters.UpdateType.MESSAGE),
    CommandHandler("help", help_command, filters=filters.UpdateType.MESSAGE),
]

#: Registered after every command handler: it catches what none of them took.
FALLBACK_HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
]
