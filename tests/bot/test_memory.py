"""The follow-up memory: 10 minutes, bounded, dropped by /forget, never on disk or in logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.context import services_of
from bot.memory import ChatMemory
from tests.bot.harness import USER_ID, Harness


def test_a_turn_expires_after_the_ttl_even_if_the_chat_never_returns() -> None:
    memory = ChatMemory(ttl=600)
    memory.remember(1, "how many political prisoners?", ("a",), 1, now=0)
    assert memory.recall(1, now=599) is not None
    memory.remember(2, "who is Pompeo", ("b",), 1, now=10_000)
    assert len(memory) == 1  # chat 1's turn went when chat 2's came, 10,000 s later
    assert memory.recall(1, now=10_001) is None


def test_the_memory_is_bounded_and_forgets() -> None:
    memory = ChatMemory(max_chats=3)
    for chat in range(5):
        memory.remember(chat, "q", (), 0, now=chat)
    assert len(memory) == 3 and memory.recall(0, now=5) is None
    memory.forget(4)
    assert memory.recall(4, now=5) is None


def _files_holding(root: Path, text: bytes) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and text in p.read_bytes()]


async def test_questions_reach_neither_disk_nor_logs(
    harness: Harness, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # the level the bot runs at by default
    await harness.reply("how many political prisoners are there now?")
    await harness.reply("source?")
    assert services_of(harness.application).memory.recall(USER_ID) is not None
    assert "political prisoners are there now" not in caplog.text
    assert _files_holding(tmp_path, b"political prisoners are there now") == []
