"""Bot API requests: JSON bodies over aiohttp, file uploads through PTB's httpx.

PTB's stock :class:`~telegram.request.HTTPXRequest` costs more CPU than everything else
the bot does for an update. It form-encodes every call (each non-string parameter is
JSON-encoded on its own, then the whole form is percent-encoded byte by byte), and httpx
itself spends about 0.7 ms of CPU on each request and its answer here (anyio, httpcore and
h11 layers), several times what aiohttp spends on the same exchange. ``bench/bench_bot.py``
measures both: an echo bot on PTB's stock request beside one on :class:`JsonRequest`.

Telegram accepts ``application/json`` for every method except file uploads, so
:class:`JsonRequest` sends every call without files as one ``json.dumps`` of its
parameters, through an aiohttp session, and hands uploads (multipart) to a PTB
HTTPXRequest of its own. It is a :class:`telegram.request.BaseRequest` and uses PTB's public
API only. PTB's request contract is kept: per-call timeouts falling back to the configured
ones, a bounded connection pool whose timeout is PTB's pool timeout with PTB's message,
``TimedOut``/``NetworkError``, and a request refused once shut down. Nothing here logs, and
no error message carries a URL: the URL holds the token.
"""

from __future__ import annotations

import asyncio
import json
import os
import ssl
import urllib.parse
import urllib.request
from typing import Any

import aiohttp
import certifi
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.ops.logs import redact

#: PTB's message for a pool timeout (HTTPXRequest.do_request), kept word for word.
POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: All connections in the connection pool are occupied. "
    "Request was *not* sent to Telegram. Consider adjusting the connection "
    "pool size or the pool timeout."
)
#: What replaces the URL in an error's text (the URL holds the bot token).
URL_REDACTED = "<Bot API URL>"
#: A per-call timeout as PTB passes it: seconds, None (no limit) or BaseRequest.DEFAULT_NONE
#: (the configured one). PTB spells this ``ODVInput[float]`` in a private module.
Timeout = Any
#: Seconds an idle connection is kept, as httpx keeps them (aiohttp's default is 15).
KEEPALIVE_SECONDS = 5.0


class JsonRequest(BaseRequest):
    """Bot API calls without files as one JSON body over aiohttp; uploads through PTB's
    HTTPXRequest.

    The constructor takes HTTPXRequest's arguments with its defaults;
    ``connection_pool_size`` and the timeouts apply to both transports. The aiohttp session
    is opened by :meth:`initialize` (or by the first call) in the running event loop and
    closed by :meth:`shutdown`. Like httpx it verifies TLS against certifi's CA bundle and
    takes a proxy from the environment (``HTTPS_PROXY``, ``HTTP_PROXY``, ``ALL_PROXY``,
    ``NO_PROXY``), read once per session and host rather than on every call as aiohttp's
    ``trust_env`` would (which more than doubled its cost); it neither follows redirects
    nor retries.
    """

    __slots__ = (
        "_closed",
        "_connect_timeout",
        "_loop",
        "_pool",
        "_pool_size",
        "_pool_timeout",
        "_proxies",
        "_read_timeout",
        "_session",
        "_uploads",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        *,
        http_version: str = "1.1",
        proxy: object = None,
        socket_options: object = None,
        httpx_kwargs: object = None,
    ) -> None:
        unsupported = sorted(
            name
            for name, value in (
                ("proxy", proxy),
                ("socket_options", socket_options),
                ("httpx_kwargs", httpx_kwargs),
            )
            if value is not None
        ) + (["http_version"] if http_version != "1.1" else [])
        if unsupported:
            # They would reach uploads only: refused rather than half applied.
            raise ValueError(
                f"JsonRequest does not support {', '.join(unsupported)}; "
                "set a proxy with HTTPS_PROXY"
            )
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        #: Uploads (multipart) go as PTB sends them.
        self._uploads = HTTPXRequest(
            connection_pool_size=connection_pool_size,
            read_timeout=read_timeout,
            write_timeout=write_timeout,
            connect_timeout=connect_timeout,
            pool_timeout=pool_timeout,
            media_write_timeout=media_write_timeout,
        )
        #: Shut down: calls are refused until initialize() (as HTTPXRequest refuses them).
        self._closed = False
        self._session: aiohttp.ClientSession | None = None
        self._pool: asyncio.Semaphore | None = None
        self._proxies: dict[tuple[str, str], str | None] = {}
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def pool_size(self) -> int:
        """How many calls may be in flight at once (PTB's ``connection_pool_size``)."""
        return self._pool_size

    @property
    def read_timeout(self) -> float | None:
        """The configured read timeout (used when a call leaves PTB's default)."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open both transports (PTB calls this from ``Bot.initialize``)."""
        await self._uploads.initialize()
        self._closed = False
        self._open_session()

    async def shutdown(self) -> None:
        """Close both transports; calls are refused until :meth:`initialize`."""
        # Refuse first, so that no call can open a new session while this one closes.
        self._closed = True
        await self._uploads.shutdown()
        session, self._session, self._pool = self._session, None, None
        if session is not None and not session.closed:
            await session.close()

    def _open_session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            # A session (and the pool) belongs to the event loop it was opened in: a request
            # used again under a new loop gets new ones.
            connector = aiohttp.TCPConnector(
                limit=self.pool_size,
                ssl=_tls_context(),
                keepalive_timeout=KEEPALIVE_SECONDS,
            )
            self._session = aiohttp.ClientSession(connector=connector)
            self._pool = asyncio.Semaphore(self.pool_size)
            self._loop = loop
            self._proxies = {}  # the environment is read again for a new session
        return self._session

    def _proxy_for(self, url: str) -> str | None:
        """The environment's proxy for ``url``'s scheme and host (None: connect directly)."""
        parts = urllib.parse.urlsplit(url)
        key = (parts.scheme, parts.netloc)
        if key not in self._proxies:
            proxies = urllib.request.getproxies()
            proxy = proxies.get(parts.scheme) or proxies.get("all") or None
            no_proxy = [h.strip() for h in proxies.get("no", "").split(",")]
            if proxy and ("*" in no_proxy or urllib.request.proxy_bypass(parts.netloc)):
                proxy = None
            if proxy and "://" not in proxy:
                proxy = f"http://{proxy}"  # as httpx reads "proxy.example:3128"
            self._proxies[key] = proxy
        return self._proxies[key]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send the call as ``application/json`` unless it uploads files (then as PTB does)."""
        if request_data is None or request_data.contains_files:
            return await self._uploads.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        if self._closed:
            raise RuntimeError("This JsonRequest is not initialized!")
        session = self._open_session()
        pool = self._pool
        assert pool is not None  # opened with the session
        body = json.dumps(request_data.parameters).encode("utf-8")
        connect = _or_configured(connect_timeout, self._connect_timeout)
        read = _or_configured(read_timeout, self._read_timeout)
        # No files here, so the write timeout is never PTB's media_write_timeout.
        write = _or_configured(write_timeout, self._write_timeout)
        try:
            async with asyncio.timeout(_or_configured(pool_timeout, self._pool_timeout)):
                await pool.acquire()
        except TimeoutError as err:
            raise TimedOut(message=POOL_TIMEOUT_MESSAGE) from err
        try:
            # aiohttp has no write timeout of its own: the whole exchange is bounded by the
            # sum of the three, and connecting and each read by their own.
            whole = (
                connect + write + read
                if connect is not None and write is not None and read is not None
                else None
            )
            async with asyncio.timeout(whole):
                async with session.request(
                    method,
                    url,
                    data=body,
                    headers={"User-Agent": self.USER_AGENT, "Content-Type": "application/json"},
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=connect, sock_read=read),
                    allow_redirects=False,
                    proxy=self._proxy_for(url),
                ) as response:
                    return response.status, await response.read()
        # aiohttp's errors often quote the URL, token included, so neither their text nor
        # the exception itself (a traceback would print it) goes on: "from None".
        except TimeoutError:  # aiohttp's own timeouts are TimeoutErrors too
            raise TimedOut from None
        except aiohttp.ClientError as err:
            detail = redact(str(err).replace(url, URL_REDACTED), ())
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {detail}") from None
        finally:
            pool.release()


class PassThroughRequest(BaseRequest):
    """A request backend that hands every call to ``inner``; a subclass sees each call's
    outcome in :meth:`answered` (which may change the answer) and :meth:`failed`."""

    def __init__(self, inner: BaseRequest) -> None:
        self.inner = inner

    @property
    def read_timeout(self) -> float | None:
        """The inner backend's default read timeout."""
        return self.inner.read_timeout

    async def initialize(self) -> None:
        """Initialize the inner backend."""
        await self.inner.initialize()

    async def shutdown(self) -> None:
        """Shut the inner backend down."""
        await self.inner.shutdown()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make the call through the inner backend."""
        try:
            status, payload = await self.inner.do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except BaseException:
            self.failed(url)
            raise
        return self.answered(url, status, payload)

    def answered(self, url: str, status: int, payload: bytes) -> tuple[int, bytes]:
        """The answer PTB gets for a call to ``url`` (by default the one that came)."""
        return status, payload

    def failed(self, url: str) -> None:
        """A call to ``url`` failed without an answer (it raises on; nothing to do here)."""


def _tls_context() -> ssl.SSLContext:
    """Verification as httpx does it: SSL_CERT_FILE or SSL_CERT_DIR if set, else certifi."""
    cert_file, cert_dir = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if cert_file and os.path.isfile(cert_file):
        return ssl.create_default_context(cafile=cert_file)
    if cert_dir and os.path.isdir(cert_dir):
        return ssl.create_default_context(capath=cert_dir)
    return ssl.create_default_context(cafile=certifi.where())


def _or_configured(value: Timeout, configured: float | None) -> float | None:
    """A per-call timeout, or the configured one when the caller left PTB's default."""
    if value is BaseRequest.DEFAULT_NONE:  # PTB's documented test for "not set"
        return configured
    return None if value is None else float(value)
