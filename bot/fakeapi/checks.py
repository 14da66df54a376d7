"""Telegram's checks of what a bot sends, as functions of the parameters alone: texts,
reply markup (keyboards, buttons, callback data, URLs), inline results, the command menu."""

from __future__ import annotations

import re
from typing import Any, Final

from bot.fakeapi.html import HtmlError, ParsedText, is_link_url, parse_html, strip_text, utf16_len
from bot.fakeapi.records import bad_request

MAX_CALLBACK_DATA_BYTES: Final = 64
MAX_INLINE_BUTTONS: Final = 100
MAX_TEXT_LENGTH: Final = 4096
MAX_CAPTION_LENGTH: Final = 1024
MAX_INLINE_RESULTS: Final = 50
MAX_INLINE_RESULT_ID_BYTES: Final = 64
MAX_COMMANDS: Final = 100
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


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Validate a reply_markup object like Telegram; returns it (None when absent)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request(
                'can\'t parse inline keyboard button: field "inline_keyboard" of the '
                "InlineKeyboardMarkup should be an Array of Arrays"
            )
        if sum(len(row) for row in rows) > MAX_INLINE_BUTTONS:
            raise bad_request("reply markup is too long")
        for row in rows:
            for button in row:
                check_inline_button(button)
        return markup
    if inline_only:
        raise bad_request("can't parse inline keyboard markup JSON object")
    if "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request("can't parse reply keyboard markup JSON object")
        for row in rows:
            for button in row:
                label = button.get("text") if isinstance(button, dict) else button
                if not isinstance(label, str) or not label:
                    raise bad_request("can't parse keyboard button: Text must be non-empty")
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise bad_request("can't parse reply keyboard markup JSON object")


def check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object"
        )
    label = button.get("text")
    if not isinstance(label, str) or not label.strip():
        raise bad_request("can't parse inline keyboard button: Text must be non-empty")
    actions = [key for key in _BUTTON_ACTIONS if key in button]
    if not actions:
        raise bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
        )
    if len(actions) > 1:
        raise bad_request(f"can't parse inline keyboard button: more than one action {actions}")
    if "callback_data" in button:
        data = button["callback_data"]
        if (
            not isinstance(data, str)
            or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES
        ):
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not is_link_url(url):
            raise bad_request(f"inline keyboard button URL {url!r} is invalid: Wrong HTTP URL")


def inline_markup(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a Message keeps of a reply_markup: only inline keyboards are part of it."""
    if markup is not None and "inline_keyboard" in markup:
        return markup
    return None


def parse_text(
    text: Any,
    parse_mode: Any,
    entities: Any,
    *,
    limit: int,
    strict: bool,
    caption: bool = False,
) -> ParsedText:
    """A text, caption or inline message_text as Telegram reads it: parsed, trimmed and
    checked against ``limit`` (UTF-16 code units); ``strict`` as in ``parse_html``."""
    if text is None or text == "":
        if caption:
            return ParsedText("", [])
        raise bad_request("message text is empty")
    if not isinstance(text, str):
        text = str(text)
    mode = (parse_mode or "").lower() if isinstance(parse_mode, str) else ""
    if mode == "html":
        try:
            parsed = parse_html(text, strict=strict)
        except HtmlError as exc:
            raise bad_request(f"can't parse entities: {exc}") from None
    elif mode:
        raise bad_request(
            f"unsupported parse_mode {parse_mode!r} in the fake server (this bot uses HTML)"
        )
    else:
        given = entities if isinstance(entities, list) else []
        parsed = ParsedText(text, [dict(e) for e in given])
    parsed = strip_text(parsed)
    if not parsed.text and not caption:
        raise bad_request("message text is empty")
    if utf16_len(parsed.text) > limit:
        raise bad_request("message caption is too long" if caption else "message is too long")
    return parsed


def check_commands(commands: Any) -> list[dict[str, Any]]:
    """setMyCommands' ``commands``: at most 100, valid names, descriptions, no repeats."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_COMMANDS:
        raise bad_request("too many commands specified")
    for command in commands:
        name = command.get("command", "") if isinstance(command, dict) else ""
        description = command.get("description", "") if isinstance(command, dict) else ""
        if not re.fullmatch(r"[a-z0-9_]{1,32}", str(name)):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description.strip()) <= 256:
            raise bad_request("command description must be 1-256 characters long")
    names = [c["command"] for c in commands]
    if len(set(names)) != len(names):
        raise bad_request("command names must be unique")
    return commands


def check_inline_results(results: Any, *, strict: bool) -> None:
    """answerInlineQuery's ``results``: at most 50, unique ids, known types, texts and
    keyboards Telegram accepts."""
    if not isinstance(results, list):
        raise bad_request("can't parse inline query results JSON object")
    if len(results) > MAX_INLINE_RESULTS:
        raise bad_request("RESULTS_TOO_MUCH")
    seen: set[str] = set()
    for result in results:
        if not isinstance(result, dict):
            raise bad_request("can't parse inline query result JSON object")
        result_id = result.get("id")
        if not isinstance(result_id, str) or not (
            1 <= len(result_id.encode("utf-8")) <= MAX_INLINE_RESULT_ID_BYTES
        ):
            raise bad_request("RESULT_ID_INVALID")
        if result_id in seen:
            raise bad_request("RESULT_ID_DUPLICATE")
        seen.add(result_id)
        if result.get("type") not in _INLINE_RESULT_TYPES:
            raise bad_request("RESULT_TYPE_INVALID")
        if result["type"] == "article":
            if not str(result.get("title") or "").strip():
                raise bad_request("can't parse InlineQueryResultArticle: title is empty")
            if not isinstance(result.get("input_message_content"), dict):
                raise bad_request("MESSAGE_EMPTY")
        content = result.get("input_message_content")
        if isinstance(content, dict) and "message_text" in content:
            parse_text(
                content["message_text"],
                content.get("parse_mode"),
                content.get("entities"),
                limit=MAX_TEXT_LENGTH,
                strict=strict,
            )
        check_reply_markup(result.get("reply_markup"), inline_only=True)
