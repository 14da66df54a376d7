"""The bot under test: the real application polling a FakeBotApi over real HTTP.

Example::

    async def test_start(harness: Harness) -> None:
        calls = await harness.ask("/start")
        assert "fact" in texts(calls)[0]
        page = harness.last()                      # the message as it stands now
        calls = await harness.press(page, page.button_data("Next ▶"))
        assert calls[0].method == "editMessageText"
"""

from __future__ import annotations

from pathlib import Path

from bot import texts as bot_texts
from bot.fakeapi import DEFAULT_USER_ID, ApiCall, BotDriver, ChatMessage, FakeBotApi, texts
from bot.ops.settings import Settings
from bot.render import plain_text as plain

#: Shaped like a real token so Settings accepts it; it only ever reaches 127.0.0.1.
TEST_TOKEN = "123456:TEST-not-a-real-token"
USER_ID = DEFAULT_USER_ID
ADMIN_ID = 4242
#: A group chat and a member of it who is no admin.
GROUP = -100123
MEMBER = 777

__all__ = [
    "ADMIN_ID",
    "GROUP",
    "MEMBER",
    "TEST_TOKEN",
    "USER_ID",
    "ApiCall",
    "Harness",
    "buttons",
    "plain",
    "sent_texts",
    "test_settings",
    "texts",
]


def sent_texts(calls: list[ApiCall]) -> str:
    """The texts the bot sent or edited among ``calls``, joined (HTML source)."""
    return "\n\n".join(texts(calls))


def buttons(message: ChatMessage) -> list[tuple[str, str]]:
    """A message's inline buttons as (label, callback data; "" for a link) pairs."""
    return [(b["text"], b.get("callback_data", "")) for row in message.buttons for b in row]


def test_settings(
    api: FakeBotApi, data_dir: Path, *, admin_ids: list[int] | None = None
) -> Settings:
    """Settings pointing the bot at the fake server, with ADMIN_ID as the only admin."""
    return Settings(
        bot_token=TEST_TOKEN,
        bot_api_base_url=api.base_url,
        data_dir=data_dir,
        admin_ids=[ADMIN_ID] if admin_ids is None else admin_ids,
    )


# pytest would otherwise collect the factory above as a test.
test_settings.__test__ = False  # type: ignore[attr-defined]


class Harness(BotDriver):
    """A BotDriver with shortcuts for assertions on what a user sees."""

    async def reply(self, text: str, *, user_id: int = USER_ID) -> str:
        """Ask ``text`` in a private chat; the texts the bot sent or edited, joined."""
        return "\n\n".join(texts(await self.ask(text, user_id=user_id)))

    async def read_all(self, text: str, *, user_id: int = USER_ID) -> str:
        """Ask ``text``, then turn every page of the reply (pressing its "next page" button
        until the last page); every text the bot sent or edited, joined."""
        shown = texts(await self.ask(text, user_id=user_id))
        for _ in range(1000):
            more = [
                b["callback_data"]
                for row in self.last(user_id).buttons
                for b in row
                if b.get("text") in (bot_texts.PAGE_NEXT, bot_texts.TIMELINE_NEXT)
            ]
            if not more:
                return "\n\n".join(shown)
            shown += texts(await self.press(self.last(user_id), more[0]))
        raise AssertionError("the reply has more than 1,000 pages")

    def chat(self, chat_id: int = USER_ID) -> list[ChatMessage]:
        """The bot's messages in a chat as they stand now."""
        return self.api.messages(chat_id)

    def last(self, chat_id: int = USER_ID) -> ChatMessage:
        """The bot's latest message in a chat (AssertionError if it sent none)."""
        messages = self.api.messages(chat_id)
        assert messages, f"the bot sent nothing to chat {chat_id}"
        return messages[-1]
