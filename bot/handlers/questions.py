"""Plain-text questions, answered by facts.answer from the best-matching facts, or honestly not.

In private chats every text is a question; in groups only a text that mentions the bot.
Small talk gets a friendly pointer; a short follow-up ("and in 2020?", "source?", "who
said that?", "more") is read against the chat's previous question (``context.memory``).
"""

from __future__ import annotations

import datetime as dt
import re

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.ext import BaseHandler, MessageHandler, filters

from bot import texts
from bot.cards import numbered
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.admin_core import record_unanswered
from bot.handlers.common import MAX_INPUT, send_blocks, sources_by_id
from bot.handlers.fact import show_fact
from bot.handlers.start_help import start
from bot.handlers.who import send_profile
from bot.i18n import Translator, translator
from bot.render import attribution, esc, fact_text, fmt_when, shorten
from facts.answer import Answer, Intent, answer
from facts.dialogue import FollowKind, follow_up, small_talk, without_small_talk
from facts.duplicates import other_sources
from facts.errors import NotFoundError
from facts.freshness import Age, age
from facts.lang import detect
from facts.model import Fact, Kind, StatementDetails
from facts.polarity import Polarity
from facts.store import FactStore
from facts.terms import term

#: The command that lists the facts of each kind of question (suggested on a refusal).
COMMANDS = {
    Intent.COUNT: "/numbers",
    Intent.DATE: "/timeline",
    Intent.SANCTION: "/sanctions",
    Intent.PERSON: "/who",
}
#: Facts a "more" follow-up shows at a time.
MORE = 3
_OPENING = {Polarity.YES: texts.YES, Polarity.NO: texts.NO, Polarity.UNKNOWN: texts.NOT_SAID}


def _answer(store: FactStore, question: str, limit: int = 3) -> Answer:
    # Answering depends on nothing but the question and the base: reuse it while the base
    # is unchanged (people ask the same questions).
    return store.per_version(
        ("answer", question, limit), lambda: answer(question, store, limit=limit)
    )


async def answer_question(message: Message, context: BotContext, question: str) -> None:
    """Reply to ``question`` with answering facts and their citations, or say there are none."""
    tr = reply_language(question, context.tr)
    if len(question) > MAX_INPUT * 3:
        await message.reply_text(tr.gettext(texts.ARGS_TOO_LONG, limit=MAX_INPUT * 3))
        return
    talk = small_talk(question)
    if talk is not None:
        await message.reply_text(tr.gettext(texts.SMALL_TALK[talk.value]))
        return
    question = without_small_talk(question)
    store = context.facts
    chat_id = message.chat.id
    previous = context.memory.recall(chat_id) if message.chat.type == ChatType.PRIVATE else None
    follow = follow_up(question, previous.question if previous else "")
    if follow is not None and previous is None:
        if follow.kind is FollowKind.REFINE and not follow.detail_is_bare:
            # "а Бабарико?", "what about sanctions?" with nothing before it (a group, a
            # first message): a question of its own.
            follow = None
        else:
            # "and in 2020?", "source?" with nothing before it: nothing to read it against.
            await message.reply_text(tr.gettext(texts.FOLLOW_NO_PREVIOUS))
            return
    if follow is not None and previous is not None and follow.kind is not FollowKind.REFINE:
        if not previous.fact_ids:
            await message.reply_text(tr.gettext(texts.FOLLOW_NO_PREVIOUS))
            return
        # "source?" says little of its language: answer in the one the question it follows
        # was asked in.
        tr = reply_language(question, reply_language(previous.question, context.tr))
        await _follow(message, context, tr, follow.kind, previous.question, previous.fact_ids)
        return
    if follow is not None:
        question = follow.question
    result = _answer(store, question)
    offered = result.facts or ([result.maybe] if result.maybe else [])
    shown = tuple(f.id for f in offered)
    if message.chat.type == ChatType.PRIVATE:
        # Only private chats: /forget (private only) must be able to drop what is held.
        context.memory.remember(chat_id, question, shown, len(shown))
    if (
        result.found
        and result.polarity is None
        and len(result.facts) == 1
        and result.facts[0].kind is Kind.PERSON
    ):
        # "Who is X?": the profile says more than the person's one-line fact.
        await send_profile(message, context, result.facts[0], tr=tr)
        return
    if not result.found:
        record_unanswered(context, question)
    today = dt.date.today()
    blocks, markup = store.per_version(
        ("answer-reply", question, today, tr.language),
        lambda: _reply(store, result, today, tr),
    )
    await send_blocks(message, blocks, reply_markup=markup, cache=store)


def reply_language(question: str, fallback: Translator) -> Translator:
    """The language to answer ``question`` in: the one it is written in, unless it is a
    bare name or a word or two in Latin letters (then the chat's own language)."""
    language = detect(question, prefer=fallback.language)
    if language == "en" and len(question.split()) <= 2:
        return fallback
    return translator(language)


async def _follow(
    message: Message,
    context: BotContext,
    tr: Translator,
    kind: FollowKind,
    question: str,
    fact_ids: tuple[str, ...],
) -> None:
    """Answer "source?", "who said that?" or "more" about the previous question."""
    store = context.facts
    if kind is FollowKind.SOURCE:
        await message.reply_text(tr.gettext(texts.FOLLOW_SOURCE))
        await show_fact(message, context, fact_ids[0], tr=tr)
        return
    if kind is FollowKind.SPEAKER:
        try:
            fact = store.get(fact_ids[0])
        except NotFoundError:
            await message.reply_text(tr.gettext(texts.FOLLOW_NO_PREVIOUS))
            return
        sources = sources_by_id(store)
        who = (
            esc(term(fact, fact.details.speaker, tr.language))
            if isinstance(fact.details, StatementDetails)
            else attribution(fact, sources, tr)
        )
        blocks = [tr.gettext(texts.FOLLOW_SPEAKER, who=who), *numbered([fact], sources, tr=tr)]
        await send_blocks(
            message, blocks, reply_markup=keyboards.numbered_fact_buttons([fact], tr=tr)
        )
        return
    previous = context.memory.recall(message.chat.id)
    already = previous.shown if previous else len(fact_ids)
    result = _answer(store, question, limit=already + MORE)
    more = [f for f in result.facts if f.id not in fact_ids][:MORE]
    if not more:
        await message.reply_text(tr.gettext(texts.FOLLOW_NO_MORE))
        return
    context.memory.remember(
        message.chat.id, question, fact_ids + tuple(f.id for f in more), already + len(more)
    )
    blocks = [tr.gettext(texts.FOLLOW_MORE), *numbered(more, sources_by_id(store), tr=tr)]
    await send_blocks(message, blocks, reply_markup=keyboards.numbered_fact_buttons(more, tr=tr))


def age_text(value: Age, tr: Translator) -> str:
    """How long ago, in years and months ("3 years and 7 months ago"), never rounded down
    to whole years; months alone under a year."""
    if value.years and value.months:
        return tr.gettext(
            texts.AGE_YEARS_MONTHS,
            years=tr.plural(texts.YEARS, value.years, years=value.years),
            months=tr.plural(texts.MONTHS, value.months, months=value.months),
        )
    if value.years:
        return tr.plural(texts.AGE_YEARS, value.years, years=value.years)
    if value.months:
        return tr.plural(texts.AGE_MONTHS, value.months, months=value.months)
    return tr.gettext(texts.AGE_RECENT)


def _freshness(fact: Fact, today: dt.date, tr: Translator) -> str | None:
    """How old a figure is, for a question about the present."""
    if fact.kind not in (Kind.STATISTIC, Kind.SANCTION) or fact.date is None:
        return None
    value = age(fact, today)
    if value is None:
        return None
    date = esc(fmt_when(fact.date, mark=False, tr=tr))
    return tr.gettext(texts.FRESHNESS, date=date, age=age_text(value, tr))


def _reply(
    store: FactStore, result: Answer, today: dt.date, tr: Translator
) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """The reply to an answer: the facts with their citations and buttons, hedged when the
    bot is unsure, or "I don't know" with suggestions and the commands that could help."""
    sources = sources_by_id(store)
    blocks: list[str] = []
    if result.polarity is not None:
        blocks.append(tr.gettext(_OPENING[result.polarity]))
    if result.found:
        blocks.append(tr.gettext(texts.ANSWER_HEADER))
        for block, fact in zip(numbered(result.facts, sources, tr=tr), result.facts, strict=True):
            # Twins from the fact's own source add no citation worth naming.
            twins = other_sources(fact, result.same.get(fact.id, []))
            if twins:
                also = "; ".join(attribution(t, sources, tr) for t in twins)
                block += "\n" + tr.gettext(texts.ALSO_REPORTED, sources=also)
            blocks.append(block)
        if result.asks_now:
            note = _freshness(result.facts[0], today, tr)
            if note:
                blocks.append(note)
        return blocks, keyboards.numbered_fact_buttons(result.facts, tr=tr)
    if result.maybe is not None:
        # Clearly labelled: the closest fact, not an answer.
        blocks += [tr.gettext(texts.HEDGED), *numbered([result.maybe], sources, tr=tr)]
        if result.asks_now:
            note = _freshness(result.maybe, today, tr)
            if note:
                blocks.append(note)
        return blocks, keyboards.numbered_fact_buttons([result.maybe], tr=tr)
    if result.polarity is None:
        blocks.append(tr.gettext(texts.NO_ANSWER))
    markup: InlineKeyboardMarkup | None = None
    if result.suggestions:
        lines = [tr.gettext(texts.NO_ANSWER_SUGGEST)]
        lines += [
            f"{n}. {esc(shorten(fact_text(f, tr), 120))}"
            for n, f in enumerate(result.suggestions, 1)
        ]
        blocks.append("\n".join(lines))
        markup = keyboards.numbered_fact_buttons(result.suggestions, tr=tr)
    commands = [COMMANDS[i] for i in Intent if i in result.intents and i in COMMANDS]
    listed = esc(", ".join(commands)) if commands else tr.gettext(texts.DEFAULT_COMMANDS)
    blocks.append(tr.gettext(texts.NO_ANSWER_COMMANDS, commands=listed))
    return blocks, markup


async def private_question(update: Update, context: BotContext) -> None:
    """Any text in a private chat is a question."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await answer_question(message, context, message.text)


def _mention_pattern(username: str) -> re.Pattern[str]:
    # Matched on the text rather than on "mention" entities: same result, and it also
    # holds for clients and test servers that leave entities out.
    return re.compile(rf"(?<![\w@])@{re.escape(username)}(?!\w)", re.IGNORECASE)


async def group_mention(update: Update, context: BotContext) -> None:
    """In a group, answer only a text that mentions the bot; the mention is not the question."""
    message = update.effective_message
    username = context.bot.username
    if message is None or not message.text or not username:
        return
    mention = _mention_pattern(username)
    if not mention.search(message.text):
        return
    question = mention.sub(" ", message.text)
    question = " ".join(question.split())
    if not question:
        await message.reply_text(
            context.tr.gettext(texts.GROUP_EMPTY_MENTION, username=esc(username))
        )
        return
    await answer_question(message, context, question)


_TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT


async def not_text(update: Update, context: BotContext) -> None:
    """A photo, sticker, location… in a private chat: say what the bot reads. A caption
    that starts with /start (a deep link shared as a picture, say) gets the welcome."""
    message = update.effective_message
    if message is None:
        return
    caption = (message.caption or "").strip()
    if caption.split(maxsplit=1)[:1] in (["/start"], [f"/start@{context.bot.username}"]):
        context.args = []
        await start(update, context)
        return
    await message.reply_text(context.tr.gettext(texts.NOT_TEXT))


#: Private messages that are neither text nor a service notice (a member joined…).
_NOT_TEXT = (
    filters.UpdateType.MESSAGE
    & filters.ChatType.PRIVATE
    & ~filters.TEXT
    & ~filters.StatusUpdate.ALL
    & ~filters.VIA_BOT
)

HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    MessageHandler(_TEXT & filters.ChatType.PRIVATE, private_question),
    MessageHandler(_TEXT & filters.ChatType.GROUPS & filters.Regex("@"), group_mention),
    MessageHandler(_NOT_TEXT, not_text),
]
