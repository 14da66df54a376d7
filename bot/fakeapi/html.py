"""Telegram's HTML parse mode: what it accepts, the entities it makes and its errors.

``parse_html`` reads ``parse_mode=HTML`` text the way Telegram (tdlib) does and raises
:class:`HtmlError` with Telegram's wording for what it refuses; :data:`ALLOWED_TAGS` is the
one list of the tags it accepts (the console and the tests use it too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final


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


def is_link_url(url: str) -> bool:
    """Whether Telegram keeps ``url`` as a link (in ``<a href>`` or a button's ``url``)."""
    return bool(_LINK_URL.match(url) or _BARE_DOMAIN.match(url))


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
    ``parse_full_html``'s, strict or not (tests/fakeapi/test_html.py checks that).

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
        elif is_link_url(url):
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


def strip_text(parsed: ParsedText) -> ParsedText:
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
