"""/numbers: key figures, one line each with its as-of date and source, most important first."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import pages
from bot.handlers.common import sources_by_id
from bot.i18n import Translator
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
    """/numbers: the current statistics, one line each, a page at a time, with buttons to
    open each in full."""
    message = update.effective_message
    if message is None:
        return
    text, markup = render_page(context.facts, "", 0, context.tr)
    await message.reply_text(text, reply_markup=markup)


def render_page(
    store: FactStore, key: str, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``page`` of /numbers (``key`` is unused: there is one list of figures)."""
    return store.per_version(("numbers", page, tr.language), lambda: _page(store, page, tr))


def _page(store: FactStore, page: int, tr: Translator) -> tuple[str, InlineKeyboardMarkup | None]:
    facts = ordered(store.facts(kind=Kind.STATISTIC))
    if not facts:
        return tr.gettext(texts.NUMBERS_NONE), None
    sources = sources_by_id(store)
    return pages.layout(
        pages.ranged(tr.gettext(texts.NUMBERS_HEADER), tr),
        facts,
        page,
        items=lambda shown, first: [
            statistic_line(f, sources, number=n, tr=tr) for n, f in enumerate(shown, start=first)
        ],
        data=lambda n: pages.page_data(PAGES, n, ""),
        tr=tr,
    )


#: The pager's list name in callback data.
PAGES = "n"

HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("numbers", numbers, filters=filters.UpdateType.MESSAGE),
    pages.handler(PAGES, render_page),
]
