"""/supersede — a newer fact replaces an old one: ``/supersede <id>`` asks for the new
value, date, claim and citation (the dialogue is admin_edit's), ``/supersede <id> {…new
fact JSON…} | <reason>`` takes it in one message. Both end in admin_edit's preview.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CommandHandler, ConversationHandler, filters

from bot import admin_texts as at
from bot.admin_state import AdminState, Role
from bot.context import BotContext
from bot.handlers.admin_asking import Asking, ask
from bot.handlers.admin_auth import admin_command
from bot.handlers.admin_core import command_rest, reply_bad_input
from bot.handlers.admin_dialogue import AnyHandler, end_sessions
from bot.handlers.admin_edit import (
    SESSION,
    VALUE,
    EditSession,
    current_fact,
    reason_or_preview,
)
from bot.handlers.admin_fields import supersede_fields
from bot.render import esc
from facts.admin_store import DraftAction
from facts.edits import current_value, fact_from_json, split_json_and_reason
from facts.errors import FactsError
from facts.fields import InputError, parse_reason

END = ConversationHandler.END


@admin_command("/supersede")
async def supersede(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> int:
    """/supersede <id> [{…new fact…} | <reason>]: ask for the new fact, then preview."""
    parts = command_rest(message).split(maxsplit=1)
    if not parts:
        # Formatted: the text doubles the braces of its JSON example.
        await message.reply_text(
            context.tr.gettext(
                at.SUPERSEDE_USAGE,
            ),
            do_quote=False,
        )
        return END
    fact = await current_fact(message, context, parts[0])
    if fact is None:
        return END
    fields = supersede_fields(fact)
    untranslated = fact.model_copy(update={"translations": {}})
    answers = {spec.key: current_value(untranslated, spec.key) for spec in fields}
    session = EditSession(
        action=DraftAction.SUPERSEDE,
        fact=fact,
        asking=Asking(fields=fields, answers=answers, offer_keep=True),
    )
    SESSION.start(context, session)
    if len(parts) == 2:
        try:
            data, reason = split_json_and_reason(parts[1])
            session.proposed = fact_from_json(data)
            if reason:
                session.reason = parse_reason(reason)
        except (InputError, FactsError) as exc:
            await reply_bad_input(
                message,
                exc,
                context.tr.gettext(
                    at.SUPERSEDE_USAGE,
                ),
                tr=context.tr,
            )
            return end_sessions(context)
        return await reason_or_preview(message, context, session)
    await message.reply_text(
        context.tr.gettext(at.SUPERSEDE_START, fact_id=esc(fact.id)), do_quote=False
    )
    await ask(message, context, session.asking)
    return VALUE


def entry_points() -> list[AnyHandler]:
    """How /supersede starts (its states are admin_edit's)."""
    return [CommandHandler("supersede", supersede, filters=filters.UpdateType.MESSAGE)]
