"""``factbot run`` as a real process against the fake Bot API: SIGTERM, flush, backup, health."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.fakeapi import FakeBotApi
from bot.ops.cli import main
from bot.ops.health import run_check
from facts.backup import list_backups
from facts.seed import load_seed
from facts.storage import JOURNAL_NAME
from facts.store import FactStore
from tests.ops.bot_process import ROOT, bot_env, start_bot
from tests.ops.conftest import TOKEN

EDITED = "A claim written just before a crash, still only in the journal."

# Opens the store, makes one durable write, and dies without closing: the write is in the
# journal only, so the bot must replay it and fold it into the snapshot when it stops.
CRASH_AFTER_WRITE = """
import os, sys
from facts.store import FactStore
store = FactStore.open(sys.argv[1])
fact = next(f for f in store.facts() if f.kind.value != "statistic")
store.update_fact(fact.model_copy(update={"text": sys.argv[2]}), by="test", reason="crash")
print(fact.id)
os._exit(0)
"""


@pytest.fixture
def crashed_store(tmp_path: Path) -> tuple[Path, str]:
    """A data directory whose last write is only in the journal; and that fact's id."""
    data_dir = tmp_path / "data"
    FactStore.open(data_dir, seed=load_seed()).close()
    crashed = subprocess.run(
        [sys.executable, "-c", CRASH_AFTER_WRITE, str(data_dir), EDITED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert (data_dir / JOURNAL_NAME).stat().st_size > 0
    return data_dir, crashed.stdout.strip()


async def test_sigterm_finishes_cleanly_and_flushes(
    api: FakeBotApi,
    tmp_path: Path,
    crashed_store: tuple[Path, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET"):  # run_check reads the mode from here
        monkeypatch.delenv(name, raising=False)
    data_dir, fact_id = crashed_store

    log_path = tmp_path / "bot.log"
    process = await start_bot(bot_env(api, data_dir), log_path)
    try:
        await api.wait_polling(timeout=30)
        api.user_message("/start")
        await api.wait_for("sendMessage", timeout=10)

        # While it runs: the health check passes and `factbot backup` gets a fresh snapshot
        # from the bot itself (the store is locked against other processes).
        assert await asyncio.to_thread(run_check, data_dir) == 0
        before = set(list_backups(data_dir))
        assert await asyncio.to_thread(main, ["backup", "--data-dir", str(data_dir)]) == 0
        assert set(list_backups(data_dir)) - before

        process.send_signal(signal.SIGTERM)
        status = await asyncio.wait_for(process.wait(), timeout=20)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    log_text = log_path.read_text()
    assert status == 0, log_text[-3000:]

    entries = [json.loads(line) for line in log_text.splitlines() if line.startswith("{")]
    messages = [e["message"] for e in entries]
    assert any("stopping (SIGTERM)" in m for m in messages)
    assert messages[-1] == "fact store flushed and closed"
    assert TOKEN not in log_text and TOKEN.split(":")[1] not in log_text
    # The journal was folded into the snapshot on the way out, and the write survived.
    assert (data_dir / JOURNAL_NAME).stat().st_size == 0
    with FactStore.open(data_dir) as store:
        assert store.get(fact_id).text == EDITED
    assert await asyncio.to_thread(run_check, data_dir) == 1  # stopped: not healthy
