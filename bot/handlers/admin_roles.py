"""Roles: /grant and /revoke (owners; previewed, then confirmed) make and unmake editors;
/admins lists owners, editors and the log of role changes."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from telegram import Message, Update

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.admin_core import (
    command_args,
    send_preview,
    sender_id,
)
from bot.handlers.common import send_blocks
from bot.i18n import Translator
from bot.render import esc, fmt_datetime, shorten
from facts.admin_store import RoleAction

log = logging.getLogger(__name__)

#: Telegram user ids are positive and fit in 52 bits (Bot API documentation).
_USER_ID = re.compile(r"^\d{1,16}$")


@dataclass(frozen=True, slots=True)
class _RoleCommand:
    """What /grant or /revoke says at each step."""

    action: RoleAction
    usage: str
    #: The target is an owner (the configuration gives that role, no command changes it).
    owner: str
    #: The target already has (for /grant) or lacks (for /revoke) the editor role.
    unchanged: str
    preview: str


_GRANT = _RoleCommand(
    RoleAction.GRANTED, at.GRANT_USAGE, at.ALREADY_OWNER, at.ALREADY_EDITOR, at.GRANT_PREVIEW
)
_REVOKE = _RoleCommand(
    RoleAction.REVOKED, at.REVOKE_USAGE, at.OWNER_NOT_REVOCABLE, at.NOT_EDITOR, at.REVOKE_PREVIEW
)


async def _preview_role_change(
    update: Update, context: BotContext, state: AdminState, message: Message, cmd: _RoleCommand
) -> None:
    """Check the user id a /grant or /revoke names and preview the change, or say why not."""
    assert state.store is not None
    tr = context.tr
    args = command_args(context)
    if len(args) != 1:
        await message.reply_text(tr.gettext(cmd.usage), do_quote=False)
        return
    if not _USER_ID.match(args[0]) or int(args[0]) <= 0:
        await message.reply_text(
            tr.gettext(at.BAD_USER_ID, value=esc(shorten(args[0], 40))), do_quote=False
        )
        return
    user_id = int(args[0])
    if user_id in state.owners:
        await message.reply_text(tr.gettext(cmd.owner, user_id=user_id), do_quote=False)
        return
    is_editor = state.store.is_editor(user_id)
    if is_editor == (cmd.action is RoleAction.GRANTED):  # nothing would change
        await message.reply_text(tr.gettext(cmd.unchanged, user_id=user_id), do_quote=False)
        return
    pending = Pending(user_id=sender_id(update), role_change=(cmd.action, user_id))
    text = tr.gettext(cmd.preview, user_id=user_id)
    await send_preview(message, context, pending, [text], header="", tr=tr)


@admin_command("/grant", owners_only=True)
async def grant(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/grant <user id>: make a user an editor (owners only)."""
    await _preview_role_change(update, context, state, message, _GRANT)


@admin_command("/revoke", owners_only=True)
async def revoke(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/revoke <user id>: take the editor role away (owners only)."""
    await _preview_role_change(update, context, state, message, _REVOKE)


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
