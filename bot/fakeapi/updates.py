"""The fake Bot API's update queue: what users did, waiting for the bot's getUpdates.

Telegram's rules: an update stays until a later getUpdates ``offset`` confirms it; a new
getUpdates ends an older one still waiting with 409 Conflict; ``allowed_updates`` is kept
from the last call that named it, and an update of a type left out is never delivered
(:meth:`UpdateQueue.dropped` says which, so a test is not left waiting silently).
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from typing import Any, Final

from bot.fakeapi.records import ApiError

#: Update types delivered when getUpdates never named any (Telegram's default).
DEFAULT_UPDATE_TYPES: Final = frozenset(
    [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
    ]
)


class UpdateQueue:
    """Updates queued by users, delivered by long polls; ``changed`` is called whenever an
    observer may want to re-check (an update confirmed or dropped, a poll waiting)."""

    def __init__(self, changed: Callable[[], None]) -> None:
        self._changed = changed
        self._updates: list[tuple[int, str, dict[str, Any]]] = []
        self._update_ids = itertools.count(1)
        #: Every update id up to this one was confirmed by a getUpdates offset.
        self.acknowledged = 0
        self._dropped: dict[int, str] = {}  # update id -> type, not delivered (allowed_updates)
        #: The update types the bot last asked for (getUpdates / setWebhook).
        self.allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        #: getUpdates requests blocked waiting for an update.
        self.waiting_polls = 0
        self._poll_generation = 0
        self._poll_waiters: list[asyncio.Future[None]] = []
        self._closing = False

    def __len__(self) -> int:
        return len(self._updates)

    def put(self, kind: str, payload: Any) -> int:
        """Queue an update of type ``kind``; returns its update id."""
        update_id = next(self._update_ids)
        self._updates.append((update_id, kind, {"update_id": update_id, kind: payload}))
        self.wake_polls()
        return update_id

    def clear(self) -> None:
        """Drop every pending update (deleteWebhook's drop_pending_updates)."""
        self._updates.clear()

    def allow(self, allowed: object) -> None:
        """Keep a getUpdates / setWebhook ``allowed_updates`` list (empty: the default)."""
        if isinstance(allowed, list):
            self.allowed = frozenset(allowed) or DEFAULT_UPDATE_TYPES

    def dropped(self) -> dict[int, str]:
        """Updates never delivered because the bot's allowed_updates leave them out."""
        return dict(self._dropped)

    def is_dropped(self, update_id: int) -> bool:
        """Whether ``update_id`` was left out by the bot's allowed_updates."""
        return update_id in self._dropped

    def open(self) -> None:
        """Serve long polls (again)."""
        self._closing = False

    def close(self) -> None:
        """Answer every waiting long poll now with what there is (the server is stopping)."""
        self._closing = True
        self.wake_polls()

    def wake_polls(self) -> None:
        """Let waiting long polls look at the queue again."""
        waiters, self._poll_waiters = self._poll_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._changed()

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        """getUpdates: confirm what ``offset`` passes, then answer with the updates there
        are, waiting up to ``timeout`` seconds for one; ApiError 409 if a newer getUpdates
        came meanwhile."""
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        # Telegram keeps the last list; an empty one means the default set.
        self.allow(params.get("allowed_updates"))
        if offset > 0:
            self._updates = [u for u in self._updates if u[0] >= offset]
            self.acknowledged = max(self.acknowledged, offset - 1)
        self._poll_generation += 1
        generation = self._poll_generation
        self.wake_polls()  # an older long poll is in conflict; wait_delivered may be met
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                raise ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
            ready = self._deliverable(limit)
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closing:
                return ready
            self.waiting_polls += 1
            self._changed()
            waiter = loop.create_future()
            self._poll_waiters.append(waiter)
            try:
                async with asyncio.timeout(remaining):
                    await waiter
            except TimeoutError:
                pass
            finally:
                self.waiting_polls -= 1

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        ready: list[dict[str, Any]] = []
        kept: list[tuple[int, str, dict[str, Any]]] = []
        for update_id, kind, update in self._updates:
            if kind not in self.allowed:
                self._dropped[update_id] = kind
                continue
            kept.append((update_id, kind, update))
            if len(ready) < limit:
                ready.append(update)
        if len(kept) != len(self._updates):
            self._updates = kept
            self._changed()
        return ready
