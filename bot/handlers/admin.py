"""Admin commands: roles, history, retract/revert, export, unanswered questions, previews.

Wiring: ``bot.app`` puts :func:`handlers` in its handler block; the admin state is
``context.admin`` (one of the services, see :mod:`bot.services`). /add, /edit,
/supersede and /import live in admin_add, admin_edit and admin_import; authorisation and
previews in admin_core.

Callback data (each ≤ 64 bytes): ``adm:ok:<token>`` confirm a preview, ``adm:no:<token>``
cancel it, ``adm:ae:<token>`` edit an /add preview, ``adm:ud:<key>`` dismiss an unanswered
question, ``adm:da:<id>`` / ``adm:dr:<id>`` approve / reject a draft; the conversations'
own buttons are listed in their modules.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    filters,
)

from bot import admin_texts as at
from bot import notify
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers import admin_add, admin_edit, admin_import, admin_unanswered
from bot.handlers.admin_core import (
    CANCEL_PREFIX,
    CONFIRM_PREFIX,
    TOKEN_PATTERN,
    Press,
    admin_command,
    bad_answer,
    by_label,
    change_line,
    conversation,
    drop_keyboard,
    example_id,
    fact_blocks,
    find_fact,
    new_draft_id,
    not_saved_toast,
    pressed,
    reply_problems,
    send_preview,
)
from bot.handlers.common import send_blocks
from bot.i18n import Translator
from bot.render import esc, fact_compact, fmt_datetime, shorten
from facts.admin_store import Draft, DraftAction, DraftOutcome, RoleAction
from facts.bundle import dump_bundle
from facts.changes import apply_change, check_change
from facts.edits import (
    changes,
)
from facts.errors import FactsError, NotFoundError
from facts.fields import (
    parse_reason,
)
from facts.model import Fact, Status

log = logging.getLogger(__name__)

_MESSAGE = filters.UpdateType.MESSAGE
#: Telegram user ids are positive and fit in 52 bits (Bot API documentation).
_USER_ID = re.compile(r"^\d{1,16}$")
HISTORY_CHANGES_SHOWN = 6


def _args(context: BotContext) -> list[str]:
    return list(context.args or [])


async def _fact_command(
    context: BotContext, message: Message, usage: str, *, least: int, most: int | None = None
) -> tuple[Fact, list[str]] | None:
    """The fact a command names first, and its words; None once the admin is told why not."""
    args = _args(context)
    if len(args) < least or (most is not None and len(args) > most):
        await message.reply_text(
            usage.format(example=esc(example_id(context.facts))), do_quote=False
        )
        return None
    fact = await find_fact(message, context.facts, args[0], tr=context.tr)
    return None if fact is None else (fact, args)


# --- help ------------------------------------------------------------------------------------
@admin_command("/adminhelp")
async def adminhelp(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/adminhelp: the admin commands with examples."""
    lines = [context.tr.gettext(at.ADMIN_HELP_HEADER, role=role.value)]
    for command, example, description in at.ADMIN_COMMANDS:
        if command in at.OWNER_COMMANDS and role is not Role.OWNER:
            continue
        lines.append(f"/{command} — {esc(description)}\n    <i>{esc(example)}</i>")
    footer = [context.tr.gettext(at.ADMIN_HELP_FOOTER)]
    if state.review_mode:
        footer.append(context.tr.gettext(at.REVIEW_MODE_ON))
    await send_blocks(message, ["\n".join(lines), "\n".join(footer)], quote=False)


# --- roles -----------------------------------------------------------------------------------
async def _role_target(
    context: BotContext, state: AdminState, message: Message, *, usage: str, owner: str
) -> int | None:
    """The user id a /grant or /revoke names, or None after saying why it cannot be used."""
    args = _args(context)
    if len(args) != 1:
        await message.reply_text(usage, do_quote=False)
        return None
    if not _USER_ID.match(args[0]) or int(args[0]) <= 0:
        await message.reply_text(
            context.tr.gettext(at.BAD_USER_ID, value=esc(shorten(args[0], 40))), do_quote=False
        )
        return None
    user_id = int(args[0])
    if user_id in state.owners:
        # Owners come from the configuration: no command changes their role.
        await message.reply_text(owner.format(user_id=user_id), do_quote=False)
        return None
    return user_id


@admin_command("/grant", owners_only=True)
async def grant(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/grant <user id>: make a user an editor (owners only)."""
    assert state.store is not None
    user_id = await _role_target(
        context,
        state,
        message,
        usage=context.tr.gettext(at.GRANT_USAGE),
        owner=context.tr.gettext(at.ALREADY_OWNER),
    )
    if user_id is None:
        return
    if state.store.is_editor(user_id):
        await message.reply_text(
            context.tr.gettext(at.ALREADY_EDITOR, user_id=user_id), do_quote=False
        )
        return
    pending = Pending(user_id=_sender(update), role_change=(RoleAction.GRANTED, user_id))
    text = context.tr.gettext(at.GRANT_PREVIEW, user_id=user_id)
    await send_preview(message, context, pending, [text], header="", tr=context.tr)


@admin_command("/revoke", owners_only=True)
async def revoke(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/revoke <user id>: take the editor role away (owners only)."""
    assert state.store is not None
    user_id = await _role_target(
        context,
        state,
        message,
        usage=context.tr.gettext(at.REVOKE_USAGE),
        owner=context.tr.gettext(at.OWNER_NOT_REVOCABLE),
    )
    if user_id is None:
        return
    if not state.store.is_editor(user_id):
        await message.reply_text(context.tr.gettext(at.NOT_EDITOR, user_id=user_id), do_quote=False)
        return
    pending = Pending(user_id=_sender(update), role_change=(RoleAction.REVOKED, user_id))
    text = context.tr.gettext(at.REVOKE_PREVIEW, user_id=user_id)
    await send_preview(message, context, pending, [text], header="", tr=context.tr)


def change_role(
    state: AdminState, role: Role, change: tuple[RoleAction, int], by: int, *, tr: Translator
) -> str:
    """Apply a confirmed /grant or /revoke (owners only, re-checked at Confirm); the reply.

    ConflictError / NotFoundError when the role changed since the preview."""
    if role is not Role.OWNER:
        return tr.gettext(at.REFUSED_OWNERS_ONLY)
    assert state.store is not None
    action, user_id = change
    if action is RoleAction.GRANTED:
        state.store.grant(user_id, by=by)
        log.info("admin: user %s granted the editor role to user %s", by, user_id)
        return tr.gettext(at.GRANTED, user_id=user_id)
    state.store.revoke(user_id, by=by)
    state.drop_pending_of(user_id)
    log.info("admin: user %s revoked the editor role of user %s", by, user_id)
    return tr.gettext(at.REVOKED, user_id=user_id)


@admin_command("/admins", owners_only=True)
async def admins(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/admins: owners, editors and the latest role changes (owners only)."""
    store = state.store
    assert store is not None
    owners = ", ".join(str(o) for o in sorted(state.owners))
    blocks = [context.tr.gettext(at.ADMINS_HEADER, owners=esc(owners))]
    editors = store.editors()
    lines = [context.tr.gettext(at.EDITORS_HEADER, count=len(editors))]
    lines += [
        context.tr.gettext(
            at.EDITOR_LINE, user_id=e.user_id, by=e.granted_by, at=esc(fmt_datetime(e.granted_at))
        )
        for e in editors
    ] or [context.tr.gettext(at.NO_EDITORS)]
    blocks.append("\n".join(lines))
    log_entries = store.role_log(limit=10)
    if log_entries:
        changes_ = [context.tr.gettext(at.ROLE_LOG_HEADER)]
        changes_ += [
            context.tr.gettext(
                at.ROLE_LOG_LINE,
                at=esc(fmt_datetime(c.at)),
                by=c.by,
                action=context.tr.gettext("granted the editor role to")
                if c.action is RoleAction.GRANTED
                else context.tr.gettext("revoked the editor role of"),
                user_id=c.user_id,
            )
            for c in log_entries
        ]
        blocks.append("\n".join(changes_))
    if state.review_mode:
        blocks.append(context.tr.gettext(at.REVIEW_MODE_ON))
    await send_blocks(message, blocks, quote=False)


def _sender(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


# --- history, retract, revert --------------------------------------------------------------------
@admin_command("/history")
async def history(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/history <id>: every revision with who, when, why and what changed."""
    store = context.facts
    named = await _fact_command(
        context, message, context.tr.gettext(at.HISTORY_USAGE), least=1, most=1
    )
    if named is None:
        return
    fact, _ = named
    revisions = store.history(fact.id)
    blocks = [
        context.tr.gettext(
            at.HISTORY_HEADER,
            fact_id=esc(fact.id),
            status=esc(fact.status.value),
            count=len(revisions),
        )
    ]
    previous: Fact | None = None
    for rev in revisions:
        lines = [
            context.tr.gettext(
                at.HISTORY_LINE,
                revision=rev.revision,
                action=esc(rev.action.value),
                at=esc(fmt_datetime(rev.at)),
                by=esc(rev.by),
                reason=esc(shorten(rev.reason, 300)),
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
                lines.append(f"  … {len(diff) - HISTORY_CHANGES_SHOWN} more")
        blocks.append("\n".join(lines))
        previous = rev.fact
    blocks.append(context.tr.gettext(at.HISTORY_REVERT_HINT, fact_id=esc(fact.id)))
    await send_blocks(message, blocks, quote=False)


@admin_command("/retract")
async def retract(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/retract <id> <reason>: preview the retraction, applied on Confirm."""
    store = context.facts
    named = await _fact_command(context, message, context.tr.gettext(at.RETRACT_USAGE), least=2)
    if named is None:
        return
    fact, args = named
    if fact.status is Status.RETRACTED:
        await message.reply_text(
            context.tr.gettext(at.RETRACT_ALREADY, fact_id=esc(fact.id)), do_quote=False
        )
        return
    reason = await _reason(message, " ".join(args[1:]), tr=context.tr)
    if reason is None:
        return
    change = _draft(DraftAction.RETRACT, fact, _sender(update), reason)
    text = context.tr.gettext(
        at.RETRACT_PREVIEW,
        fact=fact_compact(fact, {s.id: s for s in store.sources()}),
        reason=esc(reason),
    )
    await send_preview(
        message,
        context,
        Pending(user_id=_sender(update), change=change),
        [text],
        header="",
        facts=store,
        tr=context.tr,
    )


@admin_command("/revert")
async def revert(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/revert <id> <revision> <reason>: preview the restored version, applied on Confirm."""
    store = context.facts
    named = await _fact_command(context, message, context.tr.gettext(at.REVERT_USAGE), least=3)
    if named is None:
        return
    fact, args = named
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
    change = _draft(DraftAction.REVERT, fact, _sender(update), reason, revision=int(raw))
    summary = [context.tr.gettext(at.REVERT_HEADER, revision=int(raw), fact_id=esc(fact.id))]
    summary += [change_line(name, old, new, tr=context.tr) for name, old, new in diff]
    pending = Pending(user_id=_sender(update), change=change)
    blocks = fact_blocks(store, target)
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
async def _expired(press: Press, *, tr: Translator) -> None:
    # What the button belonged to is gone (confirmed, cancelled, timed out, restarted).
    await press.query.answer(tr.gettext(at.EXPIRED_SHORT))
    await drop_keyboard(press.message)
    await press.message.reply_text(tr.gettext(at.EXPIRED), do_quote=False)


async def confirm_button(update: Update, context: BotContext) -> None:
    """Confirm on a preview: re-check the presser and the change, then write it."""
    press = await pressed(update, context)
    if press is None:
        return
    state, role, message, query = press.state, press.role, press.message, press.query
    pending = state.get_pending(press.arg)
    if pending is None:
        await _expired(press, tr=context.tr)
        return
    if pending.user_id != query.from_user.id:
        await query.answer(context.tr.gettext(at.NOT_YOURS), show_alert=True)
        return
    try:
        text, published = publish(context, state, role, pending, query.from_user.id)
    except FactsError as exc:
        # Nothing was written: the preview and its buttons stay, to press again.
        await query.answer(not_saved_toast(exc, tr=context.tr))
        await reply_problems(message, exc, tr=context.tr)
        return
    # Written (no await since the lookup, so a second press finds the preview gone).
    state.pending.pop(pending.token, None)
    admin_unanswered.dismiss_attached(state, pending)
    await query.answer(context.tr.gettext(at.SAVED_SHORT))
    await drop_keyboard(message)
    if published is not None:
        text += await announce(context, *published)
    await message.reply_text(text, do_quote=False)


_ANNOUNCED: dict[DraftAction, notify.ChangeName] = {
    DraftAction.ADD: "new",
    DraftAction.SUPERSEDE: "superseded",
    DraftAction.RETRACT: "retracted",
}


async def announce(context: BotContext, change: Draft, fact: Fact) -> str:
    """Queue the subscribers' notification of a published change; a line saying how many
    will get it ("" when the change is not one subscribers hear about)."""
    kind = _ANNOUNCED.get(change.action)
    if kind is None:
        return ""
    try:
        count = context.notifier.announce(context.facts, fact, kind)
    except RuntimeError:
        return ""  # an application built without subscriptions
    except (FactsError, OSError) as exc:
        # The change itself is saved; only the notification is lost, and the admin is told.
        log.error("admin: the notification of %s could not be queued: %s", fact.id, exc)
        return "\n" + context.tr.gettext(at.NOT_NOTIFIED)
    return "\n" + context.tr.gettext(at.NOTIFIED, count=count)


def publish(
    context: BotContext, state: AdminState, role: Role, pending: Pending, user_id: int
) -> tuple[str, tuple[Draft, Fact] | None]:
    """Write a confirmed preview (or, in review mode for editors, store it as a draft);
    what to say, and the published change with its fact when subscribers may hear of it."""
    store = context.facts
    by = by_label(user_id)
    if pending.role_change is not None:
        return change_role(state, role, pending.role_change, user_id, tr=context.tr), None
    if pending.bundle is not None:
        report = store.import_bundle(pending.bundle, by=by, reason=pending.reason)
        text = context.tr.gettext(
            at.IMPORT_DONE,
            added=len(report.added),
            changed=len(report.changed),
            superseded=len(report.superseded),
            sources=len(report.sources_added),
        )
        return text, None
    if pending.source is not None and pending.change is None:
        if not admin_add.may_add_source_alone(state, role):
            return context.tr.gettext(at.ADDSOURCE_EDITORS_REVIEW), None
        store.add_source(
            pending.source,
            by=by,
            reason=pending.reason or context.tr.gettext(at.SOURCE_REASON),
            document=pending.document,
        )
        source = pending.source
        return context.tr.gettext(
            at.SOURCE_ADDED, source_id=esc(source.id), title=esc(source.title)
        ), None
    change = pending.change
    assert change is not None
    if state.review_mode and role is Role.EDITOR:
        check_change(store, change, document=pending.document)
        assert state.store is not None
        if pending.document is not None:
            # The draft names its new source's document: it must be there on approval.
            store.documents.put(pending.document)
        draft = state.store.add_draft(change)
        return context.tr.gettext(at.DRAFT_SAVED, draft_id=esc(draft.id)), None
    fact = apply_change(store, change, by=by, document=pending.document)
    return published_text(change, fact, tr=context.tr), (change, fact)


def published_text(change: Draft, fact: Fact, *, tr: Translator) -> str:
    """What to say once ``change`` is written (``fact`` as stored)."""
    fact_id = esc(fact.id)
    if change.action is DraftAction.ADD:
        return tr.gettext(at.ADDED, fact_id=fact_id, revision=fact.revision)
    if change.action is DraftAction.EDIT:
        return tr.gettext(at.EDITED, fact_id=fact_id, revision=fact.revision)
    if change.action is DraftAction.SUPERSEDE:
        return tr.gettext(at.SUPERSEDED, old_id=esc(change.fact_id), new_id=fact_id)
    if change.action is DraftAction.RETRACT:
        return tr.gettext(at.RETRACTED, fact_id=fact_id, revision=fact.revision)
    return tr.gettext(at.REVERTED, fact_id=fact_id, target=change.revision, revision=fact.revision)


async def cancel_button(update: Update, context: BotContext) -> None:
    """Cancel on a preview: forget it."""
    press = await pressed(update, context)
    if press is None:
        return
    state, message, query = press.state, press.message, press.query
    pending = state.get_pending(press.arg)
    if pending is not None and pending.user_id != query.from_user.id:
        await query.answer(context.tr.gettext(at.NOT_YOURS), show_alert=True)
        return
    if pending is not None:
        state.pending.pop(pending.token, None)
    await query.answer(context.tr.gettext(at.CANCELLED_SHORT))
    await drop_keyboard(message)
    await message.reply_text(context.tr.gettext(at.CANCELLED), do_quote=False)


@admin_command("/cancel")
async def cancel(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/cancel outside a conversation: forget the sender's previews."""
    dropped = state.drop_pending_of(_sender(update))
    await message.reply_text(
        context.tr.gettext(at.CANCELLED) if dropped else context.tr.gettext(at.NOTHING_TO_CANCEL),
        do_quote=False,
    )


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
            at=esc(fmt_datetime(now)),
        ),
        do_quote=False,
    )


# --- review mode -----------------------------------------------------------------------------
APPROVE_PREFIX = "adm:da"
REJECT_PREFIX = "adm:dr"


@admin_command("/drafts")
async def drafts(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/drafts: changes waiting for review, each with its diff and Approve/Reject."""
    assert state.store is not None
    waiting = state.store.drafts()
    if not waiting:
        text = (
            context.tr.gettext(at.DRAFTS_NONE)
            if state.review_mode
            else context.tr.gettext(at.DRAFTS_OFF)
        )
        await message.reply_text(text, do_quote=False)
        return
    for draft in waiting[:10]:
        blocks = draft_blocks(context, draft)
        markup = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        context.tr.gettext(at.APPROVE), callback_data=f"{APPROVE_PREFIX}:{draft.id}"
                    ),
                    InlineKeyboardButton(
                        context.tr.gettext(at.REJECT), callback_data=f"{REJECT_PREFIX}:{draft.id}"
                    ),
                ]
            ]
        )
        await send_blocks(message, blocks, reply_markup=markup, quote=False)


def draft_blocks(context: BotContext, draft: Draft) -> list[str]:
    """A draft as a reviewer reads it: who, why, and the diff against the base now."""
    store = context.facts
    lines = [
        context.tr.gettext(
            at.DRAFT_HEADER,
            draft_id=esc(draft.id),
            action=esc(draft.action.value),
            fact_id=esc(draft.fact.id if draft.fact is not None else draft.fact_id),
            by=esc(by_label(draft.by)),
            at=esc(fmt_datetime(draft.at)),
            reason=esc(shorten(draft.reason, 300)),
        )
    ]
    current = store.get(draft.fact_id) if draft.fact_id in store else None
    proposed: Fact | None = draft.fact
    if draft.action is DraftAction.REVERT and current is not None and draft.revision:
        proposed = store.history(draft.fact_id)[draft.revision - 1].fact
    if draft.action is DraftAction.RETRACT and current is not None:
        proposed = current.model_copy(
            update={"status": Status.RETRACTED, "retraction_reason": draft.reason}
        )
    if current is not None and proposed is not None:
        lines += [change_line(n, o, v, tr=context.tr) for n, o, v in changes(current, proposed)]
    blocks = ["\n".join(lines)]
    if draft.action in (DraftAction.ADD, DraftAction.SUPERSEDE) and draft.fact is not None:
        blocks += fact_blocks(store, draft.fact, extra_source=draft.source)
    return blocks


async def decide_button(update: Update, context: BotContext) -> None:
    """Approve/Reject on a draft: another admin than its author decides."""
    press = await pressed(update, context)
    if press is None:
        return
    state, message, query = press.state, press.message, press.query
    assert state.store is not None
    draft_id = press.arg
    try:
        draft = state.store.get_draft(draft_id)
    except NotFoundError:
        await query.answer(context.tr.gettext(at.DRAFT_GONE))
        await drop_keyboard(message)
        return
    if draft.by == query.from_user.id:
        await query.answer(context.tr.gettext(at.DRAFT_OWN), show_alert=True)
        return
    if press.prefix == REJECT_PREFIX:
        state.store.decide_draft(draft_id, DraftOutcome.REJECTED, by=query.from_user.id)
        await query.answer(context.tr.gettext(at.CANCELLED_SHORT))
        await drop_keyboard(message)
        await message.reply_text(
            context.tr.gettext(at.DRAFT_REJECTED, draft_id=esc(draft_id)), do_quote=False
        )
        return
    by = f"{by_label(draft.by)}, approved by {by_label(query.from_user.id)}"
    try:
        fact = apply_change(context.facts, draft, by=by)
    except FactsError as exc:
        # Nothing was written and the draft still waits: its buttons stay, to press again.
        await query.answer(not_saved_toast(exc, tr=context.tr))
        await reply_problems(message, exc, tr=context.tr)
        return
    state.store.decide_draft(draft_id, DraftOutcome.APPROVED, by=query.from_user.id)
    await query.answer(context.tr.gettext(at.SAVED_SHORT))
    await drop_keyboard(message)
    text = context.tr.gettext(at.DRAFT_APPROVED, draft_id=esc(draft_id)) + await announce(
        context, draft, fact
    )
    await message.reply_text(text, do_quote=False)


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
            *admin_import.entry_points(),
        ],
        states={**admin_add.states(), **admin_edit.states(), **admin_import.states()},
    )
    return [
        dialogues,
        *admin_add.handlers(),
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


async def stale_button(update: Update, context: BotContext) -> None:
    """Any other admin button: its conversation is over; say so (after the usual checks)."""
    press = await pressed(update, context)
    if press is not None:
        await _expired(press, tr=context.tr)
