"""/search <words>: ranked matches with buttons that open each fact."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import MAX_INPUT, args_text, per_version, send_blocks, sources_by_id
from bot.render import esc, numbered, shorten
from facts.store import FactStore

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
    shown = esc(shorten(query, 80))
    reply = per_version(context.facts, ("search", query), lambda: _reply(context.facts, query))
    if reply is None:
        await message.reply_text(texts.SEARCH_NONE.format(query=shown))
        return
    blocks, markup = reply
    await send_blocks(message, blocks, reply_markup=markup)


def _reply(store: FactStore, query: str) -> tuple[list[str], InlineKeyboardMarkup] | None:
    """The /search reply's blocks and buttons; None when nothing matches."""
    hits = [h for h in store.search(query, limit=RESULTS) if h.fact.is_current]
    if not hits:
        return None
    facts = [h.fact for h in hits]
    blocks = [
        texts.SEARCH_HEADER.format(query=esc(shorten(query, 80))),
        *numbered(facts, sources_by_id(store)),
    ]
    return blocks, keyboards.numbered_fact_buttons(facts)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("search", search, filters=filters.UpdateType.MESSAGE),
]
