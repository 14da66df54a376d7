"""/sources: the source documents, with how each date is known."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers.common import per_version, send_blocks
from bot.render import source_block
from facts.store import FactStore


async def sources(update: Update, context: BotContext) -> None:
    """/sources: title, outlet, author, date and date basis of every source document."""
    message = update.effective_message
    if message is None:
        return
    blocks = per_version(context.facts, "sources", lambda: _blocks(context.facts))
    if not blocks:
        await message.reply_text(texts.SOURCES_NONE)
        return
    await send_blocks(message, blocks)


def _blocks(store: FactStore) -> list[str]:
    """The /sources reply (empty when there are no sources)."""
    documents = store.sources()
    if not documents:
        return []
    blocks = [texts.SOURCES_HEADER.format(count=len(documents))]
    blocks += [source_block(s, number=n) for n, s in enumerate(documents, start=1)]
    return blocks


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("sources", sources, filters=filters.UpdateType.MESSAGE),
]
