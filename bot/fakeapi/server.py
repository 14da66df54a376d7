"""The fake Bot API over HTTP: an ``aiohttp.web`` server on 127.0.0.1.

Requests are read the way Telegram reads them: parameters from the query string and a
form, multipart or JSON body, each string decoded as JSON unless Telegram reads that
parameter as text. ``/bot<token>/<method>`` calls a method, ``/file/bot<token>/<path>``
downloads a file the fake holds.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from aiohttp import BodyPartReader, hdrs, web

from bot.fakeapi.methods import MAX_UPLOAD_BYTES, BotApiMethods
from bot.fakeapi.records import DEFAULT_BOT_USERNAME, UploadedFile, bad_request

_TOKEN_SHAPE: Final = re.compile(r"^\d{1,20}:[A-Za-z0-9_\-]{1,200}$")
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
#: Room for the largest upload Telegram takes plus the rest of its form.
_MAX_BODY_BYTES: Final = MAX_UPLOAD_BYTES + 1024 * 1024
#: How long stopping waits for a request still being answered before cancelling it.
_SHUTDOWN_SECONDS: Final = 5.0


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """A method call as it came over HTTP, its body read but not yet decoded."""

    method: str
    query: str
    media_type: str
    body: bytes
    #: The fields of a multipart body (read by aiohttp), else empty.
    parts: Mapping[str, Any]


def _json_response(status: int, payload: Mapping[str, Any]) -> web.Response:
    try:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate (in an update a test queued: Telegram's own never hold one) has
        # no UTF-8 form; JSON's escape is how a server relaying it would send it.
        body = json.dumps(payload).encode("ascii")
    return web.Response(status=status, body=body, content_type="application/json")


_NOT_FOUND: Final = {"ok": False, "error_code": 404, "description": "Not Found"}
_UNAUTHORIZED: Final = {"ok": False, "error_code": 401, "description": "Unauthorized"}


class FakeBotApi(BotApiMethods):
    """An in-memory Telegram Bot API on 127.0.0.1 that checks what Telegram checks.

    ``await api.start()`` (or ``async with api``) binds a free port; point PTB at
    :attr:`base_url`. Queue what users do with :meth:`user_message`, :meth:`press` and
    :meth:`inline_query`; read what the bot did in :attr:`sent` and :meth:`messages`.
    A client that hangs up cancels the request it was waiting for (a long poll, a held send).
    """

    def __init__(
        self,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_name: str = "FactBot",
        strict_html: bool = True,
        port: int = 0,
    ) -> None:
        super().__init__(bot_username=bot_username, bot_name=bot_name, strict_html=strict_html)
        self._port = port
        self._runner: web.AppRunner | None = None

    # --- lifecycle ---------------------------------------------------------------------------

    @property
    def port(self) -> int:
        """The port the server listens on (after :meth:`start`)."""
        if self._runner is None:
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
        app = web.Application(client_max_size=_MAX_BODY_BYTES)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._download)
        app.router.add_route("*", "/bot{token}/{method:[A-Za-z]+}", self._api_call)
        app.router.add_route("*", "/bot{token}/{method:[A-Za-z]+}/", self._api_call)
        app.router.add_route("*", "/{path:.*}", self._not_found)
        runner = web.AppRunner(
            app,
            handle_signals=False,
            access_log=None,
            handler_cancellation=True,
            shutdown_timeout=_SHUTDOWN_SECONDS,
        )
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self._port)
        try:
            await site.start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        self._port = runner.addresses[0][1]
        self.updates.open()

    async def stop(self) -> None:
        """Answer pending long polls, close every connection and the listening socket."""
        if self._runner is None:
            return
        # Woken long polls answer "no updates" before their connection goes.
        self.updates.close()
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- requests ------------------------------------------------------------------------------

    async def _api_call(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        if not _TOKEN_SHAPE.match(token):
            return _json_response(401, _UNAUTHORIZED)
        self.bot_id = int(token.split(":", 1)[0])
        # "" when the request names none (aiohttp would say application/octet-stream).
        media_type = request.content_type.lower() if hdrs.CONTENT_TYPE in request.headers else ""
        try:
            parts = await _read_parts(request) if media_type == "multipart/form-data" else {}
            body = b"" if parts else await request.read()
        except (ValueError, UnicodeDecodeError) as exc:
            return _json_response(400, bad_request(f"can't parse request: {exc}").to_json())
        answer = self.respond(
            ApiRequest(request.match_info["method"], request.query_string, media_type, body, parts)
        )
        return answer if isinstance(answer, web.Response) else await answer

    def respond(self, request: ApiRequest) -> web.Response | Awaitable[web.Response]:
        """Answer a method call: at once, or a coroutine for a long poll. The fake's own work
        on a request (the benchmark times this; HTTP itself is aiohttp's)."""
        try:
            params = _decode_params(request)
        except (ValueError, UnicodeDecodeError) as exc:
            return _json_response(400, bad_request(f"can't parse request: {exc}").to_json())
        if request.method.lower() == "getupdates":
            return self._long_poll(params)
        return _json_response(*self.call(request.method, params, request.media_type))

    async def _long_poll(self, params: dict[str, Any]) -> web.Response:
        return _json_response(*await self.get_updates(params))

    async def _download(self, request: web.Request) -> web.StreamResponse:
        data = None
        if _TOKEN_SHAPE.match(request.match_info["token"]):
            data = self.file_at(request.match_info["file_path"])
        if data is None:
            return _json_response(404, _NOT_FOUND)
        return web.Response(body=data, content_type="application/octet-stream")

    async def _not_found(self, request: web.Request) -> web.StreamResponse:
        return _json_response(404, _NOT_FOUND)


# --- reading parameters the way Telegram does --------------------------------------------------


async def _read_parts(request: web.Request) -> dict[str, Any]:
    """The fields of a multipart body: text, or an UploadedFile for a part with a filename."""
    fields: dict[str, Any] = {}
    reader = await request.multipart()
    while (part := await reader.next()) is not None:
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        content = bytes(await part.read())
        if part.filename is not None:
            fields[part.name] = UploadedFile(
                filename=part.filename,
                content_type=part.headers.get(hdrs.CONTENT_TYPE, "application/octet-stream"),
                data=content,
            )
        else:
            # Bytes that are not UTF-8 stay visible (as lone surrogates) for the UTF-8 check.
            fields[part.name] = content.decode("utf-8", "surrogateescape")
    return fields


def _decode_params(request: ApiRequest) -> dict[str, Any]:
    """Parameters from the query string and a form, multipart or JSON body."""
    # Bytes that are not UTF-8 become lone surrogates (not U+FFFD), which the methods refuse
    # as Telegram does ("strings must be encoded in UTF-8").
    raw: dict[str, Any] = dict(
        urllib.parse.parse_qsl(request.query, keep_blank_values=True, errors="surrogateescape")
    )
    if request.body and request.media_type == "application/json":
        params = {k: _decode_value(k, v) for k, v in raw.items()}
        params.update(_decode_json_body(request.body))
        return params
    if request.parts:
        raw.update(request.parts)
    elif request.body:
        form = request.body.decode("utf-8", "surrogateescape")
        raw.update(urllib.parse.parse_qsl(form, keep_blank_values=True, errors="surrogateescape"))
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
