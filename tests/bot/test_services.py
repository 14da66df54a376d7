"""The services container: built in one place, opened in post_init, closed in post_shutdown,
one set per application."""

from __future__ import annotations

import pytest

from bot import app
from bot.app import DIGEST_JOB, build_application
from bot.context import services_of
from bot.fakeapi import FakeBotApi
from bot.ops.settings import Settings
from bot.services import Services
from facts.store import FactStore
from tests.bot.harness import ADMIN_ID, Harness


async def test_the_wiring_owns_the_hooks_and_the_services_open_and_close_with_them(
    api: FakeBotApi, settings: Settings, store: FactStore
) -> None:
    services = Services.create(settings, store)
    application = build_application(services)
    # The one wiring place sets each hook once; nothing chains or replaces them.
    assert application.post_init is app.post_init
    assert application.post_stop is app.post_stop
    assert application.post_shutdown is app.post_shutdown
    assert services_of(application) is services
    assert services.admin.store is None
    with pytest.raises(RuntimeError):
        _ = services.subscriptions
    async with Harness(api, application) as harness:
        assert services.admin.available and services.admin.role(ADMIN_ID) is not None
        assert services.subscriptions.count(frozenset()) == 0
        assert services.notifier.worker is not None and services.notifier.worker.running
        assert application.job_queue is not None
        assert application.job_queue.get_jobs_by_name(DIGEST_JOB)
        await harness.ask("/subscribe sanctions")
        assert len(services.subscriptions) == 1
    assert services.admin.store is not None and services.admin.store.closed
    assert services.notifier.worker is None
    with pytest.raises(RuntimeError):
        _ = services.subscriptions
    # The fact store belongs to its opener: still open for the next application.
    assert not store.closed


async def test_two_applications_never_share_a_service(
    api: FakeBotApi, settings: Settings, store: FactStore
) -> None:
    first = build_application(Services.create(settings, store))
    second = build_application(Services.create(settings, store))
    one, other = services_of(first), services_of(second)
    assert one.facts is other.facts is store
    assert one.admin is not other.admin
    assert one.notifier is not other.notifier
    assert one.memory is not other.memory
    assert one.page_keys is not other.page_keys
    async with Harness(api, first) as harness:
        await harness.ask("how many political prisoners are there?")
        assert len(one.memory) == 1
        assert len(other.memory) == 0
