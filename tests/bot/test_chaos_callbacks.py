"""Chaos: forged callback data of every prefix never raises in a handler and is always
answered (issue 15, item 4 and the chaos suite)."""

from __future__ import annotations

import asyncio
import importlib
import itertools
import logging
import pkgutil

import pytest

from bot import handlers
from bot.fakeapi import FakeBotApi
from bot.handlers import keyboards, pages, start_help
from tests.bot.harness import ADMIN_ID, USER_ID, Harness


def _prefixes() -> list[str]:
    """Every callback prefix the handlers declare (``*PREFIX*`` and ``*_DATA`` constants of
    bot.handlers), the keyboards' own, the pager's and the bare admin namespace."""
    found = {keyboards.OPEN_FACT, keyboards.WHO, keyboards.WHO_LIST, keyboards.TIMELINE,
             keyboards.NOOP, pages.PAGER, "adm"}  # fmt: skip
    for info in pkgutil.iter_modules(handlers.__path__):
        module = importlib.import_module(f"bot.handlers.{info.name}")
        for name, value in vars(module).items():
            if (
                name.isupper()
                and ("PREFIX" in name or name.endswith("_DATA"))
                and isinstance(value, str)
            ):
                found.add(value)
    found.discard(start_help.DEEP_LINK_PREFIX)  # a /start payload, not callback data
    return sorted(found)


PREFIXES = _prefixes()
TAILS = [
    "",
    ":",
    "::",
    ":x",
    ":-",
    ":-1",
    ":0",
    ":99999",
    ":2020-13:-:0",
    ":2020-02-30:2019:9999",
    ":-:-:-",
    ":x:y:z:w",
    ":a\nforged log line",
    ":ü\u202e\u200b",
    ":" + "9" * 58,
    ":t:nonsense",
    ":m:nonsense",
    ":s:9999:deadbeef",
    ":yes:extra",
]
FORGED = ["", ":", "\n", "tl:2020-13:-:0", *(p + t for p, t in itertools.product(PREFIXES, TAILS))]


@pytest.mark.parametrize("user_id", [USER_ID, ADMIN_ID], ids=["reader", "owner"])
async def test_forged_callbacks_never_raise_and_are_always_answered(
    harness: Harness, api: FakeBotApi, user_id: int, caplog: pytest.LogCaptureFixture
) -> None:
    await harness.ask("/timeline", user_id=user_id)
    message = harness.last(user_id)
    async with asyncio.timeout(120):  # bounded: ~400 presses
        for data in FORGED:
            data = data.encode()[:64].decode("utf-8", "ignore")
            await harness.settle(api.forged_press(message, data, user_id=user_id))
    assert api.unanswered_callback_queries() == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # A forged newline never starts a line of its own in the log.
    assert not any("forged log line" in line and not line.startswith(("{", " ", "20"))
                   for line in caplog.text.splitlines())  # fmt: skip
