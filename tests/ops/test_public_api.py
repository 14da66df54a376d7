"""The bot uses python-telegram-bot's public API only: no private module, no private
attribute of PTB's objects (they change without notice between releases).

The check reads every module of ``bot/`` (ast) and finds

- imports of a private module of ``telegram`` (``telegram._utils``, ``telegram.request._x``);
- a private attribute (``x._name``) read or written on anything but ``self``, ``cls`` or
  ``super()``: the checker cannot tell a PTB object from another there (``bot._client``,
  ``context._chat_id``, ``application._update_processor``), and the bot reaches into no
  object's privates, its own included;
- on ``self``, ``cls`` or ``super()`` in a class that extends one of PTB's: a private name
  that PTB's classes of its ancestry define (slots, class attributes, ``self._x``
  assignments, read from PTB itself), so that a subclass neither reads nor shadows PTB's
  private state (``self._chat_id`` in a ``CallbackContext``).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import textwrap
from functools import cache
from pathlib import Path

from telegram.ext import BaseUpdateProcessor
from telegram.request import BaseRequest, HTTPXRequest

from bot.ops.observing import ObservedRequest, TimedUpdateProcessor
from bot.ops.polling import RawUpdatesRequest
from bot.transport import JsonRequest

BOT = Path(__file__).resolve().parents[2] / "bot"
_OWN = {"self", "cls", "super()"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def ptb_private_names(klass: type) -> frozenset[str]:
    """The private names PTB's classes in ``klass``'s ancestry define."""
    names: set[str] = set()
    for ancestor in klass.__mro__:
        if not ancestor.__module__.startswith("telegram"):
            continue
        slots = vars(ancestor).get("__slots__", ())
        names.update((slots,) if isinstance(slots, str) else slots)
        names.update(vars(ancestor))
        try:
            source = textwrap.dedent(inspect.getsource(ancestor))
        except (OSError, TypeError):
            continue
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "self":
                names.add(node.attr)
    return frozenset(name for name in names if _private(name))


def _imported_names(tree: ast.Module) -> dict[str, str]:
    """Each name a module imports, with the dotted path it comes from."""
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:  # import a.b as c: c is a.b
                    names[alias.asname] = alias.name
                else:  # import a.b: a is a
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def _resolve(expr: ast.expr, imported: dict[str, str], module: dict[str, object]) -> object:
    """The object a base-class expression names (None when it cannot be told)."""
    if isinstance(expr, ast.Subscript):  # Generic[...], CallbackContext[...]
        return _resolve(expr.value, imported, module)
    dotted = ast.unparse(expr)
    head, _, rest = dotted.partition(".")
    if head in imported:
        path = imported[head] + (f".{rest}" if rest else "")
    elif head in module:
        obj: object = module[head]
        for part in rest.split(".") if rest else ():
            obj = getattr(obj, part, None)
        return obj
    else:
        return None
    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            obj = getattr(obj, part, None)
        return obj
    return None


def private_uses(source: str, namespace: dict[str, object] | None = None) -> list[str]:
    """Imports of PTB's private modules and uses of private attributes of PTB's objects in
    ``source`` (``namespace``: the module's globals, to resolve its own base classes)."""
    tree = ast.parse(source)
    imported = _imported_names(tree)
    module = namespace or {}
    found: list[str] = []

    def visit(node: ast.AST, ptb_private: frozenset[str]) -> None:
        if isinstance(node, ast.ClassDef):
            private: set[str] = set()
            for base in node.bases:
                klass = _resolve(base, imported, module)
                if isinstance(klass, type):
                    private |= ptb_private_names(klass)
            ptb_private = frozenset(private)
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "telegram" and any(part.startswith("_") for part in parts):
                found.append(f"line {node.lineno}: import {name}")
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = ast.unparse(node.value)
            if owner not in _OWN or node.attr in ptb_private:
                found.append(f"line {node.lineno}: {owner}.{node.attr}")
        for child in ast.iter_child_nodes(node):
            visit(child, ptb_private)

    visit(tree, frozenset())
    return found


def test_the_check_finds_what_it_looks_for() -> None:
    source = (
        "from telegram.request._requestparameter import RequestParameter\n"
        "import telegram._utils.types\n"
        "from telegram.request import BaseRequest\n"
        "from telegram.ext import CallbackContext as Context\n"
        "import telegram.ext\n"
        "limits = request._client_kwargs['limits']\n"
        "async def handler(update, context):\n"
        "    await context.bot._client.aclose()\n"
        "    return context._chat_id\n"
        "class Mine(Context[int, int, int, int]):\n"
        "    def chat(self):\n"
        "        self._mine = 1\n"
        "        return self._chat_id\n"
        "class Request(BaseRequest):\n"
        "    async def do(self, url):\n"
        "        self._pool = None\n"
        "        await super()._request_wrapper(url)\n"
        "class Processor(telegram.ext.BaseUpdateProcessor):\n"
        "    def __init__(self):\n"
        "        self._semaphore = None\n"
        "class Plain:\n"
        "    def __init__(self):\n"
        "        self._chat_id = 1\n"
    )
    assert private_uses(source) == [
        "line 1: import telegram.request._requestparameter",
        "line 2: import telegram._utils.types",
        "line 6: request._client_kwargs",
        "line 8: context.bot._client",
        "line 9: context._chat_id",
        "line 13: self._chat_id",
        "line 17: super()._request_wrapper",
        "line 20: self._semaphore",
    ]


def test_no_module_of_the_bot_uses_ptbs_private_api() -> None:
    modules = sorted(BOT.rglob("*.py"))
    assert len(modules) > 20
    found = {}
    for path in modules:
        name = ".".join(path.relative_to(BOT.parent).with_suffix("").parts).removesuffix(
            ".__init__"
        )
        namespace = vars(importlib.import_module(name))
        if uses := private_uses(path.read_text(encoding="utf-8"), namespace):
            found[name] = uses
    assert found == {}


def test_the_requests_and_the_processor_extend_ptbs_public_bases() -> None:
    for request in (JsonRequest, RawUpdatesRequest, ObservedRequest):
        assert issubclass(request, BaseRequest)
    # JsonRequest hands uploads to an HTTPXRequest of its own; it inherits none of its
    # private state.
    assert not issubclass(JsonRequest, HTTPXRequest)
    assert issubclass(TimedUpdateProcessor, BaseUpdateProcessor)
