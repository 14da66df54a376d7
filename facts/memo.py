"""Computed values kept by the store that owns them, so two stores never share an entry."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

_T = TypeVar("_T")


class Memo:
    """Values computed once per key and kept (at most ``size``; full, it starts afresh).

    Each store owns its memos; nothing here is global, so a store reopened, restored or
    opened beside another (tests, the console) never sees another store's values. Values
    are shared between callers, who must not change them."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: dict[Hashable, Any] = {}

    def get(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """The value kept for ``key``, computing (and keeping) it with ``compute()`` first."""
        try:
            value: _T = self._values[key]
        except KeyError:
            value = compute()
            if len(self._values) >= self._size:
                self._values.clear()
            self._values[key] = value
        return value

    def clear(self) -> None:
        """Forget every value."""
        self._values.clear()

    def __len__(self) -> int:
        return len(self._values)


class VersionedMemo(Memo):
    """A :class:`Memo` whose values hold for one version of their owner: asked at another
    version, it forgets them all first."""

    def __init__(self, size: int) -> None:
        super().__init__(size)
        self._version: int | None = None

    def at(self, version: int, key: Hashable, compute: Callable[[], _T]) -> _T:
        """The value for ``key`` computed at ``version`` of the owner."""
        if version != self._version:
            self.clear()
            self._version = version
        return self.get(key, compute)
