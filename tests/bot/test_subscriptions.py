"""/subscribe, /unsubscribe, /subscriptions, /forget, /privacy and /broadcasts end to end:
the real application polling the fake Bot API; assertions on what the bot sent and stored."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import admin_texts as at
from bot import notify
from bot.context import services_of
from bot.fakeapi.flood import FloodCheckingApi
from bot.handlers.subscriptions import SUBSCRIBE_PREFIX
from facts.model import Bundle
from facts.subscribers import Mode, SubTopic
from tests.bot.admin_helpers import EDITOR_ID, forward_origin, raw_message
from tests.bot.harness import ADMIN_ID, Harness
from tests.bot.test_notify_fakes import announce, wait_until
from tests.facts.conftest import make_fact, make_source
from tests.faults import FaultyDisk

#: Distinctive ids, so that a search of the data files finds nothing else.
ALICE = 6_180_339_887
BOB = 4_142_135_623
GROUP = -100_555


@pytest.fixture
async def api() -> AsyncIterator[FloodCheckingApi]:
    """The fake Bot API, refusing sends over the global flood limit (replies to a user's
    commands come faster than one a second, as Telegram allows in short bursts)."""
    async with FloodCheckingApi(per_chat_interval=None) as server:
        yield server


@pytest.fixture
def seed() -> Bundle:
    """A small base of our own: test source and facts (the shipped seed is not needed)."""
    return Bundle(
        sources=[make_source()],
        facts=[make_fact("eu-sanctions", "sanction", topics=["sanctions"])],
    )


def subscriptions_of(harness: Harness) -> notify.Notifier:
    return services_of(harness.application).notifier


def data_files(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file())


async def test_subscribe_with_a_topic_stores_only_chat_id_and_topics(harness: Harness) -> None:
    reply = await harness.reply("/subscribe sanctions", user_id=ALICE)
    assert "Subscribed to: Sanctions" in reply
    assert "chat's id" in reply and "nothing else" in reply
    stored = subscriptions_of(harness).subscriptions.get(ALICE)
    assert stored is not None and stored.topics == {SubTopic.SANCTIONS}
    assert stored.mode is Mode.IMMEDIATE and stored.active
    reply = await harness.reply("/subscribe prisoners timeline", user_id=ALICE)
    assert "Sanctions, Political prisoners (figures), Timeline of events — as it happens" in reply


async def test_daily_chooses_the_digest(harness: Harness) -> None:
    reply = await harness.reply("/subscribe daily", user_id=ALICE)
    assert "Subscribed to: Everything — daily digest" in reply
    reply = await harness.reply("/subscribe sanctions instant", user_id=BOB)
    assert "Subscribed to: Sanctions — as it happens" in reply
    reply = await harness.reply("/subscribe digest", user_id=BOB)
    assert "Subscribed to: Sanctions — daily digest" in reply
    stored = subscriptions_of(harness).subscriptions.get(BOB)
    assert stored is not None and stored.mode is Mode.DIGEST


async def test_unknown_topic_is_explained(harness: Harness) -> None:
    reply = await harness.reply("/subscribe weather", user_id=ALICE)
    assert "don't know the topic <code>weather</code>" in reply
    assert ALICE not in subscriptions_of(harness).subscriptions


async def test_buttons_toggle_topics_and_set_the_mode(harness: Harness) -> None:
    await harness.ask("/subscribe", user_id=ALICE)
    menu = harness.last(ALICE)
    assert "You have no subscription" in (menu.text or "")
    await harness.press(menu, f"{SUBSCRIBE_PREFIX}:m:digest")  # no topic yet: an alert
    assert subscriptions_of(harness).subscriptions.get(ALICE) is None
    await harness.press(menu, f"{SUBSCRIBE_PREFIX}:t:prisoners")
    menu = harness.last(ALICE)
    assert "Topics: Political prisoners (figures)" in (menu.text or "")
    assert any("✅ Political prisoners" in b["text"] for row in menu.buttons for b in row)
    await harness.press(menu, f"{SUBSCRIBE_PREFIX}:m:digest")
    stored = subscriptions_of(harness).subscriptions.get(ALICE)
    assert stored is not None and stored.mode is Mode.DIGEST
    assert "Delivery: Daily digest" in (harness.last(ALICE).text or "")
    await harness.press(harness.last(ALICE), f"{SUBSCRIBE_PREFIX}:t:prisoners")
    assert subscriptions_of(harness).subscriptions.get(ALICE) is None
    assert harness.api.unanswered_callback_queries() == []


async def test_subscriptions_shows_the_state(harness: Harness) -> None:
    assert "no subscription" in await harness.reply("/subscriptions", user_id=ALICE)
    await harness.ask("/subscribe all", user_id=ALICE)
    reply = await harness.reply("/subscriptions", user_id=ALICE)
    assert "Topics: Everything" in reply and "Delivery: As it happens" in reply


async def test_unsubscribe_a_topic_then_everything(harness: Harness) -> None:
    assert "no subscription" in await harness.reply("/unsubscribe", user_id=ALICE)
    await harness.ask("/subscribe sanctions timeline", user_id=ALICE)
    reply = await harness.reply("/unsubscribe timeline", user_id=ALICE)
    assert "Removed: Timeline of events" in reply and "Still subscribed to: Sanctions" in reply
    assert "not subscribed to that" in await harness.reply("/unsubscribe prisoners", user_id=ALICE)
    assert "Unsubscribed" in await harness.reply("/unsubscribe", user_id=ALICE)
    assert ALICE not in subscriptions_of(harness).subscriptions
    await harness.ask("/subscribe sanctions all", user_id=ALICE)
    assert "Unsubscribed" in await harness.reply("/unsubscribe all", user_id=ALICE)
    assert ALICE not in subscriptions_of(harness).subscriptions


async def test_groups_are_told_to_use_a_private_chat(harness: Harness) -> None:
    calls = await harness.ask(
        "/subscribe sanctions", user_id=ALICE, chat_id=GROUP, chat_type="group"
    )
    assert "private chat" in (calls[0].text or "")
    assert len(subscriptions_of(harness).subscriptions) == 0


async def test_privacy_says_what_is_stored(harness: Harness) -> None:
    reply = await harness.reply("/privacy", user_id=ALICE)
    assert "chat's id and the topics you chose" in reply
    assert "No name, username" in reply and "/forget" in reply


async def test_forget_leaves_no_trace_in_the_data_files(
    harness: Harness, api: FloodCheckingApi, tmp_path: Path
) -> None:
    data_dir = tmp_path / "data"
    await harness.ask("/subscribe all", user_id=ALICE)
    await harness.ask("/subscribe sanctions", user_id=BOB)
    # A delivery leaves progress marks naming both chats.
    await announce(harness, "eu-sanctions", "new")
    await wait_until(lambda: not subscriptions_of(harness).outbox.pending())
    assert api.per_chat[ALICE] == 2 and api.per_chat[BOB] == 2  # the reply and the news
    await harness.ask("/subscribe prisoners", user_id=ALICE)  # another journal line
    assert str(ALICE).encode() in data_files(data_dir)

    await harness.ask("/forget", user_id=ALICE)
    question = harness.last(ALICE)
    assert "cannot be undone" in (question.text or "")
    await harness.press(question, "forget:no")
    assert "Nothing was deleted" in (harness.last(ALICE).text or "")
    assert ALICE in subscriptions_of(harness).subscriptions

    await harness.ask("/forget", user_id=ALICE)
    await harness.press(harness.last(ALICE), "forget:yes")
    assert "keeps nothing about this chat" in (harness.last(ALICE).text or "")
    assert ALICE not in subscriptions_of(harness).subscriptions
    assert str(ALICE).encode() not in data_files(data_dir)
    assert BOB in subscriptions_of(harness).subscriptions
    # Still gone after the stores are closed and written out.
    await harness.stop()
    assert str(ALICE).encode() not in data_files(data_dir)
    assert str(BOB).encode() in data_files(data_dir)


async def test_broadcasts_is_for_admins(harness: Harness) -> None:
    await harness.ask("/subscribe sanctions", user_id=ALICE)
    await harness.ask("/subscribe weather", user_id=BOB)  # unknown topic: not subscribed
    assert "for the bot's admins" in await harness.reply("/broadcasts", user_id=ALICE)
    reply = await harness.reply("/broadcasts", user_id=ADMIN_ID)
    assert "Subscribers: 1 active (1 as it happens, 0 digest), 0 paused" in reply
    assert "Worker: running; rate 30/s" in reply


async def test_start_says_what_a_subscription_stores(harness: Harness) -> None:
    reply = await harness.reply("/start", user_id=ALICE)
    assert "stores this chat's id with your topics or language only" in reply and "/forget" in reply


async def test_broadcasts_is_authorised_as_every_admin_command(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    # In a group even an owner is refused, and nothing about the subscribers is posted.
    calls = await harness.ask("/broadcasts", user_id=ADMIN_ID, chat_id=GROUP, chat_type="group")
    sent = [c.text or "" for c in calls if c.method == "sendMessage"]
    assert sent == [at.REFUSED_NOT_PRIVATE]
    assert not any("Subscribers:" in t for t in sent)
    # A forwarded command is refused too.
    calls = await raw_message(
        harness, "message", {"forward_origin": forward_origin()}, text="/broadcasts"
    )
    assert [c.text for c in calls if c.method == "sendMessage"] == [at.REFUSED_FORWARDED]
    refusals = [r.getMessage() for r in caplog.records if "refused /broadcasts" in r.getMessage()]
    assert refusals == [f"admin: refused /broadcasts from user {ADMIN_ID}"] * 2
    # Owners only, as /adminhelp says: an editor is refused, and nothing is shown.
    await harness.reply(f"/grant {EDITOR_ID}", user_id=ADMIN_ID)
    preview = harness.last(ADMIN_ID)
    await harness.press(preview, preview.button_data("✅ Confirm"), user_id=ADMIN_ID)
    refused = await harness.reply("/broadcasts", user_id=EDITOR_ID)
    assert "Subscribers:" not in refused and "owners" in refused


async def test_forget_on_a_full_disk_still_erases_the_chat(
    harness: Harness, api: FloodCheckingApi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir = tmp_path / "data"
    await harness.ask("/subscribe all", user_id=ALICE)
    await harness.ask("/subscribe sanctions", user_id=BOB)
    await harness.ask("/subscribe prisoners", user_id=ALICE)  # journal lines name ALICE
    assert str(ALICE).encode() in data_files(data_dir)
    assert (data_dir / notify.RESERVE_NAME).stat().st_size == notify.RESERVE_BYTES

    await harness.ask("/forget", user_id=ALICE)
    disk = FaultyDisk(monkeypatch, data_dir)
    disk.full(free=0)  # not one byte more can be written
    await harness.press(harness.last(ALICE), "forget:yes")
    assert disk.refused >= 1  # the first attempt did hit the full disk
    assert "keeps nothing about this chat" in (harness.last(ALICE).text or "")
    assert ALICE not in subscriptions_of(harness).subscriptions
    assert str(ALICE).encode() not in data_files(data_dir)
    assert BOB in subscriptions_of(harness).subscriptions
    disk.healthy()
    await harness.stop()
    assert str(ALICE).encode() not in data_files(data_dir)
    assert str(BOB).encode() in data_files(data_dir)


@pytest.mark.parametrize(
    ("language", "words", "shown"),
    [
        ("ru", ["санкции", "политзаключенных ежедневно", "хронологию"], "санкции"),
        ("be", ["санкцыі", "палітвязні штодня", "храналогію"], "санкцыі"),
    ],
)
async def test_topics_in_russian_and_belarusian(
    harness: Harness, language: str, words: list[str], shown: str
) -> None:
    harness.api.user_languages[ALICE] = language
    subscriptions = services_of(harness.application).notifier.subscriptions
    for word, topic in zip(
        words, [SubTopic.SANCTIONS, SubTopic.PRISONERS, SubTopic.TIMELINE], strict=True
    ):
        reply = await harness.reply(f"/subscribe {word}", user_id=ALICE)
        assert "✅" in reply, reply
        subscriber = subscriptions.get(ALICE)
        assert subscriber is not None and topic in subscriber.topics
    assert subscriber.mode is Mode.DIGEST
    # An unknown word lists the topics as the user types them, with a working example.
    reply = await harness.reply("/subscribe погода", user_id=ALICE)
    assert f"<code>/subscribe {shown}</code>" in reply and "sanctions" not in reply
    # The help's examples work as written.
    help_text = await harness.reply("/help", user_id=ALICE)
    assert f"/subscribe {shown}" in help_text
    everything = "все" if language == "ru" else "усе"
    assert "🔕" in await harness.reply(f"/unsubscribe {everything}", user_id=ALICE)
    assert subscriptions.get(ALICE) is None or not subscriptions.get(ALICE).topics
