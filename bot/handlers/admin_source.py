"""A new source typed in Telegram — ``/addsource title | outlet | date | url`` or a JSON
Source — with its document as a .txt or .html file or pasted below the form; standalone
(previewed, then confirmed) or at the source step of /add."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import (
    CommandHandler,
    MessageHandler,
    filters,
)

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.cards import source_full
from bot.context import BotContext
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.admin_core import (
    command_rest,
    reply_bad_input,
    reply_problems,
    send_preview,
)
from bot.handlers.admin_dialogue import (
    AnyHandler,
)
from bot.handlers.admin_fields import skipped
from bot.handlers.admin_import import download
from bot.render import esc
from facts.documents import checked_text, document_id, extract_text
from facts.edits import (
    source_from_form,
)
from facts.errors import FactsError, ValidationFailed
from facts.fields import (
    InputError,
)
from facts.model import Source

_MESSAGE = filters.UpdateType.MESSAGE


async def typed_source(
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
        source = source_from_form(raw, taken, skipped=skipped)
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
    new = await typed_source(message, context, raw, hint=context.tr.gettext(at.ADDSOURCE_USAGE))
    if new is None:
        return
    source, document = new
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


def handlers() -> list[AnyHandler]:
    """Admin handlers of this module outside the dialogue."""
    return [
        CommandHandler("addsource", addsource, filters=_MESSAGE),
        MessageHandler(_MESSAGE & filters.Document.ALL & ADDSOURCE_CAPTION, addsource),
    ]


#: A .txt or .html file sent with "/addsource title | …" as its caption.
ADDSOURCE_CAPTION = filters.CaptionRegex(r"^/addsource(?:@\w+)?(?:\s|$)")
#: Largest document file accepted.
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
