"""Counters, gauges and a latency histogram, rendered in the Prometheus text format (0.0.4).

Everything runs on the bot's event loop, so no locking. No client library: the format is a
few lines of text and this keeps the image small.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
#: Handler latency buckets in seconds: most answers take milliseconds, a slow API call seconds.
LATENCY_BUCKETS: tuple[float, ...] = (
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
)


def format_value(value: float) -> str:
    """A sample value as Prometheus writes it (integers without a fraction)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == int(value) and abs(value) < 2**53:
        return str(int(value))
    return repr(value)


def _header(name: str, help_text: str, kind: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


@dataclass
class Counter:
    """A monotonically increasing count."""

    name: str
    help: str
    value: float = 0.0

    def inc(self, amount: float = 1.0) -> None:
        """Add ``amount`` (never negative)."""
        if amount < 0:
            raise ValueError("a counter only goes up")
        self.value += amount

    def render(self) -> list[str]:
        """Exposition lines."""
        return [
            *_header(self.name, self.help, "counter"),
            f"{self.name} {format_value(self.value)}",
        ]


@dataclass
class Gauge:
    """A value read when scraped; a reader returning None leaves the sample out."""

    name: str
    help: str
    read: Callable[[], float | None]

    def render(self) -> list[str]:
        """Exposition lines (only the header when there is no value now)."""
        lines = _header(self.name, self.help, "gauge")
        value = self.read()
        if value is not None:
            lines.append(f"{self.name} {format_value(value)}")
        return lines


@dataclass
class Histogram:
    """Observations counted into cumulative ``le`` buckets, with their sum and count."""

    name: str
    help: str
    buckets: Sequence[float] = LATENCY_BUCKETS
    _counts: list[int] = field(init=False)
    sum: float = field(init=False, default=0.0)
    count: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.buckets = tuple(sorted(self.buckets))
        self._counts = [0] * len(self.buckets)

    def observe(self, value: float) -> None:
        """Record one observation."""
        self.sum += value
        self.count += 1
        for i, bound in enumerate(self.buckets):
            if value <= bound:
                self._counts[i] += 1
                break

    def render(self) -> list[str]:
        """Exposition lines: cumulative buckets, +Inf, sum, count."""
        lines = _header(self.name, self.help, "histogram")
        cumulative = 0
        for bound, n in zip(self.buckets, self._counts, strict=True):
            cumulative += n
            lines.append(f'{self.name}_bucket{{le="{format_value(bound)}"}} {cumulative}')
        lines.append(f'{self.name}_bucket{{le="+Inf"}} {self.count}')
        lines.append(f"{self.name}_sum {format_value(self.sum)}")
        lines.append(f"{self.name}_count {self.count}")
        return lines


def render(metrics: Iterable[Counter | Gauge | Histogram]) -> str:
    """The exposition text of ``metrics``, in order."""
    lines: list[str] = []
    for metric in metrics:
        lines.extend(metric.render())
    return "\n".join(lines) + "\n"


class BotMetrics:
    """What the bot reports at /metrics."""

    def __init__(
        self,
        *,
        facts_count: Callable[[], float | None] = lambda: None,
        queue_depth: Callable[[], float | None] = lambda: None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.started_at = clock()
        self.updates = Counter("factbot_updates_total", "Updates processed by the handlers.")
        self.errors = Counter(
            "factbot_update_errors_total", "Handler errors (each one reached the error handler)."
        )
        self.latency = Histogram(
            "factbot_update_duration_seconds", "Time to process one update, handlers included."
        )
        self.webhook_rejected = Counter(
            "factbot_webhook_rejected_total",
            "Webhook requests refused for a missing or wrong secret token.",
        )
        self.webhook_evicted = Counter(
            "factbot_webhook_connections_evicted_total",
            "Connections closed to stay under the cap (strangers that never showed the secret).",
        )
        self.unparsable_updates = Counter(
            "factbot_updates_unparsable_total",
            "Updates skipped because they could not be parsed (acknowledged, never handled).",
        )
        self.poll_errors = Counter(
            "factbot_poll_errors_total", "getUpdates calls that failed (polling mode)."
        )
        self.backups = Counter("factbot_backups_total", "Backups written.")
        self.backup_failures = Counter("factbot_backup_failures_total", "Backups that failed.")
        self.last_backup_time: float | None = None
        self._gauges = [
            Gauge("factbot_facts", "Facts in the store, every status.", facts_count),
            Gauge(
                "factbot_update_queue_depth", "Updates received, not yet processed.", queue_depth
            ),
            Gauge(
                "factbot_last_backup_timestamp_seconds",
                "When the newest backup was written (Unix time).",
                lambda: self.last_backup_time,
            ),
            Gauge(
                "factbot_start_time_seconds",
                "When the process started (Unix time).",
                lambda: self.started_at,
            ),
        ]

    def update_processed(self, seconds: float) -> None:
        """Count one processed update and its duration."""
        self.updates.inc()
        self.latency.observe(seconds)

    def render(self) -> str:
        """The Prometheus exposition text."""
        return render(
            [
                self.updates,
                self.errors,
                self.latency,
                self.webhook_rejected,
                self.webhook_evicted,
                self.unparsable_updates,
                self.poll_errors,
                self.backups,
                self.backup_failures,
                *self._gauges,
            ]
        )
