"""Counters, gauges and a latency histogram, exposed in the Prometheus text format (0.0.4)
through prometheus-client. Each :class:`BotMetrics` has its own ``CollectorRegistry``
(nothing global: two bots in one process, as in the tests, never mix their counts).

Everything runs on the bot's event loop, so no locking.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector

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

    def family(self) -> Metric:
        """The metric as prometheus-client exposes it."""
        return CounterMetricFamily(self.name, self.help, value=self.value)


@dataclass
class Gauge:
    """A value read when scraped; a reader returning None leaves the sample out."""

    name: str
    help: str
    read: Callable[[], float | None]

    def family(self) -> Metric:
        """The metric as prometheus-client exposes it (no sample when there is no value)."""
        family = GaugeMetricFamily(self.name, self.help)
        value = self.read()
        if value is not None:
            family.add_metric([], value)
        return family


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

    def family(self) -> Metric:
        """The metric as prometheus-client exposes it: cumulative buckets, +Inf, count, sum."""
        buckets: list[tuple[str, float]] = []
        cumulative = 0
        for bound, n in zip(self.buckets, self._counts, strict=True):
            cumulative += n
            buckets.append((str(float(bound)), float(cumulative)))
        buckets.append(("+Inf", float(self.count)))
        return HistogramMetricFamily(self.name, self.help, buckets=buckets, sum_value=self.sum)


#: What the bot counts, measures or reads.
Instrument = Counter | Gauge | Histogram


class _Collector(Collector):
    """Hands prometheus-client the current state of our metrics at each scrape."""

    def __init__(self, metrics: Callable[[], Iterable[Instrument]]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterable[Metric]:
        """One family per metric, in order."""
        return [metric.family() for metric in self._metrics()]


def registry_of(metrics: Callable[[], Iterable[Instrument]]) -> CollectorRegistry:
    """A registry of its own that exposes ``metrics()`` (read at every scrape)."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(metrics))
    return registry


def render(metrics: Iterable[Instrument]) -> str:
    """The exposition text of ``metrics``, in order."""
    listed = list(metrics)
    return generate_latest(registry_of(lambda: listed)).decode()


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
        #: This bot's own registry (what /metrics exposes).
        self.registry = registry_of(self._all)

    def update_processed(self, seconds: float) -> None:
        """Count one processed update and its duration."""
        self.updates.inc()
        self.latency.observe(seconds)

    def _all(self) -> list[Instrument]:
        return [
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

    def render(self) -> str:
        """The Prometheus exposition text."""
        return generate_latest(self.registry).decode()
