"""Claim check: a forwarded post, /check <text>, /check as a reply, or a long multi-sentence
message in a private chat is read as claims, each checked against the fact base
(facts.claims) and answered in one message with a button per fact.

Nothing of the post is kept: not its text, not who sent or forwarded it, not its origin;
it is not remembered for follow-ups, not counted as an unanswered question and not cached.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import BaseHandler, CommandHandler, MessageHandler, filters

from bot import texts
from bot.context import BotContext
from bot.handlers import keyboards
from bot.handlers.common import send_blocks, sources_by_id
from bot.handlers.questions import reply_language
from bot.i18n import Translator
from bot.render import attribution, esc, fact_text, shorten
from bot.splitting import visible_length
from facts.claims import (
    MAX_CLAIMS,
    MAX_POST,
    ClaimCheck,
    Conflict,
    Finding,
    PostCheck,
    check_post,
)
from facts.claims import looks_like_post as _looks_like_post
from facts.model import Fact, Source

_FINDING = {
    Finding.SUPPORT: texts.CHECK_SUPPORT,
    Finding.CONTRADICT: texts.CHECK_CONTRADICT,
    Finding.CONTEXT: texts.CHECK_CONTEXT,
    Finding.NOTHING: texts.CHECK_NOTHING,
}
#: Facts cited under one claim (each also gets a button).
FACTS_PER_CLAIM = 2
#: The reply is kept to one message: past this many visible characters, it is compacted.
_ONE_MESSAGE = 3800


def _post_text(message: Message) -> str:
    return (message.text or message.caption or "").strip()


async def check_command(update: Update, context: BotContext) -> None:
    """/check <text>, or /check as a reply to a message: check the claims in the text."""
    message = update.effective_message
    if message is None:
        return
    text = message.text or ""
    parts = text.split(maxsplit=1)
    post = parts[1].strip() if len(parts) > 1 else ""
    if not post and message.reply_to_message is not None:
        post = _post_text(message.reply_to_message)
    if not post:
        await message.reply_text(context.tr.gettext(texts.CHECK_USAGE))
        return
    await check_and_reply(message, context, post)


async def forwarded_post(update: Update, context: BotContext) -> None:
    """A message forwarded into a private chat (from any origin) is a post to check."""
    message = update.effective_message
    if message is None:
        return
    post = _post_text(message)
    if post:
        await check_and_reply(message, context, post)


async def long_post(update: Update, context: BotContext) -> None:
    """A long multi-sentence message in a private chat is a post to check, not a question."""
    message = update.effective_message
    if message is None or not message.text:
        return
    await check_and_reply(message, context, message.text)


async def check_and_reply(message: Message, context: BotContext, post: str) -> None:
    """Check ``post`` and reply with one message: the claims numbered, each with its finding
    and compact citations, what was set aside, and a button per fact."""
    tr = reply_language(post, context.tr)
    result = check_post(post[:MAX_POST], context.facts)
    blocks, facts = _reply(result, sources_by_id(context.facts), tr, FACTS_PER_CLAIM, 160)
    if sum(visible_length(b) for b in blocks) > _ONE_MESSAGE:
        blocks, facts = _reply(result, sources_by_id(context.facts), tr, 1, 90)
    markup = keyboards.numbered_fact_buttons(facts, tr=tr) if facts else None
    await send_blocks(message, blocks, reply_markup=markup)


def _reply(
    result: PostCheck,
    sources: dict[str, Source],
    tr: Translator,
    per_claim: int,
    width: int,
) -> tuple[list[str], list[Fact]]:
    claims = result.claims
    if not claims:
        blocks = [tr.gettext(texts.CHECK_NO_CLAIMS)]
        if result.set_aside:
            blocks.append(_set_aside(result, tr))
        return blocks, []
    blocks = [tr.plural(texts.CHECK_HEADER, len(claims), count=len(claims))]
    facts: list[Fact] = []
    for n, claim in enumerate(claims, 1):
        blocks.append(_claim_block(n, claim, facts, sources, tr, per_claim, width))
    if result.set_aside:
        blocks.append(_set_aside(result, tr))
    if result.unchecked:
        blocks.append(_unchecked(result, tr))
    blocks.append(tr.gettext(texts.CHECK_FOOTER))
    return blocks, facts


def _claim_block(
    n: int,
    claim: ClaimCheck,
    facts: list[Fact],
    sources: dict[str, Source],
    tr: Translator,
    per_claim: int,
    width: int,
) -> str:
    if claim.finding is Finding.CONTEXT and claim.conflict is Conflict.NUMBER:
        finding = tr.gettext(texts.CHECK_CONTEXT_FIGURE)
    else:
        finding = tr.gettext(_FINDING[claim.finding])
        if claim.conflict is not None:
            finding += " " + tr.gettext(texts.CHECK_CONFLICT[claim.conflict.value])
    lines = [f"<b>{n}.</b> «{esc(shorten(claim.text, 200))}»", finding]
    for fact in claim.facts[:per_claim]:
        if fact not in facts:
            facts.append(fact)
        number = facts.index(fact) + 1
        lines.append(
            f"[{number}] {esc(shorten(fact_text(fact, tr), width))} "
            f"<i>— {attribution(fact, sources, tr)}</i>"
        )
    return "\n".join(lines)


def _set_aside(result: PostCheck, tr: Translator) -> str:
    items = "; ".join(f"«{esc(shorten(a.text, 80))}»" for a in result.set_aside[:8])
    more = len(result.set_aside) - 8
    if more > 0:
        items += f" (+{more})"
    return tr.gettext(texts.CHECK_SET_ASIDE, items=items)


def _unchecked(result: PostCheck, tr: Translator) -> str:
    """The claims past the most one post is checked for, so the reader knows which."""
    shown = result.unchecked[:5]
    items = "; ".join(f"«{esc(shorten(text, 80))}»" for text in shown)
    more = len(result.unchecked) - len(shown)
    if more > 0:
        items += f" (+{more})"
    count = len(result.unchecked)
    return tr.plural(texts.CHECK_LIMIT, count, count=count, limit=MAX_CLAIMS, items=items)


class _LongPost(filters.MessageFilter):
    """A text that reads as a post (several sentences, long), not as a question."""

    def filter(self, message: Message) -> bool:
        return bool(message.text) and _looks_like_post(message.text or "")


_MESSAGE = filters.UpdateType.MESSAGE
_PRIVATE = _MESSAGE & filters.ChatType.PRIVATE & ~filters.VIA_BOT
HANDLERS: list[BaseHandler[Update, BotContext, None]] = [
    CommandHandler("check", check_command, filters=_MESSAGE),
    MessageHandler(
        _PRIVATE & filters.FORWARDED & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND,
        forwarded_post,
    ),
    MessageHandler(_PRIVATE & filters.TEXT & ~filters.COMMAND & _LongPost(), long_post),
]
