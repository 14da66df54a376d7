"""Group chats end to end: ignored unless a command or a mention of the bot."""

from __future__ import annotations

from tests.bot.harness import GROUP, MEMBER, Harness, plain, sent_texts


async def test_group_messages_are_ignored_unless_command_or_mention(harness: Harness) -> None:
    username = harness.api.bot_username
    ignored = await harness.ask(
        "how many political prisoners are there?",
        chat_id=GROUP,
        chat_type="supergroup",
        user_id=MEMBER,
    )
    assert ignored == []
    other_bot = await harness.ask(
        "/frobnicate@some_other_bot", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER
    )
    assert other_bot == []
    unaddressed = await harness.ask(
        "/frobnicate", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER
    )
    assert unaddressed == []
    asked = await harness.ask(
        f"@{username} how many political prisoners are there?",
        chat_id=GROUP,
        chat_type="supergroup",
        user_id=MEMBER,
    )
    assert asked and asked[0].params["chat_id"] == GROUP
    assert "From the fact base" in plain(sent_texts(asked))
    command = await harness.ask(
        f"/sources@{username}", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER
    )
    assert "Source documents" in plain(sent_texts(command))
    empty = await harness.ask(f"@{username}", chat_id=GROUP, chat_type="supergroup", user_id=MEMBER)
    assert "Ask me something" in plain(sent_texts(empty))
