"""Publishing: Confirm writes a preview (or, in review mode, an editor's change becomes a
draft), Cancel drops it; /drafts and their Approve / Reject buttons; subscribers are told
of what is published; a button whose preview is gone says it expired."""

from __future__ import annotations

import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers import (
    admin_source,
    admin_unanswered,
)
from bot.handlers.admin_auth import (
    Press,
    admin_command,
    pressed,
)
from bot.handlers.admin_core import (
    by_label,
    change_line,
    drop_keyboard,
    fact_blocks,
    not_saved_toast,
    reply_problems,
    sender_id,
)
from bot.handlers.admin_roles import change_role
from bot.handlers.common import send_blocks
from bot.i18n import Translator
from bot.notice_texts import ChangeName
from bot.render import esc, fmt_datetime, shorten
from facts.admin_store import Draft, DraftAction, DraftOutcome
from facts.changes import apply_change, check_change
from facts.edits import (
    changes,
)
from facts.errors import FactsError, NotFoundError
from facts.model import Fact

log = logging.getLogger(__name__)


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


_ANNOUNCED: dict[DraftAction, ChangeName] = {
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
        if not admin_source.may_add_source_alone(state, role):
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
    dropped = state.drop_pending_of(sender_id(update))
    await message.reply_text(
        context.tr.gettext(at.CANCELLED) if dropped else context.tr.gettext(at.NOTHING_TO_CANCEL),
        do_quote=False,
    )


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
    if draft.action in (DraftAction.REVERT, DraftAction.RETRACT) and current is not None:
        # The fact as the store would write it: the domain decides what a retraction or a
        # revert changes (a refused one shows no changes; approving it says why).
        try:
            proposed = check_change(store, draft)
        except FactsError:
            proposed = None
    if current is not None and proposed is not None:
        lines += [change_line(n, o, v, tr=context.tr) for n, o, v in changes(current, proposed)]
    blocks = ["\n".join(lines)]
    if draft.action in (DraftAction.ADD, DraftAction.SUPERSEDE) and draft.fact is not None:
        blocks += fact_blocks(store, draft.fact, extra_source=draft.source, tr=context.tr)
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


async def stale_button(update: Update, context: BotContext) -> None:
    """Any other admin button: its conversation is over; say so (after the usual checks)."""
    press = await pressed(update, context)
    if press is not None:
        await _expired(press, tr=context.tr)
