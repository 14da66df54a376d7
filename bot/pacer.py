"""The global send pace of notifications, and the pause every send obeys after 429s and
network outages (:class:`Pacer`)."""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from typing import Final

#: Longest pause after network errors, seconds.
_MAX_BACKOFF: Final = 60.0


class Pacer:
    """The global send pace, and the pause every send obeys after 429s and outages.

    Two rules. Sends start at least ``1/rate`` apart (no bursts). And a send holds one of
    ``rate`` permits from its start until one second after its answer arrived: whatever
    the network delays, every request Telegram received within one second was answered
    after the first of them arrived, so all of them held permits at once — Telegram never
    sees more than ``rate`` in a second. No jitter margin to guess; the cost is that a
    permit is held for a round trip too, so at a latency L the pace is at most
    ``rate / (1 + L)``.
    """

    def __init__(self, rate: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self.interval = 1 / rate
        self.permits = max(1, math.floor(rate))
        # A small credit keeps high rates from losing a sleep's overshoot on every send,
        # but stays under one interval so that low rates are never bursty.
        self._slack = min(0.005, self.interval / 4)
        self._next = 0.0
        self._in_flight = 0
        #: When each answered send's permit comes back (answers arrive in time order).
        self._returns: deque[float] = deque()
        self._returned = asyncio.Event()
        self.paused_until = 0.0
        self._backoff = 0.0

    async def acquire(self) -> None:
        """Wait for a permit and the next send slot; call :meth:`release` after the send."""
        while True:
            now = self._clock()
            if self.paused_until > now:
                await asyncio.sleep(self.paused_until - now)
                continue
            while self._returns and self._returns[0] <= now:
                self._returns.popleft()
            if self._in_flight + len(self._returns) >= self.permits:
                if self._returns:
                    await asyncio.sleep(self._returns[0] - now)
                else:
                    self._returned.clear()
                    await self._returned.wait()
                continue
            slot = max(self._next, now - self._slack)
            if slot > now:
                await asyncio.sleep(slot - now)
                continue  # re-check the pause and the permits after sleeping
            self._next = slot + self.interval
            self._in_flight += 1
            return

    def release(self) -> None:
        """The send's answer (or failure) arrived: its permit returns in one second."""
        self._in_flight -= 1
        self._returns.append(self._clock() + 1.0)
        self._returned.set()

    def pause(self, seconds: float) -> None:
        """Hold every send for ``seconds`` from now (Telegram's retry_after)."""
        self.paused_until = max(self.paused_until, self._clock() + seconds)

    def outage(self) -> float:
        """A network error: pause every send with exponential back-off; returns the pause."""
        self._backoff = min(_MAX_BACKOFF, self._backoff * 2 if self._backoff else 1.0)
        self.pause(self._backoff)
        return self._backoff

    def success(self) -> None:
        """A send went through: the next outage starts from the shortest pause."""
        self._backoff = 0.0
