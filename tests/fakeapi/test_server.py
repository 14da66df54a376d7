"""The fake over HTTP: long polls, conflicts, stopping, raw requests, waiting for calls."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from telegram import Bot
from telegram.error import Conflict, NetworkError

from bot.fakeapi import DEFAULT_USER_ID, FakeBotApi
from tests.bot.harness import TEST_TOKEN

USER = DEFAULT_USER_ID


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


async def test_json_fields_are_read_like_form_fields(api: FakeBotApi) -> None:
    """Telegram keeps a JSON string as text and any other value as its JSON source, then
    reads each parameter as from a form: so JSON-in-a-string and numbers for text work."""
    api.register_chat(USER)
    keyboard = {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}") as client:
        url = f"/bot{TEST_TOKEN}/sendMessage"
        native = await client.post(
            url, json={"chat_id": USER, "text": 42, "reply_markup": keyboard}
        )
        as_text = await client.post(
            url, json={"chat_id": str(USER), "text": "42", "reply_markup": json.dumps(keyboard)}
        )
        refused = await client.post(
            url,
            json={
                "chat_id": USER,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a" * 65}]]},
            },
        )
        not_an_object = await client.post(
            url, content=b"[1]", headers={"Content-Type": "application/json"}
        )
    for answer in (native, as_text):
        assert answer.status_code == 200, answer.text
        assert answer.json()["result"]["text"] == "42"
        assert answer.json()["result"]["reply_markup"] == keyboard
    first, second = api.calls("sendMessage")[:2]
    assert (
        first.params == second.params == {"chat_id": USER, "text": "42", "reply_markup": keyboard}
    )
    assert refused.status_code == 400 and "BUTTON_DATA_INVALID" in refused.json()["description"]
    assert not_an_object.status_code == 400


# --- text that is not valid UTF-8 ----------------------------------------------------------------


async def test_a_lone_surrogate_is_refused_as_telegram_refuses_it(api: FakeBotApi) -> None:
    api.register_chat(USER)
    refused = {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: strings must be encoded in UTF-8",
    }
    url = f"/bot{TEST_TOKEN}/sendMessage"
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}") as client:
        # JSON's escape for a lone surrogate: valid JSON, not valid UTF-8 text.
        as_json = await client.post(
            url,
            content=b'{"chat_id": %d, "text": "x\\ud800y"}' % USER,
            headers={"Content-Type": "application/json"},
        )
        # The same code unit in a form, as the bytes Python's "surrogatepass" makes of it.
        as_form = await client.post(
            url,
            content=b"chat_id=%d&text=x%%ED%%A0%%80y" % USER,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        in_a_button = await client.post(url, json={"chat_id": USER, "text": "ok"} | {
            "reply_markup": '{"inline_keyboard": [[{"text": "\\udfff", "callback_data": "x"}]]}'
        })  # fmt: skip
    for answer in (as_json, as_form, in_a_button):
        assert (answer.status_code, answer.json()) == (400, refused)
    assert api.messages(USER) == []
    assert [c.error.description for c in api.sent if c.error] == [refused["description"]] * 3


async def test_an_update_holding_a_lone_surrogate_is_served_as_a_json_escape(
    tg: Bot, api: FakeBotApi
) -> None:
    api.user_message("a\ud800b")
    api.inline_query("\udc00")
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{api.port}") as client:
        raw = (await client.post(f"/bot{TEST_TOKEN}/getUpdates", json={"timeout": 0})).content
    assert raw.isascii() and b'"a\\ud800b"' in raw and b'"\\udc00"' in raw
    message, query = await tg.get_updates(timeout=0)
    assert message.message is not None and message.message.text == "a\ud800b"
    assert query.inline_query is not None and query.inline_query.query == "\udc00"
