"""Chaos: the data directory turns read-only (or unwritable for the bot's uid) while the bot
runs, then writable again (issue 15, item 4 and the chaos suite).

Every write a chat or an admin can cause is refused with a clear message in that person's
language and changes nothing, on disk or in memory; the bot goes on answering; once the
directory is writable again every write works, and after a stop everything acknowledged is
on disk. The refusal is raised where the kernel raises it (tests/faults.py): every write,
truncation, creation, rename and removal under the directory. At start-up, ``factbot run``
as a process stops with one line and a non-zero exit status.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from bot import texts
from bot.admin_texts import NOT_NOTIFIED
from bot.context import services_of
from bot.fakeapi import ChatMessage, FakeBotApi
from bot.i18n import translator
from facts.admin_store import AdminStore
from facts.seed import load_seed
from facts.store import FactStore
from facts.subscribers import SubTopic
from facts.subscriptions import SubscriptionStore
from tests.bot.admin_helpers import fact_json, last_with_buttons, say
from tests.bot.harness import ADMIN_ID, Harness
from tests.chaos.test_disk import data_files
from tests.faults import FaultyDisk
from tests.ops.bot_process import ROOT, bot_env

READER = 7_000_000_001  # speaks Russian
FORGETTER = 7_000_000_002  # speaks English
DENIALS = {"read-only": "Read-only file system", "not writable": "Permission denied"}


def not_saved(language: str) -> str:
    return translator(language).gettext(texts.NOT_SAVED)


async def choose_language(harness: Harness, chat: int, language: str) -> None:
    await harness.ask("/language", user_id=chat)
    await harness.press(harness.last(chat), f"lang:{language}")


def confirm(preview: ChatMessage) -> str:
    """The data of a preview's Confirm button (its label is in the admin's language)."""
    return next(b["callback_data"] for row in preview.buttons for b in row
                if b["text"].startswith("✅"))  # fmt: skip


@pytest.fixture
def lenient(harness: Harness) -> Harness:
    """The harness, collecting what reaches the error handler instead of raising it."""
    harness.raise_errors = False
    return harness


@pytest.mark.parametrize("denial", list(DENIALS))
async def test_a_data_dir_turned_read_only_refuses_each_write_clearly_and_loses_nothing(
    lenient: Harness, api: FakeBotApi, store: FactStore, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, denial: str,
) -> None:  # fmt: skip
    harness = lenient
    data_dir = tmp_path / "data"
    notifier = services_of(harness.application).notifier
    subscriptions = notifier.subscriptions
    # Before: a Russian-speaking reader following sanctions, a Belarusian-speaking owner,
    # and a reader who will ask to be forgotten.
    await choose_language(harness, READER, "ru")
    await harness.ask("/subscribe sanctions", user_id=READER)
    await choose_language(harness, ADMIN_ID, "be")
    await harness.ask("/subscribe all", user_id=FORGETTER)
    new_fact = fact_json()
    await say(harness, "/addjson " + json.dumps(new_fact))
    early_preview = last_with_buttons(harness)  # confirmed once the disk is writable again

    disk = FaultyDisk(monkeypatch, data_dir)
    before = data_files(data_dir)
    caplog.clear()
    harness.errors.clear()
    disk.read_only() if denial == "read-only" else disk.not_writable()

    # A reader's writes: the answer says so, in Russian.
    for command in ("/subscribe all", "/unsubscribe"):
        await harness.ask(command, user_id=READER)
        assert harness.last(READER).text == not_saved("ru"), command
    await harness.ask("/language", user_id=READER)
    await harness.press(harness.last(READER), "lang:be")
    answer = api.calls("answerCallbackQuery")[-1]
    assert answer.text == not_saved("ru") and answer.params.get("show_alert")
    # The owner's edit: the preview keeps its Confirm button, the answer is in Belarusian.
    preview = last_with_buttons(harness)
    await harness.press(preview, confirm(preview))
    assert harness.last(ADMIN_ID).text == not_saved("be")
    assert api.calls("answerCallbackQuery")[-1].text == not_saved("be")
    assert last_with_buttons(harness).message_id == preview.message_id
    # /forget cannot erase on a read-only disk (its space reserve cannot help): it says so.
    await harness.ask("/forget", user_id=FORGETTER)
    await harness.press(harness.last(FORGETTER), "forget:yes")
    assert api.calls("answerCallbackQuery")[-1].text == not_saved("en")
    # A question the base cannot answer is still answered; its count, written at once here,
    # is not recorded (one warning line).
    admin_store = services_of(harness.application).admin.store
    assert admin_store is not None
    admin_store.flush_every = 1
    question = "how many zebras live in the Minsk zoo?"
    calls = await harness.ask(question, user_id=READER)
    assert any(c.method == "sendMessage" and c.ok for c in calls)
    assert not_saved("ru") not in (harness.last(READER).text or "")
    # And the bot goes on answering what needs no write.
    assert "/subscribe" in await harness.reply("/help", user_id=FORGETTER)

    assert disk.refused >= 5
    assert data_files(data_dir) == before  # to the byte
    reader = subscriptions.get(READER)
    assert reader is not None and reader.topics == {SubTopic.SANCTIONS}
    assert subscriptions.language(READER) == "ru"
    assert FORGETTER in subscriptions
    assert new_fact["id"] not in store
    # One warning line per refusal, no error, no traceback.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    refusals = [r for r in caplog.records if ": not saved: " in r.getMessage()]
    assert len(refusals) == 4 and all(DENIALS[denial] in r.getMessage() for r in refusals)
    assert len(harness.errors) == 4
    unrecorded = [r for r in caplog.records if "could not record an unanswered" in r.getMessage()]
    assert len(unrecorded) == 1
    assert [q.text for q in admin_store.unanswered()] == []

    # Writable again: everything works, each write acknowledged.
    disk.healthy()
    assert "✅" in await harness.reply("/subscribe all", user_id=READER)
    await choose_language(harness, READER, "be")
    assert subscriptions.language(READER) == "be"
    await harness.press(early_preview, confirm(early_preview))
    assert new_fact["id"] in store
    await harness.ask("/forget", user_id=FORGETTER)
    await harness.press(harness.last(FORGETTER), "forget:yes")
    # (The new fact's notification may have come in since: the question is edited.)
    assert any("keeps nothing about this chat" in (m.text or "") for m in harness.chat(FORGETTER))

    # Nothing acknowledged was lost: all of it is on disk after the stop.
    await harness.stop()
    store.close()
    with SubscriptionStore.open(data_dir) as reopened:
        subscriber = reopened.get(READER)
        assert subscriber is not None
        assert subscriber.topics == {SubTopic.SANCTIONS, SubTopic.ALL}
        assert reopened.language(READER) == "be"
        assert reopened.get(FORGETTER) is None
    with FactStore.open(data_dir) as facts:
        assert facts.get(new_fact["id"]).revision == 1
    with AdminStore.open(data_dir) as admin:
        assert admin is not None
    assert str(FORGETTER).encode() not in b"".join(data_files(data_dir).values())


@pytest.mark.parametrize("denial", list(DENIALS))
async def test_a_notification_the_read_only_outbox_refuses_is_reported_and_changes_nothing(
    lenient: Harness, store: FactStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture, denial: str,
) -> None:  # fmt: skip
    harness = lenient
    data_dir = tmp_path / "data"
    await harness.ask("/subscribe all")
    await choose_language(harness, ADMIN_ID, "ru")
    outbox_journal = data_dir / "outbox.journal.jsonl"
    before = outbox_journal.read_bytes()
    # The fact is written; the outbox's journal has turned read-only.
    disk = FaultyDisk(monkeypatch, outbox_journal)
    await say(harness, "/addjson " + json.dumps(fact_json(topics=["sanctions"])))
    preview = last_with_buttons(harness)
    disk.read_only() if denial == "read-only" else disk.not_writable()
    await harness.press(preview, confirm(preview))
    disk.healthy()
    assert disk.refused >= 1
    assert translator("ru").gettext(NOT_NOTIFIED) in (harness.last(ADMIN_ID).text or "")
    assert outbox_journal.read_bytes() == before
    assert services_of(harness.application).notifier.outbox.pending() == []
    assert harness.errors == []
    lines = [r for r in caplog.records if "could not be queued" in r.getMessage()]
    assert len(lines) == 1 and lines[0].exc_info is None


def run_read_only(
    data_dir: Path, env: dict[str, str], denial: str
) -> subprocess.CompletedProcess[str]:
    """``factbot run`` as a process whose writes under ``data_dir`` the kernel refuses.

    A real read-only mount or a directory another uid owns needs privileges CI may lack,
    and root writes through permission bits: so the refusal is installed in the process at
    its edge (tests/faults.py, as in every disk test), then the CLI's own ``main`` runs.
    """
    program = (
        "import sys, pytest\n"
        "from tests.faults import FaultyDisk\n"
        "disk = FaultyDisk(pytest.MonkeyPatch(), sys.argv[1])\n"
        f"disk.{'read_only' if denial == 'read-only' else 'not_writable'}()\n"
        "from bot.ops.cli import main\n"
        "sys.argv = ['factbot', 'run']\n"
        "sys.exit(main())\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program, str(data_dir)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip


def test_factbot_run_on_a_read_only_data_dir_exits_with_one_clear_line(
    api: FakeBotApi, tmp_path: Path
) -> None:
    # One process (it costs seconds); every combination of read-only or another uid's,
    # existing data or a first start, runs in-process in test_disk.py.
    denial = "read-only"
    data_dir = tmp_path / "data"
    FactStore.open(data_dir, seed=load_seed()).close()
    before = data_files(data_dir)
    env = bot_env(api, data_dir) | {"LOG_FORMAT": "text", "LOG_LEVEL": "INFO"}
    done = run_read_only(data_dir, env, denial)
    assert done.returncode == 2, done.stderr[-2000:]
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert f"cannot write to DATA_DIR {data_dir} ({DENIALS[denial]})" in lines[0]
    assert "CRITICAL" in lines[0] and "uid 10001" in lines[0]
    assert data_files(data_dir) == before
    assert env["BOT_TOKEN"] not in output
