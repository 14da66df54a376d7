"""/sanctions [who or whom]: restrictive measures, filtered by imposer or target."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import (
    LIST_LIMIT,
    MAX_INPUT,
    args_text,
    fold,
    per_version,
    send_blocks,
    sources_by_id,
)
from bot.render import esc, join_names, numbered, shorten
from facts.model import Fact, Kind, SanctionDetails
from facts.store import FactStore

# The ways users name the usual imposers; each group matches any of its spellings.
_IMPOSER_GROUPS: tuple[frozenset[str], ...] = (
    frozenset(
        {
            "us",
            "usa",
            "united states",
            "united states of america",
            "america",
            "american",
            "washington",
            "us government",
            "us treasury",
        }
    ),
    frozenset({"eu", "european union", "europe", "brussels", "european"}),
    frozenset(
        {"baltic", "baltics", "baltic states", "baltic countries", "lithuania", "latvia", "estonia"}
    ),
    frozenset({"uk", "britain", "great britain", "united kingdom", "british", "london"}),
    frozenset({"canada", "canadian", "ottawa"}),
)
_MIN_NAME = 3  # shorter arguments ("EU") are matched as imposer names only


def _spellings(store: FactStore, who: str) -> set[str]:
    """Every folded spelling that ``who`` may stand for: imposer synonyms, or the names
    and aliases of the people it matches."""
    wanted = fold(who).strip()
    names = {wanted}
    for group in _IMPOSER_GROUPS:
        if wanted in group:
            names |= group
            return names
    if len(wanted) >= _MIN_NAME:
        # Only the best match: a looser one could pull in an unrelated person's names.
        for hit in store.find_people(who, limit=1):
            names |= {fold(n) for n in hit.fact.names}
    return {n for n in names if n}


def names_pattern(names: set[str]) -> re.Pattern[str]:
    """A regex matching any of the folded ``names`` as whole words."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def matches(details: SanctionDetails, pattern: re.Pattern[str]) -> bool:
    """True when any imposer or target matches ``pattern`` (see :func:`names_pattern`)."""
    return any(pattern.search(fold(f)) for f in [*details.imposed_by, *details.targets])


def _by_date(fact: Fact) -> tuple[str, str]:
    when = fact.date
    return (when.sort_key if when else "9999"), fact.id


async def sanctions(update: Update, context: BotContext) -> None:
    """/sanctions [who]: every current restrictive measure, or those by or against ``who``."""
    message = update.effective_message
    if message is None:
        return
    who = args_text(context)
    if len(who) > MAX_INPUT:
        await message.reply_text(texts.ARGS_TOO_LONG.format(limit=MAX_INPUT))
        return
    reply = per_version(context.facts, ("sanctions", who), lambda: _reply(context.facts, who))
    if isinstance(reply, str):
        await message.reply_text(reply)
        return
    blocks, markup = reply
    await send_blocks(message, blocks, reply_markup=markup)


def _reply(store: FactStore, who: str) -> str | tuple[list[str], InlineKeyboardMarkup]:
    """The /sanctions reply: blocks and buttons, or one message saying there are none."""
    every = sorted(store.facts(kind=Kind.SANCTION), key=_by_date)
    if not every:
        return texts.SANCTIONS_NONE
    if who:
        pattern = names_pattern(_spellings(store, who))
        found = [
            f
            for f in every
            if isinstance(f.details, SanctionDetails) and matches(f.details, pattern)
        ]
        if not found:
            imposers = sorted(
                {
                    i
                    for f in every
                    if isinstance(f.details, SanctionDetails)
                    for i in f.details.imposed_by
                }
            )
            return texts.SANCTIONS_NONE_FOR.format(
                who=esc(shorten(who, 60)), imposers=esc(join_names(imposers))
            )
        header = texts.SANCTIONS_FILTER_HEADER.format(who=esc(shorten(who, 60)), count=len(found))
    else:
        found = every
        header = texts.SANCTIONS_HEADER.format(count=len(found))
    # Oldest first reads as a history; when there are too many, keep the most recent.
    shown = found[-LIST_LIMIT:]
    blocks = [header, *numbered(shown, sources_by_id(store))]
    if len(found) > len(shown):
        blocks.append(texts.LIST_TRUNCATED.format(shown=len(shown), total=len(found)))
    return blocks, keyboards.numbered_fact_buttons(shown)


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("sanctions", sanctions, filters=filters.UpdateType.MESSAGE),
]
