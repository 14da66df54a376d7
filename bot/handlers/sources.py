"""/sources: the source documents, with how each date is known."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.cards import source_block
from bot.context import BotContext
from bot.handlers.common import send_blocks
from bot.i18n import Translator
from facts.store import FactStore


async def sources(update: Update, context: BotContext) -> None:
    """/sources: title, outlet, author, date and date basis of every source document."""
    message = update.effective_message
    if message is None:
        return
    tr = context.tr
    blocks = context.facts.per_version(("sources", tr.language), lambda: _blocks(context.facts, tr))
    if not blocks:
        await message.reply_text(tr.gettext(texts.SOURCES_NONE))
        return
    await send_blocks(message, blocks, cache=context.facts)


def _blocks(store: FactStore, tr: Translator) -> list[str]:
    """The /sources reply (empty when there are no sources)."""
    documents = store.sources()
    if not documents:
        return []
    blocks = [tr.gettext(texts.SOURCES_HEADER, count=len(documents))]
    blocks += [source_block(s, number=n, tr=tr) for n, s in enumerate(documents, start=1)]
    return blocks


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("sources", sources, filters=filters.UpdateType.MESSAGE),
]
