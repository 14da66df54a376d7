"""/timeline [year | from to]: dated events and sanctions in order, a page at a time, paged
in place. Statements and figures are not events: /who, /search and questions reach them."""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import texts
from bot.cards import numbered
from bot.context import BotContext
from bot.handlers import keyboards, pages
from bot.handlers.common import args_text, refused_as_too_long, sources_by_id
from bot.i18n import Translator
from bot.render import EN, esc, fmt_date
from facts.errors import ValidationFailed
from facts.lang import iso_named_dates, month_number, month_table
from facts.model import Fact, Kind, When
from facts.store import FactStore

PAGE_SIZE = pages.PAGE_SIZE
#: What the timeline lists: things that happened on a date, not what was said or counted.
TIMELINE_KINDS = frozenset({Kind.EVENT, Kind.SANCTION})
_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# "2020 to 2021", "2020–2021", "2020..2021", "from 2020 to 2021" all mean a range, and so do
# "с 2020 по 2021", "з 2020 па 2021"; "in" ("в", "у") before a date adds nothing.
_YEAR_RANGE = re.compile(r"\b(\d{4})-(\d{4})\b")
_RANGE_NOISE = re.compile(
    r"\s*(?:\.\.|–|—|\b(?:to|from|until|in|с|по|до|в|з|па|да|у|ў)\b|-(?=\s)|\s-)\s*", re.I
)


class TimelineArgsError(ValueError):
    """Arguments that are not a year, a date or a range of them (message is user HTML)."""


def parse_range(text: str, tr: Translator = EN) -> tuple[str | None, str | None]:
    """(start, end) partial ISO dates from "", "2020", "2020 2021", "2020-08 to 2020-12",
    "сентябрь 2020", "from Sept 2020 to December 2020"… (month names in English, Russian or
    Belarusian: facts.lang.iso_named_dates)."""
    text = iso_named_dates(text)
    words = _RANGE_NOISE.sub(" ", _YEAR_RANGE.sub(r"\1 \2", f" {text} ")).split()
    if not words:
        return None, None
    if len(words) > 2:
        raise TimelineArgsError(tr.gettext(texts.TIMELINE_USAGE))
    for word in words:
        try:
            if not _DATE.match(word):
                raise ValueError(word)
            When(date=word)
        except ValueError:
            bad = tr.gettext(texts.TIMELINE_BAD_DATE, value=esc(word[:40]))
            raise TimelineArgsError(bad) from None
    start, end = words[0], words[-1]
    common = min(len(start), len(end))
    if end[:common] < start[:common]:
        raise TimelineArgsError(
            tr.gettext(
                texts.TIMELINE_BAD_ORDER,
                start=esc(fmt_date(start, tr)),
                end=esc(fmt_date(end, tr)),
            )
        )
    return start, end


def _span(start: str | None, end: str | None, tr: Translator) -> str:
    if start is None:
        return ""
    if start == end:
        return f" {fmt_date(start, tr)}"
    return f" {fmt_date(start, tr)} – {fmt_date(end or start, tr)}"


def month_alone(text: str) -> int | None:
    """The month a bare month name stands for ("сентябрь", "in September"), else None."""
    words = _RANGE_NOISE.sub(" ", f" {text} ").split()
    if len(words) != 1 or any(c.isdigit() for c in words[0]):
        return None
    return month_number(words[0])


def years_of_month(store: FactStore, month: int) -> list[str]:
    """The years in which the base has timeline events in ``month``, oldest first."""
    return sorted(
        {
            f.date.date[:4]
            for f in events(store)
            if f.date is not None and len(f.date.date) >= 7 and int(f.date.date[5:7]) == month
        }
    )


def events(store: FactStore, start: str | None = None, end: str | None = None) -> list[Fact]:
    """Current dated events and sanctions within [start, end], oldest first."""
    return [f for f in store.dated(start, end) if f.kind in TIMELINE_KINDS]


def render_page(
    store: FactStore, start: str | None, end: str | None, page: int, tr: Translator = EN
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The text and pager keyboard of one timeline page (page clamped to the last one)."""
    return store.per_version(
        ("timeline", start, end, page, tr.language),
        lambda: _render_page(store, start, end, page, tr),
    )


def _render_page(
    store: FactStore, start: str | None, end: str | None, page: int, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    facts = events(store, start, end)
    span = esc(_span(start, end, tr))
    if not facts:
        if start is None:
            return tr.gettext(texts.TIMELINE_NONE), None
        return tr.gettext(texts.TIMELINE_NONE_IN, span=span.strip()), None
    sources = sources_by_id(store)
    return pages.layout(
        lambda first, last, total: tr.gettext(
            texts.TIMELINE_HEADER, span=span, first=first, last=last, total=total
        ),
        facts,
        page,
        items=lambda shown, first: numbered(shown, sources, start=first, tr=tr),
        data=lambda n: keyboards.timeline_data(start, end, n),
        tr=tr,
        prev_label=texts.TIMELINE_PREV,
        next_label=texts.TIMELINE_NEXT,
    )


async def timeline(update: Update, context: BotContext) -> None:
    """/timeline [year | from to]: the first page of dated facts in the range."""
    message = update.effective_message
    if message is None:
        return
    raw = args_text(context)
    if await refused_as_too_long(message, context, raw):
        return
    month = month_alone(raw)
    if month is not None:
        # A month without a year: the base's one such month, or which year to take.
        years = years_of_month(context.facts, month)
        if len(years) == 1:
            raw = f"{years[0]}-{month:02d}"
        else:
            await message.reply_text(_which_year(month, years, context.tr))
            return
    try:
        start, end = parse_range(raw, context.tr)
    except TimelineArgsError as exc:
        await message.reply_text(str(exc))
        return
    text, markup = render_page(context.facts, start, end, 0, context.tr)
    await message.reply_text(text, reply_markup=markup)


def _which_year(month: int, years: list[str], tr: Translator) -> str:
    name = month_table(tr.language, "stand-alone", "wide")[month]
    if not years:
        return tr.gettext(texts.TIMELINE_NO_MONTH, month=esc(name))
    choices = ", ".join(f"<code>/timeline {esc(name)} {year}</code>" for year in years)
    return tr.gettext(texts.TIMELINE_WHICH_YEAR, month=esc(name.capitalize()), choices=choices)


async def timeline_page(update: Update, context: BotContext) -> None:
    """A pager button: show another page in the same message."""
    query = update.callback_query
    if query is None or query.data is None:
        return
    try:
        start, end, page = keyboards.parse_timeline_data(query.data)
        text, markup = render_page(context.facts, start, end, page, context.tr)
    except (ValueError, ValidationFailed):  # forged data: no such date (tl:2020-13:-:0)
        await query.answer(context.tr.gettext(texts.PAGE_EXPIRED), show_alert=True)
        return
    message = await pages.page_message(query, context.tr)
    if message is None:
        return
    await pages.edit_page(message, text, markup)


async def noop(update: Update, context: BotContext) -> None:
    """A label button: acknowledge the tap (the page position says where the list is),
    change nothing."""
    query = update.callback_query
    if query is None:
        return
    _, _, position = (query.data or "").partition(":")
    page, _, pages = position.partition("/")
    if page.isdigit() and pages.isdigit():
        await query.answer(context.tr.gettext(texts.PAGE_POSITION, page=page, pages=pages))
    else:
        await query.answer()


HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("timeline", timeline, filters=filters.UpdateType.MESSAGE),
    CallbackQueryHandler(timeline_page, pattern=keyboards.TIMELINE_PATTERN),
    CallbackQueryHandler(noop, pattern=keyboards.NOOP_PATTERN),
]
