"""/fact <id>, the "open fact" buttons and the /start fact_<id> deep link."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import admin_texts as at
from bot import texts
from bot.cards import fact_card, history_lines
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import (
    args_text,
    display_name,
    refused_as_too_long,
    send_blocks,
    sources_by_id,
)
from bot.i18n import Translator
from bot.render import esc, fact_text, shorten
from facts.errors import NotFoundError
from facts.model import SLUG_PATTERN, TRANSLATION_LANGS, Kind, Status
from facts.terms import structured_strings, terms_in

_SLUG = re.compile(SLUG_PATTERN)


def _related_keyboard(
    context: BotContext, fact_ids: list[str], tr: Translator
) -> InlineKeyboardMarkup | None:
    """Buttons that open the facts a fact relates to (people open as profiles)."""
    items: list[tuple[str, str]] = []
    for related_id in fact_ids[:6]:
        _, current = context.facts.current_version(related_id)
        if current is None:
            continue
        prefix = keyboards.WHO if current.kind is Kind.PERSON else keyboards.OPEN_FACT
        label = display_name(context.facts, current.id, tr)
        items.append((label, f"{prefix}:{current.id}"))
    if not items:
        return None
    return InlineKeyboardMarkup(keyboards.labelled_rows(items, per_row=2))


async def show_fact(
    message: Message,
    context: BotContext,
    fact_id: str,
    *,
    quote: bool | None = None,
    tr: Translator | None = None,
) -> None:
    """Reply with one fact in full; superseded facts show their successor, retracted ones
    only their retraction and history. ``quote=False`` when answering a button; ``tr``
    overrides the chat's language (a follow-up goes out in its question's)."""
    store = context.facts
    tr = tr or context.tr
    if not _SLUG.match(fact_id) or len(fact_id) > 58:
        await message.reply_text(
            tr.gettext(texts.FACT_BAD_ID, fact_id=esc(shorten(fact_id, 60))), do_quote=quote
        )
        return
    # A fact's view depends on nothing but the base and the language: reuse it while the
    # base is unchanged.
    reply = store.per_version(
        ("fact", fact_id, tr.language), lambda: _fact_reply(context, fact_id, tr)
    )
    if reply is None:
        await _not_found(message, context, fact_id, quote=quote, tr=tr)
        return
    blocks, markup = reply
    blocks = [*blocks, *_for_admins(context, message, fact_id, tr)]
    await send_blocks(message, blocks, reply_markup=markup, quote=quote, cache=store)


def _for_admins(context: BotContext, message: Message, fact_id: str, tr: Translator) -> list[str]:
    """For an admin in a private chat: the subscribers' questions attached to the fact,
    and its values in each language (the terms /edit … terms-ru changes)."""
    state = context.admin
    if message.chat.type != ChatType.PRIVATE or state.role(message.chat.id) is None:
        return []
    try:
        fact = context.facts.get(fact_id)
    except NotFoundError:
        return []
    blocks = []
    if fact.questions:
        lines = [tr.gettext(at.ATTACHED_QUESTIONS), *(f"• {esc(q)}" for q in fact.questions)]
        blocks.append("\n".join(lines))
    values = structured_strings(fact)
    for lang in TRANSLATION_LANGS if values else ():
        given = terms_in(fact, lang)
        lines = [tr.gettext(at.TERMS_OF_FACT, lang=lang, fact_id=esc(fact.id))]
        lines += [f"• {esc(v)} = {esc(given.get(v, '—'))}" for v in values]
        blocks.append("\n".join(lines))
    return blocks


def _fact_reply(
    context: BotContext, fact_id: str, tr: Translator
) -> tuple[list[str], InlineKeyboardMarkup | None] | None:
    """The blocks and buttons showing ``fact_id``, or None when there is no such fact."""
    store = context.facts
    asked, current = store.current_version(fact_id)
    if asked is None:
        return None
    blocks: list[str] = []
    if asked.status is Status.RETRACTED or current is None:
        reason = asked.retraction_reason or tr.gettext(texts.FACT_GONE)
        blocks.append(tr.gettext(texts.FACT_RETRACTED, fact_id=esc(asked.id), reason=esc(reason)))
        history = history_lines(store.history(asked.id), tr)
        blocks.append(tr.gettext("<b>History</b>") + "\n" + "\n".join(history))
        return blocks, None
    if current.id != asked.id:
        blocks.append(tr.gettext(texts.FACT_SUPERSEDED, old_id=esc(asked.id)))
    names = {r: display_name(store, r, tr) for r in current.related}
    blocks += fact_card(
        current, sources_by_id(store), history=store.history(current.id), names=names, tr=tr
    )
    return blocks, _related_keyboard(context, current.related, tr)


async def _not_found(
    message: Message, context: BotContext, fact_id: str, *, quote: bool | None, tr: Translator
) -> None:
    """Say the id is unknown and offer facts whose words resemble it."""
    hits = context.facts.search(fact_id.replace("-", " "), limit=5)
    text = tr.gettext(texts.FACT_NOT_FOUND, fact_id=esc(fact_id))
    if not hits:
        await message.reply_text(text, do_quote=quote)
        return
    items = [
        (shorten(fact_text(h.fact, tr), 60), f"{keyboards.OPEN_FACT}:{h.fact.id}") for h in hits
    ]
    await message.reply_text(
        f"{text}\n{tr.gettext(texts.DID_YOU_MEAN)}",
        reply_markup=InlineKeyboardMarkup(keyboards.labelled_rows(items)),
        do_quote=quote,
    )


async def fact(update: Update, context: BotContext) -> None:
    """/fact <id>: one fact in full with every quote and its history."""
    message = update.effective_message
    if message is None:
        return
    fact_id = args_text(context)
    if not fact_id:
        examples = context.facts.facts(kind=Kind.STATISTIC)
        example = examples[0].id if examples else "fact-id"
        await message.reply_text(context.tr.gettext(texts.FACT_USAGE, example=esc(example)))
        return
    if await refused_as_too_long(message, context, fact_id):
        return
    # Ids are lower-case; people copy them with stray case or a leading "fact_".
    await show_fact(message, context, fact_id.strip().lower().removeprefix("fact_"))


async def open_fact_button(update: Update, context: BotContext) -> None:
    """A button with ``f:<id>``: send the fact as a new message below."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    if isinstance(query.message, Message):
        await show_fact(query.message, context, query.data.split(":", 1)[1], quote=False)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("fact", fact, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(open_fact_button, pattern=keyboards.OPEN_FACT_PATTERN),
]
