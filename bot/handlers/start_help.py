"""/start (with the fact_<id> deep link), /help and the reply to unknown commands."""

from __future__ import annotations

import difflib

from telegram import MessageEntity, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.commands import COMMANDS, EXAMPLES
from bot.context import BotContext
from bot.handlers import admin_core
from bot.handlers.common import send_blocks
from bot.handlers.fact import show_fact
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
    sources = context.facts.sources()
    lines = [texts.START_SOURCES_HEADER.format(count=len(sources))]
    lines += [f"• {source_compact(s)}" for s in sources]
    lines.append("/sources gives titles, authors and how each date is known.")
    # The privacy line must stay true: say so when unanswered questions are being kept.
    privacy = (
        texts.PRIVACY if admin_core.state_of(context) is None else texts.PRIVACY_UNANSWERED_KEPT
    )
    await send_blocks(message, [texts.START, "\n".join(lines), texts.START_NEXT, privacy])


async def help_command(update: Update, context: BotContext) -> None:
    """/help: every command with an example."""
    message = update.effective_message
    if message is None:
        return
    lines = [texts.HELP_HEADER]
    for command, description in COMMANDS:
        examples = ", ".join(f"<i>{esc(e)}</i>" for e in EXAMPLES.get(command, []))
        lines.append(f"/{command} — {esc(description)}\n    {examples}")
    username = esc(context.bot.username or "factbot")
    await send_blocks(message, ["\n".join(lines), texts.HELP_FOOTER.format(username=username)])


async def unknown_command(update: Update, context: BotContext) -> None:
    """A command no handler took: point to /help (in groups only when addressed to us)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    entity = next((e for e in message.entities if e.type == MessageEntity.BOT_COMMAND), None)
    if entity is None or entity.offset != 0:
        return
    command = message.text[: entity.length]
    _, _, addressee = command.partition("@")
    if addressee and addressee.lower() != (context.bot.username or "").lower():
        return  # another bot's command
    if message.chat.type != ChatType.PRIVATE and not addressee:
        return  # an unaddressed command in a group may be for another bot
    name = command.partition("@")[0].lstrip("/").lower()
    close = difflib.get_close_matches(name, [c for c, _ in COMMANDS], n=1, cutoff=0.7)
    text = texts.UNKNOWN_COMMAND.format(command=esc(command[:64]))
    if close:
        text += "\n" + texts.DID_YOU_MEAN_COMMAND.format(command=close[0])
    await message.reply_text(text)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("start", start, filters=filters.UpdateType.MESSAGE),
    CommandHandler("help", help_command, filters=filters.UpdateType.MESSAGE),
]

#: Registered after every command handler: it catches what none of them took.
FALLBACK_HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
]
