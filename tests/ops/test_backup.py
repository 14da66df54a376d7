"""Backups: retention, verification, restore round trip, and start-up on corrupted data."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.backup import (
    BackupError,
    backup,
    backup_due,
    latest_good_backup,
    list_backups,
    make_backup,
    restore,
    verify_backup,
)
from bot.cli import main
from facts.seed import load_seed
from facts.storage import SNAPSHOT_NAME
from facts.store import FactStore
from tests.ops.conftest import TOKEN

EDITED = "An edited claim that only exists after the backup was taken."


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    """A data directory holding a closed, seeded store."""
    data_dir = tmp_path / "data"
    FactStore.open(data_dir, seed=load_seed()).close()
    return data_dir


def edit_first_fact(data_dir: Path) -> str:
    """Change one fact's text (a new revision); returns its id."""
    with FactStore.open(data_dir) as store:
        fact = store.facts()[0]
        store.update_fact(fact.model_copy(update={"text": EDITED}), by="test", reason="edit")
        return fact.id


def test_retention_keeps_the_newest_and_nothing_else_is_touched(seeded: Path) -> None:
    start = datetime(2026, 1, 1, 3, 0, tzinfo=UTC)
    (seeded / "backups").mkdir()
    keepsake = seeded / "backups" / "before-upgrade.json"
    keepsake.write_text("{}")
    with FactStore.open(seeded) as store:
        made = [make_backup(store, seeded, keep=3, now=start + timedelta(days=n)) for n in range(5)]
    assert list_backups(seeded) == made[:1:-1]
    assert keepsake.exists()


def test_two_backups_in_the_same_millisecond_get_different_names(seeded: Path) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with FactStore.open(seeded) as store:
        first = make_backup(store, seeded, keep=7, now=now)
        second = make_backup(store, seeded, keep=7, now=now)
    assert first != second and list_backups(seeded) == [second, first]


def test_backup_is_due_when_the_newest_is_old(seeded: Path) -> None:
    assert backup_due(seeded, interval_hours=24)
    with FactStore.open(seeded) as store:
        path = make_backup(store, seeded, keep=7)
    assert not backup_due(seeded, interval_hours=24)
    assert backup_due(seeded, interval_hours=24, now=path.stat().st_mtime + 25 * 3600)


def test_backup_restore_round_trip_keeps_history(seeded: Path) -> None:
    with FactStore.open(seeded) as store:
        before = store.export_bundle()
        path = make_backup(store, seeded, keep=7)
        history_lengths = {f.id: len(store.history(f.id)) for f in before.facts}
    fact_id = edit_first_fact(seeded)
    other_store = seeded / "subscribers.json"  # another store's file: not in this backup
    other_store.write_text('{"kept": true}')

    report = restore(seeded, path)

    assert report.restored.facts == len(before.facts)
    assert report.previous is not None and (report.previous / SNAPSHOT_NAME).exists()
    with FactStore.open(seeded) as store:
        assert store.export_bundle() == before
        assert store.get(fact_id).text != EDITED
        assert {f.id: len(store.history(f.id)) for f in before.facts} == history_lengths
    # The edited state was moved aside, not lost: it still opens.
    with FactStore.open(report.previous) as replaced:
        assert replaced.get(fact_id).text == EDITED
    assert list_backups(seeded) == [path]
    assert other_store.read_text() == '{"kept": true}'


def test_restore_refuses_while_the_bot_holds_the_store(seeded: Path) -> None:
    with FactStore.open(seeded) as store:
        path = make_backup(store, seeded, keep=7)
        with pytest.raises(BackupError, match="stop the bot"):
            restore(seeded, path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not a usable backup"), (b'{"_default": {}}', "not a usable backup")],
)
def test_a_damaged_backup_is_refused_and_nothing_changes(
    seeded: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    snapshot = (seeded / SNAPSHOT_NAME).read_bytes()
    with pytest.raises(BackupError, match=message):
        restore(seeded, bad)
    assert (seeded / SNAPSHOT_NAME).read_bytes() == snapshot


def test_latest_good_backup_skips_a_damaged_newer_one(seeded: Path) -> None:
    with FactStore.open(seeded) as store:
        older = make_backup(store, seeded, keep=7, now=datetime(2026, 1, 1, tzinfo=UTC))
        newer = make_backup(store, seeded, keep=7, now=datetime(2026, 1, 2, tzinfo=UTC))
    newer.write_bytes(newer.read_bytes()[:100])
    good = latest_good_backup(seeded)
    assert good is not None and good.path == older
    with pytest.raises(BackupError):
        verify_backup(newer)


@pytest.fixture
def root_logging() -> Iterator[None]:
    """run_bot replaces the root handlers; put pytest's back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    for handler in root.handlers[:]:
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)


def start_bot(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    from bot.runner import run_bot

    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    # Never reached: start-up stops at the store. Still, nothing but loopback.
    monkeypatch.setenv("BOT_API_BASE_URL", "http://127.0.0.1:9/bot")
    return run_bot()


@pytest.mark.usefixtures("root_logging")
def test_corrupted_store_stops_start_up_and_names_the_latest_good_backup(
    seeded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with FactStore.open(seeded) as store:
        good = make_backup(store, seeded, keep=7)
    (seeded / SNAPSHOT_NAME).write_bytes(b'{"revisions": {"1": {"fact_id": ')

    assert start_bot(seeded, monkeypatch) == 2

    err = capsys.readouterr().err
    assert "cannot read the fact store" in err
    assert f"Latest good backup: {good}" in err and f"factbot restore {good}" in err
    # Never started empty over it.
    assert (seeded / SNAPSHOT_NAME).read_bytes() == b'{"revisions": {"1": {"fact_id": '


@pytest.mark.usefixtures("root_logging")
def test_corrupted_store_without_backups_says_so(
    seeded: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (seeded / SNAPSHOT_NAME).write_bytes(b"\x00" * 64)
    assert start_bot(seeded, monkeypatch) == 2
    err = capsys.readouterr().err
    assert "No good backup" in err and "will not start with an empty base" in err


def test_cli_backup_and_restore_while_stopped(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--data-dir", str(seeded)]) == 0
    (daily,) = list_backups(seeded)
    assert str(daily) in capsys.readouterr().out
    copy = tmp_path / "offsite" / "copy.json"
    copy.parent.mkdir()
    assert main(["backup", str(copy), "--data-dir", str(seeded)]) == 0
    assert verify_backup(copy).facts == verify_backup(daily).facts
    assert main(["backup", str(copy.parent), "--data-dir", str(seeded)]) == 0
    assert len(list(copy.parent.glob("factbot-*.json"))) == 1

    fact_id = edit_first_fact(seeded)
    capsys.readouterr()
    assert main(["restore", str(copy), "--data-dir", str(seeded)]) == 0
    out = capsys.readouterr().out
    assert "restored" in out and "replaced-" in out
    with FactStore.open(seeded) as store:
        assert store.get(fact_id).text != EDITED


def test_cli_backup_errors_are_one_line(
    seeded: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--data-dir", str(tmp_path / "empty")]) == 2
    assert "no fact store" in capsys.readouterr().err
    assert not (tmp_path / "empty").exists()
    with pytest.raises(BackupError, match=r"\.json"):
        backup(seeded, tmp_path / "out.tar", keep=1)
