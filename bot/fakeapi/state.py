"""The fake Bot API's state: chats and messages, files, queries, the command menu, and
what the bot called; what users do, what the bot did, and failures to inject.

No HTTP here (see :mod:`bot.fakeapi.server`) and no Bot API method (see
:mod:`bot.fakeapi.methods`): tests drive users through this class and assert on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.fakeapi.records import (
    DEFAULT_BOT_USERNAME,
    DEFAULT_USER_ID,
    ApiCall,
    ChatMessage,
)
from bot.fakeapi.updates import UpdateQueue


@dataclass(slots=True)
class Chat:
    """A chat the fake knows: its Chat JSON and its messages."""

    json: dict[str, Any]
    messages: dict[int, ChatMessage] = field(default_factory=dict)
    next_message_id: int = 1
    blocked: bool = False


@dataclass(slots=True)
class StoredFile:
    """A file the fake holds (None data: only its URL is known)."""

    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes | None


@dataclass(slots=True)
class _Failure:
    status: int
    description: str
    retry_after: int | None


class BotApiState:
    """An in-memory Telegram Bot API's state, and the test's side of it.

    Queue what users do with :meth:`user_message`, :meth:`press` and :meth:`inline_query`;
    read what the bot did in :attr:`sent` and :meth:`messages`.
    """

    def __init__(
        self,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_name: str = "FactBot",
        strict_html: bool = True,
    ) -> None:
        self.bot_username = bot_username
        self.bot_name = bot_name
        self.strict_html = strict_html
        #: Every call except getUpdates, in arrival order, with what the server answered.
        self.sent: list[ApiCall] = []
        #: How many getUpdates requests arrived (they are not recorded in :attr:`sent`).
        self.polls = 0
        #: The bot's user id: the number its token starts with, as Telegram has it.
        self.bot_id = 0
        #: Each user's Telegram language_code in the updates they send ("en" unless set).
        self.user_languages: dict[int, str] = {}
        self.updates = UpdateQueue(self._wake)
        self._chats: dict[int, Chat] = {}
        self._waiters: list[asyncio.Future[None]] = []  # observers: wait_for, wait_delivered...
        self._failures: dict[str, list[_Failure]] = {}
        self._callback_queries: dict[str, bool] = {}  # id -> answered
        self._inline_queries: dict[str, bool] = {}
        self._query_ids = itertools.count(1)
        self._files: dict[str, StoredFile] = {}
        self._file_numbers = itertools.count(1)
        self._commands: dict[str, list[dict[str, Any]]] = {}
        self._webhook_url = ""

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
            chat = self._chats[chat_id] = Chat(chat_json)
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
        message = self.user_post(user_id, chat_id, chat_type, reply_to)
        message.text = text
        message.forward_origin = forward_origin
        return self.updates.put("message", message.to_json())

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
        message = self.user_post(user_id, chat_id, chat_type, None)
        stored = self._store_file(data, file_name)
        message.document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        message.text = caption
        return self.updates.put("message", message.to_json())

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
        return self.updates.put(
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
        return self.updates.put(
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
        return self.updates.put(
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
        return self.updates.put(kind, payload)

    @property
    def allowed_updates(self) -> frozenset[str]:
        """The update types the bot last asked for (getUpdates / setWebhook)."""
        return self.updates.allowed

    def dropped(self) -> dict[int, str]:
        """Updates never delivered because the bot's allowed_updates leave them out."""
        return self.updates.dropped()

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

    def file_at(self, file_path: str) -> bytes | None:
        """The bytes of the file getFile placed at ``file_path`` (None if unknown or not held)."""
        stored = next((f for f in self._files.values() if f.file_path == file_path), None)
        return None if stored is None else stored.data

    async def wait_delivered(self, update_id: int, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until the bot confirmed ``update_id`` (a later getUpdates offset passed it).

        PTB asks for the next batch only after queueing the previous one, so from then on
        the update is in the application's update queue.
        """
        updates = self.updates
        await self._wait_until(
            lambda: updates.acknowledged >= update_id or updates.is_dropped(update_id),
            timeout,
            lambda: f"the bot to fetch update {update_id} (polls so far: {self.polls})",
        )
        if updates.is_dropped(update_id):
            raise LookupError(
                f"update {update_id} ({updates.dropped()[update_id]}) was not delivered: the "
                f"bot's allowed_updates {sorted(updates.allowed)} leave it out"
            )

    async def wait_polling(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until a getUpdates request is blocked waiting for updates."""
        await self._wait_until(
            lambda: self.updates.waiting_polls > 0,
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

    def _wake(self) -> None:
        """Let observers re-check their condition."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    # --- the parts of updates and answers ----------------------------------------------------

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
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_name,
            "username": self.bot_username,
        }

    def user_post(
        self, user_id: int, chat_id: int | None, chat_type: str, reply_to: ChatMessage | None
    ) -> ChatMessage:
        """A new message from a user in a chat (registered, not queued as an update)."""
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

    def _store_file(self, data: bytes | None, file_name: str) -> StoredFile:
        number = next(self._file_numbers)
        suffix = file_name.rsplit(".", 1)[-1] if "." in file_name else "bin"
        stored = StoredFile(
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
