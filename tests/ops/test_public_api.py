"""The bot uses python-telegram-bot's public API only: no private module, no private
attribute of PTB's objects (they change without notice between releases)."""

from __future__ import annotations

import ast
from pathlib import Path

from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest

from bot.ops.polling import RawUpdatesRequest
from bot.ops.runner import ObservedRequest, TimedUpdateProcessor
from bot.transport import JsonRequest

BOT = Path(__file__).resolve().parents[2] / "bot"
#: Private attributes of PTB's request and application classes that code has reached for.
PTB_PRIVATE_ATTRIBUTES = {"_client", "_client_kwargs", "_request", "_update_processor", "_bot"}


def private_uses(source: str) -> list[str]:
    """Imports of PTB's private modules and uses of its private attributes in ``source``."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "telegram" and any(part.startswith("_") for part in parts):
                found.append(f"line {node.lineno}: import {name}")
        if isinstance(node, ast.Attribute) and node.attr in PTB_PRIVATE_ATTRIBUTES:
            found.append(f"line {node.lineno}: .{node.attr}")
    return found


def test_the_check_finds_what_it_looks_for() -> None:
    source = (
        "from telegram.request._requestparameter import RequestParameter\n"
        "import telegram._utils.types\n"
        "from telegram.request import BaseRequest\n"
        "limits = request._client_kwargs['limits']\n"
    )
    assert private_uses(source) == [
        "line 1: import telegram.request._requestparameter",
        "line 2: import telegram._utils.types",
        "line 4: ._client_kwargs",
    ]


def test_no_module_of_the_bot_uses_ptbs_private_api() -> None:
    modules = sorted(BOT.rglob("*.py"))
    assert len(modules) > 20
    found = {
        str(path.relative_to(BOT)): uses
        for path in modules
        if (uses := private_uses(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_requests_and_the_processor_extend_ptbs_public_bases() -> None:
    for request in (JsonRequest, RawUpdatesRequest, ObservedRequest):
        assert issubclass(request, BaseRequest)
    # JsonRequest hands uploads to an HTTPXRequest of its own; it inherits none of its
    # private state.
    assert not issubclass(JsonRequest, HTTPXRequest)
    assert issubclass(TimedUpdateProcessor, BaseUpdateProcessor)
