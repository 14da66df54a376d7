"""/edit — change one field of a fact; and the dialogue /supersede shares with it (the
command itself is in admin_supersede.py: a newer fact replaces an old one).

Both end in a preview (the changes, then the fact as subscribers will see it) with
Confirm / Cancel, and both require a reason. One-message forms:
``/edit <id> <field> <value> | <reason>`` and ``/supersede <id> {…new fact JSON…} | <reason>``.

Callback data: ``adm:p:<n>`` the field to edit, ``adm:c:<n>`` a choice, ``adm:kp`` keep
the current value (see admin_add).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.admin_asking import (
    CHOICE_PREFIX,
    KEEP_DATA,
    PICK_PREFIX,
    Asking,
    ask,
    chosen,
    pick_keyboard,
    take_answer,
)
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.admin_core import (
    change_line,
    command_rest,
    drop_keyboard,
    fact_blocks,
    find_fact,
    new_draft_id,
    reply_bad_input,
    reply_problems,
    send_preview,
)
from bot.handlers.admin_dialogue import (
    AnyHandler,
    SessionSlot,
    end_sessions,
)
from bot.handlers.admin_fields import (
    TEXT,
    FieldSpec,
    edit_fields,
    field_of_problem,
    find_field,
)
from bot.render import esc
from facts.admin_store import Draft, DraftAction
from facts.changes import check_change
from facts.claim_rule import claim_for_value, claim_problems, translations_for_value
from facts.edits import (
    changes,
    current_value,
    successor_fact,
    with_field,
)
from facts.errors import FactsError
from facts.fields import (
    InputError,
    parse_reason,
)
from facts.model import Fact, Status

PICK, VALUE, REASON = range(10, 13)
END = ConversationHandler.END
_MESSAGE = filters.UpdateType.MESSAGE
_TEXT = _MESSAGE & filters.TEXT & ~filters.COMMAND


@dataclass(slots=True)
class EditSession:
    """An /edit or /supersede in progress."""

    action: DraftAction
    fact: Fact
    asking: Asking
    proposed: Fact | None = None
    reason: str | None = None
    #: The fact with its new value while the claim is asked for (the value changed).
    revalued: Fact | None = None


#: The /edit or /supersede of a chat (one at a time, see admin_dialogue).
SESSION = SessionSlot("admin_edit", EditSession)


def _field_names(fields: list[FieldSpec]) -> str:
    return ", ".join(spec.name for spec in fields)


async def current_fact(message: Message, context: BotContext, raw: str) -> Fact | None:
    """The fact ``raw`` names when it is current, else None once told why not."""
    fact = await find_fact(message, context.facts, raw, tr=context.tr)
    if fact is not None and fact.status is not Status.CURRENT:
        # Only the current version is changed; an old one is restored with /revert.
        await message.reply_text(
            context.tr.gettext(
                at.EDIT_NOT_CURRENT, fact_id=esc(fact.id), status=esc(fact.status.value)
            ),
            do_quote=False,
        )
        return None
    return fact


# --- /edit -------------------------------------------------------------------------------------
@admin_command("/edit")
async def edit(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> int:
    """/edit <id> [<field> [<value> [| <reason>]]]: ask what is missing, then preview.

    The reason follows the last ``|``, with any spacing around it (or none); a ``|`` with
    nothing after it leaves the reason to be asked.
    """
    head, bar, reason = command_rest(message).rpartition("|")
    if not bar:
        head, reason = reason, ""
    parts = head.split(maxsplit=2)
    if not parts:
        fields = edit_fields(context.facts.facts()[0]) if len(context.facts) else [TEXT]
        await message.reply_text(
            context.tr.gettext(at.EDIT_USAGE, fields=esc(_field_names(fields))), do_quote=False
        )
        return END
    fact = await current_fact(message, context, parts[0])
    if fact is None:
        return END
    fields = edit_fields(fact)
    session = EditSession(
        action=DraftAction.EDIT, fact=fact, asking=Asking(fields=fields, editing_one=True)
    )
    if len(parts) == 1:
        SESSION.start(context, session)
        await message.reply_text(
            context.tr.gettext(at.EDIT_PICK, fact_id=esc(fact.id)),
            reply_markup=pick_keyboard(fields, context.tr),
            do_quote=False,
        )
        return PICK
    spec = find_field(fields, parts[1])
    if spec is None:
        await message.reply_text(
            context.tr.gettext(
                at.EDIT_UNKNOWN_FIELD, field=esc(parts[1][:40]), fields=esc(_field_names(fields))
            ),
            do_quote=False,
        )
        return END
    SESSION.start(context, session)
    _focus(session, spec)
    if reason.strip():
        try:
            session.reason = parse_reason(reason)
        except InputError as exc:
            await reply_bad_input(message, exc, tr=context.tr)
            return end_sessions(context)
    if len(parts) == 2:
        await ask(message, context, session.asking)
        return VALUE
    return await _take_value(message, context, session, parts[2].strip(), one_line=True)


def _focus(session: EditSession, spec: FieldSpec) -> None:
    asking = session.asking
    asking.index = asking.fields.index(spec)
    asking.answers = {spec.key: current_value(session.proposed or session.fact, spec.key)}


async def pick(update: Update, context: BotContext) -> int:
    """A field button under /edit: ask its new value."""
    got = await SESSION.press(update, context)
    if got is None:
        return end_sessions(context)
    press, session = got
    try:
        spec = session.asking.fields[int(press.arg)]
    except (ValueError, IndexError):
        return PICK
    await drop_keyboard(press.message)
    _focus(session, spec)
    await ask(press.message, context, session.asking)
    return VALUE


async def value_text(update: Update, context: BotContext) -> int:
    """A typed value for the field being edited (or the next /supersede question)."""
    typed = await SESSION.typed(update, context)
    if typed is None:
        return end_sessions(context)
    message, text, session = typed
    return await _take_value(message, context, session, text)


async def value_choice(update: Update, context: BotContext) -> int:
    """A tapped choice for the current question."""
    got = await SESSION.press(update, context)
    if got is None:
        return end_sessions(context)
    press, session = got
    value = await chosen(press.message, context, session.asking, press.arg)
    if value is None:
        return VALUE
    return await _take_value(press.message, context, session, value)


async def keep(update: Update, context: BotContext) -> int:
    """Keep as is: the value offered stays (under /supersede: next question; under /edit:
    the claim offered after a new value)."""
    got = await SESSION.press(update, context)
    if got is None:
        return end_sessions(context)
    press, session = got
    await drop_keyboard(press.message)
    if session.action is DraftAction.EDIT:
        offered = session.asking.answers.get(session.asking.current.key)
        if offered is None:
            await ask(press.message, context, session.asking)
            return VALUE
        return await _take_value(press.message, context, session, str(offered))
    return await _next(press.message, context, session)


async def skip(update: Update, context: BotContext) -> int:
    """/skip: clear an optional field."""
    typed = await SESSION.typed(update, context)
    if typed is None:
        return end_sessions(context)
    message, _, session = typed
    asking = session.asking
    if not asking.current.optional:
        # A required field that offers "Keep as is": /skip keeps it, as the button does.
        offered = asking.answers.get(asking.current.key)
        if session.action is DraftAction.SUPERSEDE and offered is not None:
            return await _next(message, context, session)
        if asking.offer_keep and offered is not None:
            return await _take_value(message, context, session, str(offered))
        await ask(message, context, asking, note=context.tr.gettext(at.ADD_NO_SKIP))
        return VALUE
    return await _take_value(message, context, session, "-")


async def _take_value(
    message: Message, context: BotContext, session: EditSession, raw: str, *, one_line: bool = False
) -> int:
    """Take the value of the field being edited; ``one_line``: it came in the command, so a
    refusal of the change ends the dialogue (asking that field again would read the next
    message as its value)."""
    if not await take_answer(message, context, session.asking, raw):
        return VALUE
    if session.action is DraftAction.SUPERSEDE:
        return await _next(message, context, session)
    spec = session.asking.current
    base = session.revalued or session.fact
    try:
        proposed = with_field(base, spec.key, session.asking.answers[spec.key])
    except FactsError as exc:
        await reply_problems(message, exc, tr=context.tr)
        if one_line:
            return end_sessions(context)
        await ask(message, context, session.asking)
        return VALUE
    if not changes(session.fact, proposed):
        await ask(message, context, session.asking, note=context.tr.gettext(at.NO_CHANGES))
        return VALUE
    # Translated claims follow a new value (rewritten, or dropped when they cannot be).
    proposed = translations_for_value(session.fact, proposed)
    if session.revalued is None and spec.key != TEXT.key and claim_problems(proposed):
        offered = claim_for_value(session.fact, proposed)
        if offered is not None and session.reason is not None:
            # The one-message form: the claim follows the value, shown in the preview.
            proposed = with_field(proposed, TEXT.key, offered)
        else:
            # The claim must state the new value: offer it rewritten, or ask for one.
            session.revalued = proposed
            asking = session.asking
            asking.index = asking.fields.index(TEXT)
            asking.answers = {TEXT.key: offered or proposed.text}
            asking.offer_keep = offered is not None
            await ask(message, context, asking, note=context.tr.gettext(at.EDIT_CLAIM_FOR_VALUE))
            return VALUE
    session.proposed = proposed
    return await reason_or_preview(message, context, session)


async def reason_or_preview(message: Message, context: BotContext, session: EditSession) -> int:
    """Ask the reason unless the session has one; then the preview."""
    if session.reason is None:
        await message.reply_text(context.tr.gettext(at.EDIT_REASON), do_quote=False)
        return REASON
    return await _preview_or_fix(message, context, session)


async def reason_text(update: Update, context: BotContext) -> int:
    """The reason for the change: then the preview."""
    typed = await SESSION.typed(update, context)
    if typed is None:
        return end_sessions(context)
    message, text, session = typed
    try:
        session.reason = parse_reason(text)
    except InputError as exc:
        await reply_bad_input(message, exc, context.tr.gettext(at.REASON_NEEDED), tr=context.tr)
        return REASON
    return await _preview_or_fix(message, context, session)


async def _preview_or_fix(message: Message, context: BotContext, session: EditSession) -> int:
    """The preview; a /supersede the rules refuse keeps its answers and asks again from
    the field the first refusal is about (as /add does), instead of losing them."""
    problem = await _preview(message, context, session)
    if problem is None or session.action is not DraftAction.SUPERSEDE:
        return end_sessions(context)
    asking = session.asking
    keys = [spec.key for spec in asking.fields]
    asking.index = keys.index(problem) if problem in keys else 0
    await ask(message, context, asking)
    return VALUE


async def _preview(message: Message, context: BotContext, session: EditSession) -> str | None:
    """Show the preview (None), or say why the rules refuse the change and return the key
    of the field the first refusal is about ("" when no field is named)."""
    assert session.proposed is not None and session.reason is not None
    store = context.facts
    # Private chats only: the chat id is the admin's user id.
    user_id = message.chat.id
    change = Draft(
        id=new_draft_id(),
        action=session.action,
        fact_id=session.fact.id,
        fact=session.proposed,
        base_revision=session.fact.revision,
        reason=session.reason,
        by=user_id,
        at=datetime.now(UTC),
    )
    try:
        check_change(store, change)
    except FactsError as exc:
        await reply_problems(message, exc, tr=context.tr)
        return field_of_problem(exc)
    if session.action is DraftAction.SUPERSEDE:
        head = [context.tr.gettext(at.SUPERSEDE_PREVIEW, old_id=esc(session.fact.id))]
    else:
        head = [context.tr.gettext(at.EDIT_PREVIEW, fact_id=esc(session.fact.id))]
    head += [
        change_line(n, o, v, tr=context.tr) for n, o, v in changes(session.fact, session.proposed)
    ]
    pending = Pending(user_id=user_id, change=change)
    blocks = fact_blocks(store, session.proposed, tr=context.tr, before=session.fact)
    await send_preview(
        message, context, pending, blocks, intro=["\n".join(head)], facts=store, tr=context.tr
    )
    return None


# --- /supersede's questions (the command is in admin_supersede.py) ---------------------------
async def _next(message: Message, context: BotContext, session: EditSession) -> int:
    """Next /supersede question, or build the new fact when all are answered."""
    asking = session.asking
    asking.index += 1
    if asking.index < len(asking.fields):
        note = ""
        if asking.current.key == TEXT.key and asking.answers[TEXT.key] == session.fact.text:
            # A new value: "keep as is" keeps the claim rewritten for it, never the old one.
            offered = _offered_claim(session)
            if offered is not None:
                asking.answers[TEXT.key] = offered
                note = context.tr.gettext(at.EDIT_CLAIM_FOR_VALUE)
        await ask(message, context, asking, note=note)
        return VALUE
    try:
        session.proposed = successor_fact(session.fact, session.asking.answers, context.facts)
    except FactsError as exc:
        await reply_problems(message, exc, tr=context.tr)
        asking.index = 0
        await ask(message, context, asking)
        return VALUE
    return await reason_or_preview(message, context, session)


def _offered_claim(session: EditSession) -> str | None:
    """The old claim rewritten for the new value answered so far, if the value changed."""
    key = "details.value"
    value = session.asking.answers.get(key)
    if value is None or value == current_value(session.fact, key):
        return None
    try:
        return claim_for_value(session.fact, with_field(session.fact, key, value))
    except FactsError:
        return None


def entry_points() -> list[AnyHandler]:
    """How /edit starts (/supersede: admin_supersede.entry_points)."""
    return [
        CommandHandler("edit", edit, filters=_MESSAGE),
    ]


def states() -> dict[object, list[AnyHandler]]:
    """The /edit and /supersede dialogue's states."""
    return {
        PICK: [CallbackQueryHandler(pick, pattern=rf"^{PICK_PREFIX}:\d{{1,3}}$")],
        VALUE: [
            MessageHandler(_TEXT, value_text),
            CallbackQueryHandler(value_choice, pattern=rf"^{CHOICE_PREFIX}:\d{{1,3}}$"),
            CallbackQueryHandler(keep, pattern=rf"^{KEEP_DATA}$"),
            CommandHandler("skip", skip, filters=_MESSAGE),
        ],
        REASON: [MessageHandler(_TEXT, reason_text)],
    }
