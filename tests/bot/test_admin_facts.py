"""Admins changing facts from Telegram: /add, /edit, /supersede, /retract, /revert, /history."""

from __future__ import annotations

import json

from bot import admin_texts as at
from facts.model import Action, Status
from facts.store import FactStore
from tests.bot.admin_helpers import (
    FACT_ID,
    SOURCE_ID,
    confirm,
    fact_json,
    last_with_buttons,
    press,
    say,
    snapshot,
)
from tests.bot.harness import ADMIN_ID, USER_ID, Harness, texts

NEW_TEXT = "At least 1,600 political prisoners were held in Belarus in April 2023, Viasna says."
QUOTE = "There are currently at least 1,600 political prisoners in Belarus"
NEW_TEXT_RU = "По данным «Весны», в апреле 2023 года в Беларуси было 1 600 политзаключённых."


async def test_a_full_add_conversation(harness: Harness, store: FactStore) -> None:
    assert "what kind of claim" in await say(harness, "/add")
    await press(harness, "statistic")
    assert "2/11" in await say(harness, NEW_TEXT)
    assert "3/11" in await say(harness, "1,600")
    assert "4/11" in await say(harness, "political prisoners")
    calls = await press(harness, "at least")
    assert "5/11" in texts(calls)[-1]
    reply = await say(harness, "2024-13")
    assert "not a real date" in reply and "YYYY-MM" in reply and "5/11" in reply
    assert "6/11" in await say(harness, "2023-04")
    assert "7/11" in await say(harness, "/skip")
    calls = await harness.press(
        last_with_buttons(harness),
        last_with_buttons(harness).buttons[2][0]["callback_data"],  # the Carpenter report
        user_id=ADMIN_ID,
    )
    assert "8/11" in texts(calls)[-1]
    reply = await say(harness, "  ")
    assert "empty" in reply or "too short" in reply
    assert "9/11" in await say(harness, QUOTE)
    assert "10/11" in await say(harness, "prisoners, viasna")
    assert "The claim in Belarusian" in await say(harness, NEW_TEXT_RU)
    preview = await say(harness, "-")
    assert at.PREVIEW_HEADER in preview
    # Exactly what /fact shows subscribers (their card adds the history).
    assert "political-prisoners-2023-04" not in store
    assert "Figure: at least <b>1,600</b> political prisoners" in preview
    assert "Edit" in str(last_with_buttons(harness).buttons)

    reply = await confirm(harness)
    assert "Added <code>political-prisoners-2023-04</code>" in reply
    fact = store.get("political-prisoners-2023-04")
    assert fact.details.value == 1600  # type: ignore[union-attr]
    assert fact.citations[0].source == SOURCE_ID and fact.topics == ["prisoners", "viasna"]
    assert fact.translations["ru"].text == NEW_TEXT_RU and "be" not in fact.translations
    (rev,) = store.history(fact.id)
    assert (rev.action, rev.by) == (Action.CREATED, f"tg:{ADMIN_ID}")
    shown = await say(harness, f"/fact {fact.id}", user_id=USER_ID)
    assert preview.split("\n\n", 1)[1].rsplit("\n\nId:", 1)[0] in shown
    # The preview's buttons are gone: it cannot be confirmed twice.
    assert not any("Confirm" in str(m.buttons) for m in harness.chat(ADMIN_ID))


async def test_edit_button_on_an_add_preview_changes_one_field(
    harness: Harness, store: FactStore
) -> None:
    await say(harness, "/add")
    await press(harness, "event")
    await say(harness, "Students marched in Minsk on 1 September 2022.")
    await say(harness, "2022-09-01")
    await say(harness, "Minsk")
    await say(harness, "-")
    await press(harness, "Michael Carpenter (headline missing)")
    await say(harness, QUOTE)
    await say(harness, "students")
    await say(harness, "-")
    await say(harness, "-")
    await press(harness, "✏️ Edit")
    calls = await press(harness, "place")
    assert "Now: <code>Minsk</code>" in texts(calls)[-1]
    preview = await say(harness, "Hrodna")
    assert "Hrodna" in preview and at.PREVIEW_HEADER in preview
    await confirm(harness)
    (fact,) = [f for f in store.facts() if f.text.startswith("Students marched in Minsk")]
    assert fact.details.place == "Hrodna"  # type: ignore[union-attr]


async def test_add_with_a_new_source_asked_step_by_step(harness: Harness, store: FactStore) -> None:
    await say(harness, "/add")
    await press(harness, "statement")
    await say(harness, "Viasna said on 2 May 2024 that repression continues.")
    await say(harness, "Viasna")
    await say(harness, "/skip")
    await say(harness, "2024-05-02")
    assert "A new source" in await say(harness, "/addsource")
    await say(harness, "Viasna monthly review, April 2024")
    await say(harness, "Viasna")
    await say(harness, "2024-05-02")
    reply = await say(harness, "https://spring96.org/en/news/1")
    assert "Source: Viasna monthly review" in reply
    await say(harness, "Repression continues")
    await say(harness, "-")
    await say(harness, "/skip")
    preview = await say(harness, "-")
    assert "Viasna monthly review, April 2024" in preview
    assert "viasna-monthly-review-april-2024-2024-05-02" not in {s.id for s in store.sources()}
    await confirm(harness)
    source = store.get_source("viasna-monthly-review-april-2024-2024-05-02")
    assert str(source.url) == "https://spring96.org/en/news/1"
    (fact,) = [f for f in store.facts() if f.text.startswith("Viasna said on 2 May 2024")]
    assert fact.citations[0].source == source.id


async def test_addjson_validates_previews_and_adds(harness: Harness, store: FactStore) -> None:
    broken = await say(harness, '/addjson {"id": "x", ')
    assert "not valid JSON" in broken
    bad = fact_json(details={"kind": "event", "date": {"date": "2024-02-30"}})
    reply = await say(harness, f"/addjson {json.dumps(bad)}")
    assert "Not saved" in reply and "details.date.date" in reply and "not a real date" in reply
    unknown = fact_json(citations=[{"source": "nowhere", "quote": "abc def"}])
    assert "not a known source" in await say(harness, f"/add {json.dumps(unknown)}")
    empty_quote = fact_json(citations=[{"source": SOURCE_ID, "quote": ""}])
    assert "citations.0.quote" in await say(harness, f"/addjson {json.dumps(empty_quote)}")
    taken = fact_json(FACT_ID)
    assert "already exists" in await say(harness, f"/addjson {json.dumps(taken)}")
    assert len(store.history(FACT_ID)) == 1
    preview = await say(harness, f"/addjson {json.dumps(fact_json())} | from the June report")
    assert "A test event happened in Minsk" in preview
    assert "test-event-2023-05-01" not in store
    await confirm(harness)
    (rev,) = store.history("test-event-2023-05-01")
    assert rev.reason == "from the June report"


async def test_edit_guided_with_reason_and_bad_values(harness: Harness, store: FactStore) -> None:
    assert "/edit &lt;id&gt;" in await say(harness, "/edit")
    assert "no fact with the id" in await say(harness, "/edit no-such-fact")
    assert "not a fact id" in await say(harness, "/edit Not_An_Id!")
    await say(harness, f"/edit {FACT_ID}")
    calls = await press(harness, "as-of")
    assert "Now: <code>2023-05</code>" in texts(calls)[-1]
    assert "not a date" in await say(harness, "next spring")
    assert "Why is this change made?" in await say(harness, "2023-04")
    preview = await say(harness, "the source gives a newer date")
    assert "<b>details.as_of</b>: 2023-05 → 2023-04" in preview
    await confirm(harness)
    fact = store.get(FACT_ID)
    assert fact.date is not None and fact.date.date == "2023-04"
    assert store.history(FACT_ID)[-1].reason == "the source gives a newer date"
    reply = await say(harness, f"/edit {FACT_ID} colour blue | why")
    assert "not a field of this fact" in reply
    reply = await say(harness, f"/edit {FACT_ID} value 1,48 | why")
    assert "commas only between thousands" in reply
    await say(harness, "/cancel")
    assert "Nothing would change" in await say(harness, f"/edit {FACT_ID} unit political prisoners")
    await say(harness, "/cancel")
    long_text = "x" * 1200
    assert "the limit is 1000" in await say(harness, f"/edit {FACT_ID} text {long_text} | why")
    await say(harness, "/cancel")
    assert len(store.history(FACT_ID)) == 2


async def test_supersede_then_revert_keep_history(harness: Harness, store: FactStore) -> None:
    old = store.get(FACT_ID)
    assert "Supersede" in await say(harness, f"/supersede {FACT_ID}")
    await say(harness, "1,600")
    await say(harness, "2023-05-12")
    await say(harness, NEW_TEXT)
    await press(harness, "Keep as is")
    prompt = await say(harness, QUOTE)
    # The old translations say the old count: they are asked anew, never carried over.
    assert "The claim in Russian" in prompt and "Now:" not in prompt
    await say(harness, NEW_TEXT_RU)
    await say(harness, "-")
    preview = await say(harness, "Viasna's count of May 2024")
    assert "<b>Replaces</b> <code>political-prisoners-2023-05</code>" in preview
    assert "<b>details.value</b>: 1486 → 1600" in preview
    reply = await confirm(harness)
    assert "superseded by <code>political-prisoners-2023-05-12</code>" in reply
    new = store.get("political-prisoners-2023-05-12")
    assert new.is_current and new.details.value == 1600  # type: ignore[union-attr]
    assert new.translations["ru"].text == NEW_TEXT_RU and "be" not in new.translations
    replaced = store.get(FACT_ID)
    assert replaced.status is Status.SUPERSEDED and replaced.superseded_by == new.id
    assert [r.action for r in store.history(FACT_ID)] == [Action.SEEDED, Action.SUPERSEDED]
    # A subscriber asking for the old fact is sent to the new one.
    assert "has been superseded" in await say(harness, f"/fact {FACT_ID}", user_id=USER_ID)

    history = await say(harness, f"/history {FACT_ID}")
    assert "now superseded, 2 revision(s)" in history and f"tg:{ADMIN_ID}" in history
    assert "status: current → superseded" in history
    assert "revisions 1 to 2" in await say(harness, f"/revert {FACT_ID} 7 oops")
    assert "restore" in await say(harness, f"/revert {FACT_ID} 1")
    # Reverting the old fact while its replacement is current would show both as
    # current: refused, with what to do instead.
    refused = await say(harness, f"/revert {FACT_ID} 1 superseded by mistake")
    assert "one current fact per chain" in refused and "retract" in refused
    assert store.get(FACT_ID).status is Status.SUPERSEDED
    await say(harness, f"/retract {new.id} superseded by mistake")
    await confirm(harness)
    preview = await say(harness, f"/revert {FACT_ID} 1 superseded by mistake")
    assert "<b>status</b>: superseded → current" in preview
    reply = await confirm(harness)
    assert "restored to revision 1 as revision 3" in reply
    restored = store.get(FACT_ID)
    assert restored.is_current and restored.model_copy(update={"revision": 1}) == old
    assert [r.action for r in store.history(FACT_ID)] == [
        Action.SEEDED,
        Action.SUPERSEDED,
        Action.REVERTED,
    ]
    assert "same content" in await say(harness, f"/revert {FACT_ID} 1 again")
    # Bringing the retracted replacement back would make two current facts again.
    refused = await say(harness, f"/revert {new.id} 1 undo the retraction")
    assert "one current fact per chain" in refused


async def test_retract_needs_a_reason_and_confirmation(harness: Harness, store: FactStore) -> None:
    assert "Give the fact id and why" in await say(harness, f"/retract {FACT_ID}")
    preview = await say(harness, f"/retract {FACT_ID} the report was misquoted")
    assert "Retract this fact?" in preview and "the report was misquoted" in preview
    assert store.get(FACT_ID).is_current
    await press(harness, "✖ Cancel")
    assert store.get(FACT_ID).is_current
    await say(harness, f"/retract {FACT_ID} the report was misquoted")
    assert "Retracted" in await confirm(harness)
    fact = store.get(FACT_ID)
    assert fact.status is Status.RETRACTED and fact.retraction_reason == "the report was misquoted"
    assert "already retracted" in await say(harness, f"/retract {FACT_ID} again")
    assert "was retracted" in await say(harness, f"/fact {FACT_ID}", user_id=USER_ID)
    assert "only current facts" in await say(harness, f"/edit {FACT_ID}")


async def test_a_stale_preview_is_rechecked_on_confirm(harness: Harness, store: FactStore) -> None:
    await say(harness, f"/edit {FACT_ID} unit prisoners of conscience | wording")
    first = last_with_buttons(harness)
    await say(harness, f"/retract {FACT_ID} wrong")
    await confirm(harness)
    before = snapshot(harness, store)
    calls = await harness.press(first, first.button_data("✅ Confirm"), user_id=ADMIN_ID)
    assert "changed since the preview" in "\n".join(texts(calls))
    assert snapshot(harness, store) == before


async def test_export_sends_the_whole_base(harness: Harness, store: FactStore) -> None:
    calls = await harness.ask("/export", user_id=ADMIN_ID)
    (sent,) = [c for c in calls if c.method == "sendDocument"]
    assert sent.ok
    file_id = sent.result["document"]["file_id"]  # type: ignore[index]
    data = harness.api.file_data(file_id)
    assert data is not None
    exported = json.loads(data)
    assert len(exported["facts"]) == len(store.export_bundle().facts)
    assert f"{len(exported['facts'])} facts" in (sent.params.get("caption") or "")


async def test_addsource_one_message(harness: Harness, store: FactStore) -> None:
    assert "one message" in await say(harness, "/addsource")
    assert "https://" in await say(harness, "/addsource Title | Outlet | 2024-05-01 | ftp://x")
    preview = await say(
        harness, "/addsource Viasna report | Viasna | 2024-05-01 | https://spring96.org/x"
    )
    assert "viasna-report-2024-05-01" in preview
    await confirm(harness)
    assert store.get_source("viasna-report-2024-05-01").outlet == "Viasna"


async def test_starting_another_dialogue_ends_the_first(harness: Harness, store: FactStore) -> None:
    await say(harness, "/add")
    await press(harness, "event")
    await say(harness, f"/edit {FACT_ID} unit")
    # The text answers /edit, not the /add that was interrupted.
    assert "Why is this change made?" in await say(harness, "prisoners of conscience")
    preview = await say(harness, "wording")
    assert "<b>details.unit</b>: political prisoners → prisoners of conscience" in preview
    assert "Cancelled" in await say(harness, "/cancel")


async def test_add_asks_a_sanction_its_own_fields(harness: Harness, store: FactStore) -> None:
    await say(harness, "/add")
    await press(harness, "sanction")
    await say(harness, "On 1 May 2023 Canada imposed sanctions on two judges.")
    await say(harness, "Canada")
    await say(harness, "two Belarusian judges;  \n")
    assert "Send at least one item" in await say(harness, " ; ")
    await say(harness, "asset freeze; travel ban")
    calls = await press(harness, "imposed")
    assert "When?" in texts(calls)[-1]
    await say(harness, "2023-05-01")
    assert "'two' is not a number" in await say(harness, "two")
    await say(harness, "2")
    await press(harness, "Michael Carpenter (headline missing)")
    await say(harness, QUOTE)
    await say(harness, "sanctions, canada")
    await say(harness, "-")
    preview = await say(harness, "-")
    assert "Canada" in preview
    await confirm(harness)
    (fact,) = [f for f in store.facts() if f.text.startswith("On 1 May 2023 Canada")]
    details = fact.details
    assert details.measures == ["asset freeze", "travel ban"]  # type: ignore[union-attr]
    assert details.persons_count == 2 and details.status.value == "imposed"  # type: ignore[union-attr]
    assert fact.id == "sanction-canada-2023-05-01"


async def test_publishing_notifies_subscribers(harness: Harness, store: FactStore) -> None:
    await say(harness, "/subscribe everything", user_id=USER_ID)
    await say(harness, f"/retract {FACT_ID} misquoted")
    assert "🔔 1 subscriber(s) will be notified." in await confirm(harness)
    # Edits are corrections, not news: not announced.
    claim = "Hundreds of thousands of Belarusians marched in 2020."
    await say(harness, f"/edit protesters-marching-2020 text {claim} | wording")
    reply = await confirm(harness)
    assert "Saved" in reply and "🔔" not in reply
