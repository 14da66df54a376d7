"""The bot's HTTP server in webhook mode: the webhook, GET /healthz and GET /metrics.

A custom tornado server (as in PTB's ``examples/customwebhookbot``) rather than
``run_webhook``, which has no room for health and metrics routes. Webhook requests must
carry the secret token given to setWebhook; anything else is answered 403 before the body
is even parsed, so a forged update never reaches a handler.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import socket
from collections.abc import Callable, Mapping
from typing import Any

import tornado.httpserver
import tornado.web

from bot.metrics import CONTENT_TYPE, BotMetrics
from bot.polling import SkippedUpdate, raw_update_id, update_kind

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
#: Telegram's updates are a few kilobytes; anything near this is not from Telegram.
MAX_BODY_BYTES = 1024 * 1024

#: Turns a decoded update into the object the application processes (Update.de_json).
ParseUpdate = Callable[[dict[str, Any]], object]
#: Hands an update over for processing; must not block (asyncio.QueueFull: try later).
SubmitUpdate = Callable[[object], None]
#: Told about an update that could not be parsed (it is acknowledged and dropped).
OnSkipped = Callable[[SkippedUpdate], None]
#: Health verdict and details for /healthz.
HealthReport = Callable[[], tuple[bool, Mapping[str, Any]]]


class WebhookHandler(tornado.web.RequestHandler):
    """POST: one update from Telegram, accepted only with the right secret token."""

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

    def post(self) -> None:
        """Check the secret, decode, enqueue; Telegram only needs the 200."""
        given = self.request.headers.get(SECRET_HEADER, "")
        # Constant-time comparison: the secret must not leak through response timing.
        if not hmac.compare_digest(given.encode("utf-8", "replace"), self._secret):
            self._metrics.webhook_rejected.inc()
            raise tornado.web.HTTPError(403)
        try:
            data = json.loads(self.request.body)
        except (ValueError, UnicodeDecodeError):
            raise tornado.web.HTTPError(400, "the body is not JSON") from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(400, "the body is not a JSON object")
        try:
            update = self._parse(data)
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
        self._app = tornado.web.Application(routes)
        self._server: tornado.httpserver.HTTPServer | None = None
        self.port: int | None = None

    async def start(self, listen: str, port: int) -> int:
        """Listen (port 0: any free port); returns the port. OSError when it cannot."""
        sock = _listening_socket(listen, port)
        server = tornado.httpserver.HTTPServer(self._app, max_body_size=MAX_BODY_BYTES)
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
