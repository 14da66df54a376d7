"""A fake Telegram Bot API server on 127.0.0.1 for tests, the console and the benchmark.

It speaks HTTP/1.1 with keep-alive on a random free port, keeps chats and messages in
memory and refuses what Telegram refuses: HTML that does not parse, texts over 4,096
UTF-16 code units after parsing, callback data over 64 bytes, more than 50 inline
results, edits that change nothing, messages to unknown or blocked chats. Errors have
Telegram's JSON shape and HTTP status, so PTB raises the exceptions it would raise in
production. :class:`BotDriver` runs a real ``Application`` against it and waits for the
bot's answer to each update without sleeping.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Collection, Coroutine, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from bot.context import AnyApplication

DEFAULT_BOT_USERNAME: Final = "factbot_test_bot"
DEFAULT_USER_ID: Final = 1001
MAX_TEXT_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_INLINE_RESULTS: Final = 50
MAX_INLINE_RESULT_ID_BYTES: Final = 64
MAX_INLINE_BUTTONS: Final = 100
MAX_COMMANDS: Final = 100
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024

#: Methods that are polling mechanics rather than the bot talking to users.
POLLING_METHODS: Final = frozenset({"getUpdates", "getMe", "deleteWebhook", "close", "logOut"})

_CHAT_ACTIONS: Final = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)
_INLINE_RESULT_TYPES: Final = frozenset(
    [
        "article",
        "photo",
        "gif",
        "mpeg4_gif",
        "video",
        "audio",
        "voice",
        "document",
        "location",
        "venue",
        "contact",
        "game",
        "sticker",
    ]
)
_BUTTON_ACTIONS: Final = tuple(
    [
        "url",
        "callback_data",
        "web_app",
        "login_url",
        "switch_inline_query",
        "switch_inline_query_current_chat",
        "switch_inline_query_chosen_chat",
        "copy_text",
        "callback_game",
        "pay",
    ]
)
#: Update types delivered when getUpdates never named any (Telegram's default).
_DEFAULT_UPDATE_TYPES: Final = frozenset(
    [
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
    ]
)
#: Parameters Telegram reads as strings; every other form field is JSON (as PTB encodes it).
_STRING_PARAMS: Final = frozenset(
    [
        "text",
        "caption",
        "parse_mode",
        "callback_query_id",
        "inline_query_id",
        "inline_message_id",
        "url",
        "action",
        "next_offset",
        "language_code",
        "description",
        "short_description",
        "name",
        "file_id",
        "document",
        "secret_token",
        "message_effect_id",
        "business_connection_id",
        "switch_pm_text",
        "switch_pm_parameter",
        "query",
        "emoji",
        "title",
    ]
)
_QUERY_INVALID: Final = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


# --- errors and records ----------------------------------------------------------------------


class ApiError(Exception):
    """A Bot API error answer: HTTP status, Telegram's description, optional retry_after."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        """The JSON body Telegram sends with this error."""
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def _bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


@dataclass(frozen=True, slots=True)
class UploadedFile:
    """A file part of a multipart request (e.g. sendDocument's ``document``)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class ApiCall:
    """One Bot API call as the server saw it: decoded parameters and what it answered."""

    method: str
    params: dict[str, Any]
    result: Any = None
    error: ApiError | None = None
    #: The body's media type, e.g. ``application/json`` ("" when the request named none).
    media_type: str = ""

    @property
    def ok(self) -> bool:
        """Whether the server answered ``ok: true``."""
        return self.error is None

    @property
    def text(self) -> str | None:
        """The text or caption parameter as sent (HTML source when parse_mode is HTML)."""
        value = self.params.get("text", self.params.get("caption"))
        return value if isinstance(value, str) else None


# --- Telegram's HTML ---------------------------------------------------------------------------


class HtmlError(ValueError):
    """Text that Telegram would refuse to parse as HTML (the message is Telegram's wording)."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    """A text after entity parsing: what the user sees plus MessageEntity JSON objects."""

    text: str
    entities: list[dict[str, Any]]


#: Every tag Telegram's HTML parse mode accepts (the one list: the console and tests use it).
ALLOWED_TAGS: Final = frozenset(
    [
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "tg-emoji",
        "code",
        "pre",
        "blockquote",
    ]
)
#: The entity type of each tag that only styles its text.
SIMPLE_ENTITY_TYPES: Final = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
}
_NAMED_ENTITIES: Final = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_HTML_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot))(;?)")
_SPECIAL = re.compile(r"[<&]")
_UNQUOTED_VALUE = re.compile(r"[A-Za-z0-9.\-]*")
_LINK_URL = re.compile(r"^(?:https?://[^\s/$.?#][^\s]*|tg://\S+|mailto:\S+@\S+)$", re.IGNORECASE)
_BARE_DOMAIN = re.compile(
    r"^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+(?:/\S*)?$"
)
_USER_LINK = re.compile(r"^tg://user\?id=(\d{1,20})$")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits and entity offsets."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass(slots=True)
class _OpenTag:
    name: str
    argument: str | None
    offset: int  # UTF-16 offset in the output where the tag's content starts
    chunk: int  # index in the output chunks where the content starts
    position: int  # index of "<" in the source, for error messages


def parse_html(source: str, *, strict: bool = True) -> ParsedText:
    """Parse ``parse_mode=HTML`` text the way Telegram (tdlib) does; HtmlError if refused.

    With ``strict`` an ``&`` that does not start ``&lt; &gt; &amp; &quot;`` or a numeric
    entity, and an ``<a href>`` Telegram would silently drop, are errors too: Telegram
    shows the former literally and loses the link, both signs of unescaped data.
    """
    simple = parse_simple_html(source)
    return simple if simple is not None else parse_full_html(source, strict=strict)


_SIMPLE_TAGS: Final = frozenset(SIMPLE_ENTITY_TYPES) - {"span"} | {"code", "pre", "blockquote"}


def parse_simple_html(source: str) -> ParsedText | None:
    """The fast path of ``parse_html`` for the HTML bots usually send: tags without
    attributes, properly nested, and the four named entities. Anything else (attributes,
    numeric entities, a stray ``<`` or ``&``, a mismatched tag) returns None for
    ``parse_full_html`` to read or refuse; where this returns a result it is the same as
    ``parse_full_html``'s, strict or not (tests/bot/test_fake_api.py checks that).

    Plain string methods, not a regular expression: scanning for ``[<&]`` costs several
    times more, and this runs in the benchmark's process for every message sent."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    offset = 0
    position = -1  # where the "<" before the current part is in the source
    for k, part in enumerate(source.split("<")):
        text = part
        if k:
            end = part.find(">")
            if end < 0:
                return None
            tag = part[:end]
            name = tag[1:] if tag.startswith("/") else tag
            if name not in _SIMPLE_TAGS:
                return None
            if name is tag:
                stack.append(_OpenTag(name, None, offset, len(out), position))
            elif not stack or stack[-1].name != name:
                return None
            else:
                opened = stack.pop()
                if offset > opened.offset:
                    # The inner text matters only to <a>, which never comes this way.
                    _close_entity(opened, offset, "", entities, strict=True)
            text = part[end + 1 :]
        position += len(part) + 1
        if "&" in text:
            decoded = _decode_named_entities(text)
            if decoded is None:
                return None
            text = decoded
        if text:
            out.append(text)
            offset += utf16_len(text)
    if stack:
        return None
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def _decode_named_entities(text: str) -> str | None:
    """``text`` with ``&lt; &gt; &quot; &amp;`` decoded, or None if it has another ``&``."""
    named = sum(text.count(f"&{name};") for name in _NAMED_ENTITIES)
    if text.count("&") != named:
        return None
    for name, character in _NAMED_ENTITIES.items():
        if name != "amp":
            text = text.replace(f"&{name};", character)
    # Last, so that "&amp;lt;" stays "&lt;".
    return text.replace("&amp;", "&")


def parse_full_html(source: str, *, strict: bool = True) -> ParsedText:
    """``parse_html`` for any text: every tag, attribute and entity tdlib knows, and
    Telegram's error for what it refuses."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    stack: list[_OpenTag] = []
    offset = 0
    i = 0
    n = len(source)

    def byte_offset(pos: int) -> int:
        return len(source[:pos].encode("utf-8", "surrogatepass"))

    def emit(piece: str) -> None:
        nonlocal offset
        out.append(piece)
        offset += utf16_len(piece)

    while i < n:
        match = _SPECIAL.search(source, i)
        if match is None:
            emit(source[i:])
            break
        if match.start() > i:
            emit(source[i : match.start()])
            i = match.start()
        if source[i] == "&":
            decoded = _decode_entity(source, i, strict=strict)
            if decoded is not None:
                emit(decoded[0])
                i = decoded[1]
            elif strict:
                raise HtmlError(
                    f'Unescaped "&" at byte offset {byte_offset(i)}: only &lt; &gt; &amp; '
                    "&quot; and numeric entities are allowed (fake server, stricter than "
                    "Telegram, which would show it literally)"
                )
            else:
                emit("&")
                i += 1
            continue
        begin = i
        i += 1
        if i < n and source[i] == "/":
            i += 1
            if not stack:
                raise HtmlError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            name_start = i
            while i < n and not source[i].isspace() and source[i] != ">":
                i += 1
            end_name = source[name_start:i].lower()
            while i < n and source[i].isspace():
                i += 1
            if i >= n or source[i] != ">":
                raise HtmlError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            i += 1
            opened = stack.pop()
            if end_name and end_name != opened.name:
                raise HtmlError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{opened.name}>", found "</{end_name}>"'
                )
            if offset > opened.offset:
                inner = "".join(out[opened.chunk :])
                _close_entity(opened, offset, inner, entities, strict=strict)
            continue
        while i < n and not source[i].isspace() and source[i] != ">":
            i += 1
        if i >= n:
            raise HtmlError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        name = source[begin + 1 : i].lower()
        if name not in ALLOWED_TAGS:
            raise HtmlError(f'Unsupported start tag "{name}" at byte offset {byte_offset(begin)}')
        argument: str | None = None
        while True:
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise HtmlError(f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}')
            if source[i] == ">":
                break
            attr_start = i
            while i < n and not source[i].isspace() and source[i] not in "=>/\"'":
                i += 1
            attribute = source[attr_start:i].lower()
            if not attribute:
                raise HtmlError(
                    f'Empty attribute name in the tag "{name}" at byte offset {byte_offset(begin)}'
                )
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise HtmlError(f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}')
            if source[i] != "=":
                if name == "blockquote" and attribute == "expandable":
                    argument = "expandable"
                    continue
                raise HtmlError(
                    "Expected equal sign in declaration of an attribute of the tag "
                    f'"{name}" at byte offset {byte_offset(begin)}'
                )
            i += 1
            while i < n and source[i].isspace():
                i += 1
            if i >= n:
                raise HtmlError(f'Unclosed start tag "{name}" at byte offset {byte_offset(begin)}')
            if source[i] in "\"'":
                quote = source[i]
                i += 1
                value_parts: list[str] = []
                while i < n and source[i] != quote:
                    if source[i] == "&":
                        decoded = _decode_entity(source, i, strict=strict)
                        if decoded is not None:
                            value_parts.append(decoded[0])
                            i = decoded[1]
                            continue
                        if strict:
                            raise HtmlError(
                                f'Unescaped "&" in an attribute at byte offset {byte_offset(i)} '
                                "(fake server, stricter than Telegram)"
                            )
                    value_parts.append(source[i])
                    i += 1
                if i >= n:
                    raise HtmlError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
                i += 1
                value = "".join(value_parts)
            else:
                token = _UNQUOTED_VALUE.match(source, i)
                end = token.end() if token else i
                if end >= n:
                    raise HtmlError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
                if not source[end].isspace() and source[end] != ">":
                    raise HtmlError(f"Unexpected end of name token at byte offset {byte_offset(i)}")
                value = source[i:end].lower()
                i = end
            argument = _tag_argument(name, attribute, value, argument)
        if name == "span" and argument != "spoiler":
            raise HtmlError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        i += 1
        stack.append(_OpenTag(name, argument, offset, len(out), begin))
    if stack:
        raise HtmlError(f'Can\'t find end tag corresponding to start tag "{stack[-1].name}"')
    # Only pre keeps a language; a code entity outside <pre> carries none.
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return ParsedText("".join(out), entities)


def _decode_entity(source: str, i: int, *, strict: bool) -> tuple[str, int] | None:
    """The character an HTML entity at ``i`` stands for and where it ends, if it is one."""
    match = _HTML_ENTITY.match(source, i)
    if match is None or (strict and not match.group(4)):
        return None
    decimal, hexadecimal, named, _ = match.groups()
    if named:
        return _NAMED_ENTITIES[named], match.end()
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF:
        return None
    if 0xD800 <= code <= 0xDFFF:
        raise HtmlError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    return chr(code), match.end()


def _tag_argument(name: str, attribute: str, value: str, current: str | None) -> str | None:
    """What an attribute means for its tag (tdlib ignores the attributes it does not know)."""
    if name == "a" and attribute == "href":
        return value
    if name == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if name == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if name == "tg-emoji" and attribute == "emoji-id":
        return value
    if name == "blockquote" and attribute == "expandable":
        return "expandable"
    return current


def _close_entity(
    opened: _OpenTag, end: int, inner: str, entities: list[dict[str, Any]], *, strict: bool
) -> None:
    """Append the MessageEntity a closed tag produces (none for a link Telegram drops)."""
    entity: dict[str, Any] = {"offset": opened.offset, "length": end - opened.offset}
    name = opened.name
    if name in SIMPLE_ENTITY_TYPES:
        entity["type"] = SIMPLE_ENTITY_TYPES[name]
    elif name == "blockquote":
        entity["type"] = "expandable_blockquote" if opened.argument else "blockquote"
    elif name == "tg-emoji":
        if not (opened.argument or "").isdigit() or int(opened.argument or "0") == 0:
            raise HtmlError("Invalid custom emoji identifier specified")
        entity.update(type="custom_emoji", custom_emoji_id=opened.argument)
    elif name == "code":
        entity["type"] = "code"
        if opened.argument:
            entity["language"] = opened.argument
    elif name == "pre":
        entity["type"] = "pre"
        last = entities[-1] if entities else None
        if (
            last is not None
            and last["type"] == "code"
            and last["offset"] == entity["offset"]
            and last["length"] == entity["length"]
            and "language" in last
        ):
            # <pre><code class="language-x"> is one pre entity with a language.
            entities[-1] = {**entity, "language": last["language"]}
            return
    else:  # "a"
        url = opened.argument if opened.argument is not None else inner
        user = _USER_LINK.match(url)
        if user:
            entity.update(
                type="text_mention",
                user={"id": int(user.group(1)), "is_bot": False, "first_name": ""},
            )
        elif _LINK_URL.match(url) or _BARE_DOMAIN.match(url):
            entity.update(
                type="text_link", url=url if "://" in url or ":" in url else f"http://{url}/"
            )
        elif strict:
            raise HtmlError(
                f'Link URL "{url}" at byte offset {opened.position} is not one Telegram keeps '
                "(fake server, stricter than Telegram, which would drop the link)"
            )
        else:
            return
    entities.append(entity)


def _strip_text(parsed: ParsedText) -> ParsedText:
    """Telegram trims leading and trailing whitespace and clips entities to what remains."""
    text = parsed.text
    stripped = text.strip()
    if stripped == text:
        entities = parsed.entities
    else:
        shift = utf16_len(text[: len(text) - len(text.lstrip())])
        length = utf16_len(stripped)
        entities = []
        for entity in parsed.entities:
            start = max(entity["offset"] - shift, 0)
            end = min(entity["offset"] + entity["length"] - shift, length)
            if end > start:
                entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities)


# --- chats and messages ------------------------------------------------------------------------


@dataclass(slots=True)
class ChatMessage:
    """A message in a fake chat as it currently stands (edits applied)."""

    chat: dict[str, Any]
    message_id: int
    sender: dict[str, Any]
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None
    reply_markup: dict[str, Any] | None = None
    document: dict[str, Any] | None = None
    reply_to: ChatMessage | None = None
    #: A forwarded message's MessageOrigin (user, hidden_user, chat or channel).
    forward_origin: dict[str, Any] | None = None
    edit_date: int | None = None
    deleted: bool = False

    @property
    def chat_id(self) -> int:
        """The chat this message is in."""
        chat_id: int = self.chat["id"]
        return chat_id

    @property
    def from_bot(self) -> bool:
        """Whether the bot sent it."""
        return bool(self.sender.get("is_bot"))

    @property
    def buttons(self) -> list[list[dict[str, Any]]]:
        """The inline keyboard's rows of InlineKeyboardButton objects (empty if none)."""
        if self.reply_markup is None:
            return []
        rows: list[list[dict[str, Any]]] = self.reply_markup.get("inline_keyboard", [])
        return rows

    def button_data(self, label: str) -> str:
        """The callback_data of the button whose text is ``label`` (LookupError if none)."""
        for row in self.buttons:
            for button in row:
                if button.get("text") == label and "callback_data" in button:
                    data: str = button["callback_data"]
                    return data
        raise LookupError(f"no callback button {label!r} on message {self.message_id}")

    def to_json(self) -> dict[str, Any]:
        """The Message object Telegram would send for it."""
        body: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        key = "caption" if self.document is not None else "text"
        if self.text is not None:
            body[key] = self.text
        if self.entities:
            body[f"{key}_entities" if key == "caption" else "entities"] = self.entities
        if self.document is not None:
            body["document"] = self.document
        if self.reply_markup is not None:
            body["reply_markup"] = self.reply_markup
        if self.edit_date is not None:
            body["edit_date"] = self.edit_date
        if self.reply_to is not None:
            body["reply_to_message"] = self.reply_to.to_json()
        if self.forward_origin is not None:
            body["forward_origin"] = self.forward_origin
        if (
            self.text is not None
            and self.text.startswith("/")
            and self.document is None
            and not self.from_bot
        ):
            command = self.text.split(maxsplit=1)[0]
            body.setdefault("entities", [])
            body["entities"] = [
                {"type": "bot_command", "offset": 0, "length": utf16_len(command)},
                *body["entities"],
            ]
        return body


@dataclass(slots=True)
class _Chat:
    json: dict[str, Any]
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False


@dataclass(slots=True)
class _StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None


@dataclass(slots=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None


# --- HTTP ------------------------------------------------------------------------------------

_REASONS: Final = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    409: "Conflict",
    413: "Request Entity Too Large",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    502: "Bad Gateway",
}
_API_PATH = re.compile(r"^/bot([^/]+)/([A-Za-z]+)/?$")
_FILE_PATH = re.compile(r"^/file/bot([^/]+)/(.+)$")
_TOKEN_SHAPE = re.compile(r"^\d{1,20}:[A-Za-z0-9_\-]{1,200}$")
_MAX_HEADER_BYTES = 64 * 1024


class _HttpError(Exception):
    """A request the HTTP layer cannot read."""


@dataclass(frozen=True, slots=True)
class _Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


def _http_response(
    status: int,
    body: bytes,
    *,
    content_type: str = "application/json",
    keep_alive: bool = True,
) -> bytes:
    head = (
        f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode("ascii") + body


def _json_response(status: int, payload: Mapping[str, Any]) -> bytes:
    return _http_response(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def _read_request(buffer: bytearray) -> _Request | None:
    """Take one complete request off the front of ``buffer``; None if it is not all there."""
    head_end = buffer.find(b"\r\n\r\n")
    if head_end < 0:
        if len(buffer) > _MAX_HEADER_BYTES:
            raise _HttpError("request head too large")
        return None
    lines = bytes(buffer[:head_end]).decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError:
        raise _HttpError("malformed request line") from None
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    start = head_end + 4
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = _read_chunked(buffer, start)
        if chunks is None:
            return None
        body, consumed = chunks
    else:
        try:
            length = int(headers.get("content-length", "0"))
        except ValueError:
            raise _HttpError("bad Content-Length") from None
        if len(buffer) < start + length:
            return None
        body, consumed = bytes(buffer[start : start + length]), start + length
    del buffer[:consumed]
    connection = headers.get("connection", "").lower()
    keep_alive = version == "HTTP/1.1" and connection != "close"
    return _Request(method.upper(), target, headers, body, keep_alive)


def _read_chunked(buffer: bytearray, start: int) -> tuple[bytes, int] | None:
    body = bytearray()
    position = start
    while True:
        line_end = buffer.find(b"\r\n", position)
        if line_end < 0:
            return None
        try:
            size = int(bytes(buffer[position:line_end]).split(b";")[0], 16)
        except ValueError:
            raise _HttpError("bad chunk size") from None
        chunk_start = line_end + 2
        if size == 0:
            trailer_end = buffer.find(b"\r\n\r\n", line_end)
            if trailer_end < 0:
                return None
            return bytes(body), trailer_end + 4
        if len(buffer) < chunk_start + size + 2:
            return None
        body += buffer[chunk_start : chunk_start + size]
        position = chunk_start + size + 2


def _media_type(request: _Request) -> str:
    """The Content-Type without its parameters, lower-cased ("" when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


def _decode_params(request: _Request, query: str) -> dict[str, Any]:
    """Parameters from the query string and a form, multipart or JSON body."""
    raw: dict[str, Any] = dict(urllib.parse.parse_qsl(query, keep_blank_values=True))
    content_type = request.headers.get("content-type", "")
    media_type = _media_type(request)
    if request.body and media_type == "application/json":
        params = {k: _decode_value(k, v) for k, v in raw.items()}
        params.update(_decode_json_body(request.body))
        return params
    if request.body and media_type == "multipart/form-data":
        raw.update(_parse_multipart(request.body, content_type))
    elif request.body:
        raw.update(urllib.parse.parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    params = {k: _decode_value(k, v) for k, v in raw.items()}
    for key, value in list(params.items()):
        # PTB refers to an uploaded part as "attach://<part name>" when it is not the field.
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.get(value.removeprefix("attach://"), value)
    return params


def _decode_value(key: str, value: Any) -> Any:
    if not isinstance(value, str) or key in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _decode_json_body(body: bytes) -> dict[str, Any]:
    """A JSON body's parameters, read the way Telegram reads them.

    Telegram's HTTP reader (tdlib's ``HttpReader::parse_json_parameters``) keeps a string
    field as its text and any other field as its JSON source, then parses each parameter
    as it would a form field. So a JSON body means exactly what the same form would: a
    string parameter sent as a number is that number's digits; an object sent as a
    string of JSON (``"reply_markup": "{...}"``) is still that object.
    """
    payload = json.loads(body)
    if not isinstance(payload, dict):
        raise ValueError("the JSON body is not an object")
    params: dict[str, Any] = {}
    for key, value in payload.items():
        if isinstance(value, str):
            params[key] = _decode_value(key, value)
        elif key in _STRING_PARAMS:
            params[key] = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        else:
            params[key] = value  # what _decode_value makes of its JSON source
    return params


_DISPOSITION_PARAM = re.compile(r';\s*([A-Za-z*]+)="((?:[^"\\]|\\.)*)"')


def _parse_multipart(body: bytes, content_type: str) -> dict[str, Any]:
    match = re.search(r'boundary="?([^";]+)"?', content_type)
    if match is None:
        raise ValueError("multipart body without a boundary")
    delimiter = b"--" + match.group(1).encode("latin-1")
    fields: dict[str, Any] = {}
    for part in body.split(delimiter)[1:]:
        if part.startswith(b"--"):
            break
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        content = content.removesuffix(b"\r\n")
        headers: dict[str, str] = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        disposition = dict(_DISPOSITION_PARAM.findall(headers.get("content-disposition", "")))
        field_name = disposition.get("name")
        if field_name is None:
            continue
        if "filename" in disposition:
            fields[field_name] = UploadedFile(
                filename=disposition["filename"],
                content_type=headers.get("content-type", "application/octet-stream"),
                data=content,
            )
        else:
            fields[field_name] = content.decode("utf-8")
    return fields


class _Connection(asyncio.Protocol):
    """One client connection: requests are answered in order, one at a time."""

    def __init__(self, api: FakeBotApi) -> None:
        self._api = api
        self._buffer = bytearray()
        self._transport: asyncio.Transport | None = None
        self._busy: asyncio.Task[bytes] | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport
        self._api._connections.add(self)

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        if self._busy is None:
            self._process()

    def connection_lost(self, exc: Exception | None) -> None:
        self._api._connections.discard(self)
        if self._busy is not None:
            self._busy.cancel()
        if not self.closed.done():
            self.closed.set_result(None)

    async def pending(self) -> None:
        """Wait for the request being answered, if any (it is never cancelled here)."""
        if self._busy is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.shield(self._busy)

    def close(self) -> None:
        """Drop the connection (the server is stopping)."""
        if self._transport is not None:
            self._transport.close()

    def _process(self) -> None:
        while self._busy is None and self._transport is not None:
            if self._transport.is_closing():
                return
            try:
                request = _read_request(self._buffer)
            except _HttpError as exc:
                self._transport.write(_http_response(400, str(exc).encode(), keep_alive=False))
                self._transport.close()
                return
            if request is None:
                return
            answer = self._api._respond(request)
            if isinstance(answer, bytes):
                self._send(answer, request.keep_alive)
                continue
            self._busy = asyncio.ensure_future(answer)
            self._busy.add_done_callback(functools.partial(self._finished, request=request))

    def _finished(self, task: asyncio.Task[bytes], request: _Request) -> None:
        self._busy = None
        if task.cancelled() or self._transport is None or self._transport.is_closing():
            return
        self._send(task.result(), request.keep_alive)
        self._process()

    def _send(self, response: bytes, keep_alive: bool) -> None:
        assert self._transport is not None
        if not keep_alive:
            response = response.replace(b"Connection: keep-alive", b"Connection: close", 1)
        self._transport.write(response)
        if not keep_alive:
            self._transport.close()


# --- the server --------------------------------------------------------------------------------

_Handler = Callable[[dict[str, Any]], Any]


class FakeBotApi:
    """An in-memory Telegram Bot API on 127.0.0.1 that checks what Telegram checks.

    ``await api.start()`` (or ``async with api``) binds a free port; point PTB at
    :attr:`base_url`. Queue what users do with :meth:`user_message`, :meth:`press` and
    :meth:`inline_query`; read what the bot did in :attr:`sent` and :meth:`messages`.
    """

    def __init__(
        self,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_name: str = "FactBot",
        strict_html: bool = True,
        port: int = 0,
    ) -> None:
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.strict_html = strict_html
        #: Every call except getUpdates, in arrival order, with what the server answered.
        self.sent: list[ApiCall] = []
        #: How many getUpdates requests arrived (they are not recorded in :attr:`sent`).
        self.polls = 0
        self._port = port
        self._server: asyncio.Server | None = None
        self._connections: set[_Connection] = set()
        self._chats: dict[int, _Chat] = {}
        #: Each user's Telegram language_code in the updates they send ("en" unless set).
        self.user_languages: dict[int, str] = {}
        self._updates: list[tuple[int, str, dict[str, Any]]] = []
        self._update_ids = itertools.count(1)
        self._acknowledged = 0  # every update id <= this was confirmed by a getUpdates offset
        self._dropped: dict[int, str] = {}  # update id -> type, not delivered (allowed_updates)
        self._allowed_updates: frozenset[str] = _DEFAULT_UPDATE_TYPES
        self._poll_generation = 0
        self._waiting_polls = 0  # getUpdates requests blocked waiting for an update
        self._waiters: list[asyncio.Future[None]] = []  # observers: wait_for, wait_delivered...
        self._poll_waiters: list[asyncio.Future[None]] = []  # long polls waiting for updates
        self._failures: dict[str, list[_Failure]] = {}
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._inline_queries: dict[str, bool] = {}
        self._query_ids = itertools.count(1)
        self._files: dict[str, _StoredFile] = {}
        self._file_numbers = itertools.count(1)
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._webhook_url = ""
        self._bot_id = 0
        self._closing = False
        self._handlers: dict[str, tuple[str, _Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "logOut": self._true,
                "close": self._true,
                "deleteWebhook": self._delete_webhook,
                "setWebhook": self._set_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "setMyDescription": self._true,
                "setMyShortDescription": self._true,
                "setMyName": self._true,
                "setChatMenuButton": self._true,
                "getChat": self._get_chat,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "sendChatAction": self._send_chat_action,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                "sendDocument": self._send_document,
                "getFile": self._get_file,
            }.items()
        }

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on (after :meth:`start`)."""
        if self._server is None:
            raise RuntimeError("the fake Bot API is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """PTB's ``base_url``: the token and the method are appended to it."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """PTB's ``base_file_url`` for downloads of files the fake holds."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> None:
        """Listen on 127.0.0.1 (a free port unless one was given)."""
        loop = asyncio.get_running_loop()
        self._closing = False
        self._server = await loop.create_server(
            lambda: _Connection(self), host="127.0.0.1", port=self._port
        )
        self._port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Answer pending long polls, close every connection and the listening socket."""
        if self._server is None:
            return
        self._closing = True
        self._wake(polls=True)
        self._server.close()
        connections = list(self._connections)
        # Woken long polls answer "no updates" before their connection goes.
        await asyncio.gather(*(c.pending() for c in connections))
        for connection in connections:
            connection.close()
        await asyncio.gather(*(c.closed for c in connections))
        await self._server.wait_closed()
        self._server = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- what users do -------------------------------------------------------------------------

    def register_chat(
        self,
        chat_id: int,
        *,
        chat_type: str = "private",
        user_id: int | None = None,
        title: str | None = None,
    ) -> dict[str, Any]:
        """Make a chat known (users' first messages do this); returns its Chat JSON."""
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_type == "private":
                user = self._user_json(user_id if user_id is not None else chat_id)
                chat_json = {"id": chat_id, "type": "private", "first_name": user["first_name"]}
                if "username" in user:
                    chat_json["username"] = user["username"]
            else:
                chat_json = {"id": chat_id, "type": chat_type, "title": title or "Test group"}
            chat = self._chats[chat_id] = _Chat(chat_json)
        return chat.json

    def user_message(
        self,
        text: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to: ChatMessage | None = None,
        forward_origin: dict[str, Any] | None = None,
    ) -> int:
        """Queue a text message from a user (bot_command entity when it starts with "/");
        ``forward_origin`` (a MessageOrigin) makes it a forwarded message."""
        message = self._user_post(user_id, chat_id, chat_type, reply_to)
        message.text = text
        message.forward_origin = forward_origin
        return self._queue("message", message.to_json())

    def user_document(
        self,
        data: bytes,
        file_name: str,
        *,
        mime_type: str = "application/json",
        caption: str | None = None,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """Queue a message with a document from a user; the bot can getFile and download it."""
        message = self._user_post(user_id, chat_id, chat_type, None)
        stored = self._store_file(data, file_name)
        message.document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        message.text = caption
        return self._queue("message", message.to_json())

    def press(
        self, message: ChatMessage | Mapping[str, Any], data: str, *, user_id: int | None = None
    ) -> int:
        """Queue a callback_query: a user pressing the button with ``data`` on a bot message."""
        current = self._find_message(message)
        if current is None or current.deleted:
            raise LookupError("that message is not (or no longer) in the chat")
        offered = [b.get("callback_data") for row in current.buttons for b in row]
        if data not in offered:
            raise LookupError(f"message {current.message_id} has no button {data!r}: {offered}")
        if user_id is None:
            if current.chat["type"] != "private":
                raise ValueError("say which user presses a button in a group (user_id=...)")
            user_id = current.chat_id
        query_id = str(next(self._query_ids))
        self._callback_queries[query_id] = False
        return self._queue(
            "callback_query",
            {
                "id": query_id,
                "from": self._user_json(user_id),
                "message": current.to_json(),
                "chat_instance": str(current.chat_id),
                "data": data,
            },
        )

    def forged_press(
        self, message: ChatMessage | Mapping[str, Any], data: str, *, user_id: int | None = None
    ) -> int:
        """Queue a callback_query with ``data`` the message never offered (a forged or
        stale button: clients can send any data up to 64 bytes)."""
        current = self._find_message(message)
        if current is None:
            raise LookupError("that message is not in the chat")
        query_id = str(next(self._query_ids))
        self._callback_queries[query_id] = False
        return self._queue(
            "callback_query",
            {
                "id": query_id,
                "from": self._user_json(current.chat_id if user_id is None else user_id),
                "message": current.to_json(),
                "chat_instance": str(current.chat_id),
                "data": data,
            },
        )

    def inline_query(
        self,
        query: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        offset: str = "",
        chat_type: str = "sender",
    ) -> int:
        """Queue an inline query ``@bot <query>`` typed by a user."""
        query_id = str(next(self._query_ids))
        self._inline_queries[query_id] = False
        return self._queue(
            "inline_query",
            {
                "id": query_id,
                "from": self._user_json(user_id),
                "query": query,
                "offset": offset,
                "chat_type": chat_type,
            },
        )

    def raw_update(self, kind: str, payload: Any) -> int:
        """Queue an update of type ``kind`` exactly as given, however malformed (an older
        or newer Bot API's shape, a hostile server); returns its update id."""
        return self._queue(kind, payload)

    @property
    def allowed_updates(self) -> frozenset[str]:
        """The update types the bot last asked for (getUpdates / setWebhook)."""
        return self._allowed_updates

    def dropped(self) -> dict[int, str]:
        """Updates never delivered because the bot's allowed_updates leave them out."""
        return dict(self._dropped)

    # --- fault injection ---------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        status: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
    ) -> None:
        """Make the next call of ``method`` fail with this status (queue several to chain)."""
        if description is None:
            description = {
                400: "Bad Request: injected failure",
                403: "Forbidden: bot was blocked by the user",
                409: "Conflict: terminated by other getUpdates request",
                429: f"Too Many Requests: retry after {retry_after or 1}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, "Injected failure")
        if status == 429 and retry_after is None:
            retry_after = 1
        self._failures.setdefault(method.lower(), []).append(
            _Failure(status, description, retry_after)
        )

    def block_chat(self, chat_id: int, blocked: bool = True) -> None:
        """Make sends to this chat fail with 403 (the user blocked the bot), or undo it."""
        chat = self._chats.get(chat_id)
        if chat is None:
            self.register_chat(chat_id)
            chat = self._chats[chat_id]
        chat.blocked = blocked

    # --- what the bot did ----------------------------------------------------------------------

    def calls(
        self, method: str | Collection[str] | None = None, *, since: int = 0
    ) -> list[ApiCall]:
        """Recorded calls from index ``since`` on, of one method or several (all if None)."""
        wanted = {method} if isinstance(method, str) else method
        return [c for c in self.sent[since:] if wanted is None or c.method in wanted]

    async def wait_for(
        self,
        method: str | Collection[str],
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - the timeout error says what never came
        *,
        since: int = 0,
    ) -> list[ApiCall]:
        """Wait until ``count`` calls of ``method`` are recorded (from ``since``); returns them."""
        await self._wait_until(
            lambda: len(self.calls(method, since=since)) >= count,
            timeout,
            lambda: f"{count} call(s) of {method}; saw {[c.method for c in self.sent[since:]]}",
        )
        return self.calls(method, since=since)

    def messages(self, chat_id: int, *, include_user: bool = False) -> list[ChatMessage]:
        """The chat's messages as they stand now (edits applied, deleted ones left out)."""
        chat = self._chats.get(chat_id)
        if chat is None:
            return []
        return [m for m in chat.messages.values() if not m.deleted and (include_user or m.from_bot)]

    def commands(
        self, scope: Mapping[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, Any]]:
        """The command menu set with setMyCommands for a scope and language."""
        return list(self._commands.get(self._commands_key(scope, language_code), []))

    def unanswered_callback_queries(self) -> list[str]:
        """Ids of callback queries the bot never answered (the user's button keeps spinning)."""
        return [query for query, answered in self._callback_queries.items() if not answered]

    def file_data(self, file_id: str) -> bytes | None:
        """The bytes of a file the fake holds (uploads by the bot or users)."""
        stored = self._files.get(file_id)
        return None if stored is None else stored.data

    async def wait_delivered(self, update_id: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot confirmed ``update_id`` (a later getUpdates offset passed it).

        PTB asks for the next batch only after queueing the previous one, so from then on
        the update is in the application's update queue.
        """
        await self._wait_until(
            lambda: self._acknowledged >= update_id or update_id in self._dropped,
            timeout,
            lambda: f"the bot to fetch update {update_id} (polls so far: {self.polls})",
        )
        if update_id in self._dropped:
            raise LookupError(
                f"update {update_id} ({self._dropped[update_id]}) was not delivered: the bot's "
                f"allowed_updates {sorted(self._allowed_updates)} leave it out"
            )

    async def wait_polling(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a getUpdates request is blocked waiting for updates."""
        await self._wait_until(
            lambda: self._waiting_polls > 0,
            timeout,
            lambda: f"a waiting getUpdates (polls so far: {self.polls})",
        )

    async def _wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float,  # noqa: ASYNC109 - one deadline across several waits
        describe: Callable[[], str],
    ) -> None:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"waited {timeout:g} s for {describe()}")
            waiter = loop.create_future()
            self._waiters.append(waiter)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(remaining):
                    await waiter

    def _wake(self, *, polls: bool = False) -> None:
        """Let observers re-check their condition (and long polls, when updates changed)."""
        waiters, self._waiters = self._waiters, []
        if polls:
            waiters += self._poll_waiters
            self._poll_waiters = []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # --- request handling ----------------------------------------------------------------------

    def _respond(self, request: _Request) -> bytes | Coroutine[Any, Any, bytes]:
        target, _, query = request.target.partition("?")
        path = urllib.parse.unquote(target)
        if request.method == "GET" and path.startswith("/file/"):
            return self._download(path)
        match = _API_PATH.match(path)
        if match is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        token, method = match.groups()
        if not _TOKEN_SHAPE.match(token):
            return _json_response(
                401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
            )
        self._bot_id = int(token.split(":", 1)[0])
        try:
            params = _decode_params(request, query)
        except (ValueError, UnicodeDecodeError) as exc:
            return _json_response(400, _bad_request(f"can't parse request: {exc}").to_json())
        if method.lower() == "getupdates":
            return self._long_poll(params)
        media_type = _media_type(request)
        entry = self._handlers.get(method.lower())
        if entry is None:
            error = ApiError(404, f"Not Found: method {method} is not implemented by the fake")
            self._record(ApiCall(method, params, error=error, media_type=media_type))
            return _json_response(404, error.to_json())
        name, handler = entry
        return self._answer(name, handler, params, media_type)

    def _answer(
        self, name: str, handler: _Handler, params: dict[str, Any], media_type: str
    ) -> bytes:
        try:
            self._injected_failure(name)
            result = handler(params)
        except ApiError as error:
            self._record(ApiCall(name, params, error=error, media_type=media_type))
            return _json_response(error.status, error.to_json())
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            invalid = _bad_request(f"invalid parameters for {name}: {exc!r}")
            self._record(ApiCall(name, params, error=invalid, media_type=media_type))
            return _json_response(400, invalid.to_json())
        self._record(ApiCall(name, params, result=result, media_type=media_type))
        return _json_response(200, {"ok": True, "result": result})

    def _record(self, call: ApiCall) -> None:
        self.sent.append(call)
        self._wake()

    def _injected_failure(self, method: str) -> None:
        queued = self._failures.get(method.lower())
        if queued:
            failure = queued.pop(0)
            raise ApiError(failure.status, failure.description, retry_after=failure.retry_after)

    async def _long_poll(self, params: dict[str, Any]) -> bytes:
        self.polls += 1
        try:
            self._injected_failure("getUpdates")
            if self._webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            offset = int(params.get("offset") or 0)
            limit = min(max(int(params.get("limit") or 100), 1), 100)
            timeout = max(float(params.get("timeout") or 0), 0.0)
            allowed = params.get("allowed_updates")
        except ApiError as error:
            return _json_response(error.status, error.to_json())
        except (TypeError, ValueError) as exc:
            return _json_response(
                400, _bad_request(f"invalid getUpdates parameters: {exc}").to_json()
            )
        if isinstance(allowed, list):
            # Telegram keeps the last list; an empty one means the default set.
            self._allowed_updates = frozenset(allowed) or _DEFAULT_UPDATE_TYPES
        if offset > 0:
            self._updates = [u for u in self._updates if u[0] >= offset]
            self._acknowledged = max(self._acknowledged, offset - 1)
        self._poll_generation += 1
        generation = self._poll_generation
        self._wake(polls=True)  # an older long poll is in conflict; wait_delivered may be met
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if generation != self._poll_generation:
                conflict = ApiError(
                    409,
                    "Conflict: terminated by other getUpdates request; make sure that only "
                    "one bot instance is running",
                )
                return _json_response(409, conflict.to_json())
            ready = self._deliverable(limit)
            remaining = deadline - loop.time()
            if ready or remaining <= 0 or self._closing:
                return _json_response(200, {"ok": True, "result": ready})
            self._waiting_polls += 1
            self._wake()
            waiter = loop.create_future()
            self._poll_waiters.append(waiter)
            try:
                async with asyncio.timeout(remaining):
                    await waiter
            except TimeoutError:
                pass
            finally:
                self._waiting_polls -= 1

    def _deliverable(self, limit: int) -> list[dict[str, Any]]:
        ready: list[dict[str, Any]] = []
        kept: list[tuple[int, str, dict[str, Any]]] = []
        for update_id, kind, update in self._updates:
            if kind not in self._allowed_updates:
                self._dropped[update_id] = kind
                continue
            kept.append((update_id, kind, update))
            if len(ready) < limit:
                ready.append(update)
        if len(kept) != len(self._updates):
            self._updates = kept
            self._wake()
        return ready

    def _queue(self, kind: str, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        self._updates.append((update_id, kind, {"update_id": update_id, kind: payload}))
        self._wake(polls=True)
        return update_id

    def _download(self, path: str) -> bytes:
        match = _FILE_PATH.match(path)
        stored = None
        if match and _TOKEN_SHAPE.match(match.group(1)):
            stored = next((f for f in self._files.values() if f.file_path == match.group(2)), None)
        if stored is None or stored.data is None:
            return _json_response(404, {"ok": False, "error_code": 404, "description": "Not Found"})
        return _http_response(200, stored.data, content_type="application/octet-stream")

    # --- helpers for the methods -----------------------------------------------------------------

    def _user_json(self, user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "username": f"user{user_id}",
            "language_code": self.user_languages.get(user_id, "en"),
        }

    def _bot_json(self) -> dict[str, Any]:
        return {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def _user_post(
        self, user_id: int, chat_id: int | None, chat_type: str, reply_to: ChatMessage | None
    ) -> ChatMessage:
        if chat_id is None:
            chat_id = user_id if chat_type == "private" else -1_000_000 - user_id
        chat_json = self.register_chat(chat_id, chat_type=chat_type, user_id=user_id)
        chat = self._chats[chat_id]
        message = ChatMessage(
            chat=chat_json,
            message_id=chat.next_message_id,
            sender=self._user_json(user_id),
            date=int(time.time()),
            reply_to=reply_to,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        return message

    def _find_message(self, message: ChatMessage | Mapping[str, Any]) -> ChatMessage | None:
        if isinstance(message, ChatMessage):
            chat_id, message_id = message.chat_id, message.message_id
        else:
            chat_id, message_id = message["chat"]["id"], message["message_id"]
        chat = self._chats.get(chat_id)
        return None if chat is None else chat.messages.get(message_id)

    def _target_chat(self, params: Mapping[str, Any]) -> _Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise _bad_request("chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise _bad_request("chat not found")
        if chat.blocked:
            if chat.json["type"] == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return chat

    def _target_message(self, params: Mapping[str, Any], missing: str) -> ChatMessage:
        chat = self._target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise _bad_request("message identifier is not specified")
        message = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if message is None or message.deleted:
            raise _bad_request(missing)
        return message

    def _parse_text(
        self,
        text: Any,
        parse_mode: Any,
        entities: Any,
        *,
        limit: int,
        caption: bool = False,
    ) -> ParsedText:
        if text is None or text == "":
            if caption:
                return ParsedText("", [])
            raise _bad_request("message text is empty")
        if not isinstance(text, str):
            text = str(text)
        mode = (parse_mode or "").lower() if isinstance(parse_mode, str) else ""
        if mode == "html":
            try:
                parsed = parse_html(text, strict=self.strict_html)
            except HtmlError as exc:
                raise _bad_request(f"can't parse entities: {exc}") from None
        elif mode:
            raise _bad_request(
                f"unsupported parse_mode {parse_mode!r} in the fake server (this bot uses HTML)"
            )
        else:
            given = entities if isinstance(entities, list) else []
            parsed = ParsedText(text, [dict(e) for e in given])
        parsed = _strip_text(parsed)
        if not parsed.text and not caption:
            raise _bad_request("message text is empty")
        if utf16_len(parsed.text) > limit:
            raise _bad_request("message caption is too long" if caption else "message is too long")
        return parsed

    def _message_text(self, params: Mapping[str, Any]) -> ParsedText:
        """sendMessage/editMessageText's text, parsed and checked."""
        return self._parse_text(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT_LENGTH,
        )

    def _new_bot_message(
        self, chat: _Chat, parsed: ParsedText, source: str | None, params: Mapping[str, Any]
    ) -> ChatMessage:
        reply_to = None
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            reply_to = chat.messages.get(reply["message_id"])
            if reply_to is None and not reply.get("allow_sending_without_reply"):
                raise _bad_request("message to be replied not found")
        message = ChatMessage(
            chat=chat.json,
            message_id=chat.next_message_id,
            sender=self._bot_json(),
            date=int(time.time()),
            text=parsed.text or None,
            entities=parsed.entities,
            source=source,
            reply_markup=_inline_markup(_check_reply_markup(params.get("reply_markup"))),
            reply_to=reply_to,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        return message

    def _store_file(self, data: bytes | None, file_name: str) -> _StoredFile:
        number = next(self._file_numbers)
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = _StoredFile(
            file_id=f"FAKE-DOC-{number:06d}",
            file_unique_id=f"fake{number:06d}",
            file_path=f"documents/file_{number}.{suffix}",
            data=data,
        )
        self._files[stored.file_id] = stored
        return stored

    @staticmethod
    def _commands_key(scope: Any, language_code: Any) -> str:
        scope_json = json.dumps(scope or {"type": "default"}, sort_keys=True)
        return f"{scope_json}|{language_code or ''}"

    # --- the methods -----------------------------------------------------------------------------

    def _true(self, params: dict[str, Any]) -> bool:
        return True

    def _get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self._bot_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: dict[str, Any]) -> bool:
        self._webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if url and not url.startswith("https://"):
            raise _bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook_url = url
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) or _DEFAULT_UPDATE_TYPES
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise _bad_request("can't parse commands JSON object")
        if len(commands) > MAX_COMMANDS:
            raise _bad_request("too many commands specified")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            description = command.get("description", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(name)):
                raise _bad_request("BOT_COMMAND_INVALID")
            if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
                raise _bad_request("command description must be 1-256 characters long")
        names = [c["command"] for c in commands]
        if len(set(names)) != len(names):
            raise _bad_request("command names must be unique")
        key = self._commands_key(params.get("scope"), params.get("language_code"))
        self._commands[key] = [dict(c) for c in commands]
        return True

    def _get_my_commands(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands(params.get("scope"), params.get("language_code") or "")

    def _delete_my_commands(self, params: dict[str, Any]) -> bool:
        self._commands.pop(
            self._commands_key(params.get("scope"), params.get("language_code")), None
        )
        return True

    def _get_chat(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        return {
            **chat.json,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
            },
        }

    def _send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        parsed = self._message_text(params)
        return self._new_bot_message(chat, parsed, params.get("text"), params).to_json()

    def _edit_message_text(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        if params.get("inline_message_id"):
            self._message_text(params)
            _check_reply_markup(params.get("reply_markup"))
            return True
        message = self._target_message(params, "message to edit not found")
        if not message.from_bot:
            raise _bad_request("message can't be edited")
        if message.document is not None:
            raise _bad_request("there is no text in the message to edit")
        parsed = self._message_text(params)
        # Without reply_markup Telegram removes the keyboard, so that is part of the edit.
        markup = _inline_markup(_check_reply_markup(params.get("reply_markup")))
        if (parsed.text, parsed.entities, markup) == (
            message.text,
            message.entities,
            message.reply_markup,
        ):
            raise _bad_request(_NOT_MODIFIED)
        message.text, message.entities, message.source = (
            parsed.text,
            parsed.entities,
            params.get("text"),
        )
        message.reply_markup = markup
        message.edit_date = int(time.time())
        return message.to_json()

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        markup = _inline_markup(_check_reply_markup(params.get("reply_markup")))
        if params.get("inline_message_id"):
            return True
        message = self._target_message(params, "message to edit not found")
        if not message.from_bot:
            raise _bad_request("message can't be edited")
        if markup == message.reply_markup:
            raise _bad_request(_NOT_MODIFIED)
        message.reply_markup = markup
        message.edit_date = int(time.time())
        return message.to_json()

    def _delete_message(self, params: dict[str, Any]) -> bool:
        message = self._target_message(params, "message to delete not found")
        message.deleted = True
        return True

    def _send_chat_action(self, params: dict[str, Any]) -> bool:
        self._target_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise _bad_request("wrong parameter action in request")
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if self._callback_queries.get(str(query_id)) is not False:
            raise _bad_request(_QUERY_INVALID)
        text = params.get("text")
        if isinstance(text, str) and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise _bad_request("MESSAGE_TOO_LONG")
        self._callback_queries[str(query_id)] = True
        return True

    def _answer_inline_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id"))
        if self._inline_queries.get(query_id) is not False:
            raise _bad_request(_QUERY_INVALID)
        results = params.get("results")
        if not isinstance(results, list):
            raise _bad_request("can't parse inline query results JSON object")
        if len(results) > MAX_INLINE_RESULTS:
            raise _bad_request("RESULTS_TOO_MUCH")
        seen: set[str] = set()
        for result in results:
            if not isinstance(result, dict):
                raise _bad_request("can't parse inline query result JSON object")
            result_id = result.get("id")
            if not isinstance(result_id, str) or not (
                1 <= len(result_id.encode("utf-8")) <= MAX_INLINE_RESULT_ID_BYTES
            ):
                raise _bad_request("RESULT_ID_INVALID")
            if result_id in seen:
                raise _bad_request("RESULT_ID_DUPLICATE")
            seen.add(result_id)
            if result.get("type") not in _INLINE_RESULT_TYPES:
                raise _bad_request("RESULT_TYPE_INVALID")
            if result["type"] == "article":
                if not str(result.get("title") or "").strip():
                    raise _bad_request("can't parse InlineQueryResultArticle: title is empty")
                if not isinstance(result.get("input_message_content"), dict):
                    raise _bad_request("MESSAGE_EMPTY")
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                self._parse_text(
                    content["message_text"],
                    content.get("parse_mode"),
                    content.get("entities"),
                    limit=MAX_TEXT_LENGTH,
                )
            _check_reply_markup(result.get("reply_markup"), inline_only=True)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode("utf-8")) > 64:
            raise _bad_request("NEXT_OFFSET_INVALID")
        self._inline_queries[query_id] = True
        return True

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        document = params.get("document")
        if isinstance(document, UploadedFile):
            if not document.data:
                raise _bad_request("file must be non-empty")
            if len(document.data) > MAX_UPLOAD_BYTES:
                raise ApiError(413, "Request Entity Too Large")
            stored = self._store_file(document.data, document.filename)
            file_json = {
                "file_name": document.filename,
                "mime_type": document.content_type,
                "file_size": len(document.data),
            }
        elif isinstance(document, str) and document in self._files:
            stored = self._files[document]
            file_json = {"file_size": len(stored.data or b"")}
        elif isinstance(document, str) and document.startswith(("http://", "https://")):
            stored = self._store_file(None, document.rsplit("/", 1)[-1])
            file_json = {}
        else:
            raise _bad_request("wrong file identifier/HTTP URL specified")
        parsed = self._parse_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            caption=True,
        )
        message = self._new_bot_message(chat, parsed, params.get("caption"), params)
        message.document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            **file_json,
        }
        return message.to_json()

    def _get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self._files.get(str(params.get("file_id")))
        if stored is None:
            raise _bad_request("invalid file_id")
        body: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            body["file_size"] = len(stored.data)
        return body


def _check_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a reply_markup object like Telegram; returns it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise _bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request(
                'can\'t parse inline keyboard button: field "inline_keyboard" of the '
                "InlineKeyboardMarkup should be an Array of Arrays"
            )
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise _bad_request("reply markup is too long")
        for row in rows:
            for button in row:
                _check_inline_button(button)
        return markup
    if inline_only:
        raise _bad_request("can't parse inline keyboard markup JSON object")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad_request("can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not isinstance(label, str) or not label:
                    raise _bad_request("can't parse keyboard button: Text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise _bad_request("can't parse reply keyboard markup JSON object")


def _check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    label = button.get("text")
    if not isinstance(label, str) or not label.strip():
        raise _bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise _bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise _bad_request(f"can't parse inline keyboard button: more than one action {actions}")
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise _bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not (_LINK_URL.match(url) or _BARE_DOMAIN.match(url)):
            raise _bad_request(f"inline keyboard button URL {url!r} is invalid: Wrong HTTP URL")


def _inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a Message keeps of a reply_markup: only inline keyboards are part of it."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None


# --- driving a real Application ----------------------------------------------------------------


class HandlerError(AssertionError):
    """A handler raised while the driver waited for the bot's answer."""


class BotDriver:
    """Runs a real PTB ``Application`` polling a :class:`FakeBotApi` over HTTP.

    Each interaction queues an update and returns once the application has processed it:
    the fake sees PTB confirm the update (a later getUpdates offset), then the driver
    awaits ``application.update_queue.join()`` — no sleeps. Calls made by tasks a handler
    spawns (``block=False``, jobs) are not waited for.
    """

    def __init__(
        self,
        api: FakeBotApi,
        application: AnyApplication,
        *,
        timeout: float = 5.0,
        poll_timeout: int = 10,
        raise_errors: bool = True,
    ) -> None:
        self.api = api
        self.application = application
        self.timeout = timeout
        self.poll_timeout = poll_timeout
        #: Re-raise (as HandlerError) exceptions that reached the application's error handlers.
        self.raise_errors = raise_errors
        #: Every exception that reached the error handlers (handler errors and network errors).
        self.errors: list[BaseException] = []
        self._started = False

    async def start(self) -> None:
        """Initialise, run post_init, start polling with no interval, start the application."""
        from telegram import Update

        app = self.application
        app.add_error_handler(self._record_error)
        await app.initialize()
        try:
            if app.post_init is not None:
                await app.post_init(app)
            if app.updater is None:
                raise RuntimeError("the application has no updater to poll with")
            await app.updater.start_polling(
                poll_interval=0.0,
                timeout=self.poll_timeout,
                allowed_updates=Update.ALL_TYPES,
            )
            await app.start()
        except BaseException:
            await self._shutdown()
            raise
        self._started = True

    async def stop(self) -> None:
        """Stop polling and the application the way ``run_polling`` does on exit."""
        await self._shutdown()
        self._started = False

    async def _shutdown(self) -> None:
        app = self.application
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
        app.remove_error_handler(self._record_error)

    async def __aenter__(self) -> BotDriver:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def _record_error(self, update: object, context: Any) -> None:
        if context.error is not None:
            self.errors.append(context.error)

    async def settle(self, update_id: int) -> None:
        """Wait until the application has fetched and processed ``update_id`` (and all before)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout
        errors_before = len(self.errors)
        await self.api.wait_delivered(update_id, self.timeout)
        try:
            async with asyncio.timeout(max(deadline - loop.time(), 0.001)):
                await self.application.update_queue.join()
        except TimeoutError:
            raise TimeoutError(
                f"the application did not finish update {update_id} within {self.timeout:g} s"
            ) from None
        if self.raise_errors and len(self.errors) > errors_before:
            error = self.errors[errors_before]
            raise HandlerError(f"a handler raised {error!r}") from error

    async def _answer(self, queue: Callable[[], int]) -> list[ApiCall]:
        start = len(self.api.sent)
        await self.settle(queue())
        return [c for c in self.api.sent[start:] if c.method not in POLLING_METHODS]

    async def ask(
        self,
        text: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to: ChatMessage | None = None,
        forward_origin: dict[str, Any] | None = None,
    ) -> list[ApiCall]:
        """Send ``text`` as a user (as a reply to ``reply_to``, or forwarded from
        ``forward_origin``); returns the calls the bot made while handling it."""
        return await self._answer(
            lambda: self.api.user_message(
                text,
                user_id=user_id,
                chat_id=chat_id,
                chat_type=chat_type,
                reply_to=reply_to,
                forward_origin=forward_origin,
            )
        )

    async def press(
        self, message: ChatMessage | Mapping[str, Any], data: str, *, user_id: int | None = None
    ) -> list[ApiCall]:
        """Press the button with callback ``data`` on ``message``; returns the bot's calls."""
        return await self._answer(lambda: self.api.press(message, data, user_id=user_id))

    async def inline(
        self, query: str, *, user_id: int = DEFAULT_USER_ID, offset: str = ""
    ) -> list[ApiCall]:
        """Type ``@bot query`` as a user; returns the bot's calls (its answerInlineQuery)."""
        return await self._answer(
            lambda: self.api.inline_query(query, user_id=user_id, offset=offset)
        )

    async def send_document(
        self,
        data: bytes,
        file_name: str,
        *,
        user_id: int = DEFAULT_USER_ID,
        caption: str | None = None,
    ) -> list[ApiCall]:
        """Send a document as a user; returns the bot's calls."""
        return await self._answer(
            lambda: self.api.user_document(data, file_name, user_id=user_id, caption=caption)
        )


def texts(calls: Iterable[ApiCall]) -> list[str]:
    """The text (or caption) of each successful send or edit among ``calls``."""
    return [c.text for c in calls if c.ok and c.text is not None]


def echo_application(
    api: FakeBotApi, token: str = "123456:ECHO-not-a-real-token", *, json_bodies: bool = False
) -> Any:
    """A bare PTB echo bot on the fake server: the baseline for harness tests and the bench.
    ``json_bodies`` sends its calls through factbot's transport (JSON over aiohttp)."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None and update.effective_message.text:
            await update.effective_message.reply_text(update.effective_message.text)

    builder = ApplicationBuilder().token(token).base_url(api.base_url)
    if json_bodies:
        from bot.transport import JsonRequest

        builder = builder.request(JsonRequest(connection_pool_size=256))
        builder = builder.get_updates_request(JsonRequest())
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application
