"""An admin publishing a notable change: the preview says how many subscribers will hear of
it, and confirming sends them one short cited message (the shipped seed, admin commands)."""

from __future__ import annotations

from bot.context import services_of
from facts.store import FactStore
from facts.subscribers import fact_topics
from tests.bot.admin_helpers import FACT_ID, confirm, say
from tests.bot.harness import Harness
from tests.bot.test_notify_fakes import wait_until

READER = 9_000_000_001
OTHER_READER = 9_000_000_002


async def test_retraction_preview_counts_recipients_and_confirm_notifies(
    harness: Harness, store: FactStore
) -> None:
    fact = store.get(FACT_ID)
    assert "prisoners" in fact.topics
    await say(harness, "/subscribe prisoners", user_id=READER)
    await say(harness, "/subscribe sanctions", user_id=OTHER_READER)
    expected = 2 if "sanctions" in {t.value for t in fact_topics(fact)} else 1
    preview = await say(harness, f"/retract {FACT_ID} misquoted in the source")
    noun = "subscriber" if expected == 1 else "subscribers"
    assert f"Once published, {expected} {noun} will be notified." in preview
    assert services_of(harness.application).notifier.count_recipients(fact_topics(fact)) == expected

    reply = await confirm(harness)
    assert f"{expected} subscriber(s) will be notified" in reply
    service = services_of(harness.application).notifier
    await wait_until(lambda: not service.outbox.pending())
    [news] = [m.text or "" for m in harness.chat(READER)][-1:]
    assert "Retracted" in news and "misquoted in the source" in news
    assert "Carpenter" in news or "Turan" in news  # the citation of the retracted fact
    assert not any("Retracted" in (m.text or "") for m in harness.chat(OTHER_READER))


async def test_edits_are_not_announced_in_the_preview(harness: Harness) -> None:
    await say(harness, "/subscribe everything", user_id=READER)
    preview = await say(harness, f"/retract {FACT_ID} wrong")
    assert "1 subscriber will be notified" in preview
    await say(harness, "/cancel")
    preview = await say(
        harness, "/edit protesters-marching-2020 text Many people marched. | wording"
    )
    assert "will be notified" not in preview
