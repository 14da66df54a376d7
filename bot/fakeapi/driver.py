"""Driving a real PTB ``Application`` against the fake Bot API, update by update."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from telegram import Update

from bot.fakeapi.records import DEFAULT_USER_ID, POLLING_METHODS, ApiCall, ChatMessage
from bot.fakeapi.server import FakeBotApi

if TYPE_CHECKING:
    from bot.context import AnyApplication


class HandlerError(AssertionError):
    """A handler raised while the driver waited for the bot's answer."""


class BotDriver:
    """Runs a real PTB ``Application`` polling a :class:`FakeBotApi` over HTTP.

    Each interaction queues an update and returns once the application has processed it:
    the fake sees PTB confirm the update (a later getUpdates offset), then the driver
    awaits ``application.update_queue.join()`` — no sleeps. Calls made by tasks a handler
    spawns (``block=False``, jobs) are not waited for.
    """

    def __init__(
        self,
        api: FakeBotApi,
        application: AnyApplication,
        *,
        timeout: float = 5.0,
        poll_timeout: int = 10,
        raise_errors: bool = True,
    ) -> None:
        self.api = api
        self.application = application
        self.timeout = timeout
        self.poll_timeout = poll_timeout
        #: Re-raise (as HandlerError) exceptions that reached the application's error handlers.
        self.raise_errors = raise_errors
        #: Every exception that reached the error handlers (handler errors and network errors).
        self.errors: list[BaseException] = []
        self._started = False

    async def start(self) -> None:
        """Initialise, run post_init, start polling with no interval, start the application."""
        app = self.application
        app.add_error_handler(self._record_error)
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)
            if app.updater is None:
                raise RuntimeError("the application has no updater to poll with")
            await app.updater.start_polling(
                poll_interval=0.0,
                timeout=self.poll_timeout,
                allowed_updates=Update.ALL_TYPES,
            )
            await app.start()
        except BaseException:
            await self._shutdown()
            raise
        self._started = True

    async def stop(self) -> None:
        """Stop polling and the application the way ``run_polling`` does on exit."""
        await self._shutdown()
        self._started = False

    async def _shutdown(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        app.remove_error_handler(self._record_error)

    async def __aenter__(self) -> BotDriver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _record_error(self, update: object, context: Any) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    async def settle(self, update_id: int) -> None:
        """Wait until the application has fetched and processed ``update_id`` (and all before)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        errors_before = len(self.errors)
        await self.api.wait_delivered(update_id, self.timeout)
        try:
            async with asyncio.timeout(max(deadline - loop.time(), 0.001)):
                await self.application.update_queue.join()
        except TimeoutError:
            raise TimeoutError(
                f"the application did not finish update {update_id} within {self.timeout:g} s"
            ) from None
        if self.raise_errors and len(self.errors) > errors_before:
            error = self.errors[errors_before]
            raise HandlerError(f"a handler raised {error!r}") from error

    async def _answer(self, queue: Callable[[], int]) -> list[ApiCall]:
        start = len(self.api.sent)
        await self.settle(queue())
        return [c for c in self.api.sent[start:] if c.method not in POLLING_METHODS]

    async def ask(
        self,
        text: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to: ChatMessage | None = None,
        forward_origin: dict[str, Any] | None = None,
    ) -> list[ApiCall]:
        """Send ``text`` as a user (as a reply to ``reply_to``, or forwarded from
        ``forward_origin``); returns the calls the bot made while handling it."""
        return await self._answer(
            lambda: self.api.user_message(
                text,
                user_id=user_id,
                chat_id=chat_id,
                chat_type=chat_type,
                reply_to=reply_to,
                forward_origin=forward_origin,
            )
        )

    async def press(
        self, message: ChatMessage | Mapping[str, Any], data: str, *, user_id: int | None = None
    ) -> list[ApiCall]:
        """Press the button with callback ``data`` on ``message``; returns the bot's calls."""
        return await self._answer(lambda: self.api.press(message, data, user_id=user_id))

    async def inline(
        self, query: str, *, user_id: int = DEFAULT_USER_ID, offset: str = ""
    ) -> list[ApiCall]:
        """Type ``@bot query`` as a user; returns the bot's calls (its answerInlineQuery)."""
        return await self._answer(
            lambda: self.api.inline_query(query, user_id=user_id, offset=offset)
        )

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        caption: str | None = None,
    ) -> list[ApiCall]:
        """Send a document as a user; returns the bot's calls."""
        return await self._answer(
            lambda: self.api.user_document(data, file_name, user_id=user_id, caption=caption)
        )


def texts(calls: Iterable[ApiCall]) -> list[str]:
    """The text (or caption) of each successful send or edit among ``calls``."""
    return [c.text for c in calls if c.ok and c.text is not None]
