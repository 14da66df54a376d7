"""Plain-text questions, answered by facts.answer from the best-matching facts, or honestly not.

In private chats every text is a question; in groups only a text that mentions the bot.
"""

from __future__ import annotations

import re

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import BaseHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.admin_core import record_unanswered
from bot.handlers.common import MAX_INPUT, per_version, send_blocks, sources_by_id
from bot.handlers.who import send_profile
from bot.render import esc, numbered, shorten
from facts.answer import Answer, answer
from facts.model import Kind
from facts.store import FactStore


async def answer_question(message: Message, context: BotContext, question: str) -> None:
    """Reply to ``question`` with answering facts and their citations, or say there are none."""
    if len(question) > MAX_INPUT * 3:
        await message.reply_text(texts.ARGS_TOO_LONG.format(limit=MAX_INPUT * 3))
        return
    # Answering depends on nothing but the question and the base: reuse it while the base
    # is unchanged (people ask the same questions).
    store = context.facts
    result = per_version(store, ("answer", question), lambda: answer(question, store))
    if result.found and len(result.facts) == 1 and result.facts[0].kind is Kind.PERSON:
        # "Who is X?": the profile says more than the person's one-line fact.
        await send_profile(message, context, result.facts[0])
        return
    if not result.found:
        record_unanswered(context, question)
    blocks, markup = per_version(store, ("answer-reply", question), lambda: _reply(store, result))
    await send_blocks(message, blocks, reply_markup=markup)


def _reply(store: FactStore, result: Answer) -> tuple[list[str], InlineKeyboardMarkup | None]:
    """The reply to an answer: the facts with their citations and buttons, or "I don't
    know" with suggestions and the commands that could help."""
    if result.found:
        blocks = [texts.ANSWER_HEADER, *numbered(result.facts, sources_by_id(store))]
        return blocks, keyboards.numbered_fact_buttons(result.facts)
    blocks = [texts.NO_ANSWER]
    markup: InlineKeyboardMarkup | None = None
    if result.suggestions:
        lines = [texts.NO_ANSWER_SUGGEST]
        lines += [f"{n}. {esc(shorten(f.text, 120))}" for n, f in enumerate(result.suggestions, 1)]
        blocks.append("\n".join(lines))
        markup = keyboards.numbered_fact_buttons(result.suggestions)
    commands = ", ".join(result.commands) if result.commands else texts.DEFAULT_COMMANDS
    blocks.append(texts.NO_ANSWER_COMMANDS.format(commands=esc(commands)))
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
        await message.reply_text(texts.GROUP_EMPTY_MENTION.format(username=esc(username)))
        return
    await answer_question(message, context, question)


_TEXT = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND & ~filters.VIA_BOT
HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    MessageHandler(_TEXT & filters.ChatType.PRIVATE, private_question),
    MessageHandler(_TEXT & filters.ChatType.GROUPS & filters.Regex("@"), group_mention),
]
