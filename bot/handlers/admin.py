"""Admin commands: /adminhelp, /history, /retract, /revert, /export, and every admin
handler in order (:func:`handlers`).

Wiring: ``bot.app`` puts :func:`handlers` in its handler block; the admin state is
``context.admin`` (one of the services, see :mod:`bot.services`). /add and /addjson live in
admin_add and admin_new_fact, /addsource in admin_source, /edit in admin_edit, /supersede
in admin_supersede, /import in admin_import, /grant, /revoke and /admins in admin_roles,
Confirm, Cancel and drafts in admin_publish; authorisation in admin_auth, previews in
admin_core.

Callback data (each ≤ 64 bytes): ``adm:ok:<token>`` confirm a preview, ``adm:no:<token>``
cancel it, ``adm:ae:<token>`` edit an /add preview, ``adm:ud:<key>`` dismiss an unanswered
question, ``adm:da:<id>`` / ``adm:dr:<id>`` approve / reject a draft; the conversations'
own buttons are listed in their modules.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.cards import action_label, reason_text
from bot.context import BotContext
from bot.handlers import (
    admin_add,
    admin_edit,
    admin_import,
    admin_source,
    admin_supersede,
    admin_unanswered,
)
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.admin_core import (
    CANCEL_PREFIX,
    CONFIRM_PREFIX,
    TOKEN_PATTERN,
    bad_answer,
    change_line,
    command_args,
    example_id,
    fact_blocks,
    find_fact,
    new_draft_id,
    send_preview,
    sender_id,
)
from bot.handlers.admin_dialogue import (
    conversation,
)
from bot.handlers.admin_publish import (
    APPROVE_PREFIX,
    REJECT_PREFIX,
    cancel,
    cancel_button,
    confirm_button,
    decide_button,
    drafts,
    stale_button,
)
from bot.handlers.admin_roles import admins, grant, revoke
from bot.handlers.common import send_blocks
from bot.i18n import Translator
from bot.render import esc, fact_compact, fmt_datetime, shorten
from facts.admin_store import Draft, DraftAction
from facts.bundle import dump_bundle
from facts.edits import (
    changes,
)
from facts.fields import (
    parse_reason,
)
from facts.model import Fact, Status

log = logging.getLogger(__name__)

_MESSAGE = filters.UpdateType.MESSAGE
HISTORY_CHANGES_SHOWN = 6


#: A command about one fact: the update, the context, the message, the fact, its words.
FactHandler = Callable[[Update, BotContext, Message, Fact, list[str]], Coroutine[Any, Any, None]]


def _fact_command(
    command: str, usage: str, *, least: int, most: int | None = None
) -> Callable[[FactHandler], Callable[[Update, BotContext], Coroutine[Any, Any, Any]]]:
    """An admin command whose first word names a fact: the handler gets the fact and the
    words; a wrong count of words (``usage`` is the reply) or an unknown fact is answered
    here."""

    def wrap(handler: FactHandler) -> Callable[[Update, BotContext], Coroutine[Any, Any, Any]]:
        async def run(
            update: Update, context: BotContext, state: AdminState, role: Role, message: Message
        ) -> None:
            args = command_args(context)
            if len(args) < least or (most is not None and len(args) > most):
                example = esc(example_id(context.facts))
                await message.reply_text(context.tr.gettext(usage, example=example), do_quote=False)
                return
            fact = await find_fact(message, context.facts, args[0], tr=context.tr)
            if fact is not None:
                await handler(update, context, message, fact, args)

        run.__name__ = handler.__name__
        run.__doc__ = handler.__doc__
        return admin_command(command)(run)

    return wrap


# --- help ------------------------------------------------------------------------------------
@admin_command("/adminhelp")
async def adminhelp(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/adminhelp: the admin commands with examples."""
    tr = context.tr
    lines = [tr.gettext(at.ADMIN_HELP_HEADER, role=esc(tr.gettext(at.ROLE_NAMES[role.value])))]
    for command, example, description in at.ADMIN_COMMANDS:
        if command in at.OWNER_COMMANDS and role is not Role.OWNER:
            continue
        lines.append(
            f"/{command} — {esc(tr.gettext(description))}\n    <i>{esc(tr.gettext(example))}</i>"
        )
    footer = [context.tr.gettext(at.ADMIN_HELP_FOOTER)]
    if state.review_mode:
        footer.append(context.tr.gettext(at.REVIEW_MODE_ON))
    await send_blocks(message, ["\n".join(lines), "\n".join(footer)], quote=False)


# --- roles -----------------------------------------------------------------------------------


# --- history, retract, revert --------------------------------------------------------------------
@_fact_command("/history", at.HISTORY_USAGE, least=1, most=1)
async def history(
    update: Update, context: BotContext, message: Message, fact: Fact, args: list[str]
) -> None:
    """/history <id>: every revision with who, when, why and what changed."""
    store = context.facts
    revisions = store.history(fact.id)
    blocks = [
        context.tr.gettext(
            at.HISTORY_HEADER,
            fact_id=esc(fact.id),
            status=esc(context.tr.gettext(at.FACT_STATUS_NAMES[fact.status.value])),
            count=len(revisions),
        )
    ]
    previous: Fact | None = None
    for rev in revisions:
        lines = [
            context.tr.gettext(
                at.HISTORY_LINE,
                revision=rev.revision,
                action=esc(action_label(rev.action, context.tr)),
                at=esc(fmt_datetime(rev.at, context.tr)),
                by=esc(rev.by),
                reason=esc(shorten(reason_text(rev.reason, context.tr), 300)),
            )
        ]
        if previous is not None:
            diff = changes(previous, rev.fact)
            lines += [
                context.tr.gettext(
                    at.HISTORY_CHANGE,
                    field=esc(name),
                    old=esc(shorten(old, 80)),
                    new=esc(shorten(new, 80)),
                )
                for name, old, new in diff[:HISTORY_CHANGES_SHOWN]
            ]
            if len(diff) > HISTORY_CHANGES_SHOWN:
                more = len(diff) - HISTORY_CHANGES_SHOWN
                lines.append(context.tr.plural(at.HISTORY_MORE_CHANGES, more, count=more))
        blocks.append("\n".join(lines))
        previous = rev.fact
    blocks.append(context.tr.gettext(at.HISTORY_REVERT_HINT, fact_id=esc(fact.id)))
    await send_blocks(message, blocks, quote=False)


@_fact_command("/retract", at.RETRACT_USAGE, least=2)
async def retract(
    update: Update, context: BotContext, message: Message, fact: Fact, args: list[str]
) -> None:
    """/retract <id> <reason>: preview the retraction, applied on Confirm."""
    store = context.facts
    if fact.status is Status.RETRACTED:
        await message.reply_text(
            context.tr.gettext(at.RETRACT_ALREADY, fact_id=esc(fact.id)), do_quote=False
        )
        return
    reason = await _reason(message, " ".join(args[1:]), tr=context.tr)
    if reason is None:
        return
    change = _draft(DraftAction.RETRACT, fact, sender_id(update), reason)
    text = context.tr.gettext(
        at.RETRACT_PREVIEW,
        fact=fact_compact(fact, {s.id: s for s in store.sources()}, tr=context.tr),
        reason=esc(reason),
    )
    await send_preview(
        message,
        context,
        Pending(user_id=sender_id(update), change=change),
        [text],
        header="",
        facts=store,
        tr=context.tr,
    )


@_fact_command("/revert", at.REVERT_USAGE, least=3)
async def revert(
    update: Update, context: BotContext, message: Message, fact: Fact, args: list[str]
) -> None:
    """/revert <id> <revision> <reason>: preview the restored version, applied on Confirm."""
    store = context.facts
    revisions = store.history(fact.id)
    raw = args[1].lstrip("#r")
    if not raw.isdigit() or not 1 <= int(raw) <= len(revisions):
        await message.reply_text(
            context.tr.gettext(
                at.REVERT_BAD_REVISION,
                fact_id=esc(fact.id),
                count=len(revisions),
                value=esc(shorten(args[1], 20)),
            ),
            do_quote=False,
        )
        return
    target = revisions[int(raw) - 1].fact
    diff = changes(fact, target)
    if not diff:
        await message.reply_text(
            context.tr.gettext(at.REVERT_SAME, revision=int(raw), fact_id=esc(fact.id)),
            do_quote=False,
        )
        return
    reason = await _reason(message, " ".join(args[2:]), tr=context.tr)
    if reason is None:
        return
    change = _draft(DraftAction.REVERT, fact, sender_id(update), reason, revision=int(raw))
    summary = [context.tr.gettext(at.REVERT_HEADER, revision=int(raw), fact_id=esc(fact.id))]
    summary += [change_line(name, old, new, tr=context.tr) for name, old, new in diff]
    pending = Pending(user_id=sender_id(update), change=change)
    blocks = fact_blocks(store, target, tr=context.tr, before=fact)
    await send_preview(
        message, context, pending, blocks, intro=["\n".join(summary)], facts=store, tr=context.tr
    )


async def _reason(message: Message, raw: str, *, tr: Translator) -> str | None:
    try:
        return parse_reason(raw)
    except ValueError as exc:
        await message.reply_text(bad_answer(exc, tr=tr), do_quote=False)
        return None


def _draft(action: DraftAction, fact: Fact, user_id: int, reason: str, **extra: Any) -> Draft:
    return Draft(
        id=new_draft_id(),
        action=action,
        fact_id=fact.id,
        base_revision=fact.revision,
        reason=reason,
        by=user_id,
        at=datetime.now(UTC),
        **extra,
    )


# --- confirm / cancel ------------------------------------------------------------------------


# --- export ----------------------------------------------------------------------------------
@admin_command("/export")
async def export(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/export: the whole base (every fact, every status) as a JSON document."""
    bundle = context.facts.export_bundle()
    now = datetime.now(UTC)
    data = dump_bundle(bundle).encode("utf-8")
    await message.reply_document(
        document=data,
        filename=f"factbot-export-{now:%Y%m%d-%H%M%S}.json",
        caption=context.tr.gettext(
            at.EXPORT_CAPTION,
            facts=len(bundle.facts),
            sources=len(bundle.sources),
            at=esc(fmt_datetime(now, context.tr)),
        ),
        do_quote=False,
    )


# --- review mode -----------------------------------------------------------------------------


# --- wiring ----------------------------------------------------------------------------------
def handlers() -> list[BaseHandler[Update, BotContext, Any]]:
    """Every admin handler, in order.

    Conversations come first so that an admin's answers inside one never reach other
    handlers; all of it must precede the unknown-command fallback and plain-text questions.
    """

    def command(name: str, callback: Any) -> CommandHandler[BotContext, Any]:
        return CommandHandler(name, callback, filters=_MESSAGE)

    dialogues = conversation(
        name="admin",
        entry_points=[
            *admin_add.entry_points(),
            *admin_edit.entry_points(),
            *admin_supersede.entry_points(),
            *admin_import.entry_points(),
        ],
        states={**admin_add.states(), **admin_edit.states(), **admin_import.states()},
    )
    return [
        dialogues,
        *admin_source.handlers(),
        command("adminhelp", adminhelp),
        command("admins", admins),
        command("grant", grant),
        command("revoke", revoke),
        command("history", history),
        command("retract", retract),
        command("revert", revert),
        command("export", export),
        command("drafts", drafts),
        *admin_unanswered.handlers(),
        command("cancel", cancel),
        CallbackQueryHandler(confirm_button, pattern=rf"^{CONFIRM_PREFIX}:{TOKEN_PATTERN}$"),
        CallbackQueryHandler(cancel_button, pattern=rf"^{CANCEL_PREFIX}:{TOKEN_PATTERN}$"),
        CallbackQueryHandler(
            decide_button, pattern=rf"^(?:{APPROVE_PREFIX}|{REJECT_PREFIX}):[0-9a-f]{{8}}$"
        ),
        # Buttons of a conversation that is no longer running (timed out, restarted).
        CallbackQueryHandler(stale_button, pattern=r"^adm:"),
    ]
