"""Keyboard: an inline keyboard serialised once, identical on the wire to PTB's."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.handlers.keyboards import Keyboard

ROWS = [
    [InlineKeyboardButton("1 · a fact", callback_data="f:a")],
    [
        InlineKeyboardButton("◀ Back", callback_data="pg:s:0:"),
        InlineKeyboardButton("2/3", callback_data="noop"),
    ],
]


def test_serialises_as_ptb_does_and_equals_its_markup() -> None:
    keyboard = Keyboard(ROWS)
    assert keyboard.to_dict() == InlineKeyboardMarkup(ROWS).to_dict()
    assert keyboard.to_json() == InlineKeyboardMarkup(ROWS).to_json()
    assert keyboard == InlineKeyboardMarkup(ROWS)
    assert keyboard.to_dict(recursive=False) == InlineKeyboardMarkup(ROWS).to_dict(recursive=False)


def test_serialises_once(monkeypatch: pytest.MonkeyPatch) -> None:
    keyboard = Keyboard(ROWS)
    calls = []
    ptb = InlineKeyboardMarkup.to_dict

    def counted(self: InlineKeyboardMarkup, recursive: bool = True) -> dict[str, object]:
        calls.append(recursive)
        return ptb(self, recursive)

    monkeypatch.setattr(InlineKeyboardMarkup, "to_dict", counted)
    first = keyboard.to_dict()
    second = keyboard.to_dict()
    assert calls == [True] and first == second


def test_each_call_returns_fresh_dicts_down_to_the_buttons() -> None:
    keyboard = Keyboard(ROWS)
    keyboard.to_dict()["inline_keyboard"] = []
    keyboard.to_dict()["inline_keyboard"][0].clear()
    keyboard.to_dict()["inline_keyboard"][1][0]["text"] = "changed"
    assert keyboard.to_dict() == InlineKeyboardMarkup(ROWS).to_dict()
    assert keyboard.to_json() == InlineKeyboardMarkup(ROWS).to_json()


def test_stays_immutable_like_ptb_objects() -> None:
    keyboard = Keyboard(ROWS)
    keyboard.to_dict()
    with pytest.raises(AttributeError):
        keyboard.inline_keyboard = ()  # type: ignore[misc]
