"""What the fake Bot API records and answers: calls, errors, uploaded files, messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from bot.fakeapi.html import utf16_len

DEFAULT_BOT_USERNAME: Final = "factbot_test_bot"
DEFAULT_USER_ID: Final = 1001

#: Methods that are polling mechanics rather than the bot talking to users.
POLLING_METHODS: Final = frozenset({"getUpdates", "getMe", "deleteWebhook", "close", "logOut"})


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


def bad_request(detail: str) -> ApiError:
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
