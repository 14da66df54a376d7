"""What the runner does while the bot runs, besides handling updates: the heartbeat file,
the backups (scheduled, or asked for by SIGUSR1 and ``factbot backup``) and the health
verdict behind the heartbeat and GET /healthz.

:class:`RunnerUpkeep` is a part of :class:`bot.ops.runner.BotRunner` (its base class).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

from bot.context import BotApplication, BotContext
from bot.ops.health import Heartbeat, heartbeat_path, write_heartbeat
from bot.ops.metrics import BotMetrics
from bot.ops.observing import TimedUpdateProcessor
from bot.ops.polling import Poller
from bot.ops.settings import Settings
from bot.services import Services
from facts.backup import backup_due, make_backup
from facts.errors import FactsError
from facts.store import FactStore

log = logging.getLogger(__name__)

#: Don't rewrite the heartbeat after every getUpdates: at most this often (seconds).
HEARTBEAT_MIN_GAP = 5.0


class RunnerUpkeep:
    """Heartbeat, backups and health of a running bot (see the module docstring)."""

    settings: Settings
    store: FactStore
    services: Services
    started: float
    metrics: BotMetrics
    processor: TimedUpdateProcessor
    application: BotApplication
    poller: Poller | None
    last_poll: float | None
    last_backup: Path | None
    _last_heartbeat: float
    _stopping: bool

    # --- jobs ----------------------------------------------------------------------------
    async def _heartbeat_job(self, context: BotContext) -> None:
        self.heartbeat()

    async def _backup_job(self, context: BotContext) -> None:
        if backup_due(self.settings.data_dir, interval_hours=self.settings.backup_interval_hours):
            self.backup_now("scheduled")

    def _polled(self) -> None:
        """A getUpdates call succeeded and its updates were handed over."""
        first, self.last_poll = self.last_poll is None, time.time()
        if first or self.last_poll - self._last_heartbeat >= HEARTBEAT_MIN_GAP:
            self.heartbeat()

    def backup_now(self, reason: str) -> Path | None:
        """Write a snapshot into DATA_DIR/backups now (runs on the loop: consistent)."""
        try:
            path = make_backup(
                self.store,
                self.settings.data_dir,
                keep=self.settings.backup_keep,
                # The admin store the bot holds open (its lock keeps a second opening out).
                admin=self.services.admin.store if self.services.admin.available else None,
            )
        except (OSError, FactsError) as exc:
            self.metrics.backup_failures.inc()
            log.error("backup (%s) failed: %s", reason, exc, exc_info=True)
            return None
        self.metrics.backups.inc()
        self.metrics.last_backup_time = time.time()
        self.last_backup = path
        self.heartbeat()
        return path

    # --- health ------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """What keeps the bot from serving now (empty when healthy)."""
        found = []
        if self._stopping:
            found.append("stopping")
        elif not self.application.running:
            found.append("the application is not running")
        elif self.settings.mode == "polling" and not (self.poller and self.poller.running):
            found.append("polling is not running")
        max_age = self.settings.health_max_age
        if self.poller is not None and self.poller.failing_since is not None:
            failing = time.time() - self.poller.failing_since
            if failing > max_age:
                found.append(
                    f"getUpdates has failed for {failing:.0f} s ({self.poller.failures} in a row)"
                )
        stalled = self.stalled_for()
        if stalled > max_age:
            found.append(
                f"{self.pending_updates()} update(s) waiting, none processed for {stalled:.0f} s"
            )
        if self.store.closed:
            found.append("the fact store is closed")
        return found

    def pending_updates(self) -> int:
        """Updates received and not yet processed, those being processed included."""
        return self.application.update_queue.qsize() + self.processor.active

    def stalled_for(self) -> float:
        """Seconds updates have been waiting with none processed meanwhile (0 when idle)."""
        if self.processor.active == 0 and self.application.update_queue.empty():
            return 0.0
        return time.monotonic() - self.processor.last_progress

    def heartbeat(self) -> None:
        """Write the heartbeat file now."""
        now = time.time()
        self._last_heartbeat = now
        beat = Heartbeat(
            pid=os.getpid(),
            mode=self.settings.mode,
            time=now,
            last_poll=self.last_poll,
            problems=self.problems(),
            last_backup=str(self.last_backup) if self.last_backup else None,
            last_backup_time=self.metrics.last_backup_time,
            started=self.started,
        )
        try:
            write_heartbeat(heartbeat_path(self.settings.data_dir), beat)
        except OSError as exc:
            log.error("cannot write the heartbeat: %s", exc)

    def _username(self) -> str | None:
        try:
            return self.application.bot.username
        except RuntimeError:  # not initialized (yet, or any more)
            return None

    def health_report(self) -> tuple[bool, dict[str, Any]]:
        """The verdict and details for GET /healthz."""
        problems = self.problems()
        facts = None if self.store.closed else len(self.store)
        details: dict[str, Any] = {
            "status": "ok" if not problems else "unavailable",
            "problems": problems,
            "mode": self.settings.mode,
            "bot": {"running": self.application.running, "username": self._username()},
            "store": {"ok": facts is not None, "facts": facts},
            "updates": int(self.metrics.updates.value),
            "uptime_seconds": round(time.time() - self.started, 1),
            "last_backup_time": self.metrics.last_backup_time,
        }
        return not problems, details
