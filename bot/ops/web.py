"""The bot's HTTP server in webhook mode: the webhook, GET /healthz and GET /metrics.

A custom tornado server (as in PTB's ``examples/customwebhookbot``) rather than
``run_webhook``, which has no room for health and metrics routes. Webhook requests must
carry the secret token given to setWebhook; anything else is answered 403 as soon as its
headers are in, and its connection closed before one byte of the body is read, so a
stranger costs the bot neither memory nor a handler.

The port faces the internet, so every resource a stranger can hold is bounded: request
headers (16 KB, complete within 10 s of the connection opening or falling idle), the body
(256 KB, within 10 s), and the open connections (200, or a quarter of the open-file limit
when that is lower). At the cap a new connection evicts the oldest one that has not yet
shown the secret, so slow strangers cannot keep Telegram out.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import resource
import socket
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.web

from bot.ops.metrics import CONTENT_TYPE, BotMetrics
from bot.ops.polling import SkippedUpdate, raw_update_id, update_kind, without_lone_surrogates

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's updates are a few kilobytes; anything near this is not from Telegram.
MAX_BODY_BYTES = 256 * 1024
#: Request line and headers, at most (Telegram's are well under 1 KB).
MAX_HEADER_BYTES = 16 * 1024
#: Seconds for a connection to send complete request headers, counted from when it opens
#: or falls idle between requests (tornado uses one timeout for both).
HEADER_TIMEOUT = 10.0
#: Seconds for the body of a request whose headers arrived.
BODY_TIMEOUT = 10.0
#: Open connections at most (Telegram uses up to 40, setWebhook's default).
MAX_CONNECTIONS = 200

#: Turns a decoded update into the object the application processes (Update.de_json).
ParseUpdate = Callable[[dict[str, Any]], object]
#: Hands an update over for processing; must not block (asyncio.QueueFull: try later).
SubmitUpdate = Callable[[object], None]
#: Told about an update that could not be parsed (it is acknowledged and dropped).
OnSkipped = Callable[[SkippedUpdate], None]
#: Health verdict and details for /healthz.
HealthReport = Callable[[], tuple[bool, Mapping[str, Any]]]


def connection_cap(limit: int = MAX_CONNECTIONS) -> int:
    """``limit``, or a quarter of this process's open-file limit when that is lower (the
    rest is for the store, the Bot API connections and the bot's own files)."""
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY:
        return limit
    return max(8, min(limit, soft // 4))


class GuardedHTTPServer(tornado.httpserver.HTTPServer):
    """An HTTPServer that holds at most ``max_connections`` connections.

    A connection counts as trusted once one of its requests showed the webhook secret
    (Telegram keeps its connections open between deliveries). At the cap a new connection
    closes the oldest untrusted one; when every connection is trusted, the new one is
    closed instead.
    """

    def initialize(  # type: ignore[override]
        self,
        *args: Any,
        max_connections: int,
        on_evict: Callable[[], None] = lambda: None,
        **kwargs: Any,
    ) -> None:
        """tornado's constructor (a Configurable): the cap, then HTTPServer's own options."""
        super().initialize(*args, **kwargs)
        self.max_connections = max_connections
        #: Open connections' streams, oldest first, and whether each is trusted.
        self.streams: OrderedDict[tornado.iostream.IOStream, bool] = OrderedDict()
        self.on_evict = on_evict

    def handle_stream(self, stream: tornado.iostream.IOStream, address: tuple[Any, ...]) -> None:
        """Admit the new connection, making room by evicting an untrusted one if needed."""
        if len(self.streams) >= self.max_connections:
            victim = next((s for s, trusted in self.streams.items() if not trusted), None)
            self.on_evict()
            if victim is None:
                stream.close()
                return
            del self.streams[victim]
            victim.close()
        self.streams[stream] = False
        super().handle_stream(stream, address)

    def on_close(self, server_conn: object) -> None:
        """Forget a closed connection."""
        stream = getattr(server_conn, "stream", None)
        if stream is not None:
            self.streams.pop(stream, None)
        super().on_close(server_conn)

    def trust(self, stream: tornado.iostream.IOStream | None) -> None:
        """Mark a connection as Telegram's (it showed the secret)."""
        if stream is not None and stream in self.streams:
            self.streams[stream] = True


def _quiet_access_log(handler: tornado.web.RequestHandler) -> None:
    """Log only server errors: a line per rejected request would let strangers fill the
    disk (rejections are counted in /metrics instead)."""
    status = handler.get_status()
    if status >= 500:
        log.warning("%s %s answered %d", handler.request.method, handler.request.path, status)


@tornado.web.stream_request_body
class WebhookHandler(tornado.web.RequestHandler):
    """POST: one update from Telegram, accepted only with the right secret token.

    The body is streamed: :meth:`prepare` runs as soon as the headers are in, so the
    secret is checked before any of the body is read.
    """

    def initialize(
        self,
        secret: bytes,
        parse: ParseUpdate,
        submit: SubmitUpdate,
        metrics: BotMetrics,
        skipped: OnSkipped,
    ) -> None:
        """Per-request set-up (tornado's constructor hook)."""
        self._secret = secret
        self._parse = parse
        self._submit = submit
        self._metrics = metrics
        self._skipped = skipped
        self._body = bytearray()

    def prepare(self) -> None:
        """Refuse a request without the right secret before reading its body."""
        if self.request.method != "POST":
            return  # tornado answers 405 (the body, if any, is bounded as usual)
        given = self.request.headers.get(SECRET_HEADER, "")
        # Constant-time comparison: the secret must not leak through response timing.
        if not hmac.compare_digest(given.encode("utf-8", "replace"), self._secret):
            self._metrics.webhook_rejected.inc()
            self.set_status(403)
            # Tell the client not to reuse the connection: it is closed right after this.
            self.set_header("Connection", "close")
            self.finish("403\n")
            # Close now rather than read (and discard) a body nobody asked for.
            connection = self.request.connection
            if connection is not None:
                connection.close()  # type: ignore[attr-defined]
            return
        server = self.settings.get("guarded_server")
        if isinstance(server, GuardedHTTPServer) and self.request.connection is not None:
            server.trust(getattr(self.request.connection, "stream", None))

    def data_received(self, chunk: bytes) -> None:
        """Collect the body (the server already bounds its size)."""
        self._body += chunk

    def post(self) -> None:
        """Decode, enqueue; Telegram only needs the 200."""
        try:
            data = json.loads(bytes(self._body))
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise tornado.web.HTTPError(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, "the body is not a JSON object")
        try:
            update = self._parse(without_lone_surrogates(data))
        except Exception:  # whatever PTB raises, the update is skipped
            # Answered 200: Telegram would otherwise deliver it again and again. Never log
            # the body: it holds the user's text; the id and type are enough.
            skipped = SkippedUpdate(raw_update_id(data), update_kind(data))
            log.warning(
                "skipped update %s (%s): it could not be parsed", skipped.update_id, skipped.kind
            )
            self._skipped(skipped)
            self.set_status(200)
            return
        try:
            self._submit(update)
        except asyncio.QueueFull:
            # Telegram keeps the update and delivers it again later.
            raise tornado.web.HTTPError(503, "too many updates pending") from None
        self.set_status(200)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A bare status line; no traceback, no echo of the request."""
        self.finish(f"{status_code}\n")


class HealthHandler(tornado.web.RequestHandler):
    """GET: 200 with details when the bot is healthy, 503 otherwise (JSON)."""

    def initialize(self, report: HealthReport) -> None:
        """Per-request set-up."""
        self._report = report

    def get(self) -> None:
        """The verdict as JSON."""
        healthy, details = self._report()
        self.set_status(200 if healthy else 503)
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(details, sort_keys=True, default=str))


class MetricsHandler(tornado.web.RequestHandler):
    """GET: the Prometheus exposition text."""

    def initialize(self, metrics: BotMetrics) -> None:
        """Per-request set-up."""
        self._metrics = metrics

    def get(self) -> None:
        """Render every metric now."""
        self.set_header("Content-Type", CONTENT_TYPE)
        self.finish(self._metrics.render())


class WebServer:
    """Serves the webhook (when given a secret and path), /healthz and /metrics."""

    def __init__(
        self,
        *,
        metrics: BotMetrics,
        health: HealthReport,
        webhook_path: str | None = None,
        secret: str | None = None,
        parse: ParseUpdate | None = None,
        submit: SubmitUpdate | None = None,
        skipped: OnSkipped = lambda skipped: None,
    ) -> None:
        routes: list[Any] = [
            (r"/healthz", HealthHandler, {"report": health}),
            (r"/metrics", MetricsHandler, {"metrics": metrics}),
        ]
        if webhook_path is not None:
            if not secret or parse is None or submit is None:
                raise ValueError("a webhook needs a secret, a parser and a submit function")
            if webhook_path in ("/healthz", "/metrics"):
                raise ValueError(f"the webhook cannot be served on {webhook_path}")
            routes.insert(
                0,
                (
                    re.escape(webhook_path),
                    WebhookHandler,
                    {
                        "secret": secret.encode(),
                        "parse": parse,
                        "submit": submit,
                        "metrics": metrics,
                        "skipped": skipped,
                    },
                ),
            )
        self._metrics = metrics
        self._app = tornado.web.Application(routes, log_function=_quiet_access_log)
        self._server: GuardedHTTPServer | None = None
        self.port: int | None = None
        self.max_connections = connection_cap()

    async def start(self, listen: str, port: int) -> int:
        """Listen (port 0: any free port); returns the port. OSError when it cannot."""
        sock = _listening_socket(listen, port)
        server = GuardedHTTPServer(
            self._app,
            max_connections=self.max_connections,
            on_evict=self._metrics.webhook_evicted.inc,
            max_body_size=MAX_BODY_BYTES,
            max_header_size=MAX_HEADER_BYTES,
            max_buffer_size=MAX_BODY_BYTES + MAX_HEADER_BYTES,
            idle_connection_timeout=HEADER_TIMEOUT,
            body_timeout=BODY_TIMEOUT,
        )
        self._app.settings["guarded_server"] = server
        server.add_sockets([sock])
        self._server = server
        self.port = int(sock.getsockname()[1])
        log.info("listening on %s:%d", listen, self.port)
        return self.port

    async def stop(self) -> None:
        """Stop accepting connections, then close the open ones once their request is done."""
        if self._server is None:
            return
        self._server.stop()
        await self._server.close_all_connections()
        self._server = None


def _listening_socket(listen: str, port: int) -> socket.socket:
    """A non-blocking listening TCP socket (IPv6 addresses and "::" included; "::" also
    accepts IPv4 on Linux). Closed again if binding fails (tornado's helper leaks it)."""
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((listen or "0.0.0.0", port))
        sock.listen(128)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    return sock
