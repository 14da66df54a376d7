"""The fake's Bot API methods checked through PTB's real Bot (HTTPXRequest over 127.0.0.1):
what Telegram accepts, what it refuses and with which error."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, RetryAfter

from bot.fakeapi import DEFAULT_USER_ID, FakeBotApi
from bot.fakeapi.html import utf16_len

USER = DEFAULT_USER_ID
HTML = ParseMode.HTML


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


# --- sending messages ------------------------------------------------------------------------


async def test_get_me_names_the_bot(tg: Bot) -> None:
    me = await tg.get_me()
    assert me.username == "factbot_test_bot"
    assert me.is_bot
    assert me.id == 123456  # from the token, as Telegram does


async def test_sent_message_comes_back_parsed_with_increasing_ids(tg: Bot, api: FakeBotApi) -> None:
    first = await tg.send_message(USER, "<b>Hello</b> &amp; <i>welcome</i>", parse_mode=HTML)
    second = await tg.send_message(USER, "plain")
    assert first.text == "Hello & welcome"
    assert first.text_html == "<b>Hello</b> &amp; <i>welcome</i>"
    assert first.from_user is not None and first.from_user.is_bot
    assert second.message_id == first.message_id + 1
    call = api.calls("sendMessage")[0]
    assert call.params["chat_id"] == USER  # JSON-decoded, not the string "1001"
    assert call.params["text"] == "<b>Hello</b> &amp; <i>welcome</i>"
    assert [m.text for m in api.messages(USER)] == ["Hello & welcome", "plain"]


async def test_bad_html_is_refused_with_telegrams_error(tg: Bot, api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities: unsupported start tag"):
        await tg.send_message(USER, "1 <2 and 3> 2", parse_mode=HTML)
    assert api.sent[-1].error is not None and api.sent[-1].error.status == 400
    assert api.messages(USER) == []


@pytest.mark.parametrize(
    ("text", "fits"),
    [
        ("a" * 4096, True),
        ("a" * 4097, False),
        ("<b>" + "a" * 4096 + "</b>", True),  # tags do not count
        ("&amp;" * 4096, True),  # an entity counts as the one character it stands for
        ("🏟" * 2048, True),  # two UTF-16 code units each
        ("🏟" * 2048 + "a", False),
        ("  " + "a" * 4096 + "\n\n", True),  # Telegram trims whitespace first
    ],
)
async def test_length_limit_counts_utf16_units_after_parsing(
    tg: Bot, text: str, fits: bool
) -> None:
    if fits:
        message = await tg.send_message(USER, text, parse_mode=HTML)
        assert message.text is not None and utf16_len(message.text) <= 4096
    else:
        with pytest.raises(BadRequest, match="Message is too long"):
            await tg.send_message(USER, text, parse_mode=HTML)


@pytest.mark.parametrize("text", ["", "   \n", "<b></b>", "<i> </i>"])
async def test_empty_text_is_refused(tg: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match="Message text is empty"):
        await tg.send_message(USER, text, parse_mode=HTML)


async def test_unknown_and_blocked_chats_fail_like_telegram(tg: Bot, api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await tg.send_message(999, "hello")
    api.block_chat(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await tg.send_message(USER, "hello")
    api.block_chat(USER, blocked=False)
    await tg.send_message(USER, "hello again")


async def test_injected_failures_raise_ptbs_exceptions(tg: Bot, api: FakeBotApi) -> None:
    api.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await tg.send_message(USER, "x")
    assert caught.value.retry_after == dt.timedelta(seconds=7)  # PTB_TIMEDELTA=1, see conftest
    api.fail_next("sendMessage", 400, "Bad Request: something odd")
    with pytest.raises(BadRequest, match="Something odd"):
        await tg.send_message(USER, "x")
    await tg.send_message(USER, "works again")
    assert [c.ok for c in api.sent if c.method == "sendMessage"] == [False, False, True]


# --- keyboards, edits, callbacks ---------------------------------------------------------------


async def test_callback_data_is_limited_to_64_bytes(tg: Bot) -> None:
    await tg.send_message(USER, "ok", reply_markup=keyboard("x" * 64, "ж" * 32))
    with pytest.raises(BadRequest, match="Button_data_invalid"):
        await tg.send_message(USER, "too long", reply_markup=keyboard("ж" * 33))


async def test_button_without_an_action_is_refused(tg: Bot) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("just text")]])
    with pytest.raises(BadRequest, match="text buttons are unallowed"):
        await tg.send_message(USER, "x", reply_markup=markup)


async def test_edits_must_change_something_and_drop_an_omitted_keyboard(
    tg: Bot, api: FakeBotApi
) -> None:
    sent = await tg.send_message(USER, "<b>page 1</b>", parse_mode=HTML, reply_markup=keyboard("n"))
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg.edit_message_text(
            "<b>page 1</b>", USER, sent.message_id, parse_mode=HTML, reply_markup=keyboard("n")
        )
    # Same words, different formatting, is a change.
    await tg.edit_message_text(
        "page 1", USER, sent.message_id, parse_mode=HTML, reply_markup=keyboard("n")
    )
    # No reply_markup: Telegram removes the keyboard.
    await tg.edit_message_text("page 2", USER, sent.message_id, parse_mode=HTML)
    [message] = api.messages(USER)
    assert (message.text, message.reply_markup, message.edit_date is not None) == (
        "page 2",
        None,
        True,
    )
    with pytest.raises(BadRequest, match="Message is not modified"):
        await tg.edit_message_reply_markup(USER, sent.message_id, reply_markup=None)
    with pytest.raises(BadRequest, match="Message to edit not found"):
        await tg.edit_message_text("x", USER, sent.message_id + 50)


async def test_deleted_messages_leave_the_chat(tg: Bot, api: FakeBotApi) -> None:
    sent = await tg.send_message(USER, "bye")
    assert await tg.delete_message(USER, sent.message_id)
    assert api.messages(USER) == []
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await tg.delete_message(USER, sent.message_id)


async def test_press_queues_a_callback_query_that_must_be_answered_once(
    tg: Bot, api: FakeBotApi
) -> None:
    await tg.send_message(USER, "choose", reply_markup=keyboard("tl:2020:2"))
    message = api.messages(USER)[-1]
    api.press(message, message.button_data("tl:2020:2"))
    [update] = await tg.get_updates(timeout=1)
    query = update.callback_query
    assert query is not None and query.data == "tl:2020:2"
    assert query.message is not None and query.message.message_id == message.message_id
    assert api.unanswered_callback_queries() == [query.id]
    assert await query.answer("ok")
    assert api.unanswered_callback_queries() == []
    with pytest.raises(BadRequest, match="Query is too old"):
        await query.answer("again")
    with pytest.raises(LookupError):
        api.press(message, "not-a-button")


async def test_inline_answers_are_checked(tg: Bot, api: FakeBotApi) -> None:
    def article(result_id: str) -> InlineQueryResultArticle:
        return InlineQueryResultArticle(
            result_id, "title", InputTextMessageContent("<b>x</b>", parse_mode=HTML)
        )

    api.inline_query("prisoners")
    [update] = await tg.get_updates(timeout=1)
    assert update.inline_query is not None
    query_id = update.inline_query.id
    with pytest.raises(BadRequest, match="Results_too_much"):
        await tg.answer_inline_query(query_id, [article(str(i)) for i in range(51)])
    with pytest.raises(BadRequest, match="Result_id_duplicate"):
        await tg.answer_inline_query(query_id, [article("a"), article("a")])
    with pytest.raises(BadRequest, match="Result_id_invalid"):
        await tg.answer_inline_query(query_id, [article("x" * 65)])
    assert await tg.answer_inline_query(query_id, [article(str(i)) for i in range(50)])
    with pytest.raises(BadRequest, match="Query is too old"):
        await tg.answer_inline_query(query_id, [])


# --- commands, files, actions ------------------------------------------------------------------


async def test_command_menu_is_stored_and_validated(tg: Bot, api: FakeBotApi) -> None:
    assert await tg.set_my_commands([("start", "Start here"), ("help", "Every command")])
    assert [c.command for c in await tg.get_my_commands()] == ["start", "help"]
    assert api.commands()[0] == {"command": "start", "description": "Start here"}
    with pytest.raises(BadRequest, match="Bot_command_invalid"):
        await tg.set_my_commands([("Bad-Name", "x")])


async def test_documents_upload_and_download(tg: Bot, api: FakeBotApi) -> None:
    payload = b'{"facts": []}\r\n\x00binary'
    message = await tg.send_document(
        USER, payload, filename="facts.json", caption="<b>export</b>", parse_mode=HTML
    )
    assert message.document is not None and message.document.file_name == "facts.json"
    assert message.caption == "export"
    upload = api.calls("sendDocument")[0].params["document"]
    assert upload.data == payload and upload.filename == "facts.json"
    downloaded = await (await tg.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == payload
    with pytest.raises(BadRequest, match="Message caption is too long"):
        await tg.send_document(USER, payload, filename="x.json", caption="a" * 1025)


async def test_chat_actions_are_checked(tg: Bot) -> None:
    assert await tg.send_chat_action(USER, "typing")
    with pytest.raises(BadRequest, match="Wrong parameter action"):
        await tg.send_chat_action(USER, "dancing")
