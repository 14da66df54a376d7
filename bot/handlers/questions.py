"""Plain-text questions: answered from the best-matching facts, or honestly not at all.

In private chats every text is a question; in groups only a text that mentions the bot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from telegram import InlineKeyboardMarkup, Message, MessageEntity, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import MAX_INPUT, send_blocks, sources_by_id
from bot.render import esc, numbered, shorten
from facts.model import (
    Fact,
    PersonDetails,
    SanctionDetails,
    StatementDetails,
    StatisticDetails,
)
from facts.search import tokens
from facts.store import FactStore

SHOWN = 3
#: Share of a question's content words a fact must contain to count as an answer.
MIN_COVERAGE = 0.6
_STOP = frozenset(
    tokens(
        """a about after against all also am an and any are as at be been before being but by
        can could did do does doing done during each for from had has have having he her here
        him his how i if in into is it its me more most my no nor not now of on once only or
        other our out over own please same she should so some such tell than that the their
        them then there these they this those through to too under until up very was we were
        what when where which while who whom why will with would you your belarus belarusian
        know many much number say said"""
    )
)


@dataclass(frozen=True, slots=True)
class Reply:
    """What to say to a question: answering facts, or close matches when there are none."""

    facts: list[Fact] = field(default_factory=list)
    suggestions: list[Fact] = field(default_factory=list)

    @property
    def found(self) -> bool:
        """True when at least one fact answers the question."""
        return bool(self.facts)


def _stem(token: str) -> str:
    # Crude plural folding, so "prisoners" meets "prisoner" and "sanctions" "sanction".
    return (
        token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token
    )


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry meaning, folded."""
    return {_stem(t) for t in tokens(text) if t not in _STOP and len(t) > 1}


def _fact_words(fact: Fact) -> set[str]:
    parts = [fact.text, *fact.names, *(c.quote for c in fact.citations), *fact.topics]
    d = fact.details
    if isinstance(d, StatisticDetails):
        parts += [d.unit, d.counted_by or ""]
    elif isinstance(d, SanctionDetails):
        parts += [*d.imposed_by, *d.targets, *d.measures]
    elif isinstance(d, StatementDetails):
        parts.append(d.speaker)
    elif isinstance(d, PersonDetails):
        parts += [r.title for r in d.roles]
    return {_stem(t) for t in tokens(" ".join(parts))}


def find_answer(question: str, store: FactStore) -> Reply:
    """Facts that answer ``question``: search hits that contain most of its content words.

    A strict threshold on purpose: an unrelated fact presented as an answer is worse than
    an honest "not found".
    """
    wanted = content_words(question)
    if not wanted:
        return Reply()
    hits = [h.fact for h in store.search(question, limit=10) if h.fact.is_current]
    good = [f for f in hits if len(wanted & _fact_words(f)) / len(wanted) >= MIN_COVERAGE]
    if good:
        return Reply(facts=good[:SHOWN])
    return Reply(suggestions=hits[:SHOWN])


async def answer_question(message: Message, context: BotContext, question: str) -> None:
    """Reply to ``question`` with answering facts and their citations, or say there are none."""
    if len(question) > MAX_INPUT * 3:
        await message.reply_text(texts.ARGS_TOO_LONG.format(limit=MAX_INPUT * 3))
        return
    reply = find_answer(question, context.facts)
    sources = sources_by_id(context.facts)
    if reply.found:
        blocks = [texts.ANSWER_HEADER, *numbered(reply.facts, sources)]
        buttons = keyboards.numbered_fact_buttons([f.id for f in reply.facts])
        await send_blocks(message, blocks, reply_markup=buttons)
        return
    blocks = [texts.NO_ANSWER]
    markup: InlineKeyboardMarkup | None = None
    if reply.suggestions:
        lines = [texts.NO_ANSWER_SUGGEST]
        lines += [f"{n}. {esc(shorten(f.text, 120))}" for n, f in enumerate(reply.suggestions, 1)]
        blocks.append("\n".join(lines))
        markup = keyboards.numbered_fact_buttons([f.id for f in reply.suggestions])
    blocks.append(texts.NO_ANSWER_COMMANDS)
    await send_blocks(message, blocks, reply_markup=markup)


async def private_question(update: Update, context: BotContext) -> None:
    """Any text in a private chat is a question."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await answer_question(message, context, message.text)


def _mentions_me(message: Message, username: str) -> bool:
    wanted = f"@{username}".casefold()
    return any(
        text.casefold() == wanted
        for entity, text in message.parse_entities([MessageEntity.MENTION]).items()
        if entity.type == MessageEntity.MENTION
    )


async def group_mention(update: Update, context: BotContext) -> None:
    """In a group, answer only a text that mentions the bot; the mention is not the question."""
    message = update.effective_message
    username = context.bot.username
    if message is None or not message.text or not username:
        return
    if not _mentions_me(message, username):
        return
    question = re.sub(rf"@{re.escape(username)}\b", " ", message.text, flags=re.IGNORECASE)
    question = " ".join(question.split())
    if not question:
        await message.reply_text(texts.GROUP_EMPTY_MENTION.format(username=esc(username)))
        return
    await answer_question(message, context, question)


_TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT
HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    MessageHandler(_TEXT & filters.ChatType.PRIVATE, private_question),
    MessageHandler(
        _TEXT & filters.ChatType.GROUPS & filters.Entity(MessageEntity.MENTION), group_mention
    ),
]
