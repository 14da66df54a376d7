"""Splitting a reply longer than Telegram's 4,096 characters into messages: between
blocks (facts), never inside a tag or an entity."""

from __future__ import annotations

import re
from collections.abc import Sequence
from html import unescape

from bot.render import BLOCK_SEPARATOR, MESSAGE_LIMIT

# --- splitting -----------------------------------------------------------------------------
_TOKEN = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|.", re.DOTALL)
_TAG = re.compile(r"^<(/?)([a-zA-Z][a-zA-Z0-9-]*)")


def _units(text: str) -> int:
    """Length in UTF-16 code units, the way Telegram counts."""
    return len(text.encode("utf-16-le")) // 2


def visible_length(html: str) -> int:
    """The length Telegram checks: text after tags are removed and entities decoded."""
    return _units(unescape(re.sub(r"<[^>]*>", "", html)))


def _split_block(block: str, limit: int) -> list[str]:
    """Split one oversized block, preferably at a newline outside any tag, else mid-text
    closing and re-opening the open tags — never inside a tag or an entity."""
    pieces: list[str] = []
    current: list[str] = []  # tokens of the piece being built
    length = 0  # visible length of the piece
    stack: list[tuple[str, str]] = []  # (name, full opening tag)
    safe_cut: int | None = None  # index in ``current`` of the last newline outside tags

    def flush(upto: int | None) -> None:
        nonlocal current, length, safe_cut
        if upto is not None:
            head, rest = current[:upto], current[upto + 1 :]  # drop the newline itself
            pieces.append("".join(head).rstrip("\n"))
            current = rest
        else:
            closing = "".join(f"</{name}>" for name, _ in reversed(stack))
            pieces.append("".join(current) + closing)
            current = [tag for _, tag in stack]
        length = visible_length("".join(current))
        safe_cut = None

    for token in _TOKEN.findall(block):
        tag = _TAG.match(token)
        if tag:
            closing, name = tag.group(1) == "/", tag.group(2).lower()
            if closing:
                if stack and stack[-1][0] == name:
                    stack.pop()
            else:
                stack.append((name, token))
            current.append(token)
            continue
        size = _units(unescape(token))
        if length + size > limit:
            flush(safe_cut)
            if length + size > limit:
                flush(None)
        if token == "\n" and not stack:
            safe_cut = len(current)
        current.append(token)
        length += size
    if current:
        pieces.append("".join(current))
    return [p for p in pieces if visible_length(p) > 0 or p.strip()]


def split_messages(
    blocks: Sequence[str], limit: int = MESSAGE_LIMIT, *, separator: str = BLOCK_SEPARATOR
) -> list[str]:
    """Pack blocks into messages of at most ``limit`` visible characters, splitting between
    blocks (facts); a single block longer than the limit is split on its own lines."""
    messages: list[str] = []
    current, current_len = "", 0
    sep_len = _units(separator)
    for block in blocks:
        if not block:
            continue
        parts = [block] if visible_length(block) <= limit else _split_block(block, limit)
        for part in parts:
            part_len = visible_length(part)
            if not current:
                current, current_len = part, part_len
            elif current_len + sep_len + part_len <= limit:
                current = f"{current}{separator}{part}"
                current_len += sep_len + part_len
            else:
                messages.append(current)
                current, current_len = part, part_len
    if current:
        messages.append(current)
    return messages
