"""Inline mode: ``@bot <words>`` offers fact cards (claim, citation, deep link) to share."""

from __future__ import annotations

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import InlineQueryLimit, ParseMode
from telegram.ext import BaseHandler, InlineQueryHandler

from bot import texts
from bot.cards import fact_share_card
from bot.context import BotContext
from bot.i18n import Translator
from bot.render import EN, citations_compact, fact_text, plain_text, shorten
from facts.model import Fact, Kind, Source

#: Results per answer; Telegram accepts at most 50.
RESULTS = InlineQueryLimit.RESULTS
# Let Telegram cache a user's cards a little.
CACHE_SECONDS = 60


def result_for(
    fact: Fact, sources: dict[str, Source], bot_username: str, tr: Translator = EN
) -> InlineQueryResultArticle:
    """One shareable fact card in the reader's language; its id is the fact id (unique,
    ≤ 64 bytes)."""
    return InlineQueryResultArticle(
        id=fact.id,
        title=shorten(fact_text(fact, tr), 100),
        description=plain_text(citations_compact(fact, sources, tr=tr)),
        input_message_content=InputTextMessageContent(
            fact_share_card(fact, sources, bot_username=bot_username, tr=tr),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )


async def inline_query(update: Update, context: BotContext) -> None:
    """Answer an inline query with matching current facts (key figures when it is empty)."""
    query = update.inline_query
    if query is None:
        return
    store = context.facts
    words = " ".join(query.query.split())
    if words:
        facts = [h.fact for h in store.search(words, limit=RESULTS) if h.fact.is_current]
    else:
        facts = store.facts(kind=Kind.STATISTIC)[:RESULTS]
    sources = {s.id: s for s in store.sources()}
    username = context.bot.username or ""
    seen: set[str] = set()
    results = []
    for fact in facts:
        if fact.id not in seen:
            seen.add(fact.id)
            results.append(result_for(fact, sources, username, context.tr))
    label = texts.INLINE_BUTTON if results else texts.INLINE_NOTHING
    button = InlineQueryResultsButton(text=context.tr.gettext(label), start_parameter="inline")
    # Cards are in the reader's language: Telegram must not hand one user's to another.
    await query.answer(results[:RESULTS], cache_time=CACHE_SECONDS, is_personal=True, button=button)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [InlineQueryHandler(inline_query)]
