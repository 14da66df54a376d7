"""/numbers: key figures, each with its as-of date and source."""

from __future__ import annotations

from telegram import Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import LIST_LIMIT, send_blocks, sources_by_id
from bot.render import numbered
from facts.model import Fact, Kind, StatisticDetails


def _newest_first(fact: Fact) -> tuple[str, str]:
    as_of = fact.details.as_of.date if isinstance(fact.details, StatisticDetails) else ""
    return as_of, fact.id


async def numbers(update: Update, context: BotContext) -> None:
    """/numbers: every current statistic, newest first, with buttons to open each."""
    message = update.effective_message
    if message is None:
        return
    facts = sorted(context.facts.facts(kind=Kind.STATISTIC), key=_newest_first, reverse=True)
    if not facts:
        await message.reply_text(texts.NUMBERS_NONE)
        return
    shown = facts[:LIST_LIMIT]
    blocks = [texts.NUMBERS_HEADER, *numbered(shown, sources_by_id(context.facts))]
    if len(facts) > len(shown):
        blocks.append(texts.LIST_TRUNCATED.format(shown=len(shown), total=len(facts)))
    markup = keyboards.numbered_fact_buttons([f.id for f in shown])
    await send_blocks(message, blocks, reply_markup=markup)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("numbers", numbers, filters=filters.UpdateType.MESSAGE),
]
