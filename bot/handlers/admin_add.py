"""/add — a new fact step by step (or from one JSON message), /addsource, and the shared
machinery that asks one field at a time (also used by /edit and /supersede).

The guided flow asks the kind (buttons), the claim, only the fields that kind needs, the
source (buttons of known sources, or /addsource), the verbatim quote and the topics, then
shows the fact exactly as subscribers will see it with Confirm / Edit / Cancel. Edit
reopens the conversation on the same answers and asks which field to change.

Callback data: ``adm:k:<kind>`` a kind, ``adm:c:<n>`` the n-th offered choice, ``adm:p:<n>``
the n-th field to edit, ``adm:ae:<token>`` Edit on a preview.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import admin_texts as at
from bot.admin_state import AdminState, Role
from bot.context import BotContext
from bot.handlers.admin_asking import (
    CHOICE_PREFIX,
    PICK_PREFIX,
    Asking,
    ask,
    chosen,
    pick_keyboard,
    take_answer,
)
from bot.handlers.admin_auth import (
    admin_command,
    pressed,
)
from bot.handlers.admin_core import (
    ADD_EDIT_PREFIX,
    TOKEN_PATTERN,
    command_rest,
    drop_keyboard,
    reply_problems,
)
from bot.handlers.admin_dialogue import (
    AnyHandler,
    SessionSlot,
    end_sessions,
)
from bot.handlers.admin_fields import (
    ID,
    SOURCE,
    SOURCE_FIELDS,
    FieldSpec,
    add_fields,
)
from bot.handlers.admin_new_fact import add_from_json, addjson, preview_new_fact
from bot.handlers.admin_source import ADDSOURCE_CAPTION, typed_source
from bot.i18n import Translator
from bot.render import esc
from facts.edits import (
    build_fact,
    new_source,
    suggest_fact_id,
)
from facts.errors import FactsError
from facts.model import Kind, Source

KIND, ASK, PICK = range(3)
END = ConversationHandler.END
_MESSAGE = filters.UpdateType.MESSAGE
_TEXT = _MESSAGE & filters.TEXT & ~filters.COMMAND
KIND_PREFIX = "adm:k"


@dataclass(slots=True)
class AddSession:
    """An /add in progress."""

    asking: Asking
    kind: Kind | None = None
    source: Source | None = None
    #: The new source's document, held in memory until the preview is confirmed.
    document: str | None = None


_SESSION = SessionSlot("admin_add", AddSession)


# --- entry points ------------------------------------------------------------------------------
@admin_command("/add")
async def add(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> int:
    """/add: ask the kind (or take a whole fact as JSON after the command)."""
    end_sessions(context)
    raw = command_rest(message)
    if raw:
        await add_from_json(message, context, state, raw)
        return END
    _SESSION.start(context, AddSession(asking=Asking(fields=[])))
    buttons = [
        InlineKeyboardButton(
            k.value if context.tr.language == "en" else context.tr.gettext(at.KIND_LABELS[k.value]),
            callback_data=f"{KIND_PREFIX}:{k.value}",
        )
        for k in Kind
    ]
    await message.reply_text(
        context.tr.gettext(at.ADD_KIND),
        reply_markup=InlineKeyboardMarkup([buttons[:3], buttons[3:]]),
        do_quote=False,
    )
    return KIND


# --- the guided flow ---------------------------------------------------------------------------
async def kind_button(update: Update, context: BotContext) -> int:
    """A kind was tapped: start asking its fields."""
    got = await _SESSION.press(update, context)
    if got is None:
        return end_sessions(context)
    press, session = got
    await drop_keyboard(press.message)
    return await _start_kind(press.message, context, session, press.arg)


async def kind_text(update: Update, context: BotContext) -> int:
    """A kind was typed instead of tapped."""
    typed = await _SESSION.typed(update, context)
    if typed is None:
        return end_sessions(context)
    message, text, session = typed
    return await _start_kind(message, context, session, text.strip().lower())


async def _start_kind(
    message: Message, context: BotContext, session: AddSession, value: str
) -> int:
    try:
        kind = Kind(value)
    except ValueError:
        await message.reply_text(
            context.tr.gettext(at.ADD_KIND_BAD, kinds=", ".join(k.value for k in Kind)),
            do_quote=False,
        )
        return KIND
    session.kind = kind
    session.asking = Asking(fields=add_fields(kind))
    await ask(message, context, session.asking)
    return ASK


async def answer_text(update: Update, context: BotContext) -> int:
    """A typed answer to the current question."""
    typed = await _SESSION.typed(update, context)
    if typed is None:
        return end_sessions(context)
    message, text, session = typed
    if not await take_answer(message, context, session.asking, text):
        return ASK
    return await _advance(message, context, session)


async def answer_choice(update: Update, context: BotContext) -> int:
    """A tapped choice for the current question."""
    got = await _SESSION.press(update, context)
    if got is None:
        return end_sessions(context)
    press, session = got
    message = press.message
    value = await chosen(message, context, session.asking, press.arg)
    if value is None or not await take_answer(message, context, session.asking, value):
        return ASK
    return await _advance(message, context, session)


async def skip(update: Update, context: BotContext) -> int:
    """/skip: leave the current optional field empty."""
    typed = await _SESSION.typed(update, context)
    if typed is None:
        return end_sessions(context)
    message, _, session = typed
    if not session.asking.current.optional:
        await ask(message, context, session.asking, note=context.tr.gettext(at.ADD_NO_SKIP))
        return ASK
    session.asking.answers[session.asking.current.key] = None
    return await _advance(message, context, session)


async def not_text(update: Update, context: BotContext) -> int:
    """A photo, sticker… where text was expected."""
    message = update.message
    if message is not None:
        await message.reply_text(context.tr.gettext(at.ADD_NEED_TEXT), do_quote=False)
    return ASK


async def addsource_in_add(update: Update, context: BotContext) -> int:
    """/addsource while asked for the source: one-message form (with its document as a
    file captioned /addsource …, or pasted below the form), or a few questions."""
    message = update.message
    session = _SESSION.get(context)
    if message is not None and message.document is not None and session is None:
        await message.reply_text(
            context.tr.gettext(at.DIALOGUE_ENDED, command="/add"), do_quote=False
        )
        return end_sessions(context)
    if message is None or message.document is None:
        typed = await _SESSION.typed(update, context)
        if typed is None:
            return end_sessions(context)
        message, _, session = typed
    assert session is not None
    asking = session.asking
    if asking.current.key != SOURCE.key:
        await message.reply_text(context.tr.gettext(at.ADDSOURCE_USAGE), do_quote=False)
        return ASK
    raw = command_rest(message)
    if raw or message.document is not None:
        new = await typed_source(message, context, raw)
        if new is None:
            return ASK
        source, session.document = new
        session.source = source
        asking.answers[SOURCE.key] = source.id
        await message.reply_text(
            context.tr.gettext(at.SOURCE_CHOSEN, source=esc(source.title)), do_quote=False
        )
        return await _advance(message, context, session)
    # Ask the source's fields here, then come back to the source question, which they answer.
    asking.fields[asking.index : asking.index] = list(SOURCE_FIELDS)
    await message.reply_text(context.tr.gettext(at.SOURCE_STARTED), do_quote=False)
    await ask(message, context, asking)
    return ASK


async def _advance(message: Message, context: BotContext, session: AddSession) -> int:
    """Move to the next question, or to the preview when there is none left."""
    asking = session.asking
    if asking.editing_one:
        asking.editing_one = False
        asking.index = len(asking.fields)
    else:
        asking.index += 1
    if (
        asking.index < len(asking.fields)
        and asking.current.key == SOURCE.key
        and SOURCE_FIELDS[0].key in asking.answers
        and session.source is None
    ):
        # The /addsource questions were answered: they make the source.
        try:
            session.source, session.document = _new_source(context, asking.answers), None
        except FactsError as exc:
            await reply_problems(message, exc, tr=context.tr)
            asking.index = asking.fields.index(SOURCE_FIELDS[0])
            await ask(message, context, asking)
            return ASK
        asking.answers[SOURCE.key] = session.source.id
        await message.reply_text(
            context.tr.gettext(at.SOURCE_CHOSEN, source=esc(session.source.title)), do_quote=False
        )
        asking.index += 1
    if asking.index < len(asking.fields):
        await ask(message, context, asking)
        return ASK
    return await _finish(message, context, session)


def _new_source(context: BotContext, answers: dict[str, Any]) -> Source:
    return new_source(answers, {s.id for s in context.facts.sources()})


async def _finish(message: Message, context: BotContext, session: AddSession) -> int:
    """Build the fact and preview it; on a problem, ask which field to fix."""
    assert session.kind is not None
    answers = session.asking.answers
    store = context.facts
    fact_id = answers.get(ID.key) or suggest_fact_id(session.kind, answers, store)
    answers[ID.key] = fact_id
    state = context.admin
    try:
        fact = build_fact(session.kind, answers, fact_id=fact_id)
    except FactsError as exc:
        await reply_problems(message, exc, tr=context.tr)
        return await _offer_pick(message, session, tr=context.tr)
    # In a private chat (the only place admins work) the chat id is the admin's user id.
    ok = await preview_new_fact(
        message,
        context,
        state,
        message.chat.id,
        fact,
        session.source,
        document=session.document,
        kind=session.kind,
        answers=dict(answers),
    )
    if not ok:
        return await _offer_pick(message, session, tr=context.tr)
    return end_sessions(context)


def _editable(session: AddSession) -> list[FieldSpec]:
    assert session.kind is not None
    return [*add_fields(session.kind), ID]


async def _offer_pick(message: Message, session: AddSession, *, tr: Translator) -> int:
    await message.reply_text(
        tr.gettext(at.ADD_PICK_FIELD),
        reply_markup=pick_keyboard(_editable(session), tr),
        do_quote=False,
    )
    return PICK


async def edit_preview_button(update: Update, context: BotContext) -> int:
    """Edit on an /add preview: reopen the answers and ask which field to change."""
    press = await pressed(update, context)
    if press is None:
        return END
    state, message, query = press.state, press.message, press.query
    pending = state.get_pending(press.arg)
    if pending is None or pending.answers is None or pending.kind is None:
        await query.answer(context.tr.gettext(at.EXPIRED_SHORT))
        await message.reply_text(context.tr.gettext(at.EXPIRED), do_quote=False)
        return END
    if pending.user_id != query.from_user.id:
        await query.answer(context.tr.gettext(at.NOT_YOURS), show_alert=True)
        return END
    await query.answer()
    state.pending.pop(pending.token, None)
    await drop_keyboard(message)
    session = AddSession(
        asking=Asking(fields=[], answers=dict(pending.answers)),
        kind=pending.kind,
        source=pending.change.source if pending.change is not None else None,
        document=pending.document,
    )
    session.asking.fields = _editable(session)
    _SESSION.start(context, session)
    return await _offer_pick(message, session, tr=context.tr)


async def pick_button(update: Update, context: BotContext) -> int:
    """A field to change was tapped: ask it, then show the preview again."""
    got = await _SESSION.press(update, context)
    if got is None:
        return end_sessions(context)
    press, session = got
    fields = _editable(session)
    try:
        index = int(press.arg)
        fields[index]
    except (ValueError, IndexError):
        return await _offer_pick(press.message, session, tr=context.tr)
    await drop_keyboard(press.message)
    session.asking.fields = fields
    session.asking.index = index
    session.asking.editing_one = True
    await ask(press.message, context, session.asking)
    return ASK


def entry_points() -> list[AnyHandler]:
    """How the /add dialogue starts."""
    return [
        CommandHandler("add", add, filters=_MESSAGE),
        CommandHandler("addjson", addjson, filters=_MESSAGE),
        CallbackQueryHandler(edit_preview_button, pattern=rf"^{ADD_EDIT_PREFIX}:{TOKEN_PATTERN}$"),
    ]


def states() -> dict[object, list[AnyHandler]]:
    """The /add dialogue's states."""
    return {
        KIND: [
            CallbackQueryHandler(kind_button, pattern=rf"^{KIND_PREFIX}:[a-z]{{1,20}}$"),
            MessageHandler(_TEXT, kind_text),
        ],
        ASK: [
            MessageHandler(_TEXT, answer_text),
            CallbackQueryHandler(answer_choice, pattern=rf"^{CHOICE_PREFIX}:\d{{1,3}}$"),
            CommandHandler("skip", skip, filters=_MESSAGE),
            CommandHandler("addsource", addsource_in_add, filters=_MESSAGE),
            MessageHandler(_MESSAGE & filters.Document.ALL & ADDSOURCE_CAPTION, addsource_in_add),
            MessageHandler(_MESSAGE & ~filters.TEXT, not_text),
        ],
        PICK: [CallbackQueryHandler(pick_button, pattern=rf"^{PICK_PREFIX}:\d{{1,3}}$")],
    }
