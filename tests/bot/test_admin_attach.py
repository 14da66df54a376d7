"""The base learns from what it could not answer: /unanswered → 📎 → Confirm → answered."""

from __future__ import annotations

from bot import admin_texts as at
from bot import texts as bot_texts
from bot.render import plain_text
from facts.bundle import dump_bundle, parse_bundle_json
from facts.model import Action
from facts.store import FactStore
from tests.bot.admin_helpers import FACT_ID, confirm, press, say, state
from tests.bot.harness import ADMIN_ID, USER_ID, Harness

QUESTION = "how many are locked up in zhodino for their politics"


async def _unanswered_first(harness: Harness) -> None:
    reply = await say(harness, QUESTION, user_id=USER_ID)
    assert bot_texts.ANSWER_HEADER not in reply
    listing = await say(harness, "/unanswered")
    assert f"1. ×1 — {QUESTION}" in listing


async def test_unanswered_attach_answered_loop(harness: Harness, store: FactStore) -> None:
    await _unanswered_first(harness)
    before = store.get(FACT_ID).revision
    await press(harness, "📎 1")
    offered = harness.last(ADMIN_ID)
    assert FACT_ID in (offered.text or "")
    number = next(
        line.split(".")[0] for line in (offered.text or "").splitlines() if FACT_ID in line
    )
    await press(harness, number)
    preview = plain_text(harness.last(ADMIN_ID).text or "")
    assert "1,486" in preview
    assert store.get(FACT_ID).revision == before  # nothing written before Confirm
    assert "revision" in await confirm(harness)
    fact = store.get(FACT_ID)
    assert fact.revision == before + 1 and QUESTION in fact.questions
    revision = store.history(FACT_ID)[-1]
    assert revision.action is Action.EDITED and revision.reason == at.ATTACH_REASON
    assert QUESTION in revision.fact.questions
    # Answered from now on, also in other words close to it; and no longer listed.
    again = plain_text(await say(harness, QUESTION, user_id=USER_ID))
    assert bot_texts.ANSWER_HEADER in again and "1,486" in again
    similar = plain_text(await say(harness, "locked up in Zhodino for politics?", user_id=USER_ID))
    assert bot_texts.ANSWER_HEADER in similar and "1,486" in similar
    assert await say(harness, "/unanswered") == at.UNANSWERED_NONE
    # Admins see it in /fact; subscribers do not.
    assert QUESTION in await say(harness, f"/fact {FACT_ID}")
    assert QUESTION not in await say(harness, f"/fact {FACT_ID}", user_id=USER_ID)
    # It travels in export and import.
    exported = parse_bundle_json(dump_bundle(store.export_bundle()))
    assert QUESTION in next(f for f in exported.facts if f.id == FACT_ID).questions


async def test_attach_by_command_and_its_errors(harness: Harness, store: FactStore) -> None:
    await _unanswered_first(harness)
    assert "Usage" in await say(harness, "/attach")
    assert await say(harness, "/attach 9 x") == at.ATTACH_NO_SUCH.format(number=9)
    offered = await say(harness, "/attach 1 political prisoners")
    assert FACT_ID in offered
    await say(harness, f"/attach 1 {FACT_ID}")
    await confirm(harness)
    assert QUESTION in store.get(FACT_ID).questions


async def test_out_of_scope_drops_the_question(harness: Harness) -> None:
    await _unanswered_first(harness)
    await press(harness, "✖ 1")
    admin = state(harness).store
    assert admin is not None and admin.unanswered() == []


async def test_unanswered_pages_five_at_a_time(harness: Harness) -> None:
    for n in range(7):
        await say(harness, f"zzxq wobble frobnicate number {n}", user_id=USER_ID)
    first = await say(harness, "/unanswered")
    assert "1–5 of 7" in first and "6. ×1" not in first
    await press(harness, bot_texts.PAGE_NEXT)
    page = harness.last(ADMIN_ID).text or ""
    assert "6–7 of 7" in page and "6. ×1" in page
