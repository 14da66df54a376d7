"""Review mode: an editor's change becomes a draft that another admin approves."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot import admin_texts as at
from bot.app import build_application
from bot.fakeapi import FakeBotApi
from bot.ops.settings import Settings
from bot.services import Services
from facts.model import Status
from facts.store import FactStore
from tests.bot.admin_helpers import (
    EDITOR_ID,
    FACT_ID,
    confirm,
    grant_editor,
    press,
    quote_the_recount,
    say,
    snapshot,
)
from tests.bot.harness import ADMIN_ID, Harness


@pytest.fixture
async def reviewed(api: FakeBotApi, store: FactStore, settings: Settings) -> AsyncIterator[Harness]:
    """The bot with REVIEW_MODE on and EDITOR_ID granted the editor role."""
    review = settings.model_copy(update={"review_mode": True})
    async with Harness(api, build_application(Services.create(review, store))) as harness:
        await grant_editor(harness)
        yield harness


async def test_an_editors_change_waits_for_another_admin(
    reviewed: Harness, store: FactStore
) -> None:
    harness = reviewed
    quote_the_recount(store)
    before = snapshot(harness, store)
    await say(harness, f"/edit {FACT_ID} value 1,500 | recount", user_id=EDITOR_ID)
    reply = await confirm(harness, user_id=EDITOR_ID)
    assert "saved as draft" in reply
    assert snapshot(harness, store)[:2] == before[:2]  # the base is untouched

    # The author cannot approve their own draft.
    listing = await say(harness, "/drafts", user_id=EDITOR_ID)
    assert "recount" in listing and "<b>details.value</b>: 1486 → 1500" in listing
    calls = await press(harness, "✅ Approve", user_id=EDITOR_ID, chat_id=EDITOR_ID)
    assert calls[0].params.get("text") == at.DRAFT_OWN
    assert store.get(FACT_ID).revision == 2  # the seed's, then the recount's quote

    await say(harness, "/drafts")
    calls = await press(harness, "✅ Approve")
    assert any("approved and published" in (c.text or "") for c in calls)
    fact = store.get(FACT_ID)
    assert fact.details.value == 1500  # type: ignore[union-attr]
    last = store.history(FACT_ID)[-1]
    assert last.by == f"tg:{EDITOR_ID}, approved by tg:{ADMIN_ID}" and last.reason == "recount"
    assert await say(harness, "/drafts") == at.DRAFTS_NONE


async def test_a_rejected_draft_publishes_nothing(reviewed: Harness, store: FactStore) -> None:
    harness = reviewed
    await say(harness, f"/retract {FACT_ID} duplicate", user_id=EDITOR_ID)
    await confirm(harness, user_id=EDITOR_ID)
    await say(harness, "/drafts")
    await press(harness, "✖ Reject")
    assert store.get(FACT_ID).is_current
    assert await say(harness, "/drafts") == at.DRAFTS_NONE


async def test_a_retraction_draft_shows_what_the_store_would_change(
    reviewed: Harness, store: FactStore
) -> None:
    harness = reviewed
    await say(harness, f"/retract {FACT_ID} duplicate", user_id=EDITOR_ID)
    await confirm(harness, user_id=EDITOR_ID)
    review = await say(harness, "/drafts")
    would_be = store.retract(FACT_ID, by="test", reason="duplicate", dry_run=True)
    assert would_be.status is Status.RETRACTED
    assert "status</b>: current → retracted" in review
    assert "retraction_reason</b>: — → duplicate" in review
    assert store.get(FACT_ID).is_current  # nothing is written by the review


async def test_owners_publish_directly_and_editors_cannot_import(
    reviewed: Harness, store: FactStore
) -> None:
    harness = reviewed
    await say(harness, f"/retract {FACT_ID} duplicate")
    assert "Retracted" in await confirm(harness)
    assert store.get(FACT_ID).status is Status.RETRACTED
    assert await say(harness, "/import", user_id=EDITOR_ID) == at.IMPORT_EDITORS_REVIEW


async def test_an_editors_standalone_source_does_not_skip_review(
    reviewed: Harness, store: FactStore
) -> None:
    harness = reviewed
    before = snapshot(harness, store)
    form = "/addsource Viasna report | Viasna | 2024-05-01 | https://spring96.org/x"
    assert await say(harness, form, user_id=EDITOR_ID) == at.ADDSOURCE_EDITORS_REVIEW
    assert snapshot(harness, store) == before
    assert "viasna-report-2024-05-01" not in {s.id for s in store.sources()}
    # Owners still add sources directly.
    assert "viasna-report-2024-05-01" in await say(harness, form)
    await confirm(harness)
    assert store.get_source("viasna-report-2024-05-01").outlet == "Viasna"
