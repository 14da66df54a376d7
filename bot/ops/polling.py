"""Polling getUpdates so that no update, and no failing Bot API, can stop the bot.

PTB's ``Updater`` parses a whole getUpdates batch at once: one update it cannot parse (a
self-hosted Bot API server on another API version, a hostile server) fails the batch, the
offset never moves past it, and the same batch is fetched again at once, forever, each time
logged with its raw content (users' texts). This poller takes the raw batch instead, parses
each update on its own, skips the ones that fail (their offset is acknowledged with the
rest, so Telegram drops them), logs one line per skipped update with its id and type only,
and counts it. Failed calls are retried with back-off (1 s doubling to 60 s; a RetryAfter
waits what it asks).

The call itself is PTB's public ``Bot.get_updates``; the bot's request backend, a
:class:`RawUpdatesRequest`, hands the poller its calls' raw answers and tells the Bot
there were no updates, so that PTB parses nothing. This module knows nothing of the
application: it hands each parsed update to ``put``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import datetime as dt
import logging
import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from telegram import Bot, Update
from telegram.error import InvalidToken, RetryAfter, TelegramError
from telegram.request import BaseRequest

from bot.transport import PassThroughRequest

log = logging.getLogger(__name__)

#: Back-off after a failed getUpdates: the first wait, and the longest (seconds).
FIRST_RETRY_DELAY = 1.0
MAX_RETRY_DELAY = 60.0
#: Extra read time on top of the long poll's own timeout (as PTB adds its read timeout).
READ_MARGIN = 10.0
_UPDATE_TYPE = re.compile(r"[a-z_]{1,40}")
#: What the Bot is answered instead of a batch it would parse as a whole.
NO_UPDATES = b'{"ok":true,"result":[]}'
#: Where the poller's getUpdates call wants its raw answer (None: any other call).
_RAW_ANSWER: contextvars.ContextVar[list[bytes] | None] = contextvars.ContextVar(
    "factbot_raw_get_updates", default=None
)


@dataclass(frozen=True)
class SkippedUpdate:
    """An update that could not be parsed: only what is safe to log about it."""

    update_id: int | None
    kind: str

    @property
    def loggable(self) -> tuple[int | None, str]:
        """The id and type: all a log line may say about it."""
        return self.update_id, self.kind


@dataclass
class Batch:
    """One getUpdates answer, parsed update by update."""

    updates: list[Update]
    skipped: list[SkippedUpdate]
    #: The offset that acknowledges everything in the batch (None: nothing to acknowledge).
    next_offset: int | None


def update_kind(raw: object) -> str:
    """The update's type (its one field besides update_id), safe for a log line."""
    if isinstance(raw, dict):
        for key in raw:
            if key != "update_id":
                return key if isinstance(key, str) and _UPDATE_TYPE.fullmatch(key) else "?"
    return "?"


def raw_update_id(raw: object) -> int | None:
    """The update's id when it has a sane one (an int, not a bool)."""
    if isinstance(raw, dict):
        value = raw.get("update_id")
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            return value
    return None


#: A UTF-16 surrogate code point: JSON's parser joins escaped pairs, so any left is a lone one.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_lone_surrogates(raw: dict[str, Any]) -> dict[str, Any]:
    """``raw`` (a decoded update, changed in place) with each lone UTF-16 surrogate replaced
    by U+FFFD in every string, keys included.

    JSON can carry one as an escape (``"\\ud800"``) though no UTF-8 text can: Telegram never
    sends one, but a self-hosted Bot API server or a forged webhook request can, and the
    bot's text would then fail wherever it is encoded (a button's data, a reply, a file).
    Iterative, since a hostile update can nest as deep as the JSON parser allows.
    """
    stack: list[dict[str, Any] | list[Any]] = [raw]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key in [k for k in node if _LONE_SURROGATE.search(k)]:
                node[_LONE_SURROGATE.sub("\ufffd", key)] = node.pop(key)
            pairs: list[tuple[Any, Any]] = list(node.items())
        else:
            pairs = list(enumerate(node))
        for key, value in pairs:
            if isinstance(value, str):
                if _LONE_SURROGATE.search(value):
                    node[key] = _LONE_SURROGATE.sub("\ufffd", value)
            elif isinstance(value, dict | list):
                stack.append(value)
    return raw


def parse_batch(raw: object, parse: Callable[[dict[str, Any]], Update]) -> Batch:
    """Parse each update of a getUpdates result on its own.

    ValueError when the result is not a list at all (the call failed as a whole).
    """
    if not isinstance(raw, list):
        raise ValueError("getUpdates did not return a list")
    updates: list[Update] = []
    skipped: list[SkippedUpdate] = []
    highest: int | None = None
    for item in raw:
        update_id = raw_update_id(item)
        if update_id is not None:
            highest = update_id if highest is None else max(highest, update_id)
        try:
            if not isinstance(item, dict) or update_id is None:
                raise ValueError("not an update")
            updates.append(parse(item))
        except Exception:  # whatever PTB raises, the update is skipped
            skipped.append(SkippedUpdate(update_id, update_kind(item)))
    return Batch(updates, skipped, None if highest is None else highest + 1)


class RawUpdatesRequest(PassThroughRequest):
    """A request backend that passes every call through to another, except that a
    successful getUpdates answer to the poller goes to the poller as it came, and the Bot
    gets an answer with no updates.

    PTB's ``Bot.get_updates`` parses the whole batch at once, so one update it cannot parse
    would fail the batch (and PTB logs the raw batch: users' texts). The poller parses it
    update by update instead. Only calls made by :class:`Poller` (marked through a context
    variable, so concurrent calls cannot mix) are diverted; every other call, getUpdates
    from anyone else included, is answered as usual.
    """

    def answered(self, url: str, status: int, payload: bytes) -> tuple[int, bytes]:
        """A poller's call that succeeded has its answer kept for the poller, and the Bot is
        told there were no updates; any other answer goes to PTB as it came."""
        answer = _RAW_ANSWER.get()
        if answer is None or not HTTPStatus.OK <= status <= 299:
            return status, payload  # PTB turns a failure into its error, as for any call
        answer.append(payload)
        return status, NO_UPDATES


class Poller:
    """Long-polls getUpdates and hands every update it can parse to ``put``.

    ``bot``'s getUpdates request backend must be ``request``.
    """

    def __init__(
        self,
        *,
        bot: Bot,
        request: RawUpdatesRequest,
        put: Callable[[Update], Awaitable[None]],
        allowed_updates: Sequence[str],
        timeout: int,
        on_success: Callable[[], None] = lambda: None,
        on_failure: Callable[[], None] = lambda: None,
        on_skipped: Callable[[SkippedUpdate], None] = lambda skipped: None,
    ) -> None:
        self.bot = bot
        self.request = request
        self.put = put
        self.allowed_updates = list(allowed_updates)
        self.timeout = timeout
        self.on_success = on_success
        self.on_failure = on_failure
        self.on_skipped = on_skipped
        #: The offset sent with the next call: every update below it is acknowledged.
        self.offset: int | None = None
        #: Consecutive failed calls, and since when (time.time()) they have been failing.
        self.failures = 0
        self.failing_since: float | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        """Polling is going on."""
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start polling in the background."""
        self._stop.clear()
        self._task = asyncio.create_task(self._run(), name="factbot:polling")

    async def stop(self) -> None:
        """Stop polling (a call in flight is abandoned), then confirm the offset once so
        that the updates already received are not delivered again after a restart."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self.offset is not None:
            try:
                await self._get_updates(long_poll=0)
            except Exception as exc:  # the next start fetches them again
                log.warning("could not confirm the polling offset: %s", type(exc).__name__)

    async def _get_updates(self, *, long_poll: int) -> object:
        """getUpdates' result, the updates unparsed."""
        answer: list[bytes] = []
        token = _RAW_ANSWER.set(answer)
        try:
            # PTB adds the long poll to the read timeout.
            await self.bot.get_updates(
                offset=self.offset,
                timeout=long_poll,
                allowed_updates=self.allowed_updates,
                read_timeout=(self.request.read_timeout or 0) + READ_MARGIN,
            )
        finally:
            _RAW_ANSWER.reset(token)
        if not answer:
            raise RuntimeError("getUpdates did not go through the poller's RawUpdatesRequest")
        # As PTB's BaseRequest.post reads a successful answer.
        return BaseRequest.parse_json_payload(answer[0])["result"]

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                raw = await self._until_stopped(self._get_updates(long_poll=self.timeout))
            except _Stopped:
                return
            except InvalidToken:
                # The runner sees the 401/404 itself and stops the bot; poll no more.
                return
            except RetryAfter as exc:
                retry_after = exc.retry_after
                seconds = (
                    retry_after.total_seconds()
                    if isinstance(retry_after, dt.timedelta)
                    else float(retry_after)
                )
                await self._failed(exc, wait=seconds)
                continue
            except Exception as exc:  # any failure: back off and retry
                await self._failed(exc)
                continue
            try:
                batch = parse_batch(
                    raw, lambda data: Update.de_json(without_lone_surrogates(data), self.bot)
                )
            except ValueError as exc:
                await self._failed(exc)
                continue
            for skipped in batch.skipped:
                log.warning("skipped update %s (%s): it could not be parsed", *skipped.loggable)
                self.on_skipped(skipped)
            for update in batch.updates:
                await self.put(update)
            if batch.next_offset is not None:
                self.offset = batch.next_offset
            elif batch.skipped:
                # Nothing in the batch had a usable id: it cannot be acknowledged, so the
                # same batch would come back at once. Treat it as a failure (back off).
                await self._failed(ValueError("updates without an id"))
                continue
            self.failures = 0
            self.failing_since = None
            self.on_success()

    async def _until_stopped(self, call: Awaitable[object]) -> object:
        """The call's result, or _Stopped as soon as stop() is called (the call is cancelled)."""
        task = asyncio.ensure_future(call)
        stopper = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait({task, stopper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopper.cancel()
        if not task.done():
            task.cancel()
            with contextlib.suppress(BaseException):
                await task
            raise _Stopped
        return task.result()

    async def _failed(self, exc: BaseException, *, wait: float | None = None) -> None:
        self.failures += 1
        if self.failing_since is None:
            self.failing_since = time.time()
        self.on_failure()
        delay = (
            wait
            if wait is not None
            else min(FIRST_RETRY_DELAY * 2 ** (self.failures - 1), MAX_RETRY_DELAY)
        )
        # The exception's text is left out unless it is a Bot API error: other texts can
        # quote what the server sent (users' messages).
        detail = str(exc) if isinstance(exc, TelegramError) else ""
        log.warning(
            "getUpdates failed (%d in a row): %s%s; retrying in %.0f s",
            self.failures,
            type(exc).__name__,
            f": {detail}" if detail else "",
            delay,
        )
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(delay):
                await self._stop.wait()


class _Stopped(Exception):
    """stop() was called while a call was in flight."""
