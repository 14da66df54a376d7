"""Lists of facts a page at a time: one message per list, paged in place with ◀ ▶ buttons.

Every list a reader can ask for (``/sanctions``, ``/numbers``, ``/search``, a profile's
"what they did or said", ``/timeline``) shows ``PAGE_SIZE`` facts with a button each and a
pager row; a pager button edits the same message. A reply is one message, never a flood,
and nothing is cut off: every fact of the list is one tap away.

Pager callback data is ``pg:<list>:<page>:<key>``, where ``<list>`` names the list and
``<key>`` is what it was asked for (the /sanctions filter, the /search words, a person's
fact id). A key that would take the data past Telegram's 64 bytes travels as
``#<digest>``: the digest → key map lives in this process's memory only, is bounded, and
holds no chat or user id. After a restart, or once a key has aged out of the map, such a
button answers that the list has expired.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Final

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.i18n import Translator
from bot.memory import PageKeys
from bot.render import CALLBACK_DATA_LIMIT, MESSAGE_LIMIT, esc, fact_text, plain_text, shorten
from bot.splitting import visible_length
from facts.model import Fact
from facts.store import FactStore

#: Facts on one page: a phone screen or two, and a reply small enough to send quickly.
PAGE_SIZE: Final = 5
PAGER: Final = "pg"

#: (store, key, page, translator) -> (text, keyboard) of that page.
PageRenderer = Callable[[FactStore, str, int, Translator], tuple[str, InlineKeyboardMarkup | None]]
#: (facts, number of the first) -> one HTML block per fact.
ItemRenderer = Callable[[Sequence[Fact], int], list[str]]


def key_token(key: str) -> str:
    """What stands for ``key`` in callback data: the key itself when it fits, else
    ``#<digest>`` (see :func:`remember` and the module docstring)."""
    # The longest prefix: "pg:x:9999:".
    if len(f"{PAGER}:x:9999:{key}".encode()) <= CALLBACK_DATA_LIMIT and not key.startswith("#"):
        return key
    return "#" + hashlib.blake2b(key.encode(), digest_size=8).hexdigest()


def remember(keys: PageKeys, key: str) -> None:
    """Keep ``key`` in ``keys`` when its pages' buttons carry it as a digest, so that they
    find it again (the least recently shown are forgotten first)."""
    token = key_token(key)
    if token != key:
        keys.keep(token[1:], key)


def key_of(keys: PageKeys, token: str) -> str | None:
    """The key a token stands for; None when a digest is no longer remembered."""
    if not token.startswith("#"):
        return token
    return keys.get(token[1:])


def page_data(kind: str, page: int, token: str) -> str:
    """Callback data for page ``page`` of list ``kind`` asked for ``token``."""
    return keyboards.callback_data(PAGER, kind, page, token)


def pattern(kind: str) -> str:
    """The CallbackQueryHandler pattern of list ``kind``'s pager buttons."""
    return rf"^{PAGER}:{kind}:\d{{1,4}}:"


def parse_page_data(data: str) -> tuple[int, str]:
    """(page, token) from ``pg:<kind>:<page>:<token>``."""
    _, _, page, token = data.split(":", 3)
    return int(page), token


def ranged(head: str, tr: Translator) -> Callable[[int, int, int], str]:
    """A page heading: ``head``, then "6–10 of 23" when the list has more than one page."""

    def heading(first: int, last: int, total: int) -> str:
        if total <= PAGE_SIZE:
            return head
        shown = tr.gettext(texts.PAGE_RANGE, first=first, last=last, total=total)
        return f"{head}\n<i>{shown}</i>"

    return heading


def layout(
    heading: Callable[[int, int, int], str],
    facts: Sequence[Fact],
    page: int,
    *,
    items: ItemRenderer,
    data: Callable[[int], str],
    tr: Translator,
    prev_label: str = texts.PAGE_PREV,
    next_label: str = texts.PAGE_NEXT,
) -> tuple[str, InlineKeyboardMarkup]:
    """Page ``page`` (clamped to the last) of ``facts``: heading and items in one message,
    a button per fact, and the pager row; ``data(n)`` is page n's callback data."""
    pages = max(1, (len(facts) + PAGE_SIZE - 1) // PAGE_SIZE)
    page = max(0, min(page, pages - 1))
    first = page * PAGE_SIZE
    chunk = facts[first : first + PAGE_SIZE]
    head = heading(first + 1, first + len(chunk), len(facts))
    text = fit(head, chunk, lambda shown: items(shown, first + 1), first=first + 1, tr=tr)
    row = keyboards.pager_row(
        data(page - 1) if page > 0 else None,
        data(page + 1) if page < pages - 1 else None,
        prev_label=tr.gettext(prev_label),
        next_label=tr.gettext(next_label),
        position=f"{page + 1}/{pages}",
    )
    opens = keyboards.numbered_fact_buttons(chunk, start=first + 1, tr=tr)
    rows = [*opens.inline_keyboard, row] if row else list(opens.inline_keyboard)
    return text, keyboards.Keyboard(rows)


def fit(
    head: str,
    chunk: Sequence[Fact],
    items: Callable[[Sequence[Fact]], list[str]],
    *,
    first: int = 1,
    tr: Translator | None = None,
) -> str:
    """Heading and items in one message: a page is edited in place, so it cannot be split.

    Long claims are shortened first (the buttons open each fact in full); if the page is
    still too long (a sanction on dozens of targets, a profile with many roles), it falls
    back to a plain heading and one short line per fact, which always fits.
    """
    text = "\n\n".join([head, *items(chunk)])
    limit = 600
    while visible_length(text) > MESSAGE_LIMIT and limit >= 100:
        shortened = [_shortened(f, limit) for f in chunk]
        text = "\n\n".join([head, *items(shortened)])
        limit //= 2
    if visible_length(text) <= MESSAGE_LIMIT:
        return text
    lines = [
        f"{n}. {esc(shorten(fact_text(f, tr) if tr else f.text, 200))}"
        for n, f in enumerate(chunk, start=first)
    ]
    return "\n\n".join([esc(shorten(plain_text(head), 1500)), *lines])


def _shortened(fact: Fact, limit: int) -> Fact:
    """``fact`` with its claim (and the claim's translations) cut to ``limit`` characters."""

    def cut(text: str) -> str:
        return text[:limit] + "…" if len(text) > limit else text

    if len(fact.text) <= limit and all(len(t.text) <= limit for t in fact.translations.values()):
        return fact
    translations = {
        lang: t.model_copy(update={"text": cut(t.text)}) for lang, t in fact.translations.items()
    }
    return fact.model_copy(update={"text": cut(fact.text), "translations": translations})


def handler(kind: str, render: PageRenderer) -> BaseHandler[Update, BotContext, None]:
    """The handler of list ``kind``'s pager buttons: show the page asked for in place."""

    async def turn(update: Update, context: BotContext) -> None:
        query = update.callback_query
        if query is None or query.data is None:
            return
        page, token = parse_page_data(query.data)
        key = key_of(context.page_keys, token)
        if key is None:
            await query.answer(context.tr.gettext(texts.PAGE_EXPIRED), show_alert=True)
            return
        remember(context.page_keys, key)
        message = await page_message(query, context.tr)
        if message is None:
            return
        text, markup = render(context.facts, key, page, context.tr)
        await edit_page(message, text, markup)

    return CallbackQueryHandler(turn, pattern=pattern(kind))


async def page_message(query: CallbackQuery, tr: Translator) -> Message | None:
    """The message a pager button turns, with the tap acknowledged; None, with an alert
    that the list has expired, when Telegram no longer lets the bot edit it (too old or
    deleted: PTB 22 parses such a message as a Message dated 0)."""
    message = query.message
    if not isinstance(message, Message) or not message.is_accessible:
        await query.answer(tr.gettext(texts.PAGE_EXPIRED), show_alert=True)
        return None
    await query.answer()
    return message


async def edit_page(message: Message, text: str, markup: InlineKeyboardMarkup | None) -> None:
    """Replace ``message`` with another page; a double tap (the same page) changes nothing."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        # Telegram refuses an edit that changes nothing ("message is not modified").
        if "not modified" not in str(exc).lower():
            raise
