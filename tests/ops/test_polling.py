"""The poller's getUpdates goes through PTB's public Bot.get_updates; only its own calls are
diverted to it raw, every other call through the same request is answered as usual."""

from __future__ import annotations

from telegram import Bot, Update

from bot.fakeapi import FakeBotApi
from bot.ops.polling import Poller, RawUpdatesRequest
from bot.transport import JsonRequest
from tests.ops.conftest import TOKEN, wait_until


async def test_only_the_pollers_get_updates_is_diverted(api: FakeBotApi) -> None:
    request = RawUpdatesRequest(JsonRequest(connection_pool_size=2))
    bot = Bot(TOKEN, base_url=api.base_url, request=request, get_updates_request=request)
    async with bot:
        first = api.user_message("/start")
        # Anyone else's getUpdates is PTB's as ever: parsed updates come back.
        updates = await bot.get_updates(timeout=0)
        assert [u.update_id for u in updates] == [first]
        # The poller's: the Bot parses nothing, the poller gets every update.
        received: list[Update] = []

        async def put(update: Update) -> None:
            received.append(update)

        poller = Poller(
            bot=bot,
            request=request,
            put=put,
            allowed_updates=["message"],
            timeout=1,
        )
        poller.offset = first + 1  # the first one was taken above
        second = api.user_message("/help")
        poller.start()
        await wait_until(lambda: bool(received), what="the poller's update")
        await poller.stop()
    assert [u.update_id for u in received] == [second]
    assert received[0].message is not None and received[0].message.text == "/help"
    assert received[0].get_bot() is bot
    assert poller.failures == 0


async def test_a_failing_get_updates_reaches_ptbs_errors_and_the_poller_retries(
    api: FakeBotApi,
) -> None:
    request = RawUpdatesRequest(JsonRequest(connection_pool_size=2))
    bot = Bot(TOKEN, base_url=api.base_url, request=request, get_updates_request=request)
    failures: list[int] = []
    received: list[Update] = []

    async def put(update: Update) -> None:
        received.append(update)

    api.fail_next("getUpdates", 502)  # not diverted: PTB makes it a NetworkError
    update_id = api.user_message("/start")
    async with bot:
        poller = Poller(
            bot=bot,
            request=request,
            put=put,
            allowed_updates=["message"],
            timeout=1,
            on_failure=lambda: failures.append(poller.failures),
        )
        poller.start()
        await wait_until(lambda: bool(received), what="the update after the retry")
        await poller.stop()
    assert failures == [1]
    assert [u.update_id for u in received] == [update_id]
    assert poller.failures == 0 and poller.failing_since is None
