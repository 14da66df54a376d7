"""The Prometheus text rendering of counters, gauges and the latency histogram."""

from __future__ import annotations

import math

import pytest

from bot.metrics import BotMetrics, Counter, Gauge, Histogram, format_value, render


def test_histogram_buckets_are_cumulative() -> None:
    hist = Histogram("t_seconds", "Test.", buckets=(0.1, 1.0))
    for value in (0.05, 0.1, 0.5, 3.0):
        hist.observe(value)
    assert hist.render() == [
        "# HELP t_seconds Test.",
        "# TYPE t_seconds histogram",
        't_seconds_bucket{le="0.1"} 2',
        't_seconds_bucket{le="1"} 3',
        't_seconds_bucket{le="+Inf"} 4',
        "t_seconds_sum 3.65",
        "t_seconds_count 4",
    ]


def test_counter_only_goes_up() -> None:
    counter = Counter("c_total", "Test.")
    counter.inc()
    counter.inc(2)
    assert counter.render()[-1] == "c_total 3"
    with pytest.raises(ValueError):
        counter.inc(-1)


def test_gauge_without_a_value_has_no_sample() -> None:
    assert render([Gauge("g", "Test.", lambda: None)]) == "# HELP g Test.\n# TYPE g gauge\n"
    assert render([Gauge("g", "Test.", lambda: 7)]).endswith("g 7\n")


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.0, "3"), (0.25, "0.25"), (math.inf, "+Inf"), (-math.inf, "-Inf"), (math.nan, "NaN")],
)
def test_values_are_written_as_prometheus_does(value: float, text: str) -> None:
    assert format_value(value) == text


def test_bot_metrics_exposition_names_every_metric() -> None:
    metrics = BotMetrics(facts_count=lambda: 175, queue_depth=lambda: 0, clock=lambda: 1000.0)
    metrics.update_processed(0.004)
    metrics.errors.inc()
    text = metrics.render()
    for line in (
        "factbot_updates_total 1",
        "factbot_update_errors_total 1",
        'factbot_update_duration_seconds_bucket{le="0.005"} 1',
        "factbot_facts 175",
        "factbot_update_queue_depth 0",
        "factbot_start_time_seconds 1000",
        "factbot_webhook_rejected_total 0",
        "factbot_poll_errors_total 0",
        "factbot_backups_total 0",
    ):
        assert line + "\n" in text
    # Every sample line belongs to a metric declared with HELP and TYPE.
    declared = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")}
    for line in text.splitlines():
        if not line.startswith("#"):
            name = line.split("{")[0].split()[0]
            assert name in declared or name.rsplit("_", 1)[0] in declared, line
