"""Chaos: a read-only data directory and a full disk (issue 15, item 4 and the chaos suite)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.fakeapi import FakeBotApi
from bot.ops.runner import run_bot
from facts.seed import load_seed
from facts.store import FactStore
from tests.faults import FaultyDisk
from tests.ops.conftest import TOKEN


def bot_environment(monkeypatch: pytest.MonkeyPatch, api: FakeBotApi, data_dir: Path) -> None:
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_API_BASE_URL", api.base_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("LOG_FORMAT", "text")


@pytest.mark.parametrize("seeded", [True, False], ids=["existing data", "first start"])
def test_a_read_only_data_dir_stops_start_up_with_one_clear_line(
    api: FakeBotApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    seeded: bool,
) -> None:
    data_dir = tmp_path / "data"
    if seeded:
        FactStore.open(data_dir, seed=load_seed()).close()
    else:
        data_dir.mkdir()
    bot_environment(monkeypatch, api, data_dir)
    disk = FaultyDisk(monkeypatch, data_dir)
    disk.read_only()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    try:
        assert run_bot() == 2
    finally:
        for handler in root.handlers[:]:
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
    err = capsys.readouterr().err
    assert disk.refused >= 1
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "CRITICAL" in line]
    assert len(lines) == 1, err
    assert f"cannot write to DATA_DIR {data_dir} (Read-only file system)" in lines[0]
    assert "uid 10001" in lines[0]
