"""The Bot API methods the fake implements, with the checks Telegram makes.

:meth:`BotApiMethods.call` answers one method call with Telegram's HTTP status and JSON
(and records it in :attr:`~bot.fakeapi.state.BotApiState.sent`);
:meth:`BotApiMethods.get_updates` is the long poll. Errors have Telegram's wording, so PTB
raises the exceptions it would raise in production.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from bot.fakeapi.checks import (
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    check_commands,
    check_inline_results,
    check_reply_markup,
    inline_markup,
    parse_text,
)
from bot.fakeapi.html import ParsedText, utf16_len
from bot.fakeapi.records import ApiCall, ApiError, ChatMessage, UploadedFile, bad_request
from bot.fakeapi.state import BotApiState, Chat

MAX_CALLBACK_ANSWER_LENGTH: Final = 200
MAX_UPLOAD_BYTES: Final = 50 * 1024 * 1024

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
_QUERY_INVALID: Final = "query is too old and response timeout expired or query ID is invalid"
_NOT_MODIFIED: Final = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


_Handler = Callable[[dict[str, Any]], Any]
#: Telegram's answer to a parameter that is not valid UTF-8 (a lone UTF-16 surrogate sent as
#: a JSON escape, or bytes that are not UTF-8 in a form).
NOT_UTF8: Final = "strings must be encoded in UTF-8"


def _valid_unicode(value: Any) -> bool:
    """Whether every string in ``value`` (and its lists and objects) is valid UTF-8: no lone
    surrogate (Python keeps one from a JSON escape such as ``\\ud800``)."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_valid_unicode(k) and _valid_unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_valid_unicode(v) for v in value)
    return True


class BotApiMethods(BotApiState):
    """The fake Bot API's state answering the bot's method calls (no HTTP: see the server)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
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

    # --- answering a call ----------------------------------------------------------------------

    def call(
        self, method: str, params: dict[str, Any], media_type: str = ""
    ) -> tuple[int, dict[str, Any]]:
        """Answer a call of ``method`` (any case, as Telegram): the HTTP status and Telegram's
        JSON answer. The call is recorded in :attr:`sent`, with the body's ``media_type``."""
        entry = self._handlers.get(method.lower())
        if entry is None:
            error = ApiError(404, f"Not Found: method {method} is not implemented by the fake")
            self._record(ApiCall(method, params, error=error, media_type=media_type))
            return error.status, error.to_json()
        name, handler = entry
        try:
            self._injected_failure(name)
            if not _valid_unicode(params):
                raise bad_request(NOT_UTF8)
            result = handler(params)
        except ApiError as error:
            self._record(ApiCall(name, params, error=error, media_type=media_type))
            return error.status, error.to_json()
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            invalid = bad_request(f"invalid parameters for {name}: {exc!r}")
            self._record(ApiCall(name, params, error=invalid, media_type=media_type))
            return invalid.status, invalid.to_json()
        self._record(ApiCall(name, params, result=result, media_type=media_type))
        return 200, {"ok": True, "result": result}

    async def get_updates(self, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """getUpdates, the long poll (counted in :attr:`polls`, not recorded in :attr:`sent`)."""
        self.polls += 1
        try:
            self._injected_failure("getUpdates")
            if self._webhook_url:
                raise ApiError(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; "
                    "use deleteWebhook to delete the webhook first",
                )
            result = await self.updates.get_updates(params)
        except ApiError as error:
            return error.status, error.to_json()
        except (TypeError, ValueError) as exc:
            return 400, bad_request(f"invalid getUpdates parameters: {exc}").to_json()
        return 200, {"ok": True, "result": result}

    def _record(self, call: ApiCall) -> None:
        self.sent.append(call)
        self._wake()

    def _injected_failure(self, method: str) -> None:
        queued = self._failures.get(method.lower())
        if queued:
            failure = queued.pop(0)
            raise ApiError(failure.status, failure.description, retry_after=failure.retry_after)

    # --- what the methods share ----------------------------------------------------------------

    def _target_chat(self, params: Mapping[str, Any]) -> Chat:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise bad_request("chat not found")
        if chat.blocked:
            if chat.json["type"] == "private":
                raise ApiError(403, "Forbidden: bot was blocked by the user")
            raise ApiError(403, "Forbidden: bot was kicked from the group chat")
        return chat

    def _target_message(self, params: Mapping[str, Any], missing: str) -> ChatMessage:
        chat = self._target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = chat.messages.get(message_id) if isinstance(message_id, int) else None
        if message is None or message.deleted:
            raise bad_request(missing)
        return message

    def _message_text(self, params: Mapping[str, Any]) -> ParsedText:
        """sendMessage/editMessageText's text, parsed and checked."""
        return parse_text(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            limit=MAX_TEXT_LENGTH,
            strict=self.strict_html,
        )

    def _new_bot_message(
        self, chat: Chat, parsed: ParsedText, source: str | None, params: Mapping[str, Any]
    ) -> ChatMessage:
        reply_to = None
        reply = params.get("reply_parameters")
        if isinstance(reply, dict) and "message_id" in reply:
            reply_to = chat.messages.get(reply["message_id"])
            if reply_to is None and not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        message = ChatMessage(
            chat=chat.json,
            message_id=chat.next_message_id,
            sender=self._bot_json(),
            date=int(time.time()),
            text=parsed.text or None,
            entities=parsed.entities,
            source=source,
            reply_markup=inline_markup(check_reply_markup(params.get("reply_markup"))),
            reply_to=reply_to,
        )
        chat.next_message_id += 1
        chat.messages[message.message_id] = message
        return message

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
            self.updates.clear()
        return True

    def _set_webhook(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        self._webhook_url = url
        self.updates.allow(params.get("allowed_updates"))
        return True

    def _get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": self._webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }

    def _set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = check_commands(params.get("commands"))
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
            check_reply_markup(params.get("reply_markup"))
            return True
        message = self._target_message(params, "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if message.document is not None:
            raise bad_request("there is no text in the message to edit")
        parsed = self._message_text(params)
        # Without reply_markup Telegram removes the keyboard, so that is part of the edit.
        markup = inline_markup(check_reply_markup(params.get("reply_markup")))
        if (parsed.text, parsed.entities, markup) == (
            message.text,
            message.entities,
            message.reply_markup,
        ):
            raise bad_request(_NOT_MODIFIED)
        message.text, message.entities, message.source = (
            parsed.text,
            parsed.entities,
            params.get("text"),
        )
        message.reply_markup = markup
        message.edit_date = int(time.time())
        return message.to_json()

    def _edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any] | bool:
        markup = inline_markup(check_reply_markup(params.get("reply_markup")))
        if params.get("inline_message_id"):
            return True
        message = self._target_message(params, "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        if markup == message.reply_markup:
            raise bad_request(_NOT_MODIFIED)
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
            raise bad_request("wrong parameter action in request")
        return True

    def _answer_callback_query(self, params: dict[str, Any]) -> bool:
        query_id = params.get("callback_query_id")
        if self._callback_queries.get(str(query_id)) is not False:
            raise bad_request(_QUERY_INVALID)
        text = params.get("text")
        if isinstance(text, str) and utf16_len(text) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        self._callback_queries[str(query_id)] = True
        return True

    def _answer_inline_query(self, params: dict[str, Any]) -> bool:
        query_id = str(params.get("inline_query_id"))
        if self._inline_queries.get(query_id) is not False:
            raise bad_request(_QUERY_INVALID)
        check_inline_results(params.get("results"), strict=self.strict_html)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(str(next_offset).encode("utf-8")) > 64:
            raise bad_request("NEXT_OFFSET_INVALID")
        self._inline_queries[query_id] = True
        return True

    def _send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._target_chat(params)
        document = params.get("document")
        if isinstance(document, UploadedFile):
            if not document.data:
                raise bad_request("file must be non-empty")
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
            raise bad_request("wrong file identifier/HTTP URL specified")
        parsed = parse_text(
            params.get("caption"),
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=MAX_CAPTION_LENGTH,
            strict=self.strict_html,
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
            raise bad_request("invalid file_id")
        body: dict[str, Any] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_path": stored.file_path,
        }
        if stored.data is not None:
            body["file_size"] = len(stored.data)
        return body
