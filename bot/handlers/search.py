"""/search <words>: ranked matches with buttons that open each fact."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.cards import numbered
from bot.context import BotContext
from bot.handlers import pages
from bot.handlers.common import MAX_INPUT, args_text, sources_by_id
from bot.i18n import Translator
from bot.render import esc, shorten
from facts.store import FactStore

#: Most matches listed (six pages); further down, the ranking stops meaning much.
RESULTS = 30


async def search(update: Update, context: BotContext) -> None:
    """/search <words>: the best-matching current facts, numbered, with open buttons."""
    message = update.effective_message
    if message is None:
        return
    query = args_text(context)
    tr = context.tr
    if not query:
        await message.reply_text(tr.gettext(texts.SEARCH_USAGE))
        return
    if len(query) > MAX_INPUT:
        await message.reply_text(tr.gettext(texts.QUERY_TOO_LONG, limit=MAX_INPUT))
        return
    pages.remember(context.page_keys, query)
    text, markup = render_page(context.facts, query, 0, tr)
    await message.reply_text(text, reply_markup=markup)


def render_page(
    store: FactStore, query: str, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``page`` of the matches for ``query``, or the message saying there are none."""
    token = pages.key_token(query)
    return store.per_version(
        ("search", query, page, tr.language), lambda: _page(store, query, token, page, tr)
    )


def _page(
    store: FactStore, query: str, token: str, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    hits = [h for h in store.search(query, limit=RESULTS) if h.fact.is_current]
    shown = esc(shorten(query, 80))
    if not hits:
        return tr.gettext(texts.SEARCH_NONE, query=shown), None
    sources = sources_by_id(store)
    return pages.layout(
        pages.ranged(tr.gettext(texts.SEARCH_HEADER, query=shown), tr),
        [h.fact for h in hits],
        page,
        items=lambda facts, first: numbered(facts, sources, start=first, tr=tr),
        data=lambda n: pages.page_data(PAGES, n, token),
        tr=tr,
    )


#: The pager's list name in callback data.
PAGES = "q"

HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("search", search, filters=filters.UpdateType.MESSAGE),
    pages.handler(PAGES, render_page),
]
