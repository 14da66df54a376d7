"""A fake Telegram Bot API on 127.0.0.1 for tests, the console and the benchmarks.

It keeps chats and messages in memory and refuses what Telegram refuses: HTML that does
not parse, texts over 4,096 UTF-16 code units after parsing, callback data over 64 bytes,
more than 50 inline results, edits that change nothing, messages to unknown or blocked
chats. Errors have Telegram's JSON shape and HTTP status, so PTB raises the exceptions it
would raise in production. By concern:

- :mod:`~bot.fakeapi.html` — Telegram's HTML parse mode (the one ``ALLOWED_TAGS``);
- :mod:`~bot.fakeapi.records` — what it records and answers (calls, errors, messages);
- :mod:`~bot.fakeapi.state` — the Bot API's state, what users do, what the bot did;
- :mod:`~bot.fakeapi.updates` — the update queue and getUpdates' long poll;
- :mod:`~bot.fakeapi.checks` and :mod:`~bot.fakeapi.methods` — Telegram's checks of what a bot
  sends, and the methods;
- :mod:`~bot.fakeapi.server` — :class:`FakeBotApi`, all of the above over ``aiohttp.web``;
- :mod:`~bot.fakeapi.driver` — :class:`BotDriver`, a real ``Application`` against it,
  waiting for the bot's answer to each update without sleeping;
- :mod:`~bot.fakeapi.flood` — a variant with Telegram's flood limits that can hold sends.
"""

from bot.fakeapi.driver import BotDriver, HandlerError, texts
from bot.fakeapi.html import ALLOWED_TAGS, SIMPLE_ENTITY_TYPES, HtmlError, parse_html
from bot.fakeapi.records import (
    DEFAULT_BOT_USERNAME,
    DEFAULT_USER_ID,
    POLLING_METHODS,
    ApiCall,
    ApiError,
    ChatMessage,
    UploadedFile,
)
from bot.fakeapi.server import FakeBotApi

__all__ = [
    "ALLOWED_TAGS",
    "DEFAULT_BOT_USERNAME",
    "DEFAULT_USER_ID",
    "POLLING_METHODS",
    "SIMPLE_ENTITY_TYPES",
    "ApiCall",
    "ApiError",
    "BotDriver",
    "ChatMessage",
    "FakeBotApi",
    "HandlerError",
    "HtmlError",
    "UploadedFile",
    "parse_html",
    "texts",
]
