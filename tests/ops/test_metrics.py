"""The Prometheus exposition (through prometheus-client) of counters, gauges and the
latency histogram."""

from __future__ import annotations

import math

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bot.ops.metrics import BotMetrics, Counter, Gauge, Histogram, render


def test_histogram_buckets_are_cumulative() -> None:
    hist = Histogram("t_seconds", "Test.", buckets=(0.1, 1.0))
    for value in (0.05, 0.1, 0.5, 3.0):
        hist.observe(value)
    assert render([hist]).splitlines() == [
        "# HELP t_seconds Test.",
        "# TYPE t_seconds histogram",
        't_seconds_bucket{le="0.1"} 2.0',
        't_seconds_bucket{le="1.0"} 3.0',
        't_seconds_bucket{le="+Inf"} 4.0',
        "t_seconds_count 4.0",
        "t_seconds_sum 3.65",
    ]


def test_counter_only_goes_up() -> None:
    counter = Counter("c_total", "Test.")
    counter.inc()
    counter.inc(2)
    assert render([counter]).splitlines()[-1] == "c_total 3.0"
    with pytest.raises(ValueError):
        counter.inc(-1)


def test_gauge_without_a_value_has_no_sample() -> None:
    assert render([Gauge("g", "Test.", lambda: None)]) == "# HELP g Test.\n# TYPE g gauge\n"
    assert render([Gauge("g", "Test.", lambda: 7)]).endswith("g 7.0\n")


@pytest.mark.parametrize(
    ("value", "text"),
    [(3.0, "3.0"), (0.25, "0.25"), (math.inf, "+Inf"), (-math.inf, "-Inf"), (math.nan, "NaN")],
)
def test_values_are_written_as_prometheus_does(value: float, text: str) -> None:
    assert render([Gauge("g", "Test.", lambda: value)]).endswith(f"\ng {text}\n")


def test_bot_metrics_exposition_names_every_metric() -> None:
    metrics = BotMetrics(facts_count=lambda: 175, queue_depth=lambda: 0, clock=lambda: 1000.0)
    metrics.update_processed(0.004)
    metrics.errors.inc()
    text = metrics.render()
    for line in (
        "factbot_updates_total 1.0",
        "factbot_update_errors_total 1.0",
        'factbot_update_duration_seconds_bucket{le="0.005"} 1.0',
        "factbot_facts 175.0",
        "factbot_update_queue_depth 0.0",
        "factbot_start_time_seconds 1000.0",
        "factbot_webhook_rejected_total 0.0",
        "factbot_poll_errors_total 0.0",
        "factbot_backups_total 0.0",
    ):
        assert line + "\n" in text
    # Every sample line belongs to a metric declared with HELP and TYPE.
    declared = {line.split()[2] for line in text.splitlines() if line.startswith("# TYPE")}
    for line in text.splitlines():
        if not line.startswith("#"):
            name = line.split("{")[0].split()[0]
            assert name in declared or name.rsplit("_", 1)[0] in declared, line


def test_two_bots_never_share_their_counts() -> None:
    first, second = BotMetrics(), BotMetrics()
    first.update_processed(0.01)
    assert "factbot_updates_total 1.0\n" in first.render()
    assert "factbot_updates_total 0.0\n" in second.render()
    assert first.registry is not second.registry


def test_the_exposition_parses_back_to_the_same_series() -> None:
    metrics = BotMetrics(facts_count=lambda: 175, queue_depth=lambda: 2, clock=lambda: 1000.0)
    metrics.update_processed(0.2)
    metrics.backups.inc()
    families = {f.name: f for f in text_string_to_metric_families(metrics.render())}
    assert set(families) == {
        "factbot_updates",
        "factbot_update_errors",
        "factbot_update_duration_seconds",
        "factbot_webhook_rejected",
        "factbot_webhook_connections_evicted",
        "factbot_updates_unparsable",
        "factbot_poll_errors",
        "factbot_backups",
        "factbot_backup_failures",
        "factbot_facts",
        "factbot_update_queue_depth",
        "factbot_last_backup_timestamp_seconds",
        "factbot_start_time_seconds",
    }
    samples = {s.name: s.value for f in families.values() for s in f.samples if not s.labels}
    assert samples["factbot_updates_total"] == 1
    assert samples["factbot_backups_total"] == 1
    assert samples["factbot_update_queue_depth"] == 2
    assert samples["factbot_update_duration_seconds_sum"] == 0.2
