"""/import — a JSON document in the export format, checked whole, applied all or nothing.

The file is fetched with getFile and downloaded from the Bot API's file URL, refused
when it is not JSON or larger than :data:`MAX_IMPORT_BYTES`, validated with pydantic
(problems named by record and field), and dry-run against the store; the admin sees what
would be added, changed and superseded and confirms. Send the file after /import, or with
"/import" (and an optional reason) as its caption.
"""

from __future__ import annotations

import logging

from telegram import Bot, Document, File, Message, Update
from telegram.error import TelegramError
from telegram.ext import (
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import admin_texts as at
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.admin_auth import (
    admin_command,
)
from bot.handlers.admin_core import (
    by_label,
    command_rest,
    problem_lines,
    reply_bad_input,
    send_preview,
)
from bot.handlers.admin_dialogue import (
    AnyHandler,
    end_sessions,
)
from bot.handlers.common import send_blocks
from bot.i18n import Translator
from bot.render import esc, shorten
from facts.bundle import parse_bundle_json
from facts.errors import FactsError, ValidationFailed
from facts.fields import (
    InputError,
    parse_reason,
)

log = logging.getLogger(__name__)

#: Largest file accepted (the Bot API lets bots download up to 20 MB).
MAX_IMPORT_BYTES = 10 * 1024 * 1024
#: Telegram's own file URL: PTB's default when no base_file_url is configured.
TELEGRAM_FILE_URL = "https://api.telegram.org/file/bot"
WAIT_FILE = 20
END = ConversationHandler.END
_SESSION = "admin_import"
_MESSAGE = filters.UpdateType.MESSAGE
_IDS_SHOWN = 15


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


@admin_command("/import")
async def import_command(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> int:
    """/import [reason]: ask for the file; a file sent with "/import [reason]" as its
    caption is checked at once."""
    # In review mode an import would bypass review, so only owners may run one.
    if state.review_mode and role is not Role.OWNER:
        await message.reply_text(context.tr.gettext(at.IMPORT_EDITORS_REVIEW), do_quote=False)
        return END
    end_sessions(context)
    reason = command_rest(message)
    if message.document is not None:
        await check_file(message, context, state, message.document, reason)
        return END
    assert context.user_data is not None
    context.user_data[_SESSION] = reason
    await message.reply_text(
        context.tr.gettext(at.IMPORT_ASK, limit=MAX_IMPORT_BYTES // (1024 * 1024)), do_quote=False
    )
    return WAIT_FILE


async def document(update: Update, context: BotContext) -> int:
    """The file sent after /import."""
    message = update.message
    if message is None or message.document is None:
        return END
    reason = str((context.user_data or {}).pop(_SESSION, "") or "")
    state = context.admin
    await check_file(message, context, state, message.document, reason)
    return END


async def not_a_document(update: Update, context: BotContext) -> int:
    """Anything but a file while one is expected."""
    if update.message is not None:
        await update.message.reply_text(context.tr.gettext(at.IMPORT_NEED_DOCUMENT), do_quote=False)
    return WAIT_FILE


async def check_file(
    message: Message, context: BotContext, state: AdminState, doc: Document, reason: str
) -> None:
    """Download, validate and dry-run the file; preview the summary with Confirm/Cancel."""
    name = doc.file_name or "file"
    # The name decides when there is one: clients label many files application/json.
    is_json = (
        name.lower().endswith(".json") if doc.file_name else doc.mime_type == "application/json"
    )
    if not is_json:
        text = context.tr.gettext(at.IMPORT_WRONG_TYPE, name=esc(shorten(name, 80)))
        await message.reply_text(text, do_quote=False)
        return
    if doc.file_size is not None and doc.file_size > MAX_IMPORT_BYTES:
        await _too_big(message, doc.file_size, tr=context.tr)
        return
    try:
        reason = (
            parse_reason(reason)
            if reason.strip()
            else context.tr.gettext(at.IMPORT_REASON, name=name)
        )
    except InputError as exc:
        await reply_bad_input(message, exc, tr=context.tr)
        return
    data = await download(context.bot, doc)
    if data is None:
        await message.reply_text(context.tr.gettext(at.IMPORT_DOWNLOAD_FAILED), do_quote=False)
        return
    if len(data) > MAX_IMPORT_BYTES:
        await _too_big(message, len(data), tr=context.tr)
        return
    store = context.facts
    assert message.from_user is not None
    try:
        bundle = parse_bundle_json(data)
        report = store.import_bundle(
            bundle, by=by_label(message.from_user.id), reason=reason, dry_run=True
        )
    except ValidationFailed as exc:
        await _rejected(message, exc, tr=context.tr)
        return
    except FactsError as exc:
        await _rejected(message, ValidationFailed([str(exc)]), tr=context.tr)
        return
    if not (report.added or report.changed or report.superseded or report.sources_added):
        await message.reply_text(
            context.tr.gettext(at.IMPORT_NOTHING, name=esc(name)), do_quote=False
        )
        return
    summary = context.tr.gettext(
        context.tr.gettext(at.IMPORT_SUMMARY),
        name=esc(shorten(name, 80)),
        added=len(report.added),
        added_ids=_ids(report.added),
        changed=len(report.changed),
        changed_ids=_ids(report.changed),
        superseded=len(report.superseded),
        superseded_ids=_ids(report.superseded),
        sources=len(report.sources_added),
        source_ids=_ids(report.sources_added),
        unchanged=len(report.unchanged),
    )
    pending = Pending(user_id=message.from_user.id, bundle=bundle, reason=reason)
    await send_preview(message, context, pending, [summary], header="", tr=context.tr)


def _ids(ids: list[str]) -> str:
    if not ids:
        return ""
    shown = ", ".join(f"<code>{esc(i)}</code>" for i in ids[:_IDS_SHOWN])
    more = f" … +{len(ids) - _IDS_SHOWN}" if len(ids) > _IDS_SHOWN else ""
    return f": {shown}{more}"


async def _too_big(message: Message, size: int, *, tr: Translator) -> None:
    await message.reply_text(
        tr.gettext(at.IMPORT_TOO_BIG, size=_mb(size), limit=MAX_IMPORT_BYTES // (1024 * 1024)),
        do_quote=False,
    )


async def _rejected(message: Message, exc: ValidationFailed, *, tr: Translator) -> None:
    lines = problem_lines(exc, limit=30, tr=tr)
    text = tr.gettext(
        tr.gettext(at.IMPORT_REJECTED),
        count=len(exc.problems),
        problems="\n".join(f"• {esc(shorten(p, 300))}" for p in lines),
    )
    await send_blocks(message, [text], quote=False)


def file_url(bot: Bot, file_path: str) -> str | None:
    """Where to download a file getFile described; None when it cannot be said safely.

    PTB prefixes ``file_path`` with its base_file_url. When the bot talks to another Bot
    API server (base_url) but base_file_url was left at Telegram's default, the file lives
    on that server at ``<server>/file/bot<token>/<path>``: download it there, never from
    Telegram with a token that is not Telegram's.
    """
    if not file_path.startswith(TELEGRAM_FILE_URL) or bot.base_url.startswith(
        "https://api.telegram.org/"
    ):
        return file_path
    marker = bot.base_url.rfind("/bot")
    if marker < 0:
        return None
    prefix = bot.base_file_url
    server_files = f"{bot.base_url[:marker]}/file{bot.base_url[marker:]}"
    return server_files + file_path[len(prefix) :]


async def download(bot: Bot, doc: Document) -> bytes | None:
    """The document's bytes, None when they cannot be fetched (logged without the URL)."""
    try:
        described = await bot.get_file(doc.file_id)
        url = file_url(bot, described.file_path or "")
        if url is None or not described.file_path:
            log.error("admin import: cannot tell where to download files; set base_file_url")
            return None
        located = File(
            file_id=described.file_id,
            file_unique_id=described.file_unique_id,
            file_size=described.file_size,
            file_path=url,
        )
        located.set_bot(bot)
        return bytes(await located.download_as_bytearray())
    except TelegramError as exc:
        log.warning("admin import: download failed: %s", type(exc).__name__)
        return None


def entry_points() -> list[AnyHandler]:
    """How /import starts: the command, or a file captioned /import."""
    caption = filters.CaptionRegex(r"^/import(?:@\w+)?(?:\s|$)")
    return [
        CommandHandler("import", import_command, filters=_MESSAGE),
        MessageHandler(_MESSAGE & filters.Document.ALL & caption, import_command),
    ]


def states() -> dict[object, list[AnyHandler]]:
    """Waiting for the file."""
    return {
        WAIT_FILE: [
            MessageHandler(_MESSAGE & filters.Document.ALL, document),
            MessageHandler(_MESSAGE & ~filters.COMMAND, not_a_document),
        ]
    }
