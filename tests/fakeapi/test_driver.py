"""BotDriver running a bare Application against the fake: answers, buttons, errors."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    MessageHandler,
    filters,
)

from bot.context import AnyApplication
from bot.fakeapi import DEFAULT_USER_ID, BotDriver, FakeBotApi, HandlerError
from tests.bot.harness import TEST_TOKEN

USER = DEFAULT_USER_ID
HTML = ParseMode.HTML
_MENU = InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in ("a", "b")]])


def _echo_app(api: FakeBotApi) -> AnyApplication:
    """A bare application that answers each text with itself (plain text, no parse mode)."""

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    app = Application.builder().token(TEST_TOKEN).base_url(api.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    return app


async def test_driver_returns_the_echo_bots_answer(api: FakeBotApi) -> None:
    async with BotDriver(api, _echo_app(api)) as driver:
        calls = await driver.ask("hello <world>")
        assert [(c.method, c.params["text"]) for c in calls] == [("sendMessage", "hello <world>")]
        calls = await driver.ask("second", user_id=7)
        assert calls[0].params["chat_id"] == 7
    # Start-up went through the real polling sequence.
    methods = [c.method for c in api.sent]
    assert methods[:2] == ["getMe", "deleteWebhook"]
    assert api.polls >= 3


def _button_app(api: FakeBotApi) -> AnyApplication:
    async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("<b>menu</b>", reply_markup=_MENU)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"you chose <i>{query.data}</i>")

    async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        raise RuntimeError("handler bug")

    app = (
        Application.builder()
        .token(TEST_TOKEN)
        .base_url(api.base_url)
        .defaults(Defaults(parse_mode=HTML))
        .build()
    )
    app.add_handlers(
        [CommandHandler("menu", menu), CommandHandler("boom", boom), CallbackQueryHandler(pressed)]
    )
    return app


async def test_driver_presses_buttons_and_sees_edits(api: FakeBotApi) -> None:
    async with BotDriver(api, _button_app(api)) as driver:
        await driver.ask("/menu")
        menu = api.messages(USER)[-1]
        calls = await driver.press(menu, "b")
        assert [c.method for c in calls] == ["answerCallbackQuery", "editMessageText"]
        assert api.messages(USER)[-1].text == "you chose b"
        assert api.unanswered_callback_queries() == []


async def test_driver_surfaces_handler_exceptions(api: FakeBotApi) -> None:
    async with BotDriver(api, _button_app(api)) as driver:
        with pytest.raises(HandlerError, match="handler bug"):
            await driver.ask("/boom")
        driver.raise_errors = False
        assert await driver.ask("/boom") == []
        assert len(driver.errors) == 2
