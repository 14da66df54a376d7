"""/sanctions [who or whom]: restrictive measures, filtered by imposer or target."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CommandHandler, filters

from bot import texts
from bot.cards import numbered
from bot.context import BotContext
from bot.handlers import pages
from bot.handlers.common import args_text, refused_as_too_long, sources_by_id
from bot.i18n import Translator
from bot.render import esc, join_names, shorten
from facts.aliases import imposer_groups, imposers_named
from facts.model import TRANSLATION_LANGS, Fact, Kind, SanctionDetails, SanctionStatus
from facts.names import accentless
from facts.store import FactStore
from facts.terms import terms

# The ways users name the usual imposers; each group matches any of its spellings.
_IMPOSER_GROUPS = imposer_groups()
_IMPOSED = frozenset({SanctionStatus.IMPOSED, SanctionStatus.LIFTED})
_MIN_NAME = 3  # shorter arguments ("EU") are matched as imposer names only


def _spellings(store: FactStore, who: str) -> set[str]:
    """Every folded spelling that ``who`` may stand for: imposer synonyms (as written, or
    in another case or number: "американцы", "Евросоюза"), or the names and aliases of the
    people it matches."""
    wanted = accentless(who).strip()
    names = {wanted}
    for group in _IMPOSER_GROUPS.values():
        if wanted in group:
            return names | group
    named = imposers_named(who)
    if named:
        return names.union(*(_IMPOSER_GROUPS[term] for term in named))
    if len(wanted) >= _MIN_NAME:
        # Only the best match: a looser one could pull in an unrelated person's names.
        for hit in store.find_people(who, limit=1):
            names |= {accentless(n) for n in hit.fact.names}
    return {n for n in names if n}


def names_pattern(names: set[str]) -> re.Pattern[str]:
    """A regex matching any of the folded ``names`` as whole words."""
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def matches(fact: Fact, details: SanctionDetails, pattern: re.Pattern[str]) -> bool:
    """True when any imposer or target, in English or as a translation of the fact names
    it, matches ``pattern`` (see :func:`names_pattern`)."""
    names = [*details.imposed_by, *details.targets]
    translated = [t for lang in TRANSLATION_LANGS for t in terms(fact, names, lang)]
    return any(pattern.search(accentless(f)) for f in [*names, *translated])


def _by_date(fact: Fact) -> tuple[str, str]:
    when = fact.date
    return (when.sort_key if when else "9999"), fact.id


def newest_first(facts: list[Fact]) -> list[Fact]:
    """``facts`` newest first by their date, the undated ones last."""
    dated = sorted((f for f in facts if f.date is not None), key=_by_date, reverse=True)
    return dated + [f for f in facts if f.date is None]


async def sanctions(update: Update, context: BotContext) -> None:
    """/sanctions [who]: every current restrictive measure, or those by or against ``who``,
    newest first, a page at a time."""
    message = update.effective_message
    if message is None:
        return
    who = args_text(context)
    if await refused_as_too_long(message, context, who):
        return
    pages.remember(context.page_keys, who)
    text, markup = render_page(context.facts, who, 0, context.tr)
    await message.reply_text(text, reply_markup=markup)


def render_page(
    store: FactStore, who: str, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``page`` of the /sanctions reply for ``who`` ("" for all), or the one message
    saying there are none."""
    token = pages.key_token(who)
    return store.per_version(
        ("sanctions", who, page, tr.language), lambda: _page(store, who, token, page, tr)
    )


def _page(
    store: FactStore, who: str, token: str, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    found = _found(store, who, tr)
    if isinstance(found, str):
        return found, None
    header, facts = found
    sources = sources_by_id(store)
    return pages.layout(
        pages.ranged(header, tr),
        newest_first(facts),  # what readers come for; older ones a page away
        page,
        items=lambda shown, first: numbered(shown, sources, start=first, tr=tr, mark_undated=True),
        data=lambda n: pages.page_data(PAGES, n, token),
        tr=tr,
    )


def _found(store: FactStore, who: str, tr: Translator) -> str | tuple[str, list[Fact]]:
    """(the heading, the measures by or against ``who``, oldest first), or the message
    saying there are none."""
    every = sorted(store.facts(kind=Kind.SANCTION), key=_by_date)
    if not every:
        return tr.gettext(texts.SANCTIONS_NONE)
    if not who:
        return tr.gettext(texts.SANCTIONS_HEADER, count=len(every)), every
    pattern = names_pattern(_spellings(store, who))
    found = [
        f
        for f in every
        if isinstance(f.details, SanctionDetails) and matches(f, f.details, pattern)
    ]
    if not found:
        imposers = sorted(
            {
                imposer
                for f in every
                # Only who imposed (or once imposed and lifted): not who discussed one.
                if isinstance(f.details, SanctionDetails) and f.details.status in _IMPOSED
                for imposer in terms(f, f.details.imposed_by, tr.language)
            }
        )
        return tr.gettext(
            texts.SANCTIONS_NONE_FOR,
            who=esc(shorten(who, 60)),
            imposers=esc(join_names(imposers, tr)),
        )
    header = tr.gettext(texts.SANCTIONS_FILTER_HEADER, who=esc(shorten(who, 60)), count=len(found))
    return header, found


#: The pager's list name in callback data.
PAGES = "s"

HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("sanctions", sanctions, filters=filters.UpdateType.MESSAGE),
    pages.handler(PAGES, render_page),
]
