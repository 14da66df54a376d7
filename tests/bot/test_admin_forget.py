"""/forget in the middle of an admin dialogue: a later answer, button or edit reason is
told the dialogue has ended, and the conversation ends."""

from __future__ import annotations

from bot import admin_texts as at
from tests.bot.admin_helpers import FACT_ID, callback_answers, press, say
from tests.bot.harness import Harness


async def test_an_answer_after_forget_says_the_dialogue_has_ended(harness: Harness) -> None:
    await say(harness, "/add")
    await press(harness, "event")
    await say(harness, "/forget")
    await press(harness, "Yes, delete everything")
    # The conversation still waits for an answer, but its session is gone.
    assert await say(harness, "Something happened") == at.DIALOGUE_ENDED.format(command="/add")
    # The conversation has ended: the next text is an ordinary question again.
    assert "dialogue has ended" not in await say(harness, "Something happened")


async def test_a_button_after_forget_is_answered(harness: Harness) -> None:
    await say(harness, "/add")
    await say(harness, "/forget")
    await press(harness, "Yes, delete everything")
    calls = await press(harness, "event")
    assert callback_answers(calls) == [at.DIALOGUE_ENDED_SHORT]
    sent = [c.text for c in calls if c.method == "sendMessage"]
    assert sent == [at.DIALOGUE_ENDED.format(command="/add")]


async def test_an_edit_answer_after_forget_says_the_dialogue_has_ended(harness: Harness) -> None:
    assert "Why is this change made?" in await say(harness, f"/edit {FACT_ID} unit x")
    await say(harness, "/forget")
    await press(harness, "Yes, delete everything")
    reply = await say(harness, "a reason")
    assert reply == at.DIALOGUE_ENDED.format(command="/edit or /supersede")
