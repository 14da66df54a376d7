"""/numbers: key figures, one line each with its as-of date and source, most important first."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import LIST_LIMIT, per_version, send_blocks, sources_by_id
from bot.render import statistic_line
from facts.model import Fact, Kind
from facts.store import FactStore

#: Topics in the order their figures matter to a reader; figures on none of them come last.
TOPIC_PRIORITY = ("prisoners", "torture", "detentions", "sanctions", "repression", "protests")


def importance(fact: Fact) -> int:
    """The rank of the fact's most important topic (lower first)."""
    ranks = [TOPIC_PRIORITY.index(t) for t in fact.topics if t in TOPIC_PRIORITY]
    return min(ranks, default=len(TOPIC_PRIORITY))


def ordered(facts: list[Fact]) -> list[Fact]:
    """Most important topic first, then the newest figure first, then by id (stable)."""
    by_id = sorted(facts, key=lambda f: f.id)
    newest = sorted(by_id, key=lambda f: f.date.sort_key if f.date else "", reverse=True)
    return sorted(newest, key=importance)


async def numbers(update: Update, context: BotContext) -> None:
    """/numbers: every current statistic on one line, with buttons to open each in full."""
    message = update.effective_message
    if message is None:
        return
    reply = per_version(context.facts, "numbers", lambda: _reply(context.facts))
    if reply is None:
        await message.reply_text(texts.NUMBERS_NONE)
        return
    blocks, markup = reply
    await send_blocks(message, blocks, reply_markup=markup)


def _reply(store: FactStore) -> tuple[list[str], InlineKeyboardMarkup] | None:
    """The /numbers reply's blocks and buttons; None when there are no figures."""
    facts = ordered(store.facts(kind=Kind.STATISTIC))
    if not facts:
        return None
    shown = facts[:LIST_LIMIT]
    sources = sources_by_id(store)
    lines = [statistic_line(f, sources, number=n) for n, f in enumerate(shown, start=1)]
    blocks = [texts.NUMBERS_HEADER, *lines]
    if len(facts) > len(shown):
        blocks.append(texts.LIST_TRUNCATED_FIGURES.format(shown=len(shown), total=len(facts)))
    return blocks, keyboards.numbered_fact_buttons(shown)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("numbers", numbers, filters=filters.UpdateType.MESSAGE),
]
