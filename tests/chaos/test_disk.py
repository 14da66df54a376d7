"""Chaos: a read-only data directory at start-up, and a full disk for every write a chat or
an admin can cause (issue 15, item 4 and the chaos suite): each refused write gets a clear
message and changes nothing on disk or in memory."""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot import notify, texts
from bot.app import build_application
from bot.context import services_of
from bot.fakeapi import FakeBotApi
from bot.handlers.subscriptions import SUBSCRIBE_PREFIX
from bot.ops.runner import run_bot
from bot.ops.settings import Settings
from bot.services import Services
from facts.errors import NotSaved
from facts.seed import load_seed
from facts.store import FactStore
from facts.subscribers import SubTopic
from facts.subscriptions import SubscriptionStore
from tests.bot.admin_helpers import EDITOR_ID, FACT_ID, fact_json, last_with_buttons, say, snapshot
from tests.bot.harness import ADMIN_ID, Harness
from tests.bot.harness import texts as call_texts
from tests.bot.test_notify_fakes import wait_until
from tests.faults import FaultyDisk
from tests.ops.conftest import TOKEN


def bot_environment(monkeypatch: pytest.MonkeyPatch, api: FakeBotApi, data_dir: Path) -> None:
    for name in ("WEBHOOK_URL", "WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BOT_TOKEN", TOKEN)
    monkeypatch.setenv("BOT_API_BASE_URL", api.base_url)
    monkeypatch.setenv("DATA_DIR", str(data_dir))
    monkeypatch.setenv("LOG_FORMAT", "text")


@pytest.mark.parametrize(
    ("seeded", "denial"),
    [(True, "read-only"), (False, "read-only"), (True, "not writable"), (False, "not writable")],
    ids=["existing data", "first start", "another uid's, existing data", "another uid's"],
)
def test_a_read_only_data_dir_stops_start_up_with_one_clear_line(
    api: FakeBotApi,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    root_logging: logging.Logger,
    seeded: bool,
    denial: str,
) -> None:
    data_dir = tmp_path / "data"
    if seeded:
        FactStore.open(data_dir, seed=load_seed()).close()
    else:
        data_dir.mkdir()
    bot_environment(monkeypatch, api, data_dir)
    disk = FaultyDisk(monkeypatch, data_dir)
    if denial == "read-only":
        disk.read_only()
    else:
        disk.not_writable()
    reason = "Read-only file system" if denial == "read-only" else "Permission denied"
    assert run_bot() == 2
    err = capsys.readouterr().err
    assert disk.refused >= 1
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if "CRITICAL" in line]
    assert len(lines) == 1, err
    assert f"cannot write to DATA_DIR {data_dir} ({reason})" in lines[0]
    assert "uid 10001" in lines[0]


# --- a full disk, for every write a chat or an admin can cause ---------------------------------

ALICE = 6_180_339_887  # distinctive, so that a search of the data files finds nothing else


def data_files(data_dir: Path) -> dict[str, bytes]:
    """Every data file's bytes (the locks hold none)."""
    return {
        p.name: p.read_bytes()
        for p in sorted(data_dir.iterdir())
        if p.is_file() and p.suffix != ".lock"
    }


def only_refusals(harness: Harness, caplog: pytest.LogCaptureFixture) -> list[str]:
    """The refused writes: each reached the error handler as NotSaved, and no traceback or
    error line was logged for it (a clear warning line each)."""
    assert all(isinstance(e, NotSaved) for e in harness.errors), harness.errors
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    return [r.getMessage() for r in caplog.records if ": not saved: " in r.getMessage()]


async def full_disk_step(
    harness: Harness, disk: FaultyDisk, data_dir: Path, step: Callable[[], Awaitable[object]]
) -> dict[str, bytes]:
    """Run ``step`` on a full disk; the data files must not change by a byte."""
    before = data_files(data_dir)
    disk.full(free=0)
    await step()
    disk.healthy()
    assert disk.refused >= 1
    assert data_files(data_dir) == before
    return before


@pytest.fixture
def lenient(harness: Harness) -> Harness:
    """The harness, collecting what reaches the error handler instead of raising it."""
    harness.raise_errors = False
    return harness


async def test_subscribing_on_a_full_disk_says_so_and_changes_nothing(
    lenient: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    await lenient.ask("/subscribe sanctions", user_id=ALICE)
    disk = FaultyDisk(monkeypatch, data_dir)
    for text in ("/subscribe all", "/unsubscribe", "/subscribe timeline"):
        await full_disk_step(lenient, disk, data_dir, lambda t=text: lenient.ask(t, user_id=ALICE))
        assert lenient.last(ALICE).text == texts.NOT_SAVED
    await lenient.ask("/subscriptions", user_id=ALICE)
    menu = lenient.last(ALICE)
    toggle = next(b["callback_data"] for row in menu.buttons for b in row
                  if b["callback_data"].startswith(f"{SUBSCRIBE_PREFIX}:t:"))  # fmt: skip
    await full_disk_step(lenient, disk, data_dir, lambda: lenient.press(menu, toggle))
    assert lenient.api.calls("answerCallbackQuery")[-1].text == texts.NOT_SAVED
    subscriber = services_of(lenient.application).notifier.subscriptions.get(ALICE)
    assert subscriber is not None and subscriber.topics == {SubTopic.SANCTIONS}
    assert len(only_refusals(lenient, caplog)) == 4


async def test_choosing_a_language_on_a_full_disk_says_so_and_changes_nothing(
    lenient: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    disk = FaultyDisk(monkeypatch, data_dir)
    await lenient.ask("/language", user_id=ALICE)
    menu = lenient.last(ALICE)
    await full_disk_step(lenient, disk, data_dir, lambda: lenient.press(menu, "lang:ru"))
    answer = lenient.api.calls("answerCallbackQuery")[-1]
    assert answer.text == texts.NOT_SAVED and answer.params.get("show_alert")
    assert services_of(lenient.application).notifier.subscriptions.language(ALICE) is None
    # The next reply is still in English: nothing was chosen.
    assert "I reply in English" in await lenient.reply("/language", user_id=ALICE)
    assert len(only_refusals(lenient, caplog)) == 1


async def test_an_admin_edit_on_a_full_disk_says_so_and_changes_nothing(
    lenient: Harness, store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    disk = FaultyDisk(monkeypatch, data_dir)
    before = snapshot(lenient, store)
    for command in ("/addjson " + json.dumps(fact_json()), f"/grant {EDITOR_ID}",
                    f"/retract {FACT_ID} a test retraction"):  # fmt: skip
        await say(lenient, command)
        preview = last_with_buttons(lenient)
        confirm = preview.button_data("✅ Confirm")
        press = functools.partial(lenient.press, preview, confirm)
        await full_disk_step(lenient, disk, data_dir, press)
        assert lenient.last(ADMIN_ID).text == texts.NOT_SAVED
        # The button's answer says it too (not "fix the problems": there is nothing to fix).
        assert lenient.api.calls("answerCallbackQuery")[-1].text == texts.NOT_SAVED
        # The preview keeps its buttons: Confirm can be pressed again once there is room.
        assert last_with_buttons(lenient).message_id == preview.message_id
    assert snapshot(lenient, store) == before
    calls = await lenient.press(preview, confirm)  # the room is back
    assert "retracted" in " ".join(call_texts(calls)).lower()
    # Caught where the write is confirmed: it never reached the error handler.
    assert only_refusals(lenient, caplog) == []


async def test_forget_on_a_full_disk_erases_the_chat_or_says_it_could_not(
    lenient: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    subscriptions = services_of(lenient.application).notifier.subscriptions
    await lenient.ask("/subscribe all", user_id=ALICE)
    disk = FaultyDisk(monkeypatch, data_dir)
    # With the space reserve gone too (another process filled the disk after it was
    # released), the erasure cannot be written: the chat is told, and nothing changes.
    (data_dir / notify.RESERVE_NAME).unlink()
    await lenient.ask("/forget", user_id=ALICE)
    question = lenient.last(ALICE)
    await full_disk_step(lenient, disk, data_dir, lambda: lenient.press(question, "forget:yes"))
    assert texts.NOT_SAVED in (lenient.api.calls("answerCallbackQuery")[-1].text or "")
    assert ALICE in subscriptions
    # With the reserve in place (the normal case) it is erased on the same full disk.
    services_of(lenient.application).notifier.reserve.ensure()
    await lenient.ask("/forget", user_id=ALICE)
    disk.full(free=0)
    await lenient.press(lenient.last(ALICE), "forget:yes")
    disk.healthy()
    assert "keeps nothing about this chat" in (lenient.last(ALICE).text or "")
    assert ALICE not in subscriptions
    assert str(ALICE).encode() not in b"".join(data_files(data_dir).values())
    assert len(only_refusals(lenient, caplog)) == 1


async def test_a_notification_the_full_disk_cannot_queue_is_reported_and_changes_nothing(
    lenient: Harness, store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    await lenient.ask("/subscribe all", user_id=ALICE)
    outbox_journal = data_dir / "outbox.journal.jsonl"
    before = outbox_journal.read_bytes()
    # Room for the fact, none for the outbox: the disk fills up between the two writes.
    disk = FaultyDisk(monkeypatch, outbox_journal)
    await say(lenient, "/addjson " + json.dumps(fact_json(topics=["sanctions"])))
    preview = last_with_buttons(lenient)
    disk.full(free=0)
    calls = await lenient.press(preview, preview.button_data("✅ Confirm"))
    disk.healthy()
    assert disk.refused >= 1
    said = "\n".join(call_texts(calls))
    assert "Added" in said and "notification could not be queued" in said
    assert outbox_journal.read_bytes() == before
    assert services_of(lenient.application).notifier.outbox.pending() == []
    assert lenient.errors == []
    lines = [r for r in caplog.records if "could not be queued" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None


async def test_a_bot_stopped_on_a_full_disk_keeps_every_acknowledged_write(
    harness: Harness, store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    assert "Subscribed to" in await harness.reply("/subscribe prisoners", user_id=ALICE)
    await say(harness, "/addjson " + json.dumps(fact_json()))
    preview = last_with_buttons(harness)
    calls = await harness.press(preview, preview.button_data("✅ Confirm"))
    assert "Added" in " ".join(call_texts(calls))
    disk = FaultyDisk(monkeypatch, data_dir)
    disk.full(free=0)
    await harness.stop()  # the snapshots cannot be written: the journals keep it all
    store.close()
    disk.healthy()
    assert disk.refused >= 1
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert [r for r in caplog.records if "no snapshot written on close" in r.getMessage()]
    with SubscriptionStore.open(data_dir) as subscriptions:
        subscriber = subscriptions.get(ALICE)
        assert subscriber is not None and subscriber.topics == {SubTopic.PRISONERS}
    with FactStore.open(data_dir) as reopened:
        assert reopened.get(fact_json()["id"]).revision == 1


async def test_delivery_progress_the_full_disk_refuses_stops_delivery_and_skips_no_one(
    lenient: Harness, api: FakeBotApi, store: FactStore, settings: Settings, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    readers = [ALICE, ALICE + 1, ALICE + 2]
    for chat in readers:
        await lenient.ask("/subscribe all", user_id=chat)
    # The delivery marks cannot be written: the first accepted send stops delivery.
    disk = FaultyDisk(monkeypatch, data_dir / "outbox.marks")
    disk.full(free=0)
    await say(lenient, "/addjson " + json.dumps(fact_json(topics=["sanctions"])))
    preview = last_with_buttons(lenient)
    said = " ".join(call_texts(await lenient.press(preview, preview.button_data("✅ Confirm"))))
    assert "3 subscriber(s) will be notified" in said
    notifier = services_of(lenient.application).notifier
    await wait_until(lambda: notifier.worker is not None and notifier.worker.stats.failures >= 1)
    stopped = [r for r in caplog.records if "notification delivery stopped" in r.getMessage()]
    assert len(stopped) == 1 and stopped[0].exc_info is None
    assert "No space left on device" in stopped[0].getMessage()
    assert notifier.outbox.pending()  # still queued: nothing is given up
    # Room again, and a restart: everyone gets it (the one whose mark was lost at most twice).
    disk.healthy()
    await lenient.stop()
    async with Harness(api, build_application(Services.create(settings, store))) as restarted:
        assert restarted is not None

        def received(chat: int) -> int:
            return sum("test event" in (m.text or "").lower() for m in api.messages(chat))

        await wait_until(lambda: all(received(chat) >= 1 for chat in readers), timeout=15)
        assert all(received(chat) <= 2 for chat in readers)
        assert sum(received(chat) for chat in readers) <= len(readers) + 1
        await wait_until(lambda: not services_of(restarted.application).notifier.outbox.pending())


async def test_a_snapshot_the_full_disk_refuses_costs_one_line_and_no_acknowledged_write(
    harness: Harness, store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    data_dir = tmp_path / "data"
    # Room for the write's journal line, none for the snapshot that falls due with it.
    store.compact_every = 1
    disk = FaultyDisk(monkeypatch, data_dir)
    await say(harness, "/addjson " + json.dumps(fact_json()))
    preview = last_with_buttons(harness)
    disk.full(free=64_000)
    calls = await harness.press(preview, preview.button_data("✅ Confirm"))
    disk.healthy()
    assert "Added" in " ".join(call_texts(calls))
    assert disk.refused >= 1
    failed = [r for r in caplog.records if "compaction of" in r.getMessage()]
    assert len(failed) == 1 and failed[0].exc_info is None
    assert "No space left on device" in failed[0].getMessage()
    await harness.stop()
    store.close()
    with FactStore.open(data_dir) as reopened:
        assert reopened.get(fact_json()["id"]).revision == 1
