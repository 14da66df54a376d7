"""Damaged subscriber and outbox files: start-up names a way back, and it works (issue 15, 3)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.fakeapi import FakeBotApi
from bot.ops.cli import main
from facts.admin_store import AdminStore
from facts.backup import make_backup
from facts.errors import StoreCorrupted
from facts.outbox import Outbox
from facts.seed import load_seed
from facts.store import FactStore
from facts.subscribers import SubTopic
from facts.subscriptions import SubscriptionStore
from tests.ops.conftest import make_ops, running
from tests.ops.test_web import run_to_exit

SNAPSHOT = "subscriptions.json"
JOURNAL = "subscriptions.journal.jsonl"


def damaged_subscriptions(data_dir: Path, *, snapshot: str) -> None:
    """Five subscribers in the snapshot and two more in the journal, then damage:
    ``snapshot="garbage"`` spoils the snapshot, ``"journal"`` a line between the two."""
    data_dir.mkdir(parents=True, exist_ok=True)
    with SubscriptionStore.open(data_dir) as store:
        for chat in range(1, 6):
            store.subscribe(chat, [SubTopic.SANCTIONS])
    first_snapshot = (data_dir / SNAPSHOT).read_bytes()
    with SubscriptionStore.open(data_dir) as store:
        store.subscribe(6, [SubTopic.ALL])
        store.subscribe(7, [SubTopic.TIMELINE])
        journal = (data_dir / JOURNAL).read_bytes()
    entries = journal.splitlines(keepends=True)
    assert len(entries) == 2
    if snapshot == "garbage":
        (data_dir / SNAPSHOT).write_bytes(b"\x00garbage{{{" + first_snapshot[:40])
        (data_dir / JOURNAL).write_bytes(journal)
    else:
        (data_dir / SNAPSHOT).write_bytes(first_snapshot)
        (data_dir / JOURNAL).write_bytes(entries[0] + b'{"seq": oops\n' + entries[1])


@pytest.mark.parametrize("damage", ["journal", "garbage"])
async def test_start_up_names_the_repair_command_and_it_works(
    api: FakeBotApi,
    data_dir: Path,
    damage: str,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    damaged_subscriptions(data_dir, snapshot=damage)
    with pytest.raises(StoreCorrupted, match="factbot repair subscriptions"):
        SubscriptionStore.open(data_dir)

    assert await run_to_exit(api, data_dir, make_ops()) == 2
    critical = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(critical) == 1, [r.getMessage() for r in critical]
    assert "factbot repair subscriptions" in critical[0].getMessage()
    assert "restore" not in critical[0].getMessage()  # backups hold no subscribers
    assert critical[0].exc_info is None

    assert main(["repair", "subscriptions", "--data-dir", str(data_dir)]) == 0
    out = capsys.readouterr().out
    # A garbage line between two intact entries costs nothing; an unreadable snapshot costs
    # the five subscribers that were only in it.
    kept = 7 if damage == "journal" else 2
    assert f"repaired subscriptions: {kept} subscriber(s) kept" in out
    assert "lost (1):" in out
    assert "the damaged files are kept in" in out
    with SubscriptionStore.open(data_dir) as store:
        assert len(store) == kept
        assert store.get(6) is not None and store.get(7) is not None

    async with running(api, data_dir, make_ops()):  # it starts again (and stops cleanly)
        api.user_message("/start")
        await api.wait_for("sendMessage")


def test_repair_of_intact_files_keeps_everything(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SubscriptionStore.open(tmp_path) as store:
        store.subscribe(10, [SubTopic.ALL])
    assert main(["repair", "subscriptions", "--data-dir", str(tmp_path)]) == 0
    assert "1 subscriber(s) kept" in capsys.readouterr().out
    with SubscriptionStore.open(tmp_path) as store:
        assert store.get(10) is not None


def test_repair_refuses_while_the_bot_holds_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with SubscriptionStore.open(tmp_path):
        assert main(["repair", "subscriptions", "--data-dir", str(tmp_path)]) == 2
    assert "in use by another process" in capsys.readouterr().err


def test_a_damaged_outbox_names_its_repair_and_it_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Outbox.open(tmp_path).close()
    (tmp_path / "outbox.json").write_bytes(b"{not json")
    with pytest.raises(StoreCorrupted, match="factbot repair outbox"):
        Outbox.open(tmp_path)
    assert main(["repair", "outbox", "--data-dir", str(tmp_path)]) == 0
    assert "0 queued notification(s) kept" in capsys.readouterr().out
    Outbox.open(tmp_path).close()


async def test_damaged_admin_data_names_the_backup_and_restore_brings_it_back(
    api: FakeBotApi,
    data_dir: Path,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with FactStore.open(data_dir, seed=load_seed()) as store, AdminStore.open(data_dir) as admin:
        admin.grant(4242, by=1)
        good = make_backup(store, data_dir, keep=3, admin=admin)
    (data_dir / "admin.json").write_bytes(b"\x00\x01 not json")

    # Readers keep their answers; the admin commands are off and the log names the backup.
    async with running(api, data_dir, make_ops()):
        api.user_message("/start")
        await api.wait_for("sendMessage")
    errors = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and f"factbot restore {good}" in errors[0], errors

    assert main(["restore", str(good), "--data-dir", str(data_dir)]) == 0
    capsys.readouterr()
    with AdminStore.open(data_dir) as admin:
        assert admin.is_editor(4242)
