"""Backups: retention, verification, restore round trip, start-up on corrupted data, the
admin data in every backup and subscriber data in none."""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.fakeapi import FakeBotApi
from bot.ops.backup import backup
from bot.ops.cli import main
from facts.admin_store import AdminStore, Draft, DraftAction, DraftOutcome, Editor
from facts.backup import (
    AdminSummary,
    BackupError,
    backup_due,
    latest_good_backup,
    list_backups,
    make_backup,
    verify_backup,
    write_backup,
)
from facts.model import Kind
from facts.notifications import Change, Item
from facts.outbox import Outbox
from facts.records import RecordStore
from facts.restore import restore
from facts.seed import load_seed
from facts.storage import SNAPSHOT_NAME, atomic_write
from facts.store import FactStore
from facts.subscribers import SubTopic
from facts.subscriptions import SubscriptionStore
from tests.ops.conftest import TOKEN, make_ops, running

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
        # Not a statistic: its claim must keep stating its value.
        fact = next(f for f in store.facts() if f.kind is not Kind.STATISTIC)
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
    from bot.ops.runner import run_bot

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


# --- admin data in backups; subscriber data never ----------------------------------------

#: A subscriber's chat id: it must never be found in a backup or a moved-aside copy.
SUBSCRIBER = 731_555_000_111


def fill_admin(data_dir: Path, *, editor: int = 4242) -> None:
    """An editor (and a role log entry), an unanswered question and a draft."""
    with FactStore.open(data_dir) as store:
        fact_id = store.facts()[0].id
    with AdminStore.open(data_dir) as admin:
        admin.grant(editor, by=1)
        admin.record_unanswered("How tall is the tower?")
        admin.add_draft(
            Draft(
                id="d1",
                action=DraftAction.RETRACT,
                fact_id=fact_id,
                reason="outdated",
                by=editor,
                at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )


def add_subscriber(data_dir: Path, chat_id: int = SUBSCRIBER) -> None:
    """A subscription, a queued notification and a delivery mark naming ``chat_id``."""
    with SubscriptionStore.open(data_dir) as subscriptions:
        subscriptions.subscribe(chat_id, [SubTopic.ALL])
    item = Item(
        fact_id="f1", change=Change.NEW, match=frozenset({SubTopic.ALL}), text="t", line="l"
    )
    with Outbox.open(data_dir) as outbox:
        outbox.mark(outbox.enqueue(item).id, chat_id)


def subscriber_files(data_dir: Path) -> dict[str, bytes]:
    """Every subscriptions.* and outbox.* file with its bytes."""
    return {
        p.name: p.read_bytes()
        for p in sorted(data_dir.iterdir())
        if p.is_file() and p.name.startswith(("subscriptions.", "outbox."))
    }


def tree(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` (relative name → bytes)."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def admin_state(data_dir: Path) -> tuple[list[int], int, list[str], list[str]]:
    """Editors, role log length, unanswered questions and drafts, as a comparable value."""
    with AdminStore.open(data_dir) as admin:
        return (
            [e.user_id for e in admin.editors()],
            len(admin.role_log()),
            [q.text for q in admin.unanswered()],
            [d.id for d in admin.drafts()],
        )


def test_a_backup_holds_facts_and_admin_data_and_never_a_subscriber(
    seeded: Path, tmp_path: Path
) -> None:
    fill_admin(seeded)
    add_subscriber(seeded)
    assert str(SUBSCRIBER).encode() in b"".join(subscriber_files(seeded).values())
    dest = tmp_path / "offsite.json"

    assert main(["backup", str(dest), "--data-dir", str(seeded)]) == 0

    data = json.loads(dest.read_bytes())
    assert data["factbot_backup"] == 3
    assert set(data) == {"factbot_backup", "facts", "admin", "documents"}
    info = verify_backup(dest)
    assert info.admin == AdminSummary(editors=1, role_changes=1, unanswered=1, drafts=1)
    assert str(SUBSCRIBER).encode() not in dest.read_bytes()
    assert b"subscriptions" not in dest.read_bytes() and b"outbox" not in dest.read_bytes()


async def test_a_backup_while_the_bot_runs_includes_its_admin_data(
    api: FakeBotApi, data_dir: Path
) -> None:
    owner = 1001
    async with running(api, data_dir, make_ops(), admin_ids=[owner]) as runner:
        api.user_message("/grant 4242", user_id=owner)
        await api.wait_for("sendMessage", timeout=10)
        preview = api.messages(owner)[-1]
        api.press(preview, preview.button_data("✅ Confirm"), user_id=owner)
        await api.wait_for("sendMessage", count=2, timeout=10)
        api.user_message("/subscribe all", user_id=SUBSCRIBER)
        await api.wait_for("sendMessage", count=3, timeout=10)
        # The bot holds the admin store open: the backup snapshots that one, from memory.
        held = runner.services.admin.store
        assert held is not None and held.is_editor(4242)
        path = runner.backup_now("test")
        assert path is not None
    info = verify_backup(path)
    assert info.admin is not None and info.admin.editors == 1 and info.admin.role_changes == 1
    assert info.facts == len(load_seed().facts)
    with SubscriptionStore.open(data_dir) as subscriptions:
        assert subscriptions.get(SUBSCRIBER) is not None
    assert str(SUBSCRIBER).encode() not in path.read_bytes()
    assert b"subscriptions" not in path.read_bytes()


def test_restore_brings_back_facts_and_admin_data_and_leaves_subscribers_alone(
    seeded: Path,
) -> None:
    fill_admin(seeded)
    add_subscriber(seeded)
    with FactStore.open(seeded) as store:
        before = store.export_bundle()
        path = make_backup(store, seeded, keep=7)
    admin_before = admin_state(seeded)
    # Changes after the backup, to facts, admin data and subscribers alike.
    fact_id = edit_first_fact(seeded)
    with AdminStore.open(seeded) as admin:
        admin.grant(5151, by=1)
        admin.revoke(4242, by=1)
        admin.decide_draft("d1", DraftOutcome.REJECTED, by=1)
    add_subscriber(seeded, SUBSCRIBER + 1)
    subscribers = subscriber_files(seeded)

    report = restore(seeded, path)

    assert report.restored.admin == AdminSummary(editors=1, role_changes=1, unanswered=1, drafts=1)
    with FactStore.open(seeded) as store:
        assert store.export_bundle() == before
        assert store.get(fact_id).text != EDITED
    assert admin_state(seeded) == admin_before
    assert subscriber_files(seeded) == subscribers
    # Only the replaced fact and admin files were moved aside: never a subscriber's trace.
    assert report.previous is not None
    moved = tree(report.previous)
    assert set(moved) <= {"facts.json", "journal.jsonl", "facts.index", "admin.json"} | {
        "admin.journal.jsonl"
    }
    assert str(SUBSCRIBER).encode() not in b"".join(moved.values())
    assert admin_state(report.previous)[0] == [5151]


def test_an_old_fact_only_backup_still_restores_and_keeps_the_admin_data(
    seeded: Path, tmp_path: Path
) -> None:
    with FactStore.open(seeded) as store:
        before = store.export_bundle()
        old = store.backup(tmp_path / "old.json")  # the version-1 format: facts.json itself
    fill_admin(seeded)
    add_subscriber(seeded)
    fact_id = edit_first_fact(seeded)
    admin_files = {n: b for n, b in tree(seeded).items() if n.startswith("admin.")}
    subscribers = subscriber_files(seeded)

    report = restore(seeded, old)

    assert report.restored.admin is None
    with FactStore.open(seeded) as store:
        assert store.export_bundle() == before and store.get(fact_id).text != EDITED
    assert {n: b for n, b in tree(seeded).items() if n.startswith("admin.")} == admin_files
    assert subscriber_files(seeded) == subscribers
    assert report.previous is not None
    assert set(tree(report.previous)) <= {"facts.json", "journal.jsonl", "facts.index"}


def damaged(valid: dict[str, Any], part: str) -> bytes:
    """``valid`` (a version-2 backup) with its ``part`` spoilt."""
    data = copy.deepcopy(valid)
    if part == "admin record":
        (doc,) = data["admin"]["editors"].values()
        doc["value"]["user_id"] = "not a number"
    elif part == "facts":
        data["facts"] = {"_default": {}}
    elif part == "version":
        data["factbot_backup"] = 4
    elif part == "no admin":
        del data["admin"]
    elif part == "admin format":
        data["admin"]["_store"]["1"]["format"] = 99
    return json.dumps(data).encode()


@pytest.mark.parametrize(
    ("part", "message"),
    [
        ("admin record", "admin data: .*editors record '4242' does not fit Editor"),
        ("facts", "not a usable backup"),
        ("version", "format 4, which this factbot cannot read"),
        ("no admin", "fact base or admin data is missing"),
        ("admin format", "admin data: .*unknown snapshot format 99"),
    ],
)
def test_a_corrupt_backup_is_refused_before_anything_changes(
    seeded: Path, tmp_path: Path, part: str, message: str
) -> None:
    fill_admin(seeded)
    add_subscriber(seeded)
    with FactStore.open(seeded) as store:
        good = make_backup(store, seeded, keep=7)
    edit_first_fact(seeded)
    bad = tmp_path / "bad.json"
    bad.write_bytes(damaged(json.loads(good.read_bytes()), part))
    everything = tree(seeded)

    with pytest.raises(BackupError, match=message):
        restore(seeded, bad)

    assert tree(seeded) == everything


def test_a_restore_that_fails_while_writing_puts_everything_back(
    seeded: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill_admin(seeded)
    with FactStore.open(seeded) as store:
        path = make_backup(store, seeded, keep=7)
    edit_first_fact(seeded)
    everything = tree(seeded)
    writes: list[Path] = []

    def failing_write(target: Path, data: bytes) -> None:
        writes.append(target)
        if target.name == "admin.json":
            raise OSError(28, "No space left on device")
        atomic_write(target, data)

    monkeypatch.setattr("facts.restore.atomic_write", failing_write)
    with pytest.raises(OSError, match="No space"):
        restore(seeded, path)
    assert [w.name for w in writes][-2:] == ["facts.json", "admin.json"]
    assert tree(seeded) == everything
    assert not list(seeded.glob("replaced-*"))


def test_restore_refuses_while_the_admin_store_is_held(seeded: Path) -> None:
    fill_admin(seeded)
    with FactStore.open(seeded) as store:
        path = make_backup(store, seeded, keep=7)
    everything = tree(seeded)
    with AdminStore.open(seeded), pytest.raises(BackupError, match="stop the bot"):
        restore(seeded, path)
    assert {n: b for n, b in tree(seeded).items() if not n.endswith(".lock")} == {
        n: b for n, b in everything.items() if not n.endswith(".lock")
    }


def test_an_admin_store_held_in_this_process_is_the_one_backed_up(seeded: Path) -> None:
    with AdminStore.open(seeded) as admin, FactStore.open(seeded) as store:
        # Its holder hands it over (the running bot does); nothing finds it behind its back:
        # without it the backup would open the store again and meet its lock.
        with pytest.raises(BackupError, match="in use by another process"):
            make_backup(store, seeded, keep=7)
        admin.record_unanswered("buffered, not yet written")  # flushed by the backup
        info = verify_backup(make_backup(store, seeded, keep=7, admin=admin))
    assert info.admin == AdminSummary(editors=0, role_changes=0, unanswered=1, drafts=0)


def test_a_data_dir_without_admin_data_backs_up_an_empty_one_and_creates_nothing(
    seeded: Path,
) -> None:
    names = set(tree(seeded))
    with FactStore.open(seeded) as store:
        info = verify_backup(make_backup(store, seeded, keep=7))
    assert info.admin == AdminSummary(editors=0, role_changes=0, unanswered=0, drafts=0)
    assert not any(n.startswith("admin.") for n in set(tree(seeded)) - names)


def test_record_store_backup_leaves_the_store_files_alone(tmp_path: Path) -> None:
    with RecordStore.open(tmp_path, "things") as records:
        table = records.table("editors", Editor)
        table.put("1", Editor(user_id=1, granted_by=2, granted_at=datetime(2026, 1, 1, tzinfo=UTC)))
        files = tree(tmp_path)
        copy_path = records.backup(tmp_path / "copy" / "things.json")
        assert tree(tmp_path) == files | {"copy/things.json": copy_path.read_bytes()}
    with RecordStore.open(copy_path.parent, "things") as copied:
        assert copied.table("editors", Editor).require("1").granted_by == 2


DOCUMENT = "A source document long enough to be one, with a sentence no quote cites."


def test_documents_travel_with_backup_and_restore(seeded: Path, tmp_path: Path) -> None:
    with FactStore.open(seeded) as store:
        source = store.sources()[0]
        cited = [f for f in store.facts() if any(c.source == source.id for c in f.citations)]
        # Give the source a document holding every quote that cites it.
        text = DOCUMENT + "\n" + "\n".join(c.quote for f in cited for c in f.citations)
        attached = store.attach_document(source.id, text, by="test", reason="document")
        assert attached.document is not None
        path = write_backup(store, tmp_path / "with-documents.json")
    restored = tmp_path / "restored"
    restore(restored, path)
    with FactStore.open(restored) as store:
        assert store.get_source(source.id).document == attached.document
        assert store.documents.get(attached.document) == text
        assert store.rule_problems() == []


def test_a_backup_whose_base_breaks_the_rules_is_not_restored(seeded: Path, tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    with FactStore.open(seeded) as store:
        write_backup(store, path)
    data = json.loads(path.read_text())
    # A superseded fact's successor removed behind the store's back: a dangling reference.
    revisions = data["facts"]["revisions"]
    first = next(iter(revisions.values()))
    first["fact"]["status"] = "superseded"
    first["fact"]["superseded_by"] = "no-such-fact"
    path.write_text(json.dumps(data))
    target = tmp_path / "target"
    with pytest.raises(BackupError, match="no dangling references"):
        restore(target, path)
    assert not (target / SNAPSHOT_NAME).exists()
