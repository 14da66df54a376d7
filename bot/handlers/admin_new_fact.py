"""A new fact checked against the base and previewed — from /addjson (one fact as JSON, the
export format) or from the /add dialogue's answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.admin_core import (
    ADD_EDIT_PREFIX,
    command_rest,
    fact_blocks,
    new_draft_id,
    reply_bad_input,
    reply_problems,
    send_preview,
)
from bot.handlers.admin_dialogue import (
    end_sessions,
)
from facts.admin_store import Draft, DraftAction
from facts.changes import check_change
from facts.edits import (
    fact_from_json,
    split_json_and_reason,
)
from facts.errors import FactsError
from facts.fields import (
    InputError,
)
from facts.model import Fact, Kind, Source


@admin_command("/addjson")
async def addjson(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> int:
    """/addjson {…}: a whole fact in one message, previewed, then confirmed."""
    end_sessions(context)
    raw = command_rest(message)
    if not raw:
        # Formatted: the text doubles the braces of its JSON example.
        await message.reply_text(
            context.tr.gettext(
                at.ADD_JSON_HINT,
            ),
            do_quote=False,
        )
        return ConversationHandler.END
    await add_from_json(message, context, state, raw)
    return ConversationHandler.END


async def add_from_json(message: Message, context: BotContext, state: AdminState, raw: str) -> None:
    try:
        data, reason = split_json_and_reason(raw)
        fact = fact_from_json(data)
    except (InputError, FactsError) as exc:
        await reply_bad_input(
            message,
            exc,
            context.tr.gettext(
                at.ADD_JSON_HINT,
            ),
            tr=context.tr,
        )
        return
    assert message.from_user is not None
    await preview_new_fact(message, context, state, message.from_user.id, fact, None, reason)


async def preview_new_fact(
    message: Message,
    context: BotContext,
    state: AdminState,
    user_id: int,
    fact: Fact,
    source: Source | None,
    reason: str = "",
    *,
    document: str | None = None,
    kind: Kind | None = None,
    answers: dict[str, Any] | None = None,
) -> bool:
    """Check a new fact against the base and show its preview; False (after saying why)
    when it cannot be added."""
    change = Draft(
        id=new_draft_id(),
        action=DraftAction.ADD,
        fact_id=fact.id,
        fact=fact,
        source=source,
        reason=reason or context.tr.gettext(at.ADD_REASON),
        by=user_id,
        at=datetime.now(UTC),
    )
    try:
        check_change(context.facts, change, document=document)
    except FactsError as exc:
        await reply_problems(message, exc, tr=context.tr)
        return False
    pending = Pending(user_id=user_id, change=change, document=document, kind=kind, answers=answers)
    blocks = fact_blocks(context.facts, fact, extra_source=source, tr=context.tr)
    edit_prefix = ADD_EDIT_PREFIX if answers is not None else None
    await send_preview(message, context, pending, blocks, edit_prefix=edit_prefix, tr=context.tr)
    return True
