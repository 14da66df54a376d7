"""Run the bot for real: polling or webhook, heartbeat, backups, graceful shutdown.

The application comes from :func:`bot.app.build_application`; this module only drives it.
Updates go on the application's own (bounded) ``update_queue``; PTB's update loop hands
each one to a :class:`TimedUpdateProcessor`, PTB's public hook, which times it for the
metrics. Polling uses a :class:`bot.ops.polling.Poller` feeding the queue (it skips an update
it cannot parse instead of stalling on it, and backs off when getUpdates fails); webhook
mode uses :mod:`bot.ops.web`. Both ask Telegram only for the
update types the handlers answer. Every Bot API call passes through an
:class:`ObservedRequest`, which is how a token revoked while running is noticed.

Shutdown on SIGTERM/SIGINT: stop taking updates (polling stops and confirms the offset;
the web server stops listening), process everything already received, stop the
application (jobs finish), shut it down, then the caller closes (flushes) the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from telegram import Update
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.request import BaseRequest

from bot.app import HANDLED_UPDATE_TYPES, build_application
from bot.context import BotContext
from bot.ops.health import HEARTBEAT_INTERVAL
from bot.ops.logs import configure_logging
from bot.ops.metrics import BotMetrics
from bot.ops.observing import ObservedRequest, TimedUpdateProcessor
from bot.ops.polling import Poller, RawUpdatesRequest, SkippedUpdate
from bot.ops.settings import ConfigError, Settings, load_settings
from bot.ops.upkeep import RunnerUpkeep
from bot.ops.web import WebServer
from bot.services import Services
from bot.transport import JsonRequest
from facts.backup import corruption_advice, list_backups
from facts.errors import FactsError, StoreCorrupted
from facts.seed import load_seed
from facts.store import FactStore

log = logging.getLogger(__name__)

#: Long-poll duration of getUpdates (seconds): a healthy bot completes a call this often.
POLL_TIMEOUT = 10
#: Connections to the Bot API: one long poll plus sends; PTB's default for sends is 256.
POOL_SIZE = 256
#: Updates received but not yet processed, at most (then intake waits).
MAX_PENDING_UPDATES = 1000


class StartupFailed(Exception):
    """The bot cannot start; the message says why (logged, exit status 2)."""


class BotRunner(RunnerUpkeep):
    """Runs one application over one open store until told to stop."""

    def __init__(
        self,
        settings: Settings,
        store: FactStore,
        *,
        request: BaseRequest | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.started = time.time()
        self.metrics = BotMetrics(
            facts_count=lambda: len(store),
            queue_depth=lambda: self.application.update_queue.qsize(),
        )
        self.request = RawUpdatesRequest(
            ObservedRequest(
                request or JsonRequest(connection_pool_size=POOL_SIZE), self._api_result
            )
        )
        self.processor = TimedUpdateProcessor(self.metrics)
        self.services = Services.create(settings, store)
        self.application = build_application(
            self.services,
            request=self.request,
            update_processor=self.processor,
            # Bounded: when handlers fall behind, polling waits (its put blocks) and the
            # webhook answers 503 so that Telegram keeps the updates and retries.
            update_queue=asyncio.Queue(MAX_PENDING_UPDATES),
            # Every fact analysed for answering once the bot runs, while no update waits.
            prepare_answers=True,
        )
        # An additional error handler: the one build_application registered still runs.
        self.application.add_error_handler(self._count_error)
        self.poller: Poller | None = None
        self.server: WebServer | None = None
        self.last_poll: float | None = None
        self.last_backup: Path | None = None
        self._last_heartbeat = 0.0
        self._stopping = False
        self._stop: asyncio.Event | None = None
        #: What run() returns after a stop: 0, or 2 when the bot cannot go on.
        self.exit_status = 0
        #: Set once updates are being received (polling started or webhook registered).
        self.ready = asyncio.Event()
        backups = list_backups(settings.data_dir)
        if backups:
            self.last_backup = backups[0]
            self.metrics.last_backup_time = backups[0].stat().st_mtime

    # --- entry point -------------------------------------------------------------------
    async def run(self, *, handle_signals: bool = True) -> int:
        """Run until :meth:`request_stop` (or SIGTERM/SIGINT); returns the exit status.

        With ``handle_signals``, SIGTERM/SIGINT stop the bot and SIGUSR1 writes a backup.
        """
        self._stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        signals = self._install_signal_handlers(loop) if handle_signals else []
        try:
            if not await self._initialize():
                return 0  # told to stop while still starting
            try:
                await self._serve()
            finally:
                await self.application.shutdown()
                if self.application.post_shutdown:
                    await self.application.post_shutdown(self.application)
        except StartupFailed as exc:
            log.critical("%s", exc)
            return 2
        except OSError as exc:
            # The other stores, opened in post_init, on a directory that turned unwritable.
            if not _within(exc.filename, self.settings.data_dir):
                raise
            log.critical("%s", unwritable_data_dir(self.settings.data_dir, exc))
            return 2
        except FactsError as exc:
            # The subscriber, outbox or admin files, opened in post_init. Subscriber and
            # outbox messages name their repair command; the admin data is in backups.
            advice = ""
            if isinstance(exc, StoreCorrupted) and "factbot repair" not in str(exc):
                advice = " " + corruption_advice(self.settings.data_dir)
            log.critical("cannot open the bot's data: %s.%s", exc, advice)
            return 2
        finally:
            # A start-up that never got through getMe leaves the connection pool to us
            # (the bot only closes what it initialized); closing twice is harmless.
            await self.request.shutdown()
            for sig in signals:
                loop.remove_signal_handler(sig)
        log.info("stopped cleanly" if self.exit_status == 0 else "stopped")
        return self.exit_status

    def request_stop(self, reason: str = "requested") -> None:
        """Begin a graceful shutdown (idempotent)."""
        if self._stop is None or self._stop.is_set():
            return
        log.info("stopping (%s): no new updates; finishing the ones received", reason)
        self._stopping = True
        self._stop.set()

    def _install_signal_handlers(self, loop: asyncio.AbstractEventLoop) -> list[int]:
        installed: list[int] = []
        with contextlib.suppress(NotImplementedError, RuntimeError):
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, self.request_stop, sig.name)
                installed.append(sig)
            loop.add_signal_handler(signal.SIGUSR1, self.backup_now, "requested by SIGUSR1")
            installed.append(signal.SIGUSR1)
        return installed

    # --- start-up ----------------------------------------------------------------------
    async def _initialize(self) -> bool:
        """getMe and post_init (the command menu), retried while the Bot API is unreachable.

        False when told to stop meanwhile; on failure the application is left shut down.
        """

        async def initialize() -> None:
            await self.application.initialize()
            if self.application.post_init:
                await self.application.post_init(self.application)

        try:
            started = await self._with_retries("start-up", initialize)
        except BaseException:
            await self.application.shutdown()  # a no-op unless getMe had succeeded
            raise
        if not started:
            await self.application.shutdown()
        return started

    async def _with_retries(self, what: str, action: Callable[[], Awaitable[object]]) -> bool:
        """Run ``action``, retrying with back-off while the Bot API cannot be reached.

        False when told to stop meanwhile; StartupFailed when the Bot API says no.
        """
        delay = 1.0
        while True:
            try:
                await action()
                return True
            except InvalidToken:
                raise StartupFailed(
                    "the Bot API rejected BOT_TOKEN (revoked or mistyped?); get the "
                    "current token from @BotFather"
                ) from None
            except BadRequest as exc:  # a NetworkError subclass, but no use retrying
                raise StartupFailed(f"{what}: the Bot API refused: {exc}") from None
            except (NetworkError, RetryAfter) as exc:
                log.warning(
                    "%s: cannot reach the Bot API (%s); retrying in %.0f s", what, exc, delay
                )
            except TelegramError as exc:
                raise StartupFailed(f"{what}: the Bot API refused: {exc}") from None
            if await self._stopped_within(delay):
                return False
            delay = min(delay * 2, 60.0)

    async def _stopped_within(self, seconds: float) -> bool:
        assert self._stop is not None
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stop.wait()
        return self._stop.is_set()

    async def _serve(self) -> None:
        app = self.application
        await app.start()  # PTB's update loop: update_queue to the processor
        try:
            self._schedule_jobs()
            if self.settings.mode == "webhook":
                await self._start_webhook()
            else:
                await self._start_polling()
            log.info("factbot is running (%s mode, %d facts)", self.settings.mode, len(self.store))
            self.heartbeat()
            self.ready.set()
            assert self._stop is not None
            await self._stop.wait()
        finally:
            self._stopping = True
            self.heartbeat()
            await self._stop_intake()
            if app.running:
                queued = app.update_queue.qsize()
                if queued:
                    log.info("processing %d update(s) received before the stop", queued)
                await app.stop()  # processes every update queued, then stops the jobs
            if app.post_stop:
                await app.post_stop(app)

    async def _start_polling(self) -> None:
        bot = self.application.bot
        # getUpdates is refused while a webhook is set (a previous run in webhook mode).
        if not await self._with_retries("deleteWebhook", bot.delete_webhook):
            return  # told to stop meanwhile
        self.poller = Poller(
            bot=bot,
            request=self.request,
            put=self.application.update_queue.put,  # waits while handlers are too far behind
            allowed_updates=HANDLED_UPDATE_TYPES,
            timeout=POLL_TIMEOUT,
            on_success=self._polled,
            on_failure=self.metrics.poll_errors.inc,
            on_skipped=self._skipped,
        )
        self.poller.start()

    async def _start_webhook(self) -> None:
        url, secret = self.settings.webhook_url, self.settings.webhook_secret
        assert url is not None and secret is not None
        bot = self.application.bot
        self.server = WebServer(
            metrics=self.metrics,
            health=self.health_report,
            webhook_path=self.settings.webhook_path,
            secret=secret.get_secret_value(),
            parse=lambda data: Update.de_json(data, bot),
            submit=self.application.update_queue.put_nowait,
            skipped=self._skipped,
        )
        # Listen first, so that Telegram's first delivery finds the server.
        try:
            await self.server.start(self.settings.listen, self.settings.port)
        except OSError as exc:
            raise StartupFailed(
                f"cannot listen on {self.settings.listen}:{self.settings.port} ({exc.strerror}); "
                "check LISTEN and PORT"
            ) from None
        await self._with_retries(
            "setWebhook",
            lambda: bot.set_webhook(
                url=url,
                secret_token=secret.get_secret_value(),
                allowed_updates=list(HANDLED_UPDATE_TYPES),
            ),
        )

    async def _stop_intake(self) -> None:
        if self.poller is not None:
            # Also confirms the offset: updates already fetched are not fetched again.
            await self.poller.stop()
        if self.server is not None:
            # The webhook stays registered: Telegram keeps new updates until we are back.
            await self.server.stop()

    def _schedule_jobs(self) -> None:
        jobs = self.application.job_queue
        if jobs is None:
            raise StartupFailed("the application has no JobQueue (install PTB's job-queue extra)")
        jobs.run_repeating(self._heartbeat_job, interval=HEARTBEAT_INTERVAL, name="heartbeat")
        interval = self.settings.backup_interval_hours * 3600
        jobs.run_repeating(
            self._backup_job,
            interval=min(3600.0, max(60.0, interval / 4)),
            first=5.0,
            name="backup",
        )

    # --- callbacks -------------------------------------------------------------------------
    async def _count_error(self, update: object, context: BotContext) -> None:
        self.metrics.errors.inc()

    def _api_result(self, endpoint: str, status: int | None) -> None:
        if endpoint.lower() != "getupdates":
            return
        if status in (401, 404) and not self._stopping:
            # Polling cannot go on; a bot that can never receive anything again should
            # exit (status 2) rather than idle for months.
            log.critical("the Bot API rejected BOT_TOKEN while polling (revoked?); stopping")
            self.exit_status = 2
            self.request_stop("token rejected")

    def _skipped(self, skipped: SkippedUpdate) -> None:
        self.metrics.unparsable_updates.inc()


def _within(filename: object, directory: Path) -> bool:
    if not isinstance(filename, str | os.PathLike):
        return False
    path, root = Path(filename).absolute(), Path(directory).absolute()
    return path == root or root in path.parents


def unwritable_data_dir(data_dir: Path, exc: OSError) -> str:
    """The one line for a data directory the bot cannot write to (read-only, wrong owner)."""
    reason = exc.strerror or type(exc).__name__
    return (
        f"cannot write to DATA_DIR {data_dir} ({reason}): it must be a writable directory "
        f"for this user (uid {os.getuid()}); in the container, a host directory must be "
        "writable by uid 10001 (or use a named volume)"
    )


def run_bot() -> int:
    """Run until SIGINT/SIGTERM; returns the process exit status."""
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"factbot: {exc}", file=sys.stderr)
        return 2
    secrets = [settings.bot_token.get_secret_value()]
    if settings.webhook_secret is not None:
        secrets.append(settings.webhook_secret.get_secret_value())
    configure_logging(settings.log_level, secrets=secrets, log_format=settings.log_format)
    try:
        store = FactStore.open(settings.data_dir, seed=load_seed())
    except StoreCorrupted as exc:
        # Never start empty over a base that exists but cannot be read.
        log.critical(
            "cannot read the fact store: %s. %s", exc, corruption_advice(settings.data_dir)
        )
        return 2
    except FactsError as exc:
        log.critical("cannot open the fact store: %s", exc)
        return 2
    except OSError as exc:
        log.critical("%s", unwritable_data_dir(settings.data_dir, exc))
        return 2
    # The loaded base lives as long as the process: move it out of the collector's reach
    # (a full collection over it took ~86 ms at 10,000 facts, a stall in some update).
    gc.freeze()
    try:
        return asyncio.run(BotRunner(settings, store).run())
    finally:
        store.close()
        log.info("fact store flushed and closed")
