"""``factbot console``: talk to the real bot in a terminal, offline.

The very application ``factbot run`` builds polls a :class:`~bot.fakeapi.FakeBotApi` on
127.0.0.1 with a dummy token; each line typed is a private message from a console user and
the bot's answers are printed as a chat would show them. Nothing leaves the machine.
Scriptable: ``printf '/start\\n/numbers\\n' | factbot console``.
"""

from __future__ import annotations

import asyncio
import io
import sys
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, TextIO

from pydantic import SecretStr

from bot.app import build_application
from bot.fakeapi import SIMPLE_ENTITY_TYPES, ApiCall, BotDriver, ChatMessage, FakeBotApi
from bot.ops.settings import Settings
from bot.services import Services
from facts.errors import FactsError
from facts.seed import load_seed
from facts.store import FactStore

#: Shaped like a token so the application accepts it; it only ever reaches 127.0.0.1.
CONSOLE_TOKEN = "123456:CONSOLE-local-only"
CONSOLE_USER_ID = 1
PROMPT = "you> "
_BOT = "bot> "
_INDENT = " " * len(_BOT)

# ANSI styles by entity type, for the tags Telegram accepts.
_ENTITY_STYLES = {
    "bold": "1",
    "italic": "3",
    "underline": "4",
    "strikethrough": "9",
    "spoiler": "2",
}
_STYLES = {tag: _ENTITY_STYLES[kind] for tag, kind in SIMPLE_ENTITY_TYPES.items()} | {
    "code": "36",
    "pre": "36",
}


class _TerminalHtml(HTMLParser):
    """Telegram HTML to terminal text: ANSI styles when wanted, links as "text (url)"."""

    def __init__(self, *, color: bool) -> None:
        super().__init__(convert_charrefs=True)
        self._color = color
        self._out: list[str] = []
        self._styles: list[str] = []
        self._links: list[tuple[str, int]] = []
        self._quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links.append((dict(attrs).get("href") or "", len(self._out)))
        elif tag == "blockquote":
            if self._out and not "".join(self._out).endswith("\n"):
                self._out.append("\n")
            self._quote_depth += 1
            self._out.append(self._quote_prefix())
        elif tag in _STYLES:
            self._styles.append(_STYLES[tag])
            self._restyle()

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._links:
            href, start = self._links.pop()
            label = "".join(self._out[start:]).strip()
            if href and href != label:
                self._out.append(f" ({href})")
        elif tag == "blockquote" and self._quote_depth:
            self._quote_depth -= 1
        elif tag in _STYLES and _STYLES[tag] in self._styles:
            self._styles.reverse()
            self._styles.remove(_STYLES[tag])
            self._styles.reverse()
            self._restyle()

    def handle_data(self, data: str) -> None:
        if self._quote_depth:
            data = data.replace("\n", "\n" + self._quote_prefix())
        self._out.append(data)

    def _quote_prefix(self) -> str:
        return ("│ " if self._color else "> ") * self._quote_depth

    def _restyle(self) -> None:
        if self._color:
            self._out.append("\x1b[0m" + "".join(f"\x1b[{s}m" for s in self._styles))

    def text(self) -> str:
        """The rendered text so far (styles reset at the end)."""
        self.close()
        rendered = "".join(self._out)
        return rendered + "\x1b[0m" if self._color and "\x1b[" in rendered else rendered


def render_html(html: str, *, color: bool = False) -> str:
    """Telegram HTML as terminal text (bold/italic via ANSI only when ``color``)."""
    renderer = _TerminalHtml(color=color)
    renderer.feed(html)
    return renderer.text()


@dataclass(frozen=True, slots=True)
class _Choice:
    """Something the user can pick by number: a button or an inline result."""

    label: str
    message: ChatMessage | None = None
    button: dict[str, Any] | None = None
    result: dict[str, Any] | None = None


class Console:
    """One console session: reads lines, drives the bot, prints what it answers."""

    def __init__(
        self, driver: BotDriver, out: TextIO, *, color: bool, user_id: int = CONSOLE_USER_ID
    ) -> None:
        self.driver = driver
        self.out = out
        self.color = color
        self.user_id = user_id
        self.choices: list[_Choice] = []

    async def handle(self, line: str) -> None:
        """Act on one typed line: a number picks a choice, "@..." is an inline query."""
        line = line.strip()
        if not line:
            return
        if line.isdigit() and 1 <= int(line) <= len(self.choices):
            await self._pick(self.choices[int(line) - 1])
        elif line.startswith("@"):
            query = line.split(maxsplit=1)[1] if " " in line else ""
            self._show(await self.driver.inline(query, user_id=self.user_id))
        else:
            self._show(await self.driver.ask(line, user_id=self.user_id))

    async def _pick(self, choice: _Choice) -> None:
        if choice.result is not None:
            content = choice.result.get("input_message_content") or {}
            text = content.get("message_text", choice.label)
            self._say(_BOT, "(sent via inline) " + self._render(text, content.get("parse_mode")))
            return
        button = choice.button or {}
        if "callback_data" in button and choice.message is not None:
            self._show(
                await self.driver.press(
                    choice.message, button["callback_data"], user_id=self.user_id
                )
            )
        elif "url" in button:
            self._say(_BOT, f"(link) {button['url']}")
        else:
            self._say(_BOT, f"(the console cannot press this kind of button: {choice.label})")

    def _show(self, calls: list[ApiCall]) -> None:
        """Print a turn's calls as a chat shows them and number the buttons on display."""
        choices: list[_Choice] = []
        for call in calls:
            if not call.ok:
                assert call.error is not None
                self._say(_BOT, f"[Telegram would refuse {call.method}: {call.error.description}]")
                continue
            if call.method in ("sendMessage", "editMessageText", "sendDocument"):
                prefix = "(edited) " if call.method == "editMessageText" else ""
                body = self._render(call.text or "", call.params.get("parse_mode"))
                if call.method == "sendDocument":
                    body = self._document(call) + (f"\n{body}" if body else "")
                self._say(_BOT, prefix + body)
                choices += self._keyboard(call, len(choices))
            elif call.method == "editMessageReplyMarkup":
                self._say(_BOT, "(buttons changed)")
                choices += self._keyboard(call, len(choices))
            elif call.method == "answerCallbackQuery" and call.params.get("text"):
                kind = "alert" if call.params.get("show_alert") else "notice"
                self._say(_BOT, f"[{kind}] {call.params['text']}")
            elif call.method == "deleteMessage":
                self._say(_BOT, "(a message was deleted)")
            elif call.method == "answerInlineQuery":
                choices += self._inline_results(call)
        if choices or any(c.method != "answerCallbackQuery" for c in calls):
            self.choices = choices
        if not calls:
            self._say(_BOT, "(no answer)")

    def _keyboard(self, call: ApiCall, numbered: int) -> list[_Choice]:
        """Print a message's keyboard, numbering its buttons on from ``numbered``."""
        result = call.result if isinstance(call.result, dict) else {}
        rows = (result.get("reply_markup") or {}).get("inline_keyboard") or []
        message = self._message(result) if rows else None
        choices: list[_Choice] = []
        for row in rows:
            labels = []
            for button in row:
                choices.append(_Choice(button["text"], message=message, button=button))
                labels.append(f"[{numbered + len(choices)}] {button['text']}")
            self._say(_INDENT, "  ".join(labels))
        return choices

    def _inline_results(self, call: ApiCall) -> list[_Choice]:
        results = call.params.get("results") or []
        if not results:
            self._say(_BOT, "(no inline results)")
            return []
        self._say(_BOT, f"{len(results)} inline result(s):")
        choices = []
        for number, result in enumerate(results, start=1):
            title = str(result.get("title") or result.get("id"))
            choices.append(_Choice(title, result=result))
            self._say(_INDENT, f"[{number}] {title}")
        return choices

    def _message(self, result: dict[str, Any]) -> ChatMessage | None:
        chat_id = result.get("chat", {}).get("id")
        for message in self.driver.api.messages(chat_id):
            if message.message_id == result.get("message_id"):
                return message
        return None

    def _document(self, call: ApiCall) -> str:
        result = call.result if isinstance(call.result, dict) else {}
        document = result.get("document") or {}
        name = document.get("file_name", "file")
        return f"[document: {name}, {document.get('file_size', '?')} bytes]"

    def _render(self, text: str, parse_mode: Any) -> str:
        if isinstance(parse_mode, str) and parse_mode.lower() == "html":
            return render_html(text, color=self.color)
        return text

    def _say(self, prefix: str, text: str) -> None:
        lines = text.split("\n")
        self.out.write(prefix + lines[0] + "\n")
        for line in lines[1:]:
            self.out.write((_INDENT + line if line else "") + "\n")
        self.out.flush()


async def run_console(
    settings_or_data_dir: Settings | Path,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    user_id: int = CONSOLE_USER_ID,
) -> int:
    """Chat with the bot in the terminal until "/quit" or end of input; returns exit status."""
    source = stdin or sys.stdin
    out = stdout or sys.stdout
    interactive = source.isatty()
    color = out.isatty()
    if isinstance(out, io.TextIOWrapper):
        # A terminal that cannot show "◀" or "—" should get "?" rather than a crash.
        out.reconfigure(errors="replace")
    try:
        store = FactStore.open(_data_dir(settings_or_data_dir), seed=load_seed())
    except FactsError as exc:
        print(f"factbot console: {exc}", file=sys.stderr)
        return 2
    try:
        async with FakeBotApi() as api:
            settings = _console_settings(settings_or_data_dir, api, user_id)
            application = build_application(Services.create(settings, store))
            async with BotDriver(api, application, raise_errors=False) as driver:
                console = Console(driver, out, color=color, user_id=user_id)
                out.write(
                    "factbot console: the real bot on a local fake Telegram, offline. Type a "
                    "command or a question; a number presses a button; /quit or Ctrl-D ends.\n"
                )
                lines = _read_lines(source)
                while True:
                    out.write(PROMPT)
                    out.flush()
                    line = await lines.get()
                    if not line:
                        out.write("\n")
                        break
                    if not interactive:
                        out.write(line if line.endswith("\n") else line + "\n")
                    if line.strip() in ("/quit", "/exit"):
                        break
                    await console.handle(line)
    finally:
        store.close()
    return 0


def _read_lines(source: TextIO) -> asyncio.Queue[str]:
    """Lines of ``source`` as they come ("" at the end), read by a daemon thread.

    Not the loop's executor: a thread blocked in readline() there would keep Ctrl-C from
    ending the program until the user pressed Enter.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str] = asyncio.Queue()

    def put(line: str) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the console has finished and its loop is closed
            return False
        return True

    def read() -> None:
        while True:
            line = source.readline()
            if not put(line) or not line:
                return

    threading.Thread(target=read, name="console-stdin", daemon=True).start()
    return queue


def _data_dir(settings_or_data_dir: Settings | Path) -> Path:
    if isinstance(settings_or_data_dir, Settings):
        return settings_or_data_dir.data_dir
    return Path(settings_or_data_dir)


def _console_settings(given: Settings | Path, api: FakeBotApi, user_id: int) -> Settings:
    """The given settings (or defaults) with the fake server's URL and the dummy token."""
    if isinstance(given, Settings):
        return given.model_copy(
            update={"bot_token": SecretStr(CONSOLE_TOKEN), "bot_api_base_url": api.base_url}
        )
    return Settings(
        bot_token=SecretStr(CONSOLE_TOKEN),
        bot_api_base_url=api.base_url,
        data_dir=Path(given),
        admin_ids=[user_id],
    )
