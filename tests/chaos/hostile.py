"""What a stranger can send, in one place: forged callback data of every prefix, odd
Unicode, messages without text, updates no PTB can parse, deeply nested JSON."""

from __future__ import annotations

import importlib
import itertools
import pkgutil
import time
from typing import Any

from bot import handlers
from bot.fakeapi import DEFAULT_USER_ID
from bot.handlers import keyboards, pages, start_help

#: Planted in hostile texts: it must never reach a log line.
SECRET_TEXT = "zebra-poison-secret-4471"


def _prefixes() -> list[str]:
    """Every callback prefix the handlers declare (``*PREFIX*`` and ``*_DATA`` constants of
    bot.handlers), the keyboards' own, the pager's and the bare admin namespace."""
    found = {keyboards.OPEN_FACT, keyboards.WHO, keyboards.WHO_LIST, keyboards.TIMELINE,
             keyboards.NOOP, pages.PAGER, "adm"}  # fmt: skip
    for info in pkgutil.iter_modules(handlers.__path__):
        module = importlib.import_module(f"bot.handlers.{info.name}")
        for name, value in vars(module).items():
            if (
                name.isupper()
                and ("PREFIX" in name or name.endswith("_DATA"))
                and isinstance(value, str)
            ):
                found.add(value)
    found.discard(start_help.DEEP_LINK_PREFIX)  # a /start payload, not callback data
    return sorted(found)


PREFIXES = _prefixes()
TAILS = [
    "",
    ":",
    "::",
    ":x",
    ":-",
    ":-1",
    ":0",
    ":99999",
    ":2020-13:-:0",
    ":2020-02-30:2019:9999",
    ":-:-:-",
    ":x:y:z:w",
    ":a\nforged log line",
    ":ü\u202e\u200b",
    ":" + "9" * 58,
    ":t:nonsense",
    ":m:nonsense",
    ":s:9999:deadbeef",
    ":yes:extra",
]
#: Forged callback data, each cut to Telegram's 64 bytes.
FORGED = [
    data.encode()[:64].decode("utf-8", "ignore")
    for data in [
        "",
        ":",
        "\n",
        "tl:2020-13:-:0",
        *(p + t for p, t in itertools.product(PREFIXES, TAILS)),
    ]
] + ["\ud800", "tl:\udfff", "pg:x:1:\ud83d"]  # lone surrogates: no UTF-8, no byte cut

#: Texts a reader may type: invisible, direction overrides, NUL, a lone surrogate,
#: combining marks, long ZWJ emoji, markup, paths, numbers no date or id can hold.
ODD_TEXTS = [
    "\u200b\u200b\u200b",
    "\u202e\u202d\u2066\u2069",
    f"how many\x00 political prisoners? {SECRET_TEXT}",
    "\ufeff/start",
    "/start\u200b",
    "/start fact_../../etc/passwd",
    "/fact ../../../../etc/passwd",
    "/search " + "\u0301" * 2000,
    "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466" * 300,
    "Лукашэнка" + "\u0336" * 50,
    "a" * 4096,
    f"<b>bold</b> &amp; <script>{SECRET_TEXT}</script>",
    "/sanctions " + "\U0010ffff" * 10,
    "/subscribe \u202esnoitcnas",
    "\u2028\u2029",
    "/START@SomeOtherBot",
    "/timeline 2020-13",
    "/numbers " + "9" * 500,
    "ｈｏｗ ｍａｎｙ ｐｏｌｉｔｉｃａｌ ｐｒｉｓｏｎｅｒｓ",
    "Сколько политзаключённых\u00ad?",
    "/who \u0000",
    "/check " + "Lukashenko was elected. " * 200,
    "/addjson " + "[" * 3000,
    # Lone UTF-16 surrogates: JSON can carry them (as escapes), UTF-8 cannot.
    "\ud800",
    f"how many political prisoners\udfff? {SECRET_TEXT}",
    "/search \ud83d",
    "/who \ude00\ud83d",
    "/subscribe \udc00",
    "/fact \udbff",
]

FILE = {"file_id": "AgAD", "file_unique_id": "u1"}

#: Message contents without text, as each arrives in a private chat.
NOT_TEXT: dict[str, dict[str, Any]] = {
    "photo": {"photo": [FILE | {"width": 90, "height": 90}]},
    "sticker": {
        "sticker": FILE
        | {
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
    },
    "location": {"location": {"latitude": 53.9, "longitude": 27.56}},
    "voice": {"voice": FILE | {"duration": 3}},
    "contact": {"contact": {"phone_number": "+375000000", "first_name": "A"}},
    "document": {"document": FILE | {"file_name": "notes.pdf"}},
}


def private_message(chat_id: int = DEFAULT_USER_ID, **content: Any) -> dict[str, Any]:
    """A message in ``chat_id``'s private chat with ``content`` (no text unless given)."""
    return {
        "message_id": 900 + len(content),
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": "private", "first_name": "Reader"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Reader"},
        **content,
    }


#: A poll_answer in an older Bot API's shape (no option_ids), as a self-hosted server sends it.
OLD_POLL_ANSWER = {
    "poll_id": "5",
    "user": {"id": DEFAULT_USER_ID, "is_bot": False, "first_name": SECRET_TEXT},
}


def message_without_date(text: str, chat_id: int = DEFAULT_USER_ID) -> dict[str, Any]:
    """A message this PTB cannot parse (``date`` missing) that holds a user's text."""
    return {
        "message_id": 77,
        "chat": {"id": chat_id, "type": "private", "first_name": "Ops"},
        "from": {"id": chat_id, "is_bot": False, "first_name": "Ops"},
        "text": text,
    }


#: Updates of the types the bot asks for that PTB cannot parse: (type, payload).
POISON: list[tuple[str, Any]] = [
    ("message", message_without_date(SECRET_TEXT)),
    ("message", {}),
    ("message", {"message_id": "x", "date": "soon", "chat": None, "text": SECRET_TEXT}),
    ("callback_query", "garbage"),
    ("callback_query", {"id": 5, "from": None, "data": SECRET_TEXT}),
    ("inline_query", {"query": SECRET_TEXT}),
]


def nested(depth: int) -> bytes:
    """JSON nested ``depth`` arrays deep (Python's parser gives up near 1,000)."""
    return b"[" * depth + b"]" * depth
