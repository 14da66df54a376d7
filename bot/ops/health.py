"""Liveness: the heartbeat file the running bot refreshes, and the ``factbot health`` check.

Polling mode has no port to probe, so the bot writes ``DATA_DIR/heartbeat.json`` from a
JobQueue job (every 30 s: the event loop and the job queue are alive) and after
successful getUpdates calls (throttled: Telegram is reachable and answering). The check
reads it back and fails when it is stale, when polling has not succeeded recently, or when
the bot itself reported a problem. Webhook mode asks the bot's own GET /healthz instead.

This module imports nothing from ``telegram``: the check runs every 30 s in the container
and must start fast.
"""

from __future__ import annotations

import json
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HEARTBEAT_NAME = "heartbeat.json"
#: How often the running bot refreshes the heartbeat (seconds).
HEARTBEAT_INTERVAL = 30.0


def heartbeat_path(data_dir: Path) -> Path:
    """Where the bot keeps its heartbeat."""
    return Path(data_dir) / HEARTBEAT_NAME


@dataclass
class Heartbeat:
    """What the running bot says about itself."""

    pid: int
    mode: str
    #: When this was written (Unix time): proves the event loop runs.
    time: float
    #: When getUpdates last succeeded (polling mode), None before the first success.
    last_poll: float | None = None
    #: Problems the bot sees (store unreadable, application stopped…); empty when healthy.
    problems: list[str] = field(default_factory=list)
    #: The newest backup the bot wrote, and when.
    last_backup: str | None = None
    last_backup_time: float | None = None
    started: float | None = None

    def to_json(self) -> bytes:
        """The file's content."""
        return json.dumps(self.__dict__, sort_keys=True).encode() + b"\n"

    @classmethod
    def from_json(cls, raw: bytes) -> Heartbeat:
        """Parse the file's content; ValueError when it is not a heartbeat."""
        data: Any = json.loads(raw)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            return cls(**data)
        except TypeError as exc:
            raise ValueError(str(exc)) from None


def write_heartbeat(path: Path, beat: Heartbeat) -> None:
    """Replace the heartbeat file atomically (a reader never sees half of it)."""
    tmp = path.with_name(path.name + ".new")
    tmp.write_bytes(beat.to_json())
    os.replace(tmp, path)


def read_heartbeat(path: Path) -> Heartbeat | None:
    """The heartbeat, or None when there is none yet; ValueError when it is unreadable."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    return Heartbeat.from_json(raw)


@dataclass(frozen=True)
class HealthResult:
    """The verdict and one line saying why."""

    healthy: bool
    message: str


def check_heartbeat(path: Path, *, max_age: float, now: float | None = None) -> HealthResult:
    """Healthy when the heartbeat is fresh, polling succeeded recently and no problem is
    reported."""
    now = time.time() if now is None else now
    try:
        beat = read_heartbeat(path)
    except (OSError, ValueError) as exc:
        return HealthResult(False, f"cannot read {path}: {exc}")
    if beat is None:
        return HealthResult(False, f"no heartbeat at {path} yet (is the bot running?)")
    age = now - beat.time
    if age > max_age:
        return HealthResult(
            False, f"stale heartbeat: last written {age:.0f} s ago (limit {max_age:.0f} s)"
        )
    if beat.problems:
        return HealthResult(False, "; ".join(beat.problems))
    if beat.mode == "polling":
        if beat.last_poll is None:
            # Still starting up: the first getUpdates has not returned yet.
            started = beat.started if beat.started is not None else beat.time
            if now - started > max_age:
                return HealthResult(False, f"no successful getUpdates in {now - started:.0f} s")
        elif now - beat.last_poll > max_age:
            return HealthResult(False, f"no successful getUpdates for {now - beat.last_poll:.0f} s")
    return HealthResult(True, f"ok: {beat.mode}, pid {beat.pid}, heartbeat {age:.0f} s ago")


def check_http(url: str, *, timeout: float = 5.0) -> HealthResult:
    """Healthy when GET ``url`` answers 200 (the bot's /healthz)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            body = response.read(4096).decode("utf-8", "replace")
            return HealthResult(True, f"ok: {body.strip()}")
    except urllib.error.HTTPError as exc:
        body = exc.read(4096).decode("utf-8", "replace")
        return HealthResult(False, f"{url} answered {exc.code}: {body.strip()}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return HealthResult(False, f"{url} is not answering: {reason}")


def run_check(data_dir: Path) -> int:
    """``factbot health``: print the verdict; 0 healthy, 1 unhealthy (Docker's convention)."""
    from bot.ops.settings import ConfigError, load_settings

    try:
        settings = load_settings(need_token=False)
    except ConfigError as exc:
        print(f"unhealthy: {exc}")
        return 1
    if settings.mode == "webhook":
        result = check_http(f"{settings.local_base_url}/healthz")
    else:
        result = check_heartbeat(heartbeat_path(data_dir), max_age=settings.health_max_age)
    print(("healthy: " if result.healthy else "unhealthy: ") + result.message)
    return 0 if result.healthy else 1
