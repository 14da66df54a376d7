"""/unanswered and /attach: the questions the bot could not answer, and how the base learns.

/unanswered lists them, most asked first, five a page. Under each: 📎 n shows the facts
that may answer it; tapping one previews the fact with the question attached, and Confirm
writes it as a revision like any edit (a draft for editors in review mode). ✖ n marks a
question out of scope (it is dropped). ``/attach <n> <fact id or words>`` looks further.

Callback data: ``adm:ud:<key>`` dismiss, ``adm:ua:<key>`` choose a fact, ``adm:uf:<token>``
preview the chosen one, ``adm:up:<page>`` turn the page.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import UTC, datetime

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, filters

from bot import admin_texts as at
from bot import texts
from bot.admin_state import AdminState, Pending, Role
from bot.context import BotContext
from bot.handlers.admin_auth import (
    admin_command,
    pressed,
)
from bot.handlers.admin_core import (
    bad_answer,
    example_id,
    fact_blocks,
    new_draft_id,
    send_preview,
)
from bot.handlers.pages import PAGE_SIZE
from bot.i18n import Translator
from bot.render import esc, fact_text, shorten, translation_note
from facts.admin_store import AdminStore, Draft, DraftAction, UnansweredQuestion
from facts.answer import answer
from facts.errors import NotFoundError
from facts.model import Fact
from facts.store import FactStore

log = logging.getLogger(__name__)

DISMISS_PREFIX = "adm:ud"
ATTACH_PREFIX = "adm:ua"
CHOSEN_PREFIX = "adm:uf"
PAGE_PREFIX = "adm:up"
#: Facts offered for one question.
CANDIDATES = 5


def unanswered_page(
    store: AdminStore, page: int, *, tr: Translator
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Page ``page`` of the unanswered questions, with 📎/✖ buttons and ◀ ▶."""
    entries = store.unanswered()
    if not entries:
        return tr.gettext(at.UNANSWERED_NONE), None
    pages = (len(entries) + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(0, min(page, pages - 1))
    first = page * PAGE_SIZE
    shown = entries[first : first + PAGE_SIZE]
    lines = [tr.gettext(at.UNANSWERED_HEADER)]
    if pages > 1:
        lines.append(
            tr.gettext(
                at.UNANSWERED_RANGE, first=first + 1, last=first + len(shown), total=len(entries)
            )
        )
    lines += [
        tr.gettext(
            at.UNANSWERED_LINE,
            number=n,
            count=q.count,
            text=esc(shorten(q.text, 200)),
            last=esc(tr.date(q.last_asked.isoformat())),
        )
        for n, q in enumerate(shown, start=first + 1)
    ]
    rows = [
        [
            InlineKeyboardButton(f"📎 {n}", callback_data=f"{ATTACH_PREFIX}:{q.key}"),
            InlineKeyboardButton(f"✖ {n}", callback_data=f"{DISMISS_PREFIX}:{q.key}"),
        ]
        for n, q in enumerate(shown, start=first + 1)
    ]
    turn = []
    if page > 0:
        turn.append(
            InlineKeyboardButton(
                tr.gettext(texts.PAGE_PREV), callback_data=f"{PAGE_PREFIX}:{page - 1}"
            )
        )
    if page < pages - 1:
        turn.append(
            InlineKeyboardButton(
                tr.gettext(texts.PAGE_NEXT), callback_data=f"{PAGE_PREFIX}:{page + 1}"
            )
        )
    if turn:
        rows.append(turn)
    return "\n".join(lines), InlineKeyboardMarkup(rows)


@admin_command("/unanswered")
async def unanswered(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/unanswered: questions the bot could not answer, most asked first."""
    assert state.store is not None
    text, markup = unanswered_page(state.store, 0, tr=context.tr)
    await message.reply_text(text, reply_markup=markup, do_quote=False)


async def _refresh(message: Message, store: AdminStore, page: int, *, tr: Translator) -> None:
    text, markup = unanswered_page(store, page, tr=tr)
    try:
        await message.edit_text(text, reply_markup=markup)
    except BadRequest as exc:
        log.info("admin: unanswered list not refreshed: %s", exc.message)


async def page_button(update: Update, context: BotContext) -> None:
    """◀ ▶ under /unanswered."""
    press = await pressed(update, context)
    if press is None:
        return
    assert press.state.store is not None
    await press.query.answer()
    await _refresh(press.message, press.state.store, int(press.arg), tr=context.tr)


async def dismiss_button(update: Update, context: BotContext) -> None:
    """✖ n under /unanswered: the question is out of scope; drop it and refresh the list."""
    press = await pressed(update, context)
    if press is None:
        return
    state, message, query = press.state, press.message, press.query
    assert state.store is not None
    try:
        state.store.dismiss_unanswered(press.arg)
    except NotFoundError:
        await query.answer(context.tr.gettext(at.DISMISS_GONE))
    else:
        await query.answer(context.tr.gettext(at.DISMISSED))
    await _refresh(message, state.store, 0, tr=context.tr)


def candidates(store: FactStore, question: str, words: str | None = None) -> list[Fact]:
    """Current facts that may answer ``question``: what the engine answers, offers or
    suggests, then search hits (for ``words`` when given)."""
    found: dict[str, Fact] = {}
    if words is None:
        result = answer(question, store, limit=CANDIDATES)
        offered = [*result.facts, *([result.maybe] if result.maybe else []), *result.suggestions]
        found.update((f.id, f) for f in offered)
    for hit in store.search(words or question, limit=CANDIDATES):
        found.setdefault(hit.fact.id, hit.fact)
    return [f for f in found.values() if f.is_current][:CANDIDATES]


def _pending(
    state: AdminState, user_id: int, entry: UnansweredQuestion, fact: Fact, *, tr: Translator
) -> Pending | None:
    """The attachment of ``entry`` to ``fact`` as an edit waiting for Confirm (None when the
    fact holds the question already). ValueError when the question cannot be attached."""
    proposed = fact.with_question(entry.text)
    if proposed is fact:
        return None
    reason = tr.gettext(at.ATTACH_REASON)
    change = Draft(
        id=new_draft_id(),
        action=DraftAction.EDIT,
        fact_id=fact.id,
        fact=proposed,
        base_revision=fact.revision,
        reason=reason,
        by=user_id,
        at=datetime.now(UTC),
    )
    return state.add_pending(
        Pending(user_id=user_id, change=change, reason=reason, unanswered_key=entry.key)
    )


async def _offer(
    message: Message,
    context: BotContext,
    state: AdminState,
    user_id: int,
    entry: UnansweredQuestion,
    number: int,
    words: str | None = None,
) -> None:
    """List the facts that may answer ``entry``, a button each that previews it."""
    facts = candidates(context.facts, entry.text, words)
    question = esc(shorten(entry.text, 200))
    if not facts:
        await message.reply_text(
            context.tr.gettext(at.ATTACH_NO_CANDIDATES, question=question, number=number),
            do_quote=False,
        )
        return
    lines = [context.tr.gettext(at.ATTACH_CHOOSE, question=question, number=number)]
    buttons: list[InlineKeyboardButton] = []
    for n, fact in enumerate(facts, start=1):
        note = translation_note(fact, context.tr)
        lines.append(
            f"{n}. {esc(shorten(fact_text(fact, context.tr), 140))} <code>{esc(fact.id)}</code>"
            + (f" · <i>{esc(note)}</i>" if note else "")
        )
        try:
            pending = _pending(state, user_id, entry, fact, tr=context.tr)
        except ValueError:
            continue
        if pending is not None:
            buttons.append(
                InlineKeyboardButton(str(n), callback_data=f"{CHOSEN_PREFIX}:{pending.token}")
            )
    await message.reply_text(
        "\n".join(lines),
        reply_markup=InlineKeyboardMarkup([buttons]) if buttons else None,
        do_quote=False,
    )


async def attach_button(update: Update, context: BotContext) -> None:
    """📎 n under /unanswered: the facts that may answer that question."""
    press = await pressed(update, context)
    if press is None:
        return
    state, query = press.state, press.query
    assert state.store is not None
    entries = state.store.unanswered()
    entry = next((e for e in entries if e.key == press.arg), None)
    if entry is None:
        await query.answer(context.tr.gettext(at.DISMISS_GONE))
        return
    await query.answer()
    number = entries.index(entry) + 1
    await _offer(press.message, context, state, query.from_user.id, entry, number)


async def _preview(
    message: Message, context: BotContext, state: AdminState, pending: Pending
) -> None:
    assert pending.change is not None and pending.change.fact is not None
    question = pending.change.fact.questions[-1]
    await send_preview(
        message,
        context,
        pending,
        fact_blocks(context.facts, pending.change.fact, tr=context.tr, before=pending.change.fact),
        header=context.tr.gettext(at.ATTACH_HEADER, question=esc(shorten(question, 200))),
        tr=context.tr,
    )


async def chosen_button(update: Update, context: BotContext) -> None:
    """A fact's number under 📎: preview the fact with the question attached."""
    press = await pressed(update, context)
    if press is None:
        return
    pending = press.state.get_pending(press.arg)
    if pending is None or pending.user_id != press.query.from_user.id:
        await press.query.answer(context.tr.gettext(at.EXPIRED_SHORT))
        return
    await press.query.answer()
    await _preview(press.message, context, press.state, pending)


@admin_command("/attach")
async def attach(
    update: Update, context: BotContext, state: AdminState, role: Role, message: Message
) -> None:
    """/attach <n> <fact id or words>: attach unanswered question n to a fact."""
    assert state.store is not None and update.effective_user is not None
    args = list(context.args or [])
    usage = context.tr.gettext(at.ATTACH_USAGE, example=esc(example_id(context.facts)))
    if len(args) < 2 or not args[0].isdigit():
        await message.reply_text(usage, do_quote=False)
        return
    entries = state.store.unanswered()
    number = int(args[0])
    if not 1 <= number <= len(entries):
        await message.reply_text(
            context.tr.gettext(at.ATTACH_NO_SUCH, number=number), do_quote=False
        )
        return
    entry = entries[number - 1]
    rest = " ".join(args[1:])
    try:
        fact = context.facts.get(rest.strip().lower())
    except NotFoundError:
        await _offer(message, context, state, update.effective_user.id, entry, number, rest)
        return
    try:
        pending = _pending(state, update.effective_user.id, entry, fact, tr=context.tr)
    except ValueError as exc:
        await message.reply_text(bad_answer(exc, tr=context.tr), do_quote=False)
        return
    if pending is None:
        await message.reply_text(context.tr.gettext(at.ATTACH_ALREADY), do_quote=False)
        return
    await _preview(message, context, state, pending)


def dismiss_attached(state: AdminState, pending: Pending) -> None:
    """Once an attachment is written, its question is answered: drop it from the list."""
    if pending.unanswered_key is None or state.store is None:
        return
    with contextlib.suppress(NotFoundError):  # dismissed meanwhile by another admin
        state.store.dismiss_unanswered(pending.unanswered_key)


def handlers() -> list[BaseHandler[Update, BotContext, None]]:
    """/unanswered, /attach and their buttons (before admin.py's stale-button catch-all)."""
    return [
        CommandHandler("unanswered", unanswered, filters=filters.UpdateType.MESSAGE),
        CommandHandler("attach", attach, filters=filters.UpdateType.MESSAGE),
        CallbackQueryHandler(dismiss_button, pattern=rf"^{DISMISS_PREFIX}:[0-9a-f]{{16}}$"),
        CallbackQueryHandler(attach_button, pattern=rf"^{ATTACH_PREFIX}:[0-9a-f]{{16}}$"),
        CallbackQueryHandler(chosen_button, pattern=rf"^{CHOSEN_PREFIX}:[0-9a-f]{{12}}$"),
        CallbackQueryHandler(page_button, pattern=rf"^{PAGE_PREFIX}:\d{{1,4}}$"),
    ]
