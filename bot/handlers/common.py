"""Helpers shared by handlers: sending split replies, reading arguments, looking up facts."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message

from bot import texts
from bot.cards import person_name
from bot.context import BotContext
from bot.i18n import Translator
from bot.render import EN, fact_text, shorten
from bot.splitting import split_messages
from facts.errors import NotFoundError
from facts.model import Fact, Kind, PersonDetails, Source
from facts.store import FactStore

#: Longest argument or question handled; longer input gets a polite refusal.
MAX_INPUT = 300
#: Most facts one reply lists: more would be a flood of messages (and flood limits).
LIST_LIMIT = 20


async def send_blocks(
    message: Message,
    blocks: Sequence[str],
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    quote: bool | None = None,
    cache: FactStore | None = None,
) -> Message:
    """Reply with ``blocks`` split into as many messages as needed; the keyboard goes on the
    last one, which is returned. ``quote`` None quotes in groups only (PTB's default).

    ``cache``: a reply made of the base alone may keep its split in that store's memo
    (measuring and packing a few kB of HTML again for every send cost as much as the rest
    of our handler code). Never pass it for a reply that carries what a user wrote (a
    checked post, an admin's draft): that would keep their words in memory."""
    if cache is None:
        parts = split_messages(blocks)
    else:
        key = ("split", tuple(blocks))
        parts = cache.per_version(key, lambda: split_messages(blocks))
    sent = message
    for n, part in enumerate(parts):
        last = n == len(parts) - 1
        sent = await message.reply_text(
            part, reply_markup=reply_markup if last else None, do_quote=quote
        )
    return sent


async def refused_as_too_long(message: Message, context: BotContext, text: str) -> bool:
    """True, once the user is told, when the arguments ``text`` are over :data:`MAX_INPUT`."""
    if len(text) <= MAX_INPUT:
        return False
    await message.reply_text(context.tr.gettext(texts.ARGS_TOO_LONG, limit=MAX_INPUT))
    return True


def args_text(context: BotContext) -> str:
    """The command's arguments as one string, white space collapsed."""
    return " ".join(context.args or []).strip()


def sources_by_id(store: FactStore) -> dict[str, Source]:
    """Every source keyed by id (there are few; a fresh dict the caller may change)."""
    return dict(store.per_version("sources_by_id", lambda: {s.id: s for s in store.sources()}))


def every_current_fact(store: FactStore) -> list[Fact]:
    """All current facts, gathered kind by kind (the store indexes kinds; see the note)."""
    # store.facts() without a kind was ~20 ms at 10,000 facts against ~0.03 ms per kind.
    return [fact for kind in Kind for fact in store.facts(kind=kind)]


def display_name(store: FactStore, fact_id: str, tr: Translator = EN) -> str:
    """A short raw label for a related fact: a person's name, else the start of the claim."""
    try:
        fact = store.get(fact_id)
    except NotFoundError:
        return fact_id
    if isinstance(fact.details, PersonDetails):
        return person_name(fact, tr)
    return shorten(fact_text(fact, tr), 60)
