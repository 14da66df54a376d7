"""Callback data formats (each ≤ 64 bytes) and the inline keyboards that carry them.

Formats: ``f:<fact-id>`` open a fact; ``who:<fact-id>`` open a person's profile;
``wl:<page>`` page of the people list; ``tl:<start>:<end>:<page>`` timeline page
(``-`` for an open end); ``noop`` a label that does nothing (``noop:<page>/<pages>`` the
page position, which says where the list is when tapped).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.cards import fact_button_label
from bot.i18n import Translator
from bot.render import CALLBACK_DATA_LIMIT, EN, shorten
from facts.model import Fact

OPEN_FACT = "f"
WHO = "who"
WHO_LIST = "wl"
TIMELINE = "tl"
NOOP = "noop"

#: Regex patterns for CallbackQueryHandler, one per format.
OPEN_FACT_PATTERN = r"^f:[a-z0-9-]{1,58}$"
WHO_PATTERN = r"^who:[a-z0-9-]{1,58}$"
WHO_LIST_PATTERN = r"^wl:\d{1,4}$"
TIMELINE_PATTERN = r"^tl:[0-9-]{1,10}:[0-9-]{1,10}:\d{1,4}$"
NOOP_PATTERN = r"^noop(?::\d{1,4}/\d{1,4})?$"


class Keyboard(InlineKeyboardMarkup):
    """An inline keyboard serialised once, on its first send.

    PTB serialises ``reply_markup`` with ``to_dict()`` on every send; the bot sends the same
    keyboards again and again (replies are cached per store version, see
    ``FactStore.per_version``), and that serialising was about 5 % of a reply's CPU. PTB's
    objects cannot change after construction, so the first result stays right. Each call
    returns fresh dicts and lists down to the buttons, as PTB's does (what a button holds
    beyond plain values, e.g. a web_app, is shared; factbot's buttons hold none).
    """

    __slots__ = ("_wire",)

    def to_dict(self, recursive: bool = True) -> dict[str, Any]:
        """PTB's ``to_dict()``, computed once (the non-recursive form is not kept)."""
        if not recursive:
            return super().to_dict(recursive=False)
        wire: dict[str, Any] | None = getattr(self, "_wire", None)
        if wire is None:
            wire = super().to_dict()
            # PTB freezes its objects' attributes after __init__; this slot is ours.
            object.__setattr__(self, "_wire", wire)
        return {
            key: [[dict(button) for button in row] for row in value]
            if key == "inline_keyboard"
            else value
            for key, value in wire.items()
        }


def callback_data(*parts: str | int) -> str:
    """Join parts with ":"; ValueError if the result exceeds Telegram's 64-byte limit."""
    data = ":".join(str(p) for p in parts)
    if len(data.encode("utf-8")) > CALLBACK_DATA_LIMIT:
        raise ValueError(f"callback data of {len(data.encode())} bytes exceeds 64: {data[:20]}…")
    return data


def timeline_data(start: str | None, end: str | None, page: int) -> str:
    """Callback data for a timeline page."""
    return callback_data(TIMELINE, start or "-", end or "-", page)


def parse_timeline_data(data: str) -> tuple[str | None, str | None, int]:
    """(start, end, page) from ``tl:…`` callback data."""
    _, start, end, page = data.split(":")
    return (None if start == "-" else start), (None if end == "-" else end), int(page)


def button(label: str, data: str) -> InlineKeyboardButton:
    """A callback button with a label short enough to read on a phone."""
    return InlineKeyboardButton(shorten(label, 60), callback_data=data)


def numbered_fact_buttons(
    facts: Sequence[Fact], *, start: int = 1, tr: Translator = EN
) -> InlineKeyboardMarkup:
    """One button per fact, in list order, labelled "3 · short title", opening the fact."""
    buttons = [
        [
            InlineKeyboardButton(
                fact_button_label(fact, n, tr), callback_data=callback_data(OPEN_FACT, fact.id)
            )
        ]
        for n, fact in enumerate(facts, start=start)
    ]
    return Keyboard(buttons)


def labelled_rows(
    items: Sequence[tuple[str, str]], *, per_row: int = 1
) -> list[list[InlineKeyboardButton]]:
    """Rows of (label, callback data) buttons."""
    buttons = [button(label, data) for label, data in items]
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def pager_row(
    prev_data: str | None,
    next_data: str | None,
    *,
    prev_label: str,
    next_label: str,
    position: str | None = None,
) -> list[InlineKeyboardButton]:
    """A row with ◀ / position / ▶ buttons; missing ends are left out."""
    row: list[InlineKeyboardButton] = []
    if prev_data is not None:
        row.append(InlineKeyboardButton(prev_label, callback_data=prev_data))
    if position is not None and (prev_data or next_data):
        row.append(InlineKeyboardButton(position, callback_data=f"{NOOP}:{position}"))
    if next_data is not None:
        row.append(InlineKeyboardButton(next_label, callback_data=next_data))
    return row
