"""What the bot holds in memory only: each chat's previous question (follow-ups) and
the page keys too long for a button.

Never on disk, never with a name or a user id. Follow-ups: a chat id, the last question's
text and the ids of the facts shown, for ``TTL`` seconds; the map is bounded (the oldest
chats go first), a restart clears it, and /forget drops the chat at once.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

#: How long a follow-up can refer to the previous question, in seconds.
TTL = 600.0
#: The most chats remembered at once.
MAX_CHATS = 10_000


@dataclass(frozen=True, slots=True)
class Turn:
    """A chat's previous question and what the reply showed."""

    question: str
    fact_ids: tuple[str, ...]
    #: How many of the ranked facts the replies have shown so far ("more" shows the next).
    shown: int
    at: float


class ChatMemory:
    """The previous turn of each chat, for ``TTL`` seconds, in memory only."""

    def __init__(self, *, ttl: float = TTL, max_chats: int = MAX_CHATS) -> None:
        self._ttl = ttl
        self._max = max_chats
        self._turns: OrderedDict[int, Turn] = OrderedDict()

    def recall(self, chat_id: int, *, now: float | None = None) -> Turn | None:
        """The chat's previous turn, unless it is older than ``TTL``."""
        turn = self._turns.get(chat_id)
        if turn is None:
            return None
        if (now if now is not None else time.monotonic()) - turn.at > self._ttl:
            del self._turns[chat_id]
            return None
        return turn

    def remember(
        self,
        chat_id: int,
        question: str,
        fact_ids: tuple[str, ...],
        shown: int,
        *,
        now: float | None = None,
    ) -> None:
        """Keep ``question`` and the facts shown as the chat's previous turn."""
        self._turns.pop(chat_id, None)
        at = now if now is not None else time.monotonic()
        # The map is in time order: every turn older than TTL goes now, whoever it was.
        while self._turns and at - next(iter(self._turns.values())).at > self._ttl:
            self._turns.popitem(last=False)
        self._turns[chat_id] = Turn(question, fact_ids, shown, at)
        while len(self._turns) > self._max:
            self._turns.popitem(last=False)

    def forget(self, chat_id: int) -> None:
        """Drop everything remembered about the chat."""
        self._turns.pop(chat_id, None)

    def __len__(self) -> int:
        return len(self._turns)


#: Long page keys remembered by digest; each is at most a few hundred characters.
KEYS_KEPT = 4096


class PageKeys:
    """Page-button keys too long for callback data, by digest (``bot.handlers.pages``).

    In memory only, bounded (the least recently used go first), with no chat or user id:
    a restart forgets them, and such a button then says its list has expired.
    """

    def __init__(self, *, max_keys: int = KEYS_KEPT) -> None:
        self._max = max_keys
        self._keys: OrderedDict[str, str] = OrderedDict()

    def keep(self, digest: str, key: str) -> None:
        """Remember ``key`` under ``digest`` (the most recently used)."""
        self._keys[digest] = key
        self._keys.move_to_end(digest)
        while len(self._keys) > self._max:
            self._keys.popitem(last=False)

    def get(self, digest: str) -> str | None:
        """The key kept under ``digest``; None when it was never kept or has aged out."""
        return self._keys.get(digest)

    def clear(self) -> None:
        """Forget every key (as a restart does)."""
        self._keys.clear()

    def __len__(self) -> int:
        return len(self._keys)
