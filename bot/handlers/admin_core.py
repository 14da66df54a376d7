"""Admin plumbing: who may do what, previews, applying changes.

Authorisation is by ``effective_user.id`` only, in private chats only, on new messages only
(handlers use ``filters.UpdateType.MESSAGE``, so edits never reach them), never from a
forwarded or automatically forwarded message. Owners are the configured ``ADMIN_IDS``;
editors are granted by owners and kept in the :class:`facts.admin_store.AdminStore`.
Every refusal is logged with the user id and the command, nothing else.

A change is never written when it is typed: it becomes a :class:`Pending` preview with
Confirm/Cancel buttons whose callback data carries a random token. Pressing Confirm
re-checks the presser (an admin, the one who made the preview) and re-validates the change
against the base as it is then; previews live in memory, so after a restart an old button
only says that it expired.
"""

from __future__ import annotations

import logging
import re
import secrets
import warnings
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Generic, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import admin_texts as at
from bot import notify, texts
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.common import display_name, send_blocks, sources_by_id
from bot.i18n import Translator
from bot.render import esc, fact_card, shorten
from bot.rule_texts import violation_text
from facts.changes import check_change
from facts.errors import (
    FactsError,
    NotFoundError,
    NotSaved,
    ValidationFailed,
)
from facts.fields import (
    InputError,
)
from facts.model import SLUG_PATTERN, Fact, Source
from facts.rules import RuleViolation
from facts.store import FactStore

log = logging.getLogger(__name__)

_SLUG = re.compile(SLUG_PATTERN)


def record_unanswered(context: BotContext, question: str) -> None:
    """Count a question the bot could not answer (its text only); never fails the reply."""
    context.admin.record_unanswered(question)


def by_label(user_id: int) -> str:
    """How a change records its author."""
    return f"tg:{user_id}"


# --- authorisation -----------------------------------------------------------------------------
async def authorize(
    update: Update, context: BotContext, command: str, *, owners_only: bool = False
) -> tuple[AdminState, Role] | None:
    """The admin state and the sender's role when they may run ``command`` here; otherwise
    reply a plain refusal, log it (user id and command only) and return None."""
    message = update.message
    user = update.effective_user
    if message is None or user is None:
        # Edited messages, channel posts and the like: no one to answer, nothing to do.
        log.warning("admin: refused %s from a non-message update", command)
        return None
    state = context.admin
    refusal: str | None = None
    if message.chat.type != ChatType.PRIVATE:
        refusal = context.tr.gettext(at.REFUSED_NOT_PRIVATE)
    elif message.forward_origin is not None or message.is_automatic_forward:
        refusal = context.tr.gettext(at.REFUSED_FORWARDED)
    elif message.sender_chat is not None or user.is_bot:
        refusal = context.tr.gettext(at.REFUSED)
    role = None if refusal is not None else state.role(user.id)
    if refusal is None and role is None:
        refusal = context.tr.gettext(at.REFUSED)
    if refusal is None and owners_only and role is not Role.OWNER:
        refusal = context.tr.gettext(at.REFUSED_OWNERS_ONLY)
    if refusal is not None or role is None:
        log.warning("admin: refused %s from user %s", command, user.id)
        await message.reply_text(refusal or context.tr.gettext(at.REFUSED), do_quote=False)
        return None
    if not state.available:
        await message.reply_text(context.tr.gettext(at.UNAVAILABLE), do_quote=False)
        return None
    return state, role


async def authorize_press(
    update: Update, context: BotContext, *, owners_only: bool = False
) -> tuple[AdminState, Role, Message] | None:
    """Like :func:`authorize`, for a callback button: checks who pressed it and where."""
    query = update.callback_query
    if query is None:
        return None
    state = context.admin
    message = query.message if isinstance(query.message, Message) else None
    role = state.role(query.from_user.id)
    allowed = (
        message is not None
        and message.chat.type == ChatType.PRIVATE
        and role is not None
        and (role is Role.OWNER or not owners_only)
    )
    if not allowed or role is None or message is None:
        log.warning(
            "admin: refused button %s from user %s", _button_kind(query.data), query.from_user.id
        )
        await query.answer(context.tr.gettext(at.REFUSED_BUTTON), show_alert=True)
        return None
    if not state.available:
        await query.answer(context.tr.gettext(at.UNAVAILABLE_SHORT), show_alert=True)
        return None
    return state, role, message


def _button_kind(data: str | None) -> str:
    # The button's prefix only: tokens and ids are no business of the log.
    return ":".join((data or "").split(":")[:2])


@dataclass(frozen=True, slots=True)
class Press:
    """A button press :func:`authorize_press` let through."""

    state: AdminState
    role: Role
    #: The bot message the button is under.
    message: Message
    query: CallbackQuery
    #: The callback data before its last colon: which button.
    prefix: str
    #: The callback data after its last colon: a token, an id or a number.
    arg: str


async def pressed(update: Update, context: BotContext) -> Press | None:
    """The press when its presser may use it (see :func:`authorize_press`), else None."""
    allowed = await authorize_press(update, context)
    query = update.callback_query
    if allowed is None or query is None or query.data is None:
        return None
    state, role, message = allowed
    prefix, arg = query.data.rsplit(":", 1)
    return Press(state, role, message, query, prefix, arg)


AdminHandler = Callable[[Update, BotContext, AdminState, Role, Message], Coroutine[Any, Any, Any]]


def admin_command(
    command: str, *, owners_only: bool = False
) -> Callable[[AdminHandler], Callable[[Update, BotContext], Coroutine[Any, Any, Any]]]:
    """Wrap a handler so it runs only for authorised senders (see :func:`authorize`).

    A refused entry point of a conversation returns None: no conversation starts.
    """

    def wrap(
        handler: Callable[
            [Update, BotContext, AdminState, Role, Message], Coroutine[Any, Any, Any]
        ],
    ) -> Callable[[Update, BotContext], Coroutine[Any, Any, Any]]:
        async def run(update: Update, context: BotContext) -> Any:
            allowed = await authorize(update, context, command, owners_only=owners_only)
            if allowed is None:
                # No conversation starts; plain handlers ignore the value.
                return ConversationHandler.END
            state, role = allowed
            assert update.message is not None
            return await handler(update, context, state, role, update.message)

        run.__name__ = handler.__name__
        run.__doc__ = handler.__doc__
        return run

    return wrap


# --- problems ----------------------------------------------------------------------------------
def problem_lines(exc: FactsError, limit: int = 25, *, tr: Translator) -> list[str]:
    """The problems an error names, one per line (at most ``limit``); a broken rule in
    ``tr``'s language."""
    if isinstance(exc, RuleViolation):
        problems = [violation_text(v, tr) for v in exc.violations]
    else:
        problems = exc.problems if isinstance(exc, ValidationFailed) else [str(exc)]
    shown = problems[:limit]
    if len(problems) > limit:
        shown.append(f"… and {len(problems) - limit} more")
    return shown


# --- shared replies ------------------------------------------------------------------------------
CONFIRM_PREFIX = "adm:ok"
CANCEL_PREFIX = "adm:no"
ADD_EDIT_PREFIX = "adm:ae"
TOKEN_PATTERN = r"[0-9a-f]{12}"


def preview_keyboard(
    pending: Pending, *, edit_prefix: str | None = None, tr: Translator
) -> InlineKeyboardMarkup:
    """Confirm / (Edit) / Cancel buttons for a preview."""
    row = [
        InlineKeyboardButton(
            tr.gettext(at.CONFIRM), callback_data=f"{CONFIRM_PREFIX}:{pending.token}"
        )
    ]
    if edit_prefix is not None:
        row.append(
            InlineKeyboardButton(
                tr.gettext(at.EDIT), callback_data=f"{edit_prefix}:{pending.token}"
            )
        )
    row.append(
        InlineKeyboardButton(
            tr.gettext(at.CANCEL), callback_data=f"{CANCEL_PREFIX}:{pending.token}"
        )
    )
    return InlineKeyboardMarkup([row])


def fact_blocks(store: FactStore, fact: Fact, *, extra_source: Source | None = None) -> list[str]:
    """``fact`` rendered as /fact shows it to subscribers (bot.render.fact_card)."""
    sources = sources_by_id(store)
    if extra_source is not None:
        sources[extra_source.id] = extra_source
    names = {r: display_name(store, r) for r in fact.related}
    return fact_card(fact, sources, names=names)


async def send_preview(
    message: Message,
    context: BotContext,
    pending: Pending,
    blocks: list[str],
    *,
    header: str = at.PREVIEW_HEADER,
    edit_prefix: str | None = None,
    intro: list[str] | None = None,
    facts: FactStore | None = None,
    tr: Translator,
) -> None:
    """Keep ``pending`` and show ``blocks`` under ``header`` with Confirm/Cancel buttons
    (``intro``, e.g. the list of changes, comes first).

    A fact change the store (``facts``) would refuse is not previewed: the admin is told
    why (the rule and how to fix the input) and nothing is kept.
    """
    if pending.change is not None and facts is not None:
        try:
            check_change(facts, pending.change)
        except FactsError as exc:
            await reply_problems(message, exc, tr=tr)
            return
    context.admin.add_pending(pending)
    if intro:
        await send_blocks(message, intro, quote=False)
    if header:
        await message.reply_text(tr.gettext(header), do_quote=False)
    # How many subscribers will hear of it, right above Confirm.
    notice = (
        notify.recipients_notice(context.notifier, context.facts, pending.change)
        if pending.change
        else ""
    )
    await send_blocks(
        message,
        [*blocks, notice] if notice else blocks,
        reply_markup=preview_keyboard(pending, edit_prefix=edit_prefix, tr=tr),
        quote=False,
    )


def not_saved_toast(exc: FactsError, *, tr: Translator) -> str:
    """The short answer to a Confirm that wrote nothing: the disk's refusal as it is, or a
    pointer to the problems listed below."""
    return tr.gettext(texts.NOT_SAVED if isinstance(exc, NotSaved) else at.NOT_SAVED_SHORT)


async def reply_problems(message: Message, exc: FactsError, *, tr: Translator) -> None:
    """Say why nothing was saved, one problem per line, and how to fix it."""
    if isinstance(exc, NotSaved):  # nothing to fix in the input: the disk refused the write
        await message.reply_text(tr.gettext(texts.NOT_SAVED), do_quote=False)
        return
    lines = problem_lines(exc, tr=tr)
    text = tr.gettext(
        tr.gettext(at.PROBLEMS),
        count=len(exc.problems) if isinstance(exc, ValidationFailed) else 1,
        problems="\n".join(f"• {esc(line)}" for line in lines),
        hint=tr.gettext(at.PROBLEMS_HINT),
    )
    await send_blocks(message, [text], quote=False)


def bad_answer(problem: object, hint: str = "", *, tr: Translator) -> str:
    """An answer's problem (plain text, escaped here), then ``hint`` on its own line."""
    said = (
        tr.gettext(problem.message, **problem.values)
        if isinstance(problem, InputError)
        else str(problem)
    )
    text = tr.gettext(at.ADD_BAD_ANSWER, problem=esc(said))
    return f"{text}\n{hint}" if hint else text


async def reply_bad_input(
    message: Message, exc: InputError | FactsError, hint: str = "", *, tr: Translator
) -> None:
    """Say why typed input cannot be used: an InputError with ``hint``, else each problem."""
    if isinstance(exc, FactsError):
        await reply_problems(message, exc, tr=tr)
    else:
        await message.reply_text(bad_answer(exc, hint, tr=tr), do_quote=False)


async def find_fact(message: Message, store: FactStore, raw: str, *, tr: Translator) -> Fact | None:
    """The fact ``raw`` names, or None after telling the admin what is wrong with it."""
    fact_id = raw.strip().lower().removeprefix("fact_")
    if not _SLUG.match(fact_id) or len(fact_id) > 58:
        await message.reply_text(
            tr.gettext(at.BAD_FACT_ID, value=esc(shorten(raw, 60))), do_quote=False
        )
        return None
    try:
        return store.get(fact_id)
    except NotFoundError:
        await message.reply_text(tr.gettext(at.UNKNOWN_FACT, fact_id=esc(fact_id)), do_quote=False)
        return None


async def drop_keyboard(message: Message) -> None:
    """Remove the buttons under a bot message (once they have been used)."""
    if message.reply_markup is None:
        return
    try:
        await message.edit_reply_markup(reply_markup=None)
    except BadRequest as exc:
        # Already gone (a double tap): nothing to remove.
        log.info("admin: keyboard not removed: %s", exc.message)


def change_line(name: str, old: str, new: str, *, tr: Translator) -> str:
    """One changed field for a preview."""
    return tr.gettext(
        tr.gettext(at.CHANGE_LINE),
        field=esc(name),
        old=esc(shorten(old, 200)),
        new=esc(shorten(new, 200)),
    )


def new_draft_id() -> str:
    """A random id for a change (it becomes the draft id in review mode)."""
    return secrets.token_hex(4)


def example_id(store: FactStore) -> str:
    """A real fact id to show in usage messages."""
    facts = store.facts()
    return facts[0].id if facts else "fact-id"


AnyHandler = BaseHandler[Update, BotContext, Any]
#: An unfinished conversation is dropped after this long without an answer.
CONVERSATION_TIMEOUT = timedelta(minutes=15)
#: user_data keys of the conversations' sessions (one module each).
SESSION_KEYS = ("admin_add", "admin_edit", "admin_import")
#: The commands that start each dialogue again (said when its session is gone).
_RESTART = {"admin_add": "/add", "admin_edit": "/edit or /supersede", "admin_import": "/import"}


def end_sessions(context: BotContext) -> int:
    """Forget every conversation session of this admin; ConversationHandler.END."""
    if context.user_data is not None:
        for key in SESSION_KEYS:
            context.user_data.pop(key, None)
    return ConversationHandler.END


_Session = TypeVar("_Session")


class SessionSlot(Generic[_Session]):
    """Where one dialogue keeps its session in ``user_data`` (a key of SESSION_KEYS)."""

    def __init__(self, key: str, kind: type[_Session]) -> None:
        """``kind`` is the session's class; anything else under ``key`` is no session."""
        assert key in SESSION_KEYS
        self.key = key
        self.kind = kind

    def get(self, context: BotContext) -> _Session | None:
        """This dialogue's session, None when it is not running."""
        session = (context.user_data or {}).get(self.key)
        return session if isinstance(session, self.kind) else None

    def start(self, context: BotContext, session: _Session) -> None:
        """End every dialogue of this admin, then keep ``session``."""
        end_sessions(context)
        assert context.user_data is not None
        context.user_data[self.key] = session

    async def typed(
        self, update: Update, context: BotContext
    ) -> tuple[Message, str, _Session] | None:
        """A text message (answer or command) inside this running dialogue, else None.

        When the session is gone while the conversation still waits (user_data cleared, as
        by /forget), the admin is told the dialogue has ended; the caller ends it.
        """
        message = update.message
        if message is None or message.text is None:
            return None
        session = self.get(context)
        if session is None:
            await message.reply_text(self._ended(tr=context.tr), do_quote=False)
            return None
        return message, message.text, session

    async def press(self, update: Update, context: BotContext) -> tuple[Press, _Session] | None:
        """An allowed press inside this running dialogue, answered; None when either is
        missing (a press whose session is gone is answered, and the admin told so)."""
        press = await pressed(update, context)
        if press is None:
            return None
        session = self.get(context)
        if session is None:
            await press.query.answer(context.tr.gettext(at.DIALOGUE_ENDED_SHORT))
            await drop_keyboard(press.message)
            await press.message.reply_text(self._ended(tr=context.tr), do_quote=False)
            return None
        await press.query.answer()
        return press, session

    def _ended(self, *, tr: Translator) -> str:
        return tr.gettext(at.DIALOGUE_ENDED, command=_RESTART[self.key])


async def cancel_conversation(update: Update, context: BotContext) -> int:
    """/cancel inside a conversation: nothing is saved."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(context.tr.gettext(at.CANCELLED), do_quote=False)
    return end_sessions(context)


async def conversation_timed_out(update: object, context: BotContext) -> None:
    """The TIMEOUT state: tell the admin that nothing was saved."""
    end_sessions(context)
    if isinstance(update, Update) and update.effective_chat is not None:
        minutes = max(1, round(CONVERSATION_TIMEOUT.total_seconds() / 60))
        await context.bot.send_message(
            update.effective_chat.id, context.tr.gettext(at.TIMED_OUT, minutes=minutes)
        )


def _while_admin(
    callback: Callable[[Update, BotContext], Coroutine[Any, Any, Any]],
) -> Callable[[Update, BotContext], Coroutine[Any, Any, Any]]:
    """``callback``, run only while the sender still has a role; else the dialogue ends."""
    if getattr(callback, "checks_role", False):
        return callback

    async def run(update: Update, context: BotContext) -> Any:
        user = update.effective_user
        if user is None or context.admin.role(user.id) is not None:
            return await callback(update, context)
        log.warning("admin: user %s is no longer an admin; their dialogue ended", user.id)
        end_sessions(context)
        refusal = context.tr.gettext(at.REFUSED)
        if update.callback_query is not None:
            await update.callback_query.answer(refusal, show_alert=True)
        elif update.effective_message is not None:
            await update.effective_message.reply_text(refusal)
        return ConversationHandler.END

    run.checks_role = True  # type: ignore[attr-defined]
    run.__name__ = getattr(callback, "__name__", "step")
    return run


def conversation(
    *,
    name: str,
    entry_points: list[AnyHandler],
    states: dict[object, list[AnyHandler]],
) -> ConversationHandler[BotContext]:
    """One conversation for all admin dialogues (so that starting one ends any other), per
    admin (chat and user), re-enterable, with /cancel and a timeout.

    Every step checks again that the sender is still an admin: one revoked mid-dialogue
    has the dialogue ended there, with a refusal, instead of getting another preview.
    """
    for handlers in states.values():
        for handler in handlers:
            handler.callback = _while_admin(handler.callback)
    states = {
        **states,
        ConversationHandler.TIMEOUT: [TypeHandler(Update, conversation_timed_out)],
    }
    fallbacks: list[AnyHandler] = [
        CommandHandler("cancel", cancel_conversation, filters=filters.UpdateType.MESSAGE)
    ]
    with warnings.catch_warnings():
        # PTB warns that callback buttons are tracked per chat and user, not per message:
        # that is the intent (one conversation per admin); stale buttons are caught by a
        # catch-all handler that says they expired.
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states=states,
            fallbacks=fallbacks,
            allow_reentry=True,
            conversation_timeout=CONVERSATION_TIMEOUT,
            name=name,
        )
