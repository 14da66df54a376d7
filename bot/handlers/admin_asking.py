"""One admin answer at a time: the field being asked, its buttons, the answer parsed and kept
(the /add and /edit dialogues ask this way)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import admin_texts as at
from bot.context import BotContext
from bot.handlers.admin_core import (
    bad_answer,
    drop_keyboard,
)
from bot.handlers.admin_fields import (
    SOURCE,
    FieldSpec,
    parse_answer,
)
from bot.i18n import Translator
from bot.render import EN, esc, shorten
from facts.edits import (
    show_value,
)
from facts.fields import (
    InputError,
)

CHOICE_PREFIX = "adm:c"
PICK_PREFIX = "adm:p"
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


def field_choices(context: BotContext, spec: FieldSpec) -> list[tuple[str, str]]:
    """(label, value) buttons offered for ``spec``: its choices, or the known sources."""
    if spec.key == SOURCE.key:
        return [(shorten(s.title, 50), s.id) for s in context.facts.sources()[:40]]
    tr = context.tr
    return [
        (tr.gettext(at.CHOICE_LABELS[c]) if c in at.CHOICE_LABELS else c, c) for c in spec.choices
    ]


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


async def chosen(message: Message, context: BotContext, asking: Asking, number: str) -> str | None:
    """The value behind the ``adm:c:<number>`` button of the current question, its keyboard
    dropped; None once the question is asked again (a button of an earlier question)."""
    try:
        value = asking.choices[int(number)]
    except (ValueError, IndexError):
        await ask(message, context, asking)
        return None
    await drop_keyboard(message)
    return value


def pick_keyboard(fields: list[FieldSpec], tr: Translator = EN) -> InlineKeyboardMarkup:
    """One button per field, to choose which to change (labelled in ``tr``'s language; in
    English by the name ``/edit <id> <field>`` takes)."""

    def label(spec: FieldSpec) -> str:
        if tr.language == "en" or spec.name not in at.FIELD_BUTTONS:
            return spec.name
        return tr.gettext(at.FIELD_BUTTONS[spec.name])

    buttons = [
        InlineKeyboardButton(label(spec), callback_data=f"{PICK_PREFIX}:{n}")
        for n, spec in enumerate(fields)
    ]
    return InlineKeyboardMarkup([buttons[i : i + 3] for i in range(0, len(buttons), 3)])
