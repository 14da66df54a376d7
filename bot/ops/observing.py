"""What the runner observes without changing: each Bot API call's outcome
(:class:`ObservedRequest`, for the metrics) and each update's processing time and progress
(:class:`TimedUpdateProcessor`, PTB's public update-processor hook)."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest

from bot.ops.metrics import BotMetrics
from bot.transport import PassThroughRequest

log = logging.getLogger(__name__)


class ObservedRequest(PassThroughRequest):
    """A request backend that reports each Bot API call's endpoint and HTTP status
    (None when the call failed without an answer).

    It delegates the HTTP to another backend (:class:`~bot.transport.JsonRequest` by default).
    """

    def __init__(self, inner: BaseRequest, on_result: Callable[[str, int | None], None]) -> None:
        super().__init__(inner)
        self._on_result = on_result

    def answered(self, url: str, status: int, payload: bytes) -> tuple[int, bytes]:
        """Report the call's status."""
        self._on_result(_endpoint(url), status)
        return status, payload

    def failed(self, url: str) -> None:
        """Report a call that got no answer."""
        self._on_result(_endpoint(url), None)


def _endpoint(url: str) -> str:
    """The method name: the URL holds the token, so only its last segment is kept."""
    return url.rsplit("/", 1)[-1]


def _update_id(update: object) -> int | None:
    """The update's id, the only part of it that may be logged."""
    return update.update_id if isinstance(update, Update) else None


class TimedUpdateProcessor(BaseUpdateProcessor):
    """PTB's update processor (the application's own loop hands it every update) that times
    each update for the metrics and keeps track of progress for the health check."""

    def __init__(self, metrics: BotMetrics, max_concurrent_updates: int = 1) -> None:
        super().__init__(max_concurrent_updates)
        self.metrics = metrics
        #: Updates being processed now.
        self.active = 0
        #: When (time.monotonic()) an update last finished, or processing last became busy.
        self.last_progress = time.monotonic()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Process the update (``coroutine`` is ``Application.process_update``), timed."""
        if self.active == 0:
            self.last_progress = time.monotonic()  # was idle: the clock starts now
        self.active += 1
        started = time.perf_counter()
        try:
            # Handler errors go to the error handlers inside; anything else is logged here
            # so that PTB's update loop goes on.
            await coroutine
        except Exception:
            log.exception("update %s could not be processed", _update_id(update))
        finally:
            self.active -= 1
            self.last_progress = time.monotonic()
            elapsed = time.perf_counter() - started
            self.metrics.update_processed(elapsed)
            log.debug("update %s processed in %.1f ms", _update_id(update), elapsed * 1000)

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""
