"""/search <words>: ranked matches with buttons that open each fact."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import MAX_INPUT, args_text, send_blocks, sources_by_id
from bot.render import esc, numbered, shorten

RESULTS = 10


async def search(update: Update, context: BotContext) -> None:
    """/search <words>: the best-matching current facts, numbered, with open buttons."""
    message = update.effective_message
    if message is None:
        return
    query = args_text(context)
    if not query:
        await message.reply_text(texts.SEARCH_USAGE)
        return
    if len(query) > MAX_INPUT:
        await message.reply_text(texts.QUERY_TOO_LONG.format(limit=MAX_INPUT))
        return
    hits = [h for h in context.facts.search(query, limit=RESULTS) if h.fact.is_current]
    shown = esc(shorten(query, 80))
    if not hits:
        await message.reply_text(texts.SEARCH_NONE.format(query=shown))
        return
    facts = [h.fact for h in hits]
    blocks = [
        texts.SEARCH_HEADER.format(query=shown),
        *numbered(facts, sources_by_id(context.facts)),
    ]
    await send_blocks(message, blocks, reply_markup=keyboards.numbered_fact_buttons(facts))


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("search", search, filters=filters.UpdateType.MESSAGE),
]
