"""The fake Bot API checked through PTB's real Bot (HTTPXRequest over 127.0.0.1), and the
driver that runs an Application against it."""

from __future__ import annotations

import asyncio
import datetime as dt
import random
from collections.abc import AsyncIterator

import httpx
import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from bot.context import AnyApplication
from bot.fake_api import (
    DEFAULT_USER_ID,
    BotDriver,
    FakeBotApi,
    HandlerError,
    HtmlError,
    echo_application,
    parse_full_html,
    parse_html,
    parse_simple_html,
    utf16_len,
)
from tests.bot.harness import TEST_TOKEN

USER = DEFAULT_USER_ID
HTML = ParseMode.HTML


@pytest.fixture
async def tg(api: FakeBotApi) -> AsyncIterator[Bot]:
    """PTB's Bot talking to the fake server, with a chat the test user opened."""
    api.register_chat(USER)
    async with Bot(TEST_TOKEN, base_url=api.base_url, base_file_url=api.base_file_url) as bot:
        yield bot


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


# --- Telegram's HTML, as a pure function ---------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "error"),
    [
        # Byte offsets count UTF-8 bytes: "🏟 🏟&lt;" is 13 bytes (tdlib's own test cases).
        ("🏟 🏟&lt;<abacaba", "Unclosed start tag at byte offset 13"),
        ("🏟 🏟&lt;<abac>", 'Unsupported start tag "abac" at byte offset 13'),
        ("🏟 🏟&lt;<i   =aba>", 'Empty attribute name in the tag "i" at byte offset 13'),
        ("🏟 🏟&lt;<i    aba>", "Expected equal sign in declaration of an attribute of the tag"),
        ("🏟 🏟&lt;</", "Unexpected end tag at byte offset 13"),
        ("🏟 🏟&lt;<b></b></", "Unexpected end tag at byte offset 20"),
        ("🏟 🏟&lt;<i>a</i   ", "Unclosed end tag at byte offset 17"),
        ("🏟 🏟&lt;<i>a</em   >", 'Unmatched end tag at byte offset 17, expected "</i>", found'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'expected "</i>", found "</b>"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br"'),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
        ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier"),
        ("&#xDFDF;", "invalid Unicode characters"),
        # Stricter than Telegram, which shows these literally: signs of unescaped data.
        ("AT&T", 'Unescaped "&" at byte offset 2'),
        ("&nbsp;", 'Unescaped "&" at byte offset 0'),
        ("&lt", 'Unescaped "&"'),
        ('<a href="javascript:alert(1)">x</a>', "is not one Telegram keeps"),
    ],
)
def test_html_errors_name_the_problem_like_telegram(source: str, error: str) -> None:
    with pytest.raises(HtmlError, match=None) as caught:
        parse_html(source)
    assert error in str(caught.value)


def test_every_allowed_tag_parses_to_its_entity() -> None:
    source = (
        "<b>b</b><strong>b</strong><i>i</i><em>i</em><u>u</u><ins>u</ins><s>s</s>"
        '<strike>s</strike><del>s</del><span class="tg-spoiler">p</span>'
        "<tg-spoiler>p</tg-spoiler>"
        '<a href="https://example.org/?a=1&amp;b=2">l</a><code>c</code>'
        '<pre><code class="language-python">x = 1</code></pre><blockquote>q</blockquote>'
        "<blockquote expandable>e</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    parsed = parse_html(source)
    kinds = [e["type"] for e in parsed.entities]
    assert kinds == [
        *["bold"] * 2,
        *["italic"] * 2,
        *["underline"] * 2,
        *["strikethrough"] * 3,
        *["spoiler"] * 2,
        "text_link",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    link = next(e for e in parsed.entities if e["type"] == "text_link")
    assert link["url"] == "https://example.org/?a=1&b=2"
    pre = next(e for e in parsed.entities if e["type"] == "pre")
    assert pre["language"] == "python"
    assert parsed.text.startswith("bbiiuusssppl")


def test_entities_decode_and_offsets_count_utf16_units() -> None:
    parsed = parse_html("&lt;&gt;&amp;&quot;&#65;&#x42; 🏟 <b>x</b>")
    assert parsed.text == '<>&"AB 🏟 x'
    # The stadium emoji is two UTF-16 code units, so "x" starts at 10, not 9.
    assert parsed.entities == [{"offset": 10, "length": 1, "type": "bold"}]


def test_lenient_mode_keeps_unknown_entities_literally_like_telegram() -> None:
    assert parse_html("AT&T &laquo;", strict=False).text == "AT&T &laquo;"


def test_the_fast_path_agrees_with_the_full_parser() -> None:
    """parse_simple_html either declines (None) or returns what parse_full_html returns, in
    both modes; on random mixes of tags, entities, stray characters and non-BMP text."""
    pieces = [
        *["<b>", "</b>", "<i>", "</i>", "<code>", "</code>", "<pre>", "</pre>"],
        *["<blockquote>", "</blockquote>", "<strong>", "</strong>", "<tg-spoiler>"],
        *["</tg-spoiler>", "<B>", "</b >", "<b x>", "<span>", "</span>", "<a>", "</a>"],
        *["&amp;", "&lt;", "&gt;", "&quot;", "&amp;lt;", "&#65;", "&", "<", ">", "&lt"],
        *["x", "é", "🏟", "—", " ", "\n", "Вясна"],
    ]
    rng = random.Random(2020)
    taken = 0
    for _ in range(4000):
        source = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        fast = parse_simple_html(source)
        for strict in (True, False):
            try:
                full = parse_full_html(source, strict=strict)
            except HtmlError:
                assert fast is None, source
            else:
                assert fast is None or fast == full, source
        taken += fast is not None
    assert taken > 400  # the fast path is really taken, not always declined


def test_a_typical_reply_takes_the_fast_path() -> None:
    source = (
        "<b>Key figures</b> — as of the date shown:\n<i>1–5 of 9</i>\n\n"
        "1. at least <b>1,486</b> political prisoners · <i>Turan &amp; OSCE, 12 May 2023</i>"
    )
    fast = parse_simple_html(source)
    assert fast is not None and fast == parse_full_html(source)
    assert [e["type"] for e in fast.entities] == ["bold", "italic", "bold", "italic"]


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


# --- polling -----------------------------------------------------------------------------------


async def test_get_updates_blocks_until_an_update_arrives(tg: Bot, api: FakeBotApi) -> None:
    assert await tg.get_updates(timeout=0) == ()
    polling = asyncio.create_task(tg.get_updates(timeout=5))
    await api.wait_polling()
    api.user_message("/start")
    [update] = await polling
    assert update.message is not None and update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"
    # Not confirmed yet: delivered again until an offset passes it.
    assert [u.update_id for u in await tg.get_updates(timeout=0)] == [update.update_id]
    assert await tg.get_updates(offset=update.update_id + 1, timeout=0) == ()


async def test_a_second_poller_terminates_the_first_with_a_conflict(api: FakeBotApi) -> None:
    async with (
        Bot(TEST_TOKEN, base_url=api.base_url) as first,
        Bot(TEST_TOKEN, base_url=api.base_url) as second,
    ):
        waiting = asyncio.create_task(first.get_updates(timeout=5))
        await api.wait_polling()
        assert await second.get_updates(timeout=0) == ()
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await waiting


async def test_updates_outside_allowed_updates_are_reported_not_lost_silently(
    tg: Bot, api: FakeBotApi
) -> None:
    await tg.get_updates(timeout=0, allowed_updates=["message"])
    update_id = api.inline_query("x")
    assert await tg.get_updates(timeout=0) == ()
    with pytest.raises(LookupError, match="allowed_updates"):
        await api.wait_delivered(update_id, timeout=1)


async def test_stop_answers_a_pending_long_poll_then_closes(api: FakeBotApi) -> None:
    async with Bot(TEST_TOKEN, base_url=api.base_url) as bot:
        waiting = asyncio.create_task(bot.get_updates(timeout=30))
        await api.wait_polling()
        await api.stop()
        assert await waiting == ()
        with pytest.raises(NetworkError):
            await bot.get_me()


async def test_raw_http_json_bodies_bad_tokens_and_unknown_methods(api: FakeBotApi) -> None:
    api.register_chat(USER)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}") as client:
        sent = await client.post(
            f"/bot{TEST_TOKEN}/sendMessage", json={"chat_id": USER, "text": "via JSON"}
        )
        assert sent.json()["result"]["text"] == "via JSON"
        assert (await client.post("/botnot-a-token/getMe")).status_code == 401
        unknown = await client.post(f"/bot{TEST_TOKEN}/sendPoll")
        assert unknown.status_code == 404
        assert unknown.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method sendPoll is not implemented by the fake",
        }


async def test_wait_for_times_out_with_what_it_saw(api: FakeBotApi) -> None:
    with pytest.raises(TimeoutError, match="sendMessage"):
        await api.wait_for("sendMessage", timeout=0.05)


# --- the driver on a bare application ---------------------------------------------------------


async def test_driver_returns_the_echo_bots_answer(api: FakeBotApi) -> None:
    async with BotDriver(api, echo_application(api)) as driver:
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
        await update.effective_message.reply_text("<b>menu</b>", reply_markup=keyboard("a", "b"))

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"you chose <i>{query.data}</i>")

    async def boom(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        raise RuntimeError("handler bug")

    from telegram.ext import Defaults

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
