"""Notification delivery end to end: the real application's worker sending to the fake
Bot API, which enforces Telegram's flood limits (30 messages/s, 1 per chat per second)."""

from __future__ import annotations

import itertools
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import delivery, notify
from bot.app import build_application
from bot.context import services_of
from bot.fakeapi.flood import FloodCheckingApi
from bot.notice_texts import change_item, digest_text
from bot.ops.settings import Settings
from bot.services import Services
from bot.splitting import visible_length
from facts.model import Bundle
from facts.store import FactStore
from facts.subscribers import Mode, SubTopic, fact_topics
from tests.bot.harness import ADMIN_ID, Harness
from tests.bot.test_notify_fakes import announce, wait_until
from tests.facts.conftest import make_fact, make_source

SANCTIONS_FAN = 2_000_000_001
PRISONERS_FAN = 2_000_000_002
TIMELINE_FAN = 2_000_000_003
EVERYTHING_FAN = 2_000_000_004
S, P, T, A = SubTopic.SANCTIONS, SubTopic.PRISONERS, SubTopic.TIMELINE, SubTopic.ALL


@pytest.fixture
async def api() -> AsyncIterator[FloodCheckingApi]:
    """The fake Bot API, refusing sends over Telegram's flood limits (and counting them)."""
    async with FloodCheckingApi() as server:
        yield server


@pytest.fixture
def seed() -> Bundle:
    """Facts whose subscription topics differ: sanctions only; prisoners (a dated figure,
    so also timeline); timeline only."""
    return Bundle(
        sources=[make_source()],
        facts=[
            make_fact(
                "sanctioned-official",
                "person",
                name="An Official",
                topics=["sanctions"],
                text="An official on the EU sanctions list.",
            ),
            make_fact(
                "prisoners-count",
                "statistic",
                topics=["prisoners"],
                text="Viasna counts at least 1,486 political prisoners.",
            ),
            make_fact("minsk-march", "event", topics=[], text="A march took place in Minsk."),
        ],
    )


def service(harness: Harness) -> notify.Notifier:
    return services_of(harness.application).notifier


def subscribe(
    harness: Harness, chat_id: int, *topics: SubTopic, mode: Mode = Mode.IMMEDIATE
) -> None:
    """A subscriber as /subscribe leaves it (the commands are tested elsewhere)."""
    harness.api.register_chat(chat_id)
    service(harness).subscriptions.subscribe(chat_id, topics)
    if mode is not Mode.IMMEDIATE:
        service(harness).subscriptions.set_mode(chat_id, mode)


async def delivered(harness: Harness) -> None:
    """Wait until the outbox is empty: every queued notification reached everyone."""
    await wait_until(lambda: not service(harness).outbox.pending(), timeout=15)


def texts_to(api: FloodCheckingApi, chat_id: int) -> list[str]:
    return [text for _, chat, text in api.deliveries if chat == chat_id]


async def test_three_subscribers_get_exactly_their_topics(
    harness: Harness, api: FloodCheckingApi, store: FactStore
) -> None:
    subscribe(harness, SANCTIONS_FAN, S)
    subscribe(harness, PRISONERS_FAN, P)
    subscribe(harness, TIMELINE_FAN, T)
    service = services_of(harness.application).notifier
    assert service.count_recipients(fact_topics(store.get("prisoners-count"))) == 2
    assert await announce(harness, "sanctioned-official", "new") == 1
    assert await announce(harness, "prisoners-count", "new") == 2
    assert await announce(harness, "minsk-march", "new") == 1
    store.retract("minsk-march", by="test", reason="The date was wrong.")
    assert await announce(harness, "minsk-march", "retracted") == 1
    await delivered(harness)

    [to_sanctions] = texts_to(api, SANCTIONS_FAN)
    assert "New in the fact base" in to_sanctions and "An official on the EU" in to_sanctions
    assert "Test document test-source-2020-11" in to_sanctions  # the citation
    [to_prisoners] = texts_to(api, PRISONERS_FAN)
    assert "1,486 political prisoners" in to_prisoners
    to_timeline = texts_to(api, TIMELINE_FAN)
    assert len(to_timeline) == 3
    assert "1,486" in to_timeline[0] and "march took place" in to_timeline[1]
    assert "Retracted" in to_timeline[2] and "The date was wrong." in to_timeline[2]
    assert api.flood_refusals == 0
    times = [at for at, chat, _ in api.deliveries if chat == TIMELINE_FAN]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(times))


async def test_a_subscriber_who_blocked_the_bot_is_deactivated(
    harness: Harness, api: FloodCheckingApi
) -> None:
    subscribe(harness, EVERYTHING_FAN, A)
    subscribe(harness, SANCTIONS_FAN, A)
    api.block_chat(SANCTIONS_FAN)
    await announce(harness, "sanctioned-official", "new")
    await delivered(harness)
    stored = service(harness).subscriptions.get(SANCTIONS_FAN)
    assert stored is not None and not stored.active
    assert len(texts_to(api, EVERYTHING_FAN)) == 1
    # Nobody writes to it any more.
    attempts = len(api.calls("sendMessage"))
    await announce(harness, "minsk-march", "new")
    await delivered(harness)
    assert [c.params["chat_id"] for c in api.calls("sendMessage", since=0)[attempts:]] == [
        EVERYTHING_FAN
    ]
    assert service(harness).worker is not None
    assert service(harness).worker.stats.deactivated == 1


async def test_a_429_pauses_sending_for_retry_after(
    harness: Harness, api: FloodCheckingApi
) -> None:
    subscribe(harness, SANCTIONS_FAN, A)
    subscribe(harness, PRISONERS_FAN, A)
    api.fail_next("sendMessage", 429, retry_after=1)
    started = time.monotonic()
    await announce(harness, "sanctioned-official", "new")
    await delivered(harness)
    assert len(texts_to(api, SANCTIONS_FAN)) == 1 and len(texts_to(api, PRISONERS_FAN)) == 1
    [refused] = [c for c in api.calls("sendMessage") if not c.ok]
    retried = [at for at, chat, _ in api.deliveries if chat == refused.params["chat_id"]]
    assert retried[0] - started >= 1.0  # sent again only after retry_after
    worker = service(harness).worker
    assert worker is not None and worker.stats.rate_limited == 1


async def test_a_network_error_is_retried_after_a_pause(
    harness: Harness, api: FloodCheckingApi
) -> None:
    subscribe(harness, SANCTIONS_FAN, A)
    api.fail_next("sendMessage", 502)
    started = time.monotonic()
    await announce(harness, "sanctioned-official", "new")
    await delivered(harness)
    assert len(texts_to(api, SANCTIONS_FAN)) == 1
    assert api.deliveries[0][0] - started >= 1.0
    worker = service(harness).worker
    assert worker is not None and worker.stats.network_errors == 1


async def test_a_refused_message_is_not_retried(harness: Harness, api: FloodCheckingApi) -> None:
    subscribe(harness, SANCTIONS_FAN, A)
    subscribe(harness, PRISONERS_FAN, A)
    api.fail_next("sendMessage", 400, "Bad Request: message is too long")
    await announce(harness, "sanctioned-official", "new")
    await delivered(harness)
    assert len(api.deliveries) == 1
    worker = service(harness).worker
    assert worker is not None and worker.stats.refused == 1


async def test_digest_subscribers_get_one_daily_message_and_nothing_on_an_empty_day(
    harness: Harness, api: FloodCheckingApi
) -> None:
    subscribe(harness, SANCTIONS_FAN, S, mode=Mode.DIGEST)
    subscribe(harness, EVERYTHING_FAN, A)
    jobs = harness.application.job_queue
    assert jobs is not None and jobs.get_jobs_by_name("notify-digest")
    await announce(harness, "sanctioned-official", "new")
    await announce(harness, "prisoners-count", "new")
    await delivered(harness)
    assert texts_to(api, SANCTIONS_FAN) == [] and len(texts_to(api, EVERYTHING_FAN)) == 2

    assert service(harness).build_digest() is not None
    await delivered(harness)
    [digest] = texts_to(api, SANCTIONS_FAN)
    assert "Changes in the fact base" in digest and "sanctioned-official" in digest
    assert "prisoners-count" not in digest  # not one of this subscriber's topics
    assert len(texts_to(api, EVERYTHING_FAN)) == 2  # immediate subscribers get no digest

    assert service(harness).build_digest() is None  # nothing changed since: nothing sent
    assert len(api.deliveries) == 3


async def test_a_graceful_restart_resumes_where_delivery_stopped(
    api: FloodCheckingApi, store: FactStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOTIFY_RATE", "10")
    monkeypatch.setenv("NOTIFY_MAX_IN_FLIGHT", "2")
    chats = list(range(3_000_000_001, 3_000_000_031))
    async with Harness(api, build_application(Services.create(settings, store))) as first:
        for chat in chats:
            subscribe(first, chat, A)
        await announce(first, "minsk-march", "new")
        await wait_until(lambda: len(api.deliveries) >= 8)
    stopped_at = len(api.deliveries)
    assert stopped_at < len(chats)
    async with Harness(api, build_application(Services.create(settings, store))) as second:
        await delivered(second)
    assert sorted(chat for _, chat, _ in api.deliveries) == chats
    assert api.flood_refusals == 0


def test_change_texts_fit_and_escape(tmp_path: Path) -> None:
    store = FactStore.open(
        tmp_path,
        seed=Bundle(
            sources=[make_source()],
            facts=[make_fact("odd", "event", text="<b>not a tag</b> & more " + "x" * 900)],
        ),
    )
    try:
        item = change_item(store, store.get("odd"), "new")
    finally:
        store.close()
    assert "&lt;b&gt;not a tag&lt;/b&gt; &amp; more" in item.text
    assert visible_length(item.text) < 4096
    digest = digest_text([item] * 100)
    assert visible_length(digest) <= 4096 and "more —" in digest


async def test_the_worker_starts_over_after_a_failure_without_repeating(
    harness: Harness, api: FloodCheckingApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "_RESTART_DELAY", 0.1)
    subscribe(harness, SANCTIONS_FAN, A)
    subscribe(harness, PRISONERS_FAN, A)
    outbox = service(harness).outbox
    complete = outbox.complete
    failures = iter([OSError("disk full")])

    def flaky_complete(notification_id: int) -> None:
        failure = next(failures, None)
        if failure is not None:
            raise failure
        complete(notification_id)

    monkeypatch.setattr(outbox, "complete", flaky_complete)
    await announce(harness, "sanctioned-official", "new")
    await delivered(harness)
    assert len(texts_to(api, SANCTIONS_FAN)) == 1 and len(texts_to(api, PRISONERS_FAN)) == 1
    worker = service(harness).worker
    assert worker is not None and worker.running and worker.stats.failures == 1
    reply = await harness.reply("/broadcasts", user_id=ADMIN_ID)
    assert "1 worker failure(s) (last: OSError at" in reply


async def test_digests_go_out_in_each_subscribers_language(
    harness: Harness, api: FloodCheckingApi
) -> None:
    ru_fan, be_fan = 2_000_000_011, 2_000_000_012
    subscribe(harness, ru_fan, A, mode=Mode.DIGEST)
    subscribe(harness, be_fan, A, mode=Mode.DIGEST)
    subscribe(harness, SANCTIONS_FAN, A, mode=Mode.DIGEST)
    service(harness).subscriptions.set_language(ru_fan, "ru")
    service(harness).subscriptions.set_language(be_fan, "be")
    await announce(harness, "sanctioned-official", "new")
    assert service(harness).build_digest() is not None
    await delivered(harness)
    [ru] = texts_to(api, ru_fan)
    [be] = texts_to(api, be_fan)
    [en] = texts_to(api, SANCTIONS_FAN)
    assert "Изменения в базе фактов" in ru and "Новое" in ru
    assert "Змены ў базе фактаў" in be and "Новае" in be
    assert "Changes in the fact base" in en
    assert all("sanctioned-official" in text for text in (ru, be, en))
