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

from dataclasses import dataclass, field
from datetime import UTC, datetime
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
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.admin_core import (
    ADD_EDIT_PREFIX,
    TOKEN_PATTERN,
    AnyHandler,
    SessionSlot,
    admin_command,
    bad_answer,
    drop_keyboard,
    end_sessions,
    fact_blocks,
    new_draft_id,
    pressed,
    reply_bad_input,
    reply_problems,
    send_preview,
)
from bot.handlers.admin_fields import (
    ID,
    SOURCE,
    SOURCE_FIELDS,
    FieldSpec,
    add_fields,
    parse_answer,
)
from bot.i18n import Translator
from bot.render import esc, shorten, source_full
from facts.admin_store import Draft, DraftAction
from facts.changes import check_change
from facts.documents import checked_text, document_id, extract_text
from facts.edits import (
    build_fact,
    fact_from_json,
    new_source,
    show_value,
    source_from_form,
    split_json_and_reason,
    suggest_fact_id,
)
from facts.errors import FactsError, ValidationFailed
from facts.fields import (
    InputError,
)
from facts.model import Fact, Kind, Source

KIND, ASK, PICK = range(3)
END = ConversationHandler.END
_MESSAGE = filters.UpdateType.MESSAGE
_TEXT = _MESSAGE & filters.TEXT & ~filters.COMMAND
CHOICE_PREFIX = "adm:c"
PICK_PREFIX = "adm:p"
KIND_PREFIX = "adm:k"
KEEP_DATA = "adm:kp"


@dataclass(slots=True)
class Asking:
    """Where a field-by-field conversation stands."""

    fields: list[FieldSpec]
    answers: dict[str, Any] = field(default_factory=dict)
    index: int = 0
    #: Values behind the buttons of the current question.
    choices: list[str] = field(default_factory=list)
    #: True when one field is being changed from a preview: after it, the preview again.
    editing_one: bool = False
    #: Offer a "keep as is" button when the field has a value already.
    offer_keep: bool = False

    @property
    def current(self) -> FieldSpec:
        """The field being asked."""
        return self.fields[self.index]


@dataclass(slots=True)
class AddSession:
    """An /add in progress."""

    asking: Asking
    kind: Kind | None = None
    source: Source | None = None
    #: The new source's document, held in memory until the preview is confirmed.
    document: str | None = None


_SESSION = SessionSlot("admin_add", AddSession)


# --- asking one field --------------------------------------------------------------------------
def field_choices(context: BotContext, spec: FieldSpec) -> list[tuple[str, str]]:
    """(label, value) buttons offered for ``spec``: its choices, or the known sources."""
    if spec.key == SOURCE.key:
        return [(shorten(s.title, 50), s.id) for s in context.facts.sources()[:40]]
    return [(c, c) for c in spec.choices]


async def ask(message: Message, context: BotContext, asking: Asking, *, note: str = "") -> None:
    """Send the question for the current field, with buttons when it has choices."""
    spec = asking.current
    lines = []
    if note:
        lines.append(note)
    total = len(asking.fields)
    lines.append(
        context.tr.gettext(
            at.ADD_STEP,
            number=asking.index + 1,
            total=total,
            prompt=esc(context.tr.gettext(spec.prompt)),
        )
    )
    if spec.optional:
        lines.append(context.tr.gettext(at.ADD_OPTIONAL))
    current = asking.answers.get(spec.key)
    if (asking.editing_one or asking.offer_keep) and current is not None:
        lines.append(
            context.tr.gettext(at.ADD_CURRENT, value=esc(shorten(show_value(current), 300)))
        )
    offered = field_choices(context, spec)
    asking.choices = [value for _, value in offered]
    buttons = [
        InlineKeyboardButton(label, callback_data=f"{CHOICE_PREFIX}:{n}")
        for n, (label, _) in enumerate(offered)
    ]
    per_row = 1 if spec.key == SOURCE.key else 3
    rows = [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]
    if asking.offer_keep and current is not None:
        rows.append([InlineKeyboardButton(context.tr.gettext(at.KEEP), callback_data=KEEP_DATA)])
    markup = InlineKeyboardMarkup(rows) if rows else None
    if not offered and spec.key == SOURCE.key:
        lines.append(context.tr.gettext(at.ADD_NO_SOURCES))
    await message.reply_text("\n".join(lines), reply_markup=markup, do_quote=False)


async def take_answer(message: Message, context: BotContext, asking: Asking, raw: str) -> bool:
    """Parse ``raw`` for the current field and store it; False once it is asked again."""
    spec = asking.current
    try:
        asking.answers[spec.key] = parse_answer(spec, raw)
    except InputError as exc:
        await ask(message, context, asking, note=bad_answer(exc, tr=context.tr))
        return False
    return True


def choice_value(asking: Asking, number: str) -> str | None:
    """The value behind the ``adm:c:<number>`` button of the current question."""
    try:
        return asking.choices[int(number)]
    except (ValueError, IndexError):
        return None


def pick_keyboard(fields: list[FieldSpec]) -> InlineKeyboardMarkup:
    """One button per field, to choose which to change."""
    buttons = [
        InlineKeyboardButton(spec.name, callback_data=f"{PICK_PREFIX}:{n}")
        for n, spec in enumerate(fields)
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


# --- entry points ------------------------------------------------------------------------------
@admin_command("/add")
async def add(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> int:
    """/add: ask the kind (or take a whole fact as JSON after the command)."""
    end_sessions(context)
    raw = command_rest(message)
    if raw:
        await _add_from_json(message, context, state, raw)
        return END
    _SESSION.start(context, AddSession(asking=Asking(fields=[])))
    buttons = [
        InlineKeyboardButton(k.value, callback_data=f"{KIND_PREFIX}:{k.value}") for k in Kind
    ]
    await message.reply_text(
        context.tr.gettext(at.ADD_KIND),
        reply_markup=InlineKeyboardMarkup([buttons[:3], buttons[3:]]),
        do_quote=False,
    )
    return KIND


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
        return END
    await _add_from_json(message, context, state, raw)
    return END


def command_rest(message: Message) -> str:
    """The message text (or a file's caption) after the command, line breaks kept (JSON may
    span lines)."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _add_from_json(
    message: Message, context: BotContext, state: AdminState, raw: str
) -> None:
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
    blocks = fact_blocks(context.facts, fact, extra_source=source)
    edit_prefix = ADD_EDIT_PREFIX if answers is not None else None
    await send_preview(message, context, pending, blocks, edit_prefix=edit_prefix, tr=context.tr)
    return True


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
    value = choice_value(session.asking, press.arg)
    if value is None:
        await ask(message, context, session.asking)
        return ASK
    await drop_keyboard(message)
    if not await take_answer(message, context, session.asking, value):
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
        typed_source = await _typed_source(message, context, raw)
        if typed_source is None:
            return ASK
        source, session.document = typed_source
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
        reply_markup=pick_keyboard(_editable(session)),
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


# --- standalone /addsource ---------------------------------------------------------------------
async def _typed_source(
    message: Message, context: BotContext, raw: str, *, hint: str = ""
) -> tuple[Source, str | None] | None:
    """The new source ``raw`` describes (form or JSON) and its document's text when the
    message carries one (the source names it; nothing is stored yet), or None once told
    why it cannot be."""
    taken = {s.id for s in context.facts.sources()}
    document = await _source_document(message, context, raw)
    if document is None:
        return None
    raw, text = document
    try:
        source = source_from_form(raw, taken)
    except (InputError, FactsError) as exc:
        await reply_bad_input(message, exc, hint, tr=context.tr)
        return None
    if source.id in taken:
        problem = f"source {source.id!r} already exists"
        await message.reply_text(
            context.tr.gettext(at.CANNOT_APPLY, problem=esc(problem)), do_quote=False
        )
        return None
    if text is not None:
        # Named now (content-addressed); stored only when Confirm writes the source, so a
        # cancelled preview leaves nothing behind.
        source = source.model_copy(update={"document": document_id(text)})
    return source, text


async def _source_document(
    message: Message, context: BotContext, raw: str
) -> tuple[str, str | None] | None:
    """``raw`` split into the source's form and its document's text: a .txt or .html file
    the message carries, or text pasted on the lines below a one-line form. None once told
    why the document cannot be used."""
    from bot.handlers.admin_import import download  # admin_import imports this module

    doc = message.document
    if doc is not None:
        if doc.file_size is not None and doc.file_size > MAX_DOCUMENT_BYTES:
            limit = MAX_DOCUMENT_BYTES // (1024 * 1024)
            size = f"{doc.file_size / (1024 * 1024):.1f}"
            await message.reply_text(
                context.tr.gettext(at.IMPORT_TOO_BIG, size=size, limit=limit), do_quote=False
            )
            return None
        data = await download(context.bot, doc)
        if data is None or len(data) > MAX_DOCUMENT_BYTES:
            await message.reply_text(context.tr.gettext(at.IMPORT_DOWNLOAD_FAILED), do_quote=False)
            return None
        try:
            return raw, extract_text(doc.file_name or "document", data)
        except ValidationFailed as exc:
            await reply_problems(message, exc, tr=context.tr)
            return None
    form, _, pasted = raw.partition("\n")
    if form.lstrip().startswith("{") or not pasted.strip():
        return raw, None
    try:
        return form, checked_text("pasted text", pasted)
    except ValidationFailed as exc:
        await reply_problems(message, exc, tr=context.tr)
        return None


def may_add_source_alone(state: AdminState, role: Role) -> bool:
    """Whether this admin may publish a source on its own (not in review mode: owners only,
    as for /import, since a draft holds a fact change)."""
    return not state.review_mode or role is Role.OWNER


@admin_command("/addsource")
async def addsource(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/addsource title | outlet | date | url (or a JSON Source): preview, then confirm."""
    if not may_add_source_alone(state, role):
        # A source on its own would skip review (a draft holds a fact change), as /import.
        await message.reply_text(context.tr.gettext(at.ADDSOURCE_EDITORS_REVIEW), do_quote=False)
        return
    raw = command_rest(message)
    if not raw:
        await message.reply_text(context.tr.gettext(at.ADDSOURCE_USAGE), do_quote=False)
        return
    typed_source = await _typed_source(
        message, context, raw, hint=context.tr.gettext(at.ADDSOURCE_USAGE)
    )
    if typed_source is None:
        return
    source, document = typed_source
    assert message.from_user is not None
    tr = context.tr
    text = tr.gettext(at.SOURCE_PREVIEW, source_id=esc(source.id), source=source_full(source))
    if document is not None:
        text += "\n" + tr.gettext(at.SOURCE_DOCUMENT, chars=tr.number(len(document)))
    pending = Pending(
        user_id=message.from_user.id,
        source=source,
        document=document,
        reason=tr.gettext(at.SOURCE_REASON),
    )
    await send_preview(message, context, pending, [text], header="", tr=tr)


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
            MessageHandler(_MESSAGE & filters.Document.ALL & _ADDSOURCE_CAPTION, addsource_in_add),
            MessageHandler(_MESSAGE & ~filters.TEXT, not_text),
        ],
        PICK: [CallbackQueryHandler(pick_button, pattern=rf"^{PICK_PREFIX}:\d{{1,3}}$")],
    }


def handlers() -> list[AnyHandler]:
    """Admin handlers of this module outside the dialogue."""
    return [
        CommandHandler("addsource", addsource, filters=_MESSAGE),
        MessageHandler(_MESSAGE & filters.Document.ALL & _ADDSOURCE_CAPTION, addsource),
    ]


#: A .txt or .html file sent with "/addsource title | …" as its caption.
_ADDSOURCE_CAPTION = filters.CaptionRegex(r"^/addsource(?:@\w+)?(?:\s|$)")
#: Largest document file accepted.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
