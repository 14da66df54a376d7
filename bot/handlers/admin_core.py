"""Admin plumbing: previews with Confirm / Cancel, and the replies every admin command
shares (problems, bad input, unknown ids). Who may do what is
:mod:`bot.handlers.admin_auth`; the dialogues' sessions :mod:`bot.handlers.admin_dialogue`.

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

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import admin_texts as at
from bot import notify, texts
from bot.admin_state import Pending
from bot.cards import fact_card
from bot.context import BotContext
from bot.handlers.common import display_name, send_blocks, sources_by_id
from bot.i18n import LANGUAGES, Translator, translator
from bot.render import EN, esc, shorten
from bot.rule_texts import error_text, violation_text
from facts.changes import check_change
from facts.errors import (
    ConflictError,
    FactsError,
    NotFoundError,
    NotSaved,
    ValidationFailed,
)
from facts.fields import (
    InputError,
)
from facts.model import SLUG_PATTERN, Fact, Source
from facts.store import FactStore
from facts.violations import RuleViolation

log = logging.getLogger(__name__)

_SLUG = re.compile(SLUG_PATTERN)


def record_unanswered(context: BotContext, question: str) -> None:
    """Count a question the bot could not answer (its text only); never fails the reply."""
    context.admin.record_unanswered(question)


def by_label(user_id: int) -> str:
    """How a change records its author."""
    return f"tg:{user_id}"


# --- problems ----------------------------------------------------------------------------------
def problem_lines(exc: FactsError, limit: int = 25, *, tr: Translator) -> list[str]:
    """The problems an error names, one per line (at most ``limit``); a broken rule in
    ``tr``'s language."""
    if isinstance(exc, RuleViolation):
        problems = [violation_text(v, tr) for v in exc.violations]
    elif isinstance(exc, NotFoundError | ConflictError):
        problems = [error_text(exc, tr)]
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


def changed_languages(fact: Fact, before: Fact | None) -> list[str]:
    """The languages whose readers see a different claim after the change (every language
    the fact is written in when it is new)."""
    changed = [] if before is not None and before.text == fact.text else ["en"]
    for lang in LANGUAGES[1:]:
        after_tr = fact.translations.get(lang)
        before_tr = None if before is None else before.translations.get(lang)
        if after_tr is not None and (before is None or after_tr != before_tr):
            changed.append(lang)
    return changed


def fact_blocks(
    store: FactStore,
    fact: Fact,
    *,
    extra_source: Source | None = None,
    tr: Translator = EN,
    before: Fact | None = None,
) -> list[str]:
    """``fact`` rendered as /fact shows it to subscribers (bot.cards.fact_card) in the
    admin's language; then, for each other language whose claim the change sets or changes
    (from ``before``; all of them for a new fact), the head of the card its readers see."""
    sources = sources_by_id(store)
    if extra_source is not None:
        sources[extra_source.id] = extra_source
    names = {r: display_name(store, r) for r in fact.related}
    blocks = fact_card(fact, sources, names=names, tr=tr)
    for lang in changed_languages(fact, before):
        if lang == tr.language:
            continue
        head = fact_card(fact, sources, names=names, tr=translator(lang))[0]
        blocks.append(f"<b>{tr.gettext(at.PREVIEW_IN[lang])}</b>\n{head}")
    return blocks


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
            check_change(facts, pending.change, document=pending.document)
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
        notify.recipients_notice(context.notifier, context.facts, pending.change, tr)
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


def field_label(path: str, tr: Translator) -> str:
    """A changed field's name for the admin: the path itself in English (what /edit and the
    JSON call it), a label in Russian or Belarusian ("translations.ru.terms.X" → the
    Russian term for "X")."""
    if tr.language == "en":
        return path
    parts = path.split(".")
    if parts[0] == "translations" and len(parts) >= 3:
        lang = tr.gettext(at.LANGUAGE_OF[parts[1]]) if parts[1] in at.LANGUAGE_OF else parts[1]
        part = parts[2]
        if part == "terms" and len(parts) > 3:
            return tr.gettext(at.FIELD_TERM, term=".".join(parts[3:]), language=lang)
        label = at.TRANSLATION_FIELD_LABELS.get(part)
        return tr.gettext(label, language=lang) if label is not None else path
    if parts[0] == "citations" and len(parts) == 3 and parts[1].isdigit():
        label = at.CITATION_FIELD_LABELS.get(parts[2])
        return tr.gettext(label, n=int(parts[1]) + 1) if label is not None else path
    key = ".".join(p for p in parts if p != "date") if parts[-1] == "date" else path
    label = at.FIELD_LABELS.get(key)
    return tr.gettext(label) if label is not None else path


def change_line(name: str, old: str, new: str, *, tr: Translator) -> str:
    """One changed field for a preview."""
    return tr.gettext(
        tr.gettext(at.CHANGE_LINE),
        field=esc(field_label(name, tr)),
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


def command_rest(message: Message) -> str:
    """The message text (or a file's caption) after the command, line breaks kept (JSON may
    span lines)."""
    text = message.text or message.caption or ""
    parts = text.split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def command_args(context: BotContext) -> list[str]:
    return list(context.args or [])


def sender_id(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id
