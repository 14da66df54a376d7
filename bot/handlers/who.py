"""/who <name>: a person's or organisation's profile; /who alone lists everyone known."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.cards import numbered, person_heading, person_name
from bot.context import BotContext
from bot.handlers import keyboards, pages
from bot.handlers.common import (
    args_text,
    refused_as_too_long,
    sources_by_id,
)
from bot.handlers.fact import show_fact
from bot.i18n import Translator
from bot.render import EN, esc, fact_attribution, shorten
from facts.model import Fact, Kind, PersonDetails
from facts.names import accentless
from facts.profiles import activity
from facts.store import FactStore

LIST_PAGE = 20


async def send_profile(
    message: Message,
    context: BotContext,
    person: Fact,
    *,
    quote: bool | None = None,
    tr: Translator | None = None,
) -> None:
    """Reply with the first page of the profile; numbered buttons open the facts it lists.
    ``tr`` overrides the chat's language (an answer goes out in its question's)."""
    pages.remember(context.page_keys, person.id)
    text, markup = profile_page(context.facts, person.id, 0, tr or context.tr)
    await message.reply_text(text, reply_markup=markup, do_quote=quote)


def profile_page(
    store: FactStore, person_id: str, page: int, tr: Translator = EN
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``page`` of a person's profile: name, roles with dates, cited, then what they
    did or said, newest first, a page at a time."""
    token = pages.key_token(person_id)
    return store.per_version(
        ("profile", person_id, page, tr.language),
        lambda: _profile_page(store, person_id, token, page, tr),
    )


def _profile_page(
    store: FactStore, person_id: str, token: str, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    _, person = store.current_version(person_id)
    if person is None or not isinstance(person.details, PersonDetails):
        return tr.gettext(texts.WHO_GONE), None
    sources = sources_by_id(store)
    head = f"{person_heading(person, tr)}\n<i>{fact_attribution(person, sources, tr)}</i>"
    facts = activity(store, person)
    if not facts:
        return f"{head}\n\n{tr.gettext(texts.WHO_NO_ACTIVITY)}", None
    return pages.layout(
        pages.ranged(f"{head}\n\n{tr.gettext(texts.WHO_ACTIVITY)}", tr),
        facts,  # their own acts first, newest first (facts.profiles)
        page,
        items=lambda shown, first: numbered(shown, sources, start=first, tr=tr),
        data=lambda n: pages.page_data(PAGES, n, token),
        tr=tr,
    )


def _people(store: FactStore, tr: Translator) -> list[Fact]:
    return sorted(store.facts(kind=Kind.PERSON), key=lambda f: accentless(person_name(f, tr)))


def list_page(
    store: FactStore, page: int, tr: Translator = EN
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of the people list: a button per person and a pager."""
    return store.per_version(("who-list", page, tr.language), lambda: _list_page(store, page, tr))


def _list_page(
    store: FactStore, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    people = _people(store, tr)
    if not people:
        return tr.gettext(texts.WHO_NONE_KNOWN), None
    pages = (len(people) + LIST_PAGE - 1) // LIST_PAGE
    page = max(0, min(page, pages - 1))
    chunk = people[page * LIST_PAGE : (page + 1) * LIST_PAGE]
    items = [(person_name(p, tr), keyboards.callback_data(keyboards.WHO, p.id)) for p in chunk]
    rows = keyboards.labelled_rows(items, per_row=2)
    pager = keyboards.pager_row(
        keyboards.callback_data(keyboards.WHO_LIST, page - 1) if page > 0 else None,
        keyboards.callback_data(keyboards.WHO_LIST, page + 1) if page < pages - 1 else None,
        prev_label=tr.gettext(texts.PAGE_PREV),
        next_label=tr.gettext(texts.PAGE_NEXT),
        position=f"{page + 1}/{pages}",
    )
    if pager:
        rows.append(pager)
    return tr.gettext(texts.WHO_LIST_HEADER, count=len(people)), keyboards.Keyboard(rows)


def choose(hits: list[Fact], name: str) -> Fact | None:
    """The one person meant, or None when the choice is the user's: a single hit, or the
    only hit whose name or alias contains the words typed."""
    if len(hits) == 1:
        return hits[0]
    wanted = accentless(" ".join(name.split()))
    exact = [p for p in hits if any(accentless(n) == wanted for n in p.names)]
    if len(exact) == 1:
        return exact[0]
    pattern = re.compile(rf"(?<!\w){re.escape(wanted)}(?!\w)")
    whole = [p for p in hits if any(pattern.search(accentless(n)) for n in p.names)]
    if len(whole) == 1:
        return whole[0]
    return None


def _resolve(
    store: FactStore, name: str, tr: Translator
) -> tuple[list[Fact], Fact | None, InlineKeyboardMarkup | None]:
    """(the current people matching ``name``, the one meant, else the buttons to choose)."""
    hits = [h.fact for h in store.find_people(name, limit=8) if h.fact.is_current]
    person = choose(hits, name) if hits else None
    if not hits or person is not None:
        return hits, person, None
    items = [(person_name(p, tr), keyboards.callback_data(keyboards.WHO, p.id)) for p in hits]
    return hits, None, keyboards.Keyboard(keyboards.labelled_rows(items))


async def who(update: Update, context: BotContext) -> None:
    """/who [name]: the profile of the person meant, a choice, or the list of everyone."""
    message = update.effective_message
    if message is None:
        return
    tr = context.tr
    name = args_text(context)
    if not name:
        text, markup = list_page(context.facts, 0, tr)
        await message.reply_text(text, reply_markup=markup)
        return
    if await refused_as_too_long(message, context, name):
        return
    store = context.facts
    # The same names are asked again and again; the fuzzy name search is the costly part.
    hits, person, choice = store.per_version(
        ("who", name, tr.language), lambda: _resolve(store, name, tr)
    )
    if not hits:
        await message.reply_text(tr.gettext(texts.WHO_NOT_FOUND, name=esc(shorten(name, 60))))
        return
    if person is not None:
        await send_profile(message, context, person)
        return
    await message.reply_text(
        tr.gettext(texts.WHO_CHOOSE, name=esc(shorten(name, 60))), reply_markup=choice
    )


async def who_button(update: Update, context: BotContext) -> None:
    """A person button (``who:<id>``): send their profile below."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    await query.answer()
    if not isinstance(query.message, Message):
        return
    fact_id = query.data.split(":", 1)[1]
    _, person = context.facts.current_version(fact_id)
    if person is None or not isinstance(person.details, PersonDetails):
        # Retracted, unknown or not a person: the fact view explains which.
        await show_fact(query.message, context, fact_id, quote=False)
        return
    await send_profile(query.message, context, person, quote=False)


async def who_list_button(update: Update, context: BotContext) -> None:
    """A pager button of the people list: show that page in the same message."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    message = await pages.page_message(query, context.tr)
    if message is None:
        return
    text, markup = list_page(context.facts, int(query.data.split(":", 1)[1]), context.tr)
    await pages.edit_page(message, text, markup)


#: The pager's list name in callback data.
PAGES = "p"

HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("who", who, filters=filters.UpdateType.MESSAGE),
    pages.handler(PAGES, profile_page),
    CallbackQueryHandler(who_button, pattern=keyboards.WHO_PATTERN),
    CallbackQueryHandler(who_list_button, pattern=keyboards.WHO_LIST_PATTERN),
]
